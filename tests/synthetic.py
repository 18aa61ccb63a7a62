"""Synthetic budget tables in the published web-text form, for property tests and benchmarks
(bench/ puts this folder on its path): test data, so not part of the installed package.

The generated amounts add up at every level, like a real table; render() writes them the way
the Rijksbegroting web pages flatten a table: one cell per line, blank lines between.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import networkx as nx

from geldstroom.dutch import format_whole
from geldstroom.graph.schema import BUDGET_LINE_KIND
from geldstroom.model import (
    Actor,
    ActorKind,
    Corpus,
    Document,
    DocumentKind,
    LinkScope,
    Provenance,
    RecipientLink,
    Role,
)

INSTRUMENT_NAMES = (
    "Subsidies (regelingen)",
    "Opdrachten",
    "Bijdrage aan ZBO's/RWT's",
    "Bijdrage aan medeoverheden",
    "Bijdrage aan (inter-)nationale organisaties",
    "Bijdrage aan agentschappen",
    "Bijdrage aan (andere) begrotingshoofdstukken",
)


@dataclass
class SyntheticRow:
    label: str
    amounts: list[int]  # in table units (x € 1.000)
    code: str | None = None
    children: list[SyntheticRow] = field(default_factory=list)


@dataclass
class SyntheticTable:
    artikel: int
    title: str
    years: list[int]
    uitgaven: SyntheticRow
    verplichtingen: list[int]
    ontvangsten: list[int]

    def regelingen(self) -> list[SyntheticRow]:
        return [r for o in self.uitgaven.children for i in o.children for r in i.children]


def _total(rows: list[SyntheticRow], width: int) -> list[int]:
    return [sum(r.amounts[y] for r in rows) for y in range(width)]


def make_table(
    rng: random.Random,
    artikel: int = 1,
    first_year: int = 2022,
    width: int = 7,
    onderdelen: int = 2,
    instruments: int = 3,
    regelingen: int = 4,
    max_amount: int = 50_000,
) -> SyntheticTable:
    """A table whose every level is the exact sum of its parts."""
    years = list(range(first_year, first_year + width))
    parts = []
    for o in range(1, onderdelen + 1):
        groups = []
        for name in rng.sample(INSTRUMENT_NAMES, k=min(instruments, len(INSTRUMENT_NAMES))):
            leaves = [
                SyntheticRow(
                    label=f"Regeling {artikel}.{o} {name.split()[0]} {n}",
                    amounts=[rng.choice((0, rng.randint(0, max_amount))) for _ in years],
                )
                for n in range(1, rng.randint(1, regelingen) + 1)
            ]
            groups.append(SyntheticRow(name, _total(leaves, width), children=leaves))
        parts.append(
            SyntheticRow(f"Onderdeel {o}", _total(groups, width), code=f"{artikel}.{o}",
                         children=groups)
        )
    uitgaven = SyntheticRow("Uitgaven", _total(parts, width), children=parts)
    return SyntheticTable(
        artikel=artikel,
        title=(
            f"Tabel {artikel} Budgettaire gevolgen van beleid art. {artikel} "
            f"Synthetisch artikel {artikel} (bedragen x € 1.000)"
        ),
        years=years,
        uitgaven=uitgaven,
        verplichtingen=[a + rng.randint(0, 1000) for a in uitgaven.amounts],
        ontvangsten=[rng.randint(0, 500) for _ in years],
    )


def render(table: SyntheticTable) -> list[str]:
    """The table as a web page's flattened text: one cell per line, blank lines between."""
    cells: list[str] = [table.title, " "]
    cells += [str(y) for y in table.years]
    cells.append("Art.")

    def row(label: str, amounts: list[int], code: str | None = None) -> None:
        if code:
            cells.append(code)
        cells.append(label)
        cells.extend(format_whole(a) for a in amounts)
        cells.append(" ")

    row("Verplichtingen", table.verplichtingen)
    row("Uitgaven", table.uitgaven.amounts)
    for onderdeel in table.uitgaven.children:
        row(onderdeel.label, onderdeel.amounts, onderdeel.code)
        for instrument in onderdeel.children:
            row(instrument.label, instrument.amounts)
            for regeling in instrument.children:
                row(regeling.label, regeling.amounts)
    row("Ontvangsten", table.ontvangsten)
    lines: list[str] = []
    for cell in cells:
        lines.extend((cell, ""))
    return lines


