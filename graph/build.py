"""The money-flow graph: money flows from the paying minister through budget lines to actors.

(payer)-[ALLOCATES]->(budget line): one edge per figure of the line in a year (each document
and stage), the amount on it once; `chosen` marks the figure that counts (see chosen_tables).
(budget line)-[PAYS]->(recipient): one edge per year the line's chosen figure has money and
per named recipient, or to the UNATTRIBUTED node when the documents name none; it carries all
the line-year's `recipients` and its `share_count` (see share_count(): the one rule of what
"shared" means), never a copy of the line's amount. flows() reads the chosen figures back as
one Flow per (line, year), so nothing is counted twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import networkx as nx

from geldstroom.graph.schema import (
    BUDGET_LINE_KIND,
    ActorNode,
    AllocatesRel,
    BudgetLineNode,
    InstrumentLinkRel,
    PartOfRel,
    PassesOnRel,
    PaysRel,
    edge_attributes,
    relationship_id,
)
from geldstroom.model import (
    PAYER_KINDS,
    Actor,
    BudgetTable,
    Corpus,
    LinkScope,
    RecipientLink,
    Role,
    Stage,
    line_id,
)

UNATTRIBUTED = "unattributed"
# Where --top folds the smaller flows, in diagrams and exports alike.
OVERIG = "overig"
ALLOCATES = "allocates"
PAYS = "pays"
PART_OF = "part_of"
PASSES_ON = "passes_on"
INSTRUMENT_LINK = "instrument_link"

# When several documents give an amount for the same line and year, the most final wins.
_STAGE_RANK = {
    Stage.REALISATIE: 3,
    Stage.VASTGESTELDE_BEGROTING: 2,
    Stage.ONTWERPBEGROTING: 1,
    Stage.RAMING: 0,
}


@dataclass(frozen=True)
class LineYear:
    """The amount of one budget line in one year, as chosen among the documents."""

    line_id: str
    hoofdstuk: str
    artikel: str
    path: tuple[str, ...]
    instrument: str
    year: int
    euros: int
    stage: Stage
    document: str
    document_year: int
    source_line: int


def chosen_tables(corpus: Corpus) -> dict[tuple[str, str, int], BudgetTable]:
    """Per (hoofdstuk, artikel, year) the one table whose figures count: the most final
    stage, then the latest document. Lines are never mixed across tables, so a regeling
    renamed between two begrotingen cannot be counted twice."""
    years_of = {d.id: d.year for d in corpus.documents}
    chosen: dict[tuple[str, str, int], tuple[tuple[int, int], BudgetTable]] = {}
    for table in corpus.tables:
        for amount in table.uitgaven.amounts:
            key = (table.hoofdstuk, table.artikel, amount.year)
            rank = (_STAGE_RANK[amount.stage], years_of.get(table.document, 0))
            if key not in chosen or rank > chosen[key][0]:
                chosen[key] = (rank, table)
    return {key: table for key, (_, table) in chosen.items()}


def line_years(corpus: Corpus) -> list[LineYear]:
    """Every budget line's amount per year, from the chosen table of that year."""
    out: list[LineYear] = []
    years_of = {d.id: d.year for d in corpus.documents}
    for (_, _, year), table in chosen_tables(corpus).items():
        for row, instrument in table.budget_lines_with_instrument():
            amount = next(a for a in row.amounts if a.year == year)
            out.append(LineYear(
                line_id=line_id(table.hoofdstuk, table.artikel, row.path),
                hoofdstuk=table.hoofdstuk,
                artikel=table.artikel,
                path=row.path,
                instrument=instrument or "(geen instrument)",
                year=year,
                euros=amount.euros,
                stage=amount.stage,
                document=table.document,
                document_year=years_of.get(table.document, 0),
                source_line=amount.line,
            ))
    return sorted(out, key=lambda ly: (ly.line_id, ly.year))


def all_line_years(corpus: Corpus) -> list[tuple[LineYear, bool]]:
    """Every figure of every budget line in every table, each with whether it is the chosen
    one (it comes from the table chosen_tables picks for its hoofdstuk, artikel and year)."""
    chosen = {(key, id(table)) for key, table in chosen_tables(corpus).items()}
    years_of = {d.id: d.year for d in corpus.documents}
    out: list[tuple[LineYear, bool]] = []
    for table in corpus.tables:
        for row, instrument in table.budget_lines_with_instrument():
            for amount in row.amounts:
                out.append((LineYear(
                    line_id=line_id(table.hoofdstuk, table.artikel, row.path),
                    hoofdstuk=table.hoofdstuk,
                    artikel=table.artikel,
                    path=row.path,
                    instrument=instrument or "(geen instrument)",
                    year=amount.year,
                    euros=amount.euros,
                    stage=amount.stage,
                    document=table.document,
                    document_year=years_of.get(table.document, 0),
                    source_line=amount.line,
                ), ((table.hoofdstuk, table.artikel, amount.year), id(table)) in chosen))
    return sorted(out, key=lambda item: (not item[1], item[0].line_id, item[0].year,
                                         item[0].document, item[0].stage.value))


