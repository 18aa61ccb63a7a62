"""The money-flow graph and recipient summary of the bundled documents."""

from __future__ import annotations

import random
from collections import defaultdict
from functools import cache

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import random_corpus

from geldstroom.graph.build import build_graph
from geldstroom.graph.flows import flows
from geldstroom.graph.schema import UNATTRIBUTED
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.model import (
    Actor,
    ActorKind,
    BudgetTable,
    Corpus,
    Document,
    DocumentKind,
    RowLevel,
)
from geldstroom.queries.summary import UNNAMED_OTHERS, recipient_summary, year_totals

ZBO = "Bijdrage aan ZBO's/RWT's"


@cache
def corpus() -> Corpus:
    return load_corpus(bundled_documents())


@cache
def graph() -> nx.MultiDiGraph:
    return build_graph(corpus())


def funds(source: str, target: str, year: int) -> list[dict]:
    """What `source` pays `target` in `year` through its budget lines: per line the chosen
    figure (ALLOCATES) beside who the line pays (PAYS)."""
    g = graph()
    out = []
    for _, line, allocated in g.out_edges(source, data=True):
        if allocated["kind"] != "allocates" or allocated["year"] != year \
                or not allocated["chosen"]:
            continue
        paid = g.get_edge_data(line, target, key=str(year))
        if paid is not None:
            out.append({**g.nodes[line], **paid, "euros": allocated["euros"],
                        "stage": allocated["stage"], "line": g.nodes[line]["label"],
                        "pays_euros": paid["euros"]})
    return out


def test_every_year_reconciles_with_the_tables_uitgaven() -> None:
    totals = {t.year: t for t in year_totals(graph())}
    assert sorted(totals) == list(range(2022, 2029))
    assert totals[2024].uitgaven_euros == 86_189_000
    assert totals[2022].uitgaven_euros == 66_000_000
    assert all(t.reconciles for t in totals.values())


def test_flows_count_each_line_once() -> None:
    by_year: dict[int, int] = defaultdict(int)
    for flow in flows(graph()):
        by_year[flow.year] += flow.euros
    assert by_year[2024] == 86_189_000
    keys = [(f.line_id, f.year) for f in flows(graph())]
    assert len(keys) == len(set(keys))


def test_woo_koepels_share_one_line_counted_once() -> None:
    woo = [f for f in flows(graph()) if f.line == "Ondersteuning koepels implementatie Woo"
           and f.year == 2024]
    assert len(woo) == 1
    assert woo[0].euros == 863_000
    assert woo[0].recipients == ("ipo", "vng", "waterschapshuis")
    for who in ("vng", "ipo", "waterschapshuis"):
        (row,) = recipient_summary(graph(), who, 2024)
        assert (row.alone_euros, row.shared_euros) == (0, 863_000)
        assert row.shared_with == sorted({"vng", "ipo", "waterschapshuis"} - {who})
    # Edges to the three carry the same line; the minister's total out-flow counts it once.
    assert sum(t.shared_euros for t in year_totals(graph()) if t.year == 2024) == 2_210_000


def test_ictu_2024_summary_lists_its_three_zbo_lines() -> None:
    rows = recipient_summary(graph(), "ictu", 2024)
    zbo = [r for r in rows if r.instrument == ZBO]
    assert len(zbo) == 1
    assert sorted(zbo[0].lines) == [
        "POK - Ambtelijk Vakmanschap", "POK - Staat van de Uitvoering", "Werkgeversbeleid"
    ]
    assert zbo[0].alone_euros == 36_000 + 2_451_000 + 2_215_000
    assert zbo[0].stages == ["ontwerpbegroting"]


def test_jaarverslag_2022_makes_cbs_and_ictu_share_werkgeversbeleid() -> None:
    (cbs,) = funds("minister-bzk", "cbs", 2022)
    assert cbs["euros"] == 1_650_000 and cbs["line"] == "Werkgeversbeleid"
    assert cbs["recipients"] == ["cbs", "ictu"] and cbs["stage"] == "realisatie"
    assert cbs["share_count"] == 2 and cbs["pays_euros"] is None  # no split is stated
    assert any(e.startswith("VII/jaarverslag-2022/000_18b475cc328f5857.txt:48:")
               for e in cbs["evidence"])
    ictu = {e["line"]: e["euros"] for e in funds("minister-bzk", "ictu", 2022)}
    assert ictu == {"Bedrijfsvoeringsbeleid": 1_229_000, "Werkgeversbeleid": 1_650_000}


def test_lines_without_a_named_recipient_go_to_unattributed() -> None:
    opdrachten = [
        e for e in funds("minister-bzk", UNATTRIBUTED, 2024) if e["instrument"] == "Opdrachten"
    ]
    # No Opdrachten line of 2024 names a recipient: the whole instrument row is unattributed.
    assert sum(e["euros"] for e in opdrachten) == 52_706_000


def test_money_passed_on_is_not_a_second_payment() -> None:
    g = graph()
    assert g.has_edge("ictu", "ipse")
    assert {d["kind"] for d in g["ictu"]["ipse"].values()} == {"passes_on"}
    # No budget line pays IPSE in any year: the money reaches it only through ICTU.
    assert not any(d["kind"] == "pays" for *_, d in g.in_edges("ipse", data=True))
    assert all(funds("minister-bzk", "ipse", year) == [] for year in range(2022, 2029))