def make_graph(edges: int, seed: int = 0, years: int = 7) -> nx.MultiDiGraph:
    """A money-flow graph in build_graph's shape with about `edges` PAYS edges (and one
    ALLOCATES per line and year): one payer, one recipient per 20 PAYS, lines over `years`
    years, every tenth line shared by two or three recipients, every seventh stating three
    payments with their own euros in its first year, and one payment tied to the article
    only. Built straight from dicts: at
    a million edges, validating each through pydantic would be the benchmark's main cost.
    tests/test_store.py checks the shape."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(years=list(range(2022, 2022 + years)), uitgaven={})
    payer = "minister-xx"
    recipients = [f"r{n}" for n in range(max(2, edges // 20))]

    def actor(node: str, name: str, kind: str) -> None:
        graph.add_node(node, name=name, kind=kind, aliases=[], part_of=None, kvk=[],
                       legal_form=None, place=None)

    actor(payer, "Minister (hoofdstuk XX)", "minister")
    for r in recipients:
        actor(r, f"Ontvanger {r}", "stichting")
    made = 0
    n = 0
    while made < edges:
        instrument = INSTRUMENT_NAMES[n % len(INSTRUMENT_NAMES)]
        path = [f"{n % 9 + 1}.1 Onderdeel", instrument, f"Regeling {n}"]
        line_id = " > ".join(("XX", "artikel 1", *path))
        graph.add_node(line_id, kind=BUDGET_LINE_KIND, hoofdstuk="XX", artikel="1", path=path,
                       label=path[-1], instrument=instrument, document="synthetic",
                       scope="line")
        paid = rng.sample(recipients, k=rng.choice((2, 3)) if n % 10 == 0 else 1)
        for year in graph.graph["years"]:
            key = f"{year}|raming|synthetic"
            euros = rng.randint(1, 50_000) * 1000
            # Every seventh line states some recipients' own amounts in its first year (one
            # row naming nobody), as the subsidies file does: the rest is shared as usual.
            stated = []
            if n % 7 == 3 and year == graph.graph["years"][0]:
                for who in [*rng.sample(recipients, k=2), "unattributed"]:
                    stated.append((who, rng.randint(1, euros // 4)))
            graph.add_edge(payer, line_id, key=key, kind="allocates",
                           id=f"{payer}->{line_id}|{key}", year=year, euros=euros,
                           stage="raming", document="synthetic", source_line=n + 1,
                           chosen=True, stated_euros=sum(e for _, e in stated),
                           source_kind="document line")
            for r in paid:
                graph.add_edge(line_id, r, key=str(year), kind="pays",
                               id=f"{line_id}->{r}|{year}", year=year, recipients=paid,
                               share_count=len(paid), unnamed_others=False,
                               evidence=[f"synthetic:{n + 1}: Regeling {n} pays {r}."],
                               euros=None, stage=None, document=None, source_line=None,
                               source_kind=None, same_money=False)
                made += 1
            for row, (who, amount) in enumerate(stated, start=1):
                if who not in graph:
                    actor(who, "Geen ontvanger genoemd", "unattributed")
                pay_key = f"{year}|payments.csv:{n * 10 + row}"
                graph.add_edge(line_id, who, key=pay_key, kind="pays",
                               id=f"{line_id}->{who}|{pay_key}", year=year,
                               recipients=[] if who == "unattributed" else [who],
                               share_count=1, unnamed_others=False,
                               evidence=[f"payments.csv:{n * 10 + row}: {who}"],
                               euros=amount, stage="realisatie", document="payments.csv",
                               source_line=n * 10 + row, source_kind="financieel instrument",
                               same_money=False)
                made += 1
        n += 1
    # A payment tied only to the article: stated, but on no line with a figure.
    article = "XX > artikel 1 > (regel niet bekend)"
    graph.add_node(article, kind=BUDGET_LINE_KIND, hoofdstuk="XX", artikel="1", path=[],
                   label="artikel 1 (regel niet bekend)", instrument="(niet bekend)",
                   document="payments.csv", scope="artikel")
    graph.add_edge(article, recipients[0], key="2022|payments.csv:1", kind="pays",
                   id=f"{article}->{recipients[0]}|2022|payments.csv:1", year=2022,
                   recipients=[recipients[0]], share_count=1, unnamed_others=False,
                   evidence=[f"payments.csv:1: {recipients[0]}"], euros=12_345,
                   stage="realisatie", document="payments.csv", source_line=1,
                   source_kind="financieel instrument", same_money=False)
    return graph


def random_corpus(seed: int, width: int) -> Corpus:
    """One synthetic table read back by the real reader, with random recipient links per
    line: none, one or several (shared), some named "o.a." (others not named)."""
    from geldstroom.loaders.documents.budget_table import read_budget_tables

    rng = random.Random(seed)
    synthetic = make_table(rng, width=width, onderdelen=rng.randint(1, 3))
    document = Document(id="synthetic.txt", path="synthetic.txt", title="synthetic",
                        kind=DocumentKind.BEGROTING, hoofdstuk="XX", year=2024, artikel="1")
    (table,) = read_budget_tables(document, render(synthetic))
    actors = [Actor(id=f"a{n}", name=f"Actor {n}", kind=ActorKind.UNKNOWN) for n in range(6)]
    links = []
    for row in table.budget_lines():
        for actor in rng.sample(actors, k=rng.choice((0, 0, 1, 1, 2, 3))):
            links.append(RecipientLink(
                actor=actor.id, role=Role.RECIPIENT, scope=LinkScope.LINE, hoofdstuk="XX",
                artikel="1", path=row.path, heading_path=row.path,
                years=tuple(sorted(rng.sample(table.years, k=rng.randint(1, width)))),
                non_exhaustive=rng.random() < 0.2,
                evidence=Provenance(document="synthetic.txt", line=row.provenance.line),
            ))
    payer = Actor(id="minister-xx", name="Minister (synthetisch)", kind=ActorKind.MINISTER,
                  hoofdstuk="XX")
    return Corpus(documents=(document,), tables=(table,), links=tuple(links),
                  actors=(*actors, payer))