def uitgaven_totals(corpus: Corpus) -> dict[tuple[str, str, int], int]:
    """The tables' own Uitgaven per (hoofdstuk, artikel, year), from the chosen tables."""
    return {key: table.uitgaven.euros(key[2]) for key, table in chosen_tables(corpus).items()}


def _evidence(link: RecipientLink) -> str:
    return f"{link.evidence.document}:{link.evidence.line}: {link.evidence.quote}"


def payers(actors: Iterable[Actor]) -> dict[str, str]:
    """The payer's actor id per hoofdstuk: the ministers and funds of the register, each
    with every hoofdstuk payers.toml lists for it."""
    from geldstroom.loaders.payers import hoofdstukken_of

    known: dict[str, str] = {}
    for actor in actors:
        if actor.kind in PAYER_KINDS:
            for hoofdstuk in hoofdstukken_of(actor):
                known.setdefault(hoofdstuk, actor.id)
    return known


def payer_id(hoofdstuk: str, known: dict[str, str]) -> str:
    """The payer of a hoofdstuk; UnknownHoofdstuk names one that has none (no fallback to
    any other minister)."""
    from geldstroom.loaders.payers import UnknownHoofdstuk

    try:
        return known[hoofdstuk]
    except KeyError:
        raise UnknownHoofdstuk(hoofdstuk, known) from None


def recipients_by_line(
    links: Iterable[RecipientLink],
) -> dict[tuple[str, int], list[RecipientLink]]:
    """Recipient links of budget lines, per (line_id, year) they speak for."""
    out: dict[tuple[str, int], list[RecipientLink]] = defaultdict(list)
    for link in links:
        if link.role is Role.RECIPIENT and link.scope is LinkScope.LINE:
            key = line_id(link.hoofdstuk, link.artikel, link.path)
            for year in link.years:
                out[(key, year)].append(link)
    return out


@dataclass(frozen=True)
class LineRecipients:
    """Who a budget line pays in one year, as the documents say it."""

    actors: tuple[str, ...]  # sorted; empty: nobody named
    unnamed_others: bool  # some were named "o.a.": the line pays others too
    links: tuple[RecipientLink, ...]

    def shared_with(self, actor: str) -> list[str]:
        others = [a for a in self.actors if a != actor]
        return [*others, UNNAMED_OTHERS] if self.unnamed_others else others


UNNAMED_OTHERS = "(others not named)"


def share_count(recipients: Sequence[str], unnamed_others: bool) -> int:
    """How many share a line: its named recipients, and the others the text does not name
    ("o.a.") as one more. THE rule of sharing: a line is shared when its share_count is over
    1, here (Flow.shared) and in every named query (`f.share_count > 1`)."""
    return max(1, len(recipients) + (1 if unnamed_others else 0))


