"""Property tests of the open data in the graph: random open-data figures (three files, two of
the same publication) and payments beside a synthetic document, through build_graph."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import event, given, settings
from hypothesis import strategies as st
from synthetic import random_corpus

from geldstroom.graph.build import build_graph
from geldstroom.graph.flows import conflicts, flows, unplaced_payments
from geldstroom.graph.open_data import open_line_id
from geldstroom.graph.schema import ALLOCATES, PAYS
from geldstroom.loaders.opendata.corpus import OpenCorpus
from geldstroom.model import (
    BudgetLine,
    DocumentKind,
    LineMatch,
    OpenData,
    OpenDataset,
    OpenSource,
    Payment,
    PaymentKind,
    Reconciliation,
    Side,
    SourceRow,
    Stage,
    stage_of,
)

FILES = {"owb_a": 2023, "owb_b": 2024, "owb_c": 2024}  # b and c: the same publication
LINES = [BudgetLine(hoofdstuk="XX", artikel=artikel, side=Side.UITGAVEN, onderdeel="1",
                    instrument=instrument, line=f"L{n}")
         for artikel in ("1", "2") for instrument in ("Subsidies", "Opdrachten")
         for n in range(2)]
YEARS = range(2022, 2027)
_RANK = {Stage.RAMING: 0, Stage.ONTWERPBEGROTING: 1, Stage.VASTGESTELDE_BEGROTING: 2,
         Stage.REALISATIE: 3}

FIGURES = st.dictionaries(
    st.tuples(st.integers(0, len(LINES) - 1), st.sampled_from(sorted(FILES)),
              st.sampled_from(YEARS)),
    st.integers(-2, 60).map(lambda n: n * 1000), max_size=40)
PAYMENTS = st.lists(st.tuples(st.one_of(st.none(), st.integers(0, len(LINES) - 1)),
                              st.sampled_from(YEARS), st.integers(1, 30_000),
                              st.one_of(st.none(), st.integers(0, 5))), max_size=15)


def _open_corpus(figures: dict, payments: list) -> OpenCorpus:
    from geldstroom.model import Figure

    made = []
    for number, ((line, file, year), euros) in enumerate(sorted(figures.items()), start=2):
        made.append(Figure(line=LINES[line], year=year, euros=euros,
                           stage=stage_of(DocumentKind.BEGROTING, FILES[file], year),
                           source=SourceRow(dataset=OpenDataset.BUDGETTAIRE_TABELLEN,
                                            file=f"{file}.csv", line=number)))
    paid = []
    for number, (line, year, euros, who) in enumerate(payments, start=2):
        known = LINES[line] if line is not None else None
        paid.append(Payment(
            kind=PaymentKind.SUBSIDIE, payer="XX",
            recipient=None if who is None else f"Actor {who}",
            recipient_as_written="X" if who is None else f"Actor {who}", year=year,
            stage=Stage.REALISATIE, euros=euros,
            source=SourceRow(dataset=OpenDataset.SUBSIDIES, file="subsidies.csv", line=number),
            artikel=known.artikel if known else "1", line=known,
            match=LineMatch.LINE if known else LineMatch.ARTIKEL))
    sources = tuple(OpenSource(dataset=OpenDataset.BUDGETTAIRE_TABELLEN, path=f"/x/{f}.csv",
                               title=f, publisher="p", address="a", unit="u", licence="l",
                               year=y) for f, y in FILES.items())
    return OpenCorpus(sources=sources, tabellen=OpenData(figures=tuple(made)),
                      staten=OpenData(), subsidies=OpenData(payments=tuple(paid)),
                      medeoverheden=OpenData(), agentschappen=OpenData(),
                      reconciliation=Reconciliation(comparisons=()))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 1000), FIGURES, PAYMENTS)
def test_one_source_counts_and_every_line_year_adds_up(seed: int, figures: dict,
                                                       payments: list) -> None:
    corpus = random_corpus(seed, 5)  # Begroting 2024 of XX artikel 1, 2022-2026
    graph = build_graph(corpus, _open_corpus(figures, payments))
    allocates = [(line, d) for _, line, d in graph.edges(data=True) if d["kind"] == ALLOCATES]
    # Per hoofdstuk, artikel and year one source counts, and it is the best by the rule: a
    # realisatie where there is one, else the newest publication, then the most final stage.
    best: dict[tuple[str, int], tuple] = {}
    candidates = [("1", a.year, a.stage, 2024) for t in corpus.tables
                  for a in t.uitgaven.amounts]
    candidates += [(LINES[line].artikel, year, stage_of(DocumentKind.BEGROTING, FILES[file],
                                                         year), FILES[file])
                   for line, file, year in figures]
    for artikel, year, stage, publication in candidates:
        rank = (stage is Stage.REALISATIE, publication, _RANK[stage])
        best[(artikel, year)] = max(best.get((artikel, year), rank), rank)
    chosen_from: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line, d in allocates:
        key = (graph.nodes[line]["artikel"], d["year"])
        publication = 2024 if d["document"] == "synthetic.txt" else FILES[d["document"][:-4]]
        if d["chosen"]:
            chosen_from[key].add(d["document"])
            assert (d["stage"] == "realisatie", publication,
                    _RANK[Stage(d["stage"])]) == best[key]
    assert all(len(sources) == 1 for sources in chosen_from.values())
    # Every chosen line-year's flows (stated payments and the rest) add up to its figure.
    per_line: dict[tuple[str, int], int] = defaultdict(int)
    for flow in flows(graph):
        per_line[(flow.line_id, flow.year)] += flow.euros
    for line, d in allocates:
        if d["chosen"]:
            assert per_line.pop((line, d["year"])) == d["euros"]
    assert not per_line
    # Every payment is a flow or unplaced, never both, never lost.
    stated = sum(1 for f in flows(graph) if f.stated)
    event(f"stated flows: {min(stated, 3)}, unplaced: {min(len(payments) - stated, 3)}")
    assert stated + len(unplaced_payments(graph)) == len(payments) == sum(
        1 for *_, d in graph.edges(data=True) if d["kind"] == PAYS and d["euros"] is not None)
    # Files b and c are one publication: where both give a line-year differently, that is a
    # conflict, and neither figure counts.
    expected = {(open_line_id(LINES[line]), year)
                for (line, file, year), euros in figures.items()
                if file == "owb_b" and figures.get((line, "owb_c", year), euros) != euros}
    assert {(c.subject, c.year) for c in conflicts(graph)} == expected
    event(f"conflicts: {min(len(expected), 2)}")
    for line, d in allocates:
        if (line, d["year"]) in expected:
            assert not d["chosen"]