def test_part_of_and_instrument_level_links() -> None:
    g = graph()
    assert g.has_edge("koop", "logius", key="part_of")
    instrument_links = {
        (target, d["instrument"]) for _, target, d in g.out_edges("minister-bzk", data=True)
        if d["kind"] == "instrument_link"
    }
    assert ("caop", "Subsidies (regelingen)") in instrument_links
    assert ("ssc-ict", "Bijdrage aan agentschappen") in instrument_links


def test_o_a_list_is_shared_with_others_not_named() -> None:
    (row,) = recipient_summary(graph(), "vom", 2024)
    assert row.shared_euros == 1_347_000  # Diverse subsidies 2024
    assert row.shared_with == ["eipa", UNNAMED_OTHERS]  # the named first, as in links


def test_summary_rows_add_up_per_year_without_counting_shared_lines_twice() -> None:
    for total in year_totals(graph()):
        rows = recipient_summary(graph(), year=total.year)
        alone = sum(r.alone_euros for r in rows if r.recipient != UNATTRIBUTED)
        unattributed = sum(r.alone_euros for r in rows if r.recipient == UNATTRIBUTED)
        assert alone == total.alone_euros
        assert unattributed == total.unattributed_euros


# Property: for any table and any set of recipient links, the graph keeps every euro once.

def _uitgaven(table: BudgetTable) -> dict[int, int]:
    assert table.uitgaven.level is RowLevel.UITGAVEN
    return {a.year: a.euros for a in table.uitgaven.amounts}


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**9), width=st.integers(1, 8))
def test_graph_totals_equal_table_totals(seed: int, width: int) -> None:
    corpus = random_corpus(seed, max(2, width))
    g = build_graph(corpus)
    expected = _uitgaven(corpus.tables[0])
    by_year: dict[int, int] = defaultdict(int)
    for flow in flows(g):
        by_year[flow.year] += flow.euros
    assert {y: by_year[y] for y in expected} == expected
    for total in year_totals(g):
        assert total.reconciles, total
    # The amount lives once, on the line: one chosen ALLOCATES per line and year, and no PAYS
    # carries a copy of it (the tables state no recipient's own amount).
    chosen = [(line, d["year"]) for _, line, d in g.edges(data=True)
              if d["kind"] == "allocates" and d["chosen"]]
    assert len(chosen) == len(set(chosen)) == len(list(flows(g)))
    assert all(d["euros"] is None for *_, d in g.edges(data=True) if d["kind"] == "pays")
    # Every line-year with money pays someone: its named recipients or 'unattributed'.
    assert {(line, y) for line, y in chosen} == {
        (line, d["year"]) for line, _, d in g.edges(data=True) if d["kind"] == "pays"}


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**9))
def test_two_begrotingen_of_one_artikel_count_each_year_once(seed: int) -> None:
    """Begroting 2024 and 2025 overlap in 2023-2028 and label their lines differently."""
    from synthetic import make_table, render

    from geldstroom.loaders.documents.budget_table import read_budget_tables

    rng = random.Random(seed)
    tables = []
    documents = []
    for year in (2024, 2025):
        synthetic = make_table(rng, first_year=year - 2)
        for regeling in synthetic.regelingen():
            regeling.label += f" (begroting {year})"
        document = Document(id=f"b{year}.txt", path=f"b{year}.txt", title="synthetic",
                            kind=DocumentKind.BEGROTING, hoofdstuk="XX", year=year,
                            artikel="1")
        documents.append(document)
        tables += read_budget_tables(document, render(synthetic))
    payer = Actor(id="minister-xx", name="Minister (synthetisch)", kind=ActorKind.MINISTER,
                  hoofdstuk="XX")
    g = build_graph(Corpus(documents=tuple(documents), tables=tuple(tables), links=(),
                           actors=(payer,)))
    for total in year_totals(g):
        assert total.reconciles, total
    # 2022 only begroting 2024 has; from 2023 on begroting 2025 is more final or newer.
    stated = {
        a.year: (a.stage.value, a.euros) for t in tables for a in t.uitgaven.amounts
        if (t.document == "b2024.txt") == (a.year == 2022)
    }
    by_year: dict[int, tuple[set[str], int]] = defaultdict(lambda: (set(), 0))
    for flow in flows(g):
        stages, euros = by_year[flow.year]
        by_year[flow.year] = (stages | {flow.stage}, euros + flow.euros)
    for year, (stage, euros) in stated.items():
        stages, total = by_year.get(year, (set(), 0))
        assert total == euros
        assert stages == ({stage} if euros else set())
    # Every figure is kept, not only the chosen ones: one ALLOCATES per nonzero amount of
    # each line in each table, and the chosen ones are exactly the flows.
    figures = sorted((a.year, a.stage.value, t.document, a.euros) for t in tables
                     for row in t.budget_lines() for a in row.amounts if a.euros)
    allocated = [d for *_, d in g.edges(data=True) if d["kind"] == "allocates"]
    assert sorted((d["year"], d["stage"], d["document"], d["euros"])
                  for d in allocated) == figures
    assert sorted((d["year"], d["euros"]) for d in allocated if d["chosen"]) == sorted(
        (f.year, f.euros) for f in flows(g))