def line_recipients(links: Iterable[RecipientLink]) -> dict[tuple[str, int], LineRecipients]:
    """Per (line_id, year): the one answer to who is paid, used by graph and listings alike."""
    return {
        key: LineRecipients(
            actors=tuple(sorted({lk.actor for lk in found})),
            unnamed_others=any(lk.non_exhaustive for lk in found),
            links=tuple(found),
        )
        for key, found in recipients_by_line(links).items()
    }


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """The money-flow graph of a corpus; graph totals equal the tables' totals."""
    graph = nx.MultiDiGraph(uitgaven=uitgaven_totals(corpus), years=_years(corpus))
    actors = {actor.id: actor for actor in corpus.actors}
    ministers = payers(corpus.actors)

    def add_actor(actor_id: str) -> None:
        if actor_id in graph:
            return
        actor = actors.get(actor_id)
        if actor is None:  # a link to an actor the corpus does not list: a bug upstream
            raise KeyError(f"actor {actor_id!r} is not in the corpus's actors")
        node = ActorNode(id=actor.id, name=actor.name, kind=actor.kind.value,
                         aliases=list(actor.aliases), part_of=actor.part_of)
        graph.add_node(actor_id, **node.model_dump(exclude={"id"}))
        if actor is not None and actor.part_of:
            add_actor(actor.part_of)
            graph.add_edge(actor_id, actor.part_of, key=PART_OF, **edge_attributes(
                PartOfRel(id=relationship_id(actor_id, actor.part_of, PART_OF)), PART_OF))

    graph.add_node(UNATTRIBUTED, **ActorNode(
        id=UNATTRIBUTED, name="Geen ontvanger genoemd", kind="unattributed", aliases=[],
        part_of=None).model_dump(exclude={"id"}))
    by_line = line_recipients(corpus.links)
    nobody = LineRecipients(actors=(), unnamed_others=False, links=())
    # Chosen figures first: a line's node takes its document from the table that counts.
    for item, chosen in all_line_years(corpus):
        if item.line_id not in graph:
            graph.add_node(item.line_id, kind=BUDGET_LINE_KIND, **BudgetLineNode(
                id=item.line_id, hoofdstuk=item.hoofdstuk, artikel=item.artikel,
                path=list(item.path), label=item.path[-1] if item.path else "",
                instrument=item.instrument, document=item.document,
            ).model_dump(exclude={"id"}))
        if item.euros == 0:  # no money: nothing flows (a zero is no figure to choose)
            continue
        payer = payer_id(item.hoofdstuk, ministers)
        add_actor(payer)
        key = f"{item.year}|{item.stage.value}|{item.document}"
        graph.add_edge(payer, item.line_id, key=key, **edge_attributes(AllocatesRel(
            id=relationship_id(payer, item.line_id, key), year=item.year, euros=item.euros,
            stage=item.stage.value, document=item.document, source_line=item.source_line,
            chosen=chosen), ALLOCATES))
        if not chosen:
            continue
        # The line pays in the years its chosen figure has money: one PAYS per recipient.
        paid = by_line.get((item.line_id, item.year), nobody)
        recipients = list(paid.actors)
        for recipient in recipients or [UNATTRIBUTED]:
            add_actor(recipient)
            pay_key = str(item.year)
            graph.add_edge(item.line_id, recipient, key=pay_key, **edge_attributes(PaysRel(
                id=relationship_id(item.line_id, recipient, pay_key), year=item.year,
                recipients=recipients,
                share_count=share_count(recipients, paid.unnamed_others),
                unnamed_others=paid.unnamed_others,
                evidence=sorted({_evidence(lk) for lk in paid.links if lk.actor == recipient}),
                euros=None,  # the begroting tables state no recipient's own amount
            ), PAYS))
    for link in corpus.links:
        if link.role is Role.PASSED_ON and link.via:
            add_actor(link.via)
            add_actor(link.actor)
            key = f"{PASSES_ON}|{_evidence(link)}"
            graph.add_edge(link.via, link.actor, key=key, **edge_attributes(PassesOnRel(
                id=relationship_id(link.via, link.actor, key), years=list(link.years),
                path=list(link.path),
                evidence=[_evidence(link)]), PASSES_ON))
        elif link.role is Role.RECIPIENT and link.scope is LinkScope.INSTRUMENT:
            payer = payer_id(link.hoofdstuk, ministers)
            add_actor(payer)
            add_actor(link.actor)
            key = f"{INSTRUMENT_LINK}|{link.actor}|{_evidence(link)}"
            graph.add_edge(payer, link.actor, key=key, **edge_attributes(InstrumentLinkRel(
                id=relationship_id(payer, link.actor, key),
                instrument=link.path[0] if link.path else "",
                years=list(link.years), evidence=[_evidence(link)]), INSTRUMENT_LINK))
    return graph


def _years(corpus: Corpus) -> list[int]:
    return sorted({year for table in corpus.tables for year in table.years})


@dataclass(frozen=True)
class Flow:
    """One budget line in one year, counted once, with everyone it goes to."""

    line_id: str
    year: int
    euros: int
    stage: str
    instrument: str
    line: str
    hoofdstuk: str
    artikel: str
    payer: str
    recipients: tuple[str, ...]  # empty: unattributed
    unnamed_others: bool = False  # the text names only some of the recipients
    document: str = ""  # where the chosen figure stands
    source_line: int = 0

    @property
    def shared(self) -> bool:
        return share_count(self.recipients, self.unnamed_others) > 1


def is_actor(data: dict) -> bool:
    """Whether a NetworkX node's attributes are an actor's (not a budget line's)."""
    return data.get("kind") != BUDGET_LINE_KIND


def flows(graph: nx.MultiDiGraph) -> Iterator[Flow]:
    """Each budget line's chosen figure per year as one flow, with who the line pays that
    year (from its PAYS edges): nothing counted twice."""
    for payer, line_key, data in graph.edges(data=True):
        if data.get("kind") != ALLOCATES or not data["chosen"]:
            continue
        line = graph.nodes[line_key]
        year = data["year"]
        paid = next((d for _, _, d in graph.out_edges(line_key, data=True)
                     if d["kind"] == PAYS and d["year"] == year), None)
        yield Flow(
            line_id=line_key,
            year=year,
            euros=data["euros"],
            stage=data["stage"],
            instrument=line["instrument"],
            line=line["label"],
            hoofdstuk=line["hoofdstuk"],
            artikel=line["artikel"],
            payer=payer,
            recipients=tuple(paid["recipients"]) if paid else (),
            unnamed_others=paid["unnamed_others"] if paid else False,
            document=data["document"],
            source_line=data["source_line"],
        )


def select_flows(graph: nx.MultiDiGraph, year: int | None = None,
                 recipient: str | None = None, article: str | None = None) -> list[Flow]:
    """Flows (each line and year once) matching the filters, largest first, ties by line id."""
    selected = [
        f for f in flows(graph)
        if (year is None or f.year == year)
        and (article is None or f.artikel == article)
        and (recipient is None or recipient in (f.recipients or (UNATTRIBUTED,)))
    ]
    return sorted(selected, key=lambda f: (-f.euros, f.line_id, f.year))
