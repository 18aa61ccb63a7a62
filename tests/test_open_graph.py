"""The national graph: the bundled documents and the Finance ministry's open data in one
money-flow graph. Values checked by hand against the files (zcat core/data/minfin/...)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from networkx_reference import REFERENCES

from geldstroom.graph.build import build_graph
from geldstroom.graph.default_store import default_graph
from geldstroom.graph.flows import (
    article_reconciliation,
    conflicts,
    flows,
    open_data_report,
    overstated_lines,
    unplaced_payments,
)
from geldstroom.graph.open_data import UNNAMED_MINISTRIES_ID, open_line_id
from geldstroom.graph.schema import (
    ALLOCATES,
    PAYS,
    PaysRel,
    pays_key,
    relationship_id,
    store_fields,
)
from geldstroom.graph.store import Store, load_store
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.model import UNNAMED_MINISTRIES, BudgetLine, Side, SourceRow, Stage
from geldstroom.queries.named import named_query
from geldstroom.queries.summary import year_totals

OWB_2015 = "budgettaire_tabellen_owb_2015_origineel.csv"
OWB_2016 = "budgettaire_tabellen_owb_2016_origineel.csv"
OWB_2017 = "budgettaire_tabellen_owb_2017_origineel.csv"
SUBSIDIES = "subsidiesministeries2015.csv"
DIVERSE = ("VII > artikel 7 > 7.1 Werkgevers- en bedrijfsvoeringsbeleid > Subsidies (regelingen)"
           " > Diverse subsidies")


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return default_graph()


def _chosen(graph: nx.MultiDiGraph, line: str) -> dict[int, dict]:
    return {d["year"]: d for _, _, d in graph.in_edges(line, data=True)
            if d["kind"] == ALLOCATES and d["chosen"]}


def test_a_subsidy_row_is_a_stated_pays_on_its_line(graph: nx.MultiDiGraph) -> None:
    # subsidiesministeries2015.csv:18176: "Ministerie van Onderwijs, Cultuur en Wetenschap",
    # Regeling op het specifiek cultuurbeleid,European Journalism Centre,15,120000,2015.
    # OWB 2017 line 752: VIII artikel 15, Subsidies, nadere omschrijving Subsidies, t-2
    # (2015) = 463.
    line = open_line_id(BudgetLine(hoofdstuk="VIII", artikel="15", side=Side.UITGAVEN,
                                   instrument="Subsidies", detail="Subsidies"))
    (pays,) = [d for _, r, d in graph.out_edges(line, data=True)
               if r == "european-journalism-centre"]
    assert (pays["year"], pays["euros"], pays["stage"]) == (2015, 120_000, "realisatie")
    assert pays["evidence"] == [f"{SUBSIDIES}:18176: European Journalism Centre"]
    assert pays["recipients"] == ["european-journalism-centre"] and pays["share_count"] == 1
    figure = _chosen(graph, line)[2015]
    assert (figure["euros"], figure["document"], figure["source_line"]) == (
        463_000, OWB_2017, 752)
    # Three named subsidies (18176, 19952, 19965: 120.000 + 223.000 + 120.000) state all of
    # it: the rest the line's group shares is 0, and the line's flows add up to its figure.
    assert figure["stated_euros"] == 463_000
    line_flows = [f for f in flows(graph) if f.line_id == line and f.year == 2015]
    assert sorted((f.stated, f.euros) for f in line_flows) == [
        (False, 0), (True, 120_000), (True, 120_000), (True, 223_000)]
    assert graph.nodes[line]["scope"] == "line"


def test_a_pays_id_is_given_again_by_its_endpoints_and_fields(graph: nx.MultiDiGraph) -> None:
    """The store keeps no PAYS id (schema.store_fields): the id Neo4j merges on must follow
    from what the store keeps, for the rest groups and for every stated amount."""
    assert "id" not in {name for name, *_ in store_fields(PaysRel)}
    stated = rest = 0
    for line, recipient, key, data in graph.edges(keys=True, data=True):
        if data["kind"] != PAYS:
            continue
        derived = pays_key(data["year"], data["document"], data["source_line"])
        assert key == derived, (line, recipient, key)
        assert data["id"] == relationship_id(line, recipient, derived)
        stated += data["euros"] is not None
        rest += data["euros"] is None
    assert stated > 20_000 and rest > 5_000  # both kinds, on the national graph


def test_the_documents_line_and_the_open_data_line_are_one_node(graph: nx.MultiDiGraph) -> None:
    chosen = _chosen(graph, DIVERSE)
    assert sorted(chosen) == list(range(2013, 2029))
    # OWB 2017 line 2624: VII 7, Subsidies, Diverse subsidies, t-2 = "7,914".
    assert (chosen[2015]["euros"], chosen[2015]["stage"], chosen[2015]["document"],
            chosen[2015]["source_line"]) == (7_914_000, "realisatie", OWB_2017, 2624)
    assert (chosen[2024]["euros"], chosen[2024]["stage"]) == (1_347_000, "ontwerpbegroting")
    assert chosen[2024]["document"] == "VII/begroting-2024/001_1ef586f7da9213de.txt"
    # The OWB 2015 and 2016 give 2015 too (ontwerp-, vastgestelde begroting): not chosen.
    stages_2015 = sorted((d["stage"], d["document"]) for _, _, d in
                         graph.in_edges(DIVERSE, data=True) if d["year"] == 2015)
    assert stages_2015 == [("ontwerpbegroting", OWB_2015), ("realisatie", OWB_2017),
                           ("vastgestelde begroting", OWB_2016)]
    assert open_data_report(graph).joined_lines == 1


def test_an_article_that_reconciles_and_one_that_does_not(graph: nx.MultiDiGraph) -> None:
    totals = {(t.hoofdstuk, t.artikel, t.year): t for t in article_reconciliation(graph)}
    fine = totals[("VII", "7", 2014)]
    assert (fine.stated_euros, fine.flows_euros, fine.source) == (
        35_396_000, 35_396_000, f"{OWB_2016}:700")
    # OWB 2017 line 2622 states Uitgaven 2015 "35,019"; the money rows below it add up to
    # 47.247 (7.914 + 2.498 + 729 + 4.422 + 5.084 + 4.427 + 152 + 7.920 + 14.101): the file
    # does not add up, and the graph shows it as it is.
    off = totals[("VII", "7", 2015)]
    assert (off.stated_euros, off.flows_euros, off.source) == (
        35_019_000, 47_247_000, f"{OWB_2017}:2622")
    assert not off.reconciles


def test_the_documents_years_still_reconcile_in_the_national_graph(
        graph: nx.MultiDiGraph) -> None:
    seeds = build_graph(load_corpus(bundled_documents()))
    documents_only = {t.year: t for t in year_totals(seeds)}
    national = {t.year: t for t in year_totals(graph)}
    for year in range(2022, 2029):
        assert national[year] == documents_only[year]
        assert national[year].reconciles
    assert national[2024].uitgaven_euros == 86_189_000


def test_payments_not_inside_a_known_line_are_unplaced(graph: nx.MultiDiGraph) -> None:
    every = unplaced_payments(graph)
    unplaced = {(u.document, u.source_line): u for u in every if u.hoofdstuk != UNNAMED_MINISTRIES}
    # subsidiesministeries2015.csv:107: Subsidieregeling Stichting CAOP 2015, Stichting CAOP,
    # 7.1, 2786000: VII 7 onderdeel 1 has four Subsidies lines, so the line is not known.
    caop = unplaced[(SUBSIDIES, 107)]
    assert (caop.recipient, caop.euros, caop.year, caop.scope) == (
        "caop", 2_786_000, 2015, "instrument")
    assert caop.line_id == "VII > artikel 7 > 1 > Subsidies > (regel niet bekend)"
    # bijdragen_aan_medeoverheden.csv:2: 2014, B, Gemeentefonds, artikel 1, Algemene
    # uitkering, Gemeenten, "15615031,00" (x 1.000): tied to the article only.
    fonds = unplaced[("bijdragen_aan_medeoverheden.csv", 2)]
    assert (fonds.scope, fonds.hoofdstuk, fonds.artikel, fonds.euros) == (
        "artikel", "B", "1", 15_615_031_000)
    # None of it is a flow: the ministries' figures hold that money already.
    stated_flows = {(f.document, f.source_line) for f in flows(graph) if f.stated}
    assert not stated_flows & set(unplaced)
    assert len(every) + len(stated_flows) == 26_588 + 19 == sum(
        1 for *_, d in graph.edges(data=True) if d["kind"] == PAYS and d["euros"] is not None)


def test_money_from_ministries_the_data_does_not_name(graph: nx.MultiDiGraph) -> None:
    assert graph.nodes[UNNAMED_MINISTRIES_ID]["name"] == UNNAMED_MINISTRIES
    overige = [u for u in unplaced_payments(graph) if u.hoofdstuk == UNNAMED_MINISTRIES]
    assert len(overige) == 283 and {u.document for u in overige} == {"agentschappen.csv"}


def test_same_publication_different_amounts_is_a_conflict_never_settled(
        graph: nx.MultiDiGraph) -> None:
    # OWB 2016 lines 3613 and 5594: IXA artikel 11, Rente, Rentelasten vaste schuld, t-2
    # (2014) "8,746" and "8,746,000": one of the two is off by a thousand; the file does not
    # say which.
    found = [c for c in conflicts(graph) if c.year == 2014
             and c.first == SourceRow(dataset=c.first.dataset, file=OWB_2016, line=3613)]
    assert len(found) == 1
    (conflict,) = found
    assert (conflict.stage, conflict.first_euros, conflict.second_euros) == (
        Stage.REALISATIE, 8_746_000, 8_746_000_000)
    assert conflict.second.line == 5594
    assert 2014 not in _chosen(graph, conflict.subject)  # neither counts


def test_stated_payments_beyond_the_figure_are_reported(graph: nx.MultiDiGraph) -> None:
    # OWB 2016 line 1484: XIII 11, Subsidies, Digitalisering regionale radio, 2015 (t-1) 900;
    # the subsidies file lists 1.693.000 on it (rows 10371, 10379, 10421, 10548, 11012).
    (over,) = overstated_lines(graph)
    assert (over.year, over.figure_euros, over.stated_euros, over.figure) == (
        2015, 900_000, 1_693_000, f"{OWB_2016}:1484")
    assert over.payments == tuple(f"{SUBSIDIES}:{n}" for n in (10371, 10379, 10421, 10548,
                                                               11012))
    assert over.rest_euros == -793_000


def test_every_chosen_line_year_keeps_its_rest_and_adds_up(graph: nx.MultiDiGraph) -> None:
    rest: set[tuple[str, int]] = set()
    for line, _, d in graph.edges(data=True):
        if d["kind"] == PAYS and d["euros"] is None:
            rest.add((line, d["year"]))
    per_line: dict[tuple[str, int], int] = defaultdict(int)
    for flow in flows(graph):
        per_line[(flow.line_id, flow.year)] += flow.euros
    for _, line, d in graph.edges(data=True):
        if d["kind"] == ALLOCATES and d["chosen"]:
            assert (line, d["year"]) in rest
            assert per_line[(line, d["year"])] == d["euros"]


def test_what_the_open_data_report_counts(graph: nx.MultiDiGraph) -> None:
    report = open_data_report(graph)
    assert report.figures_by_side == {"ontvangsten": 3324, "uitgaven": 29985,
                                      "verplichtingen": 1787}
    # The OWB 2017 writes the Diergezondheidsfonds as hoofdstuk LVIII: no payer, left out.
    assert report.unknown_hoofdstukken == {f"LVIII ({OWB_2017})": 21}
    # The long BZK name spans VII and XVIII: the subsidies file does not say which pays.
    # Subsidies rows give a ministry's name where its two hoofdstukken both have the article:
    # "Ministerie van Buitenlandse Zaken" (V or XVII, 3076 rows) and the long BZK name (VII or
    # XVIII, 163 rows). Each hoofdstuk has its own payer; the file does not say which pays.
    assert len(report.unknown_payers) == 3076 + 163
    assert report.unresolved_recipients == []


@pytest.fixture(scope="module")
def store(graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = Path(tmp_path_factory.mktemp("national")) / "national.lbug"
    load_store(graph, path)
    with Store(path) as opened:
        yield opened


@pytest.mark.parametrize(("name", "params"), [
    ("recipient_summary", {"recipient": "caop", "year": None}),
    ("recipient_summary", {"recipient": "european-journalism-centre", "year": None}),
    ("flows_by_instrument", {"year": 2015}),
    ("top_recipients", {"year": 2014, "limit": 25}),
    ("lines_without_recipient", {"year": 2015}),
    ("shared_lines", {"year": None}),
    ("year_over_year", {"recipient": "cft-inz-bonaire"}),
])
def test_named_queries_agree_with_the_reference_on_the_national_graph(
        graph: nx.MultiDiGraph, store: Store, name: str, params: dict) -> None:
    query = named_query(name)
    params = {**{n: p.default for n, p in query.parameters.items()}, **params}
    found = store.run(query.cypher, params).rows
    assert found == REFERENCES[name](graph, params)
    assert found


def test_the_documents_actors_keep_their_ids_and_kinds(graph: nx.MultiDiGraph) -> None:
    seeds = build_graph(load_corpus(bundled_documents()))
    for actor, data in seeds.nodes(data=True):
        if data["kind"] != "budget_line":
            assert graph.nodes[actor]["kind"] == data["kind"], actor
    # "Stichting CAOP" of the subsidies file is the begroting's CAOP; the agencies' kind
    # comes from the register and the data (agentschappen.csv: an agency).
    assert graph.nodes["caop"]["name"] == seeds.nodes["caop"]["name"]
    assert graph.nodes["algemene-inspectiedienst"]["kind"] == "agentschap"


def test_a_line_labelled_with_its_recipient_pays_it(graph: nx.MultiDiGraph) -> None:
    # owb 2017:2637: VII artikel 7, Bijdrage aan ZBO's/RWT's, "Regelingen voor Nederlandse
    # ambtenaren uit de voormalige overzeese gebiedsdelen (SAIP)", t-2 (2015) = 14,101
    saip = [f for f in flows(graph) if f.recipients == ("saip",) and f.year == 2015]
    by_line = {(f.hoofdstuk, f.euros, f.document, f.source_line) for f in saip}
    assert ("VII", 14_101_000, OWB_2017, 2637) in by_line
    # owb 2017:2031: XVI artikel 7 "Stichting Administratie Indonesische Pensioenen", 37
    assert ("XVI", 37_000, OWB_2017, 2031) in by_line
    (pays,) = [d for line, r, d in graph.edges(data=True)
               if r == "saip" and d["kind"] == PAYS and d["year"] == 2015
               and graph.nodes[line]["hoofdstuk"] == "VII"]
    assert pays["evidence"] == [f"{OWB_2017}:2637: Regelingen voor Nederlandse ambtenaren "
                                "uit de voormalige overzeese gebiedsdelen (SAIP)"]
    linking = graph.graph["label_links"]
    counts = linking.by_hoofdstuk()
    assert sum(len(c.linked) for c in counts.values()) == sum(
        len(links) for links in linking.links.values())
    assert [u.form for u in linking.ambiguous] == ["SBB"]  # owb 2017:536, VIII
