"""The money-flow graph: money flows from the paying minister through budget lines to actors.

(payer)-[ALLOCATES]->(budget line): one edge per figure of the line in a year (each document
and stage), the amount on it once; `chosen` marks the figure that counts (see choose_sources).
(budget line)-[PAYS]->(recipient): one edge per year the line's chosen figure has money and
per named recipient, or to the UNATTRIBUTED node when the documents name none; it carries all
the line-year's `recipients` and its `share_count` (see share_count(): the one rule of what
"shared" means), never a copy of the line's amount. flows() reads the chosen figures back as
one Flow per (line, year), so nothing is counted twice.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from geldstroom.graph import open_data as od
from geldstroom.graph.flows import flows, unplaced_payments
from geldstroom.graph.label_recipients import LabelLinking, link_labels
from geldstroom.graph.open_data import (
    OpenDataReport,
    PlacedPayment,
    open_line_id,
    open_line_path,
)
from geldstroom.graph.same_money import every_same_money, files_of_a_kind, source_of
from geldstroom.graph.schema import (
    ALLOCATES,
    BUDGET_LINE_KIND,
    INSTRUMENT_LINK,
    PART_OF,
    PASSES_ON,
    PAYS,
    UNATTRIBUTED,
    UNNAMED_OTHERS,
    ActorNode,
    AllocatesRel,
    BudgetLineNode,
    InstrumentLinkRel,
    PartOfRel,
    PassesOnRel,
    PaysRel,
    edge_attributes,
    pays_key,
    relationship_id,
    share_count,
)
from geldstroom.loaders.actors.payers import UnknownHoofdstuk, hoofdstukken_of
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.opendata.csv_files import data_name
from geldstroom.model import (
    PAYER_KINDS,
    UNNAMED_MINISTRIES,
    Actor,
    ActorKind,
    BudgetLine,
    BudgetTable,
    Conflict,
    Corpus,
    LineLevel,
    LinkScope,
    OpenDataset,
    Provenance,
    RecipientLink,
    Role,
    Side,
    SourceRow,
    Stage,
    line_id,
)

if TYPE_CHECKING:
    from geldstroom.loaders.opendata.corpus import OpenCorpus

# When several documents give an amount for the same line and year, the most final wins.
_STAGE_RANK = {
    Stage.REALISATIE: 3,
    Stage.VASTGESTELDE_BEGROTING: 2,
    Stage.ONTWERPBEGROTING: 1,
    Stage.RAMING: 0,
}


@dataclass(frozen=True)
class LineYear:
    """One figure of one budget line in one year, from one source: a document's table or an
    open-data file. `source_key` names the source that competes to be chosen for its
    hoofdstuk, artikel and year; `publication` is its document year or OWB year."""

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
    label: str = ""
    source_key: str = ""
    open_line: BudgetLine | None = None  # the open-data line this figure is of


def _rank(stage: Stage, publication: int) -> tuple[bool, int, int]:
    """THE rule of the chosen figure: a realisatie where there is one, otherwise the newest
    budget figure (newest document or OWB year), then the most final stage."""
    return stage is Stage.REALISATIE, publication, _STAGE_RANK.get(stage, 0)


def _table_key(table: BudgetTable) -> str:
    return f"{table.document}|{table.hoofdstuk}|{table.artikel}"


def choose_sources(figures: Iterable[tuple[tuple[str, str, int], Stage, int, str]]
                   ) -> dict[tuple[str, str, int], str]:
    """THE selector of which source counts: per (hoofdstuk, artikel, year) key, among
    (key, stage, publication year, source key), the best _rank; equal ranks go to the first
    source key in sorted order. Documents' tables and open-data files are chosen alike."""
    best: dict[tuple[str, str, int], tuple[tuple[bool, int, int], str]] = {}
    for key, stage, publication, source in figures:
        rank = _rank(stage, publication)
        found = best.get(key)
        if found is None or rank > found[0] or (rank == found[0] and source < found[1]):
            best[key] = (rank, source)
    return {key: source for key, (_, source) in best.items()}


def chosen_tables(corpus: Corpus) -> dict[tuple[str, str, int], BudgetTable]:
    """Per (hoofdstuk, artikel, year) the one table whose figures count (choose_sources on
    the tables' Uitgaven). Lines are never mixed across tables, so a regeling renamed
    between two begrotingen cannot be counted twice."""
    years_of = {d.id: d.year for d in corpus.documents}
    tables = {_table_key(table): table for table in corpus.tables}
    chosen = choose_sources(
        ((table.hoofdstuk, table.artikel, amount.year), amount.stage,
         years_of.get(table.document, 0), key)
        for key, table in tables.items() for amount in table.uitgaven.amounts)
    return {year_key: tables[source] for year_key, source in chosen.items()}


def _document_figures(corpus: Corpus) -> list[LineYear]:
    """Every figure of every budget line in every document's table."""
    years_of = {d.id: d.year for d in corpus.documents}
    out: list[LineYear] = []
    for table in corpus.tables:
        for row, instrument in table.budget_lines_with_instrument():
            for amount in row.amounts:
                out.append(LineYear(
                    line_id=line_id(table.hoofdstuk, table.artikel, row.path),
                    hoofdstuk=table.hoofdstuk, artikel=table.artikel, path=row.path,
                    instrument=instrument or "(geen instrument)", year=amount.year,
                    euros=amount.euros, stage=amount.stage, document=table.document,
                    document_year=years_of.get(table.document, 0), source_line=amount.line,
                    source_key=_table_key(table)))
    return out


def _open_figures(open_data: OpenCorpus, joined: dict[str, str], report: OpenDataReport,
                  paid_hoofdstukken: set[str]) -> list[LineYear]:
    """Every uitgaven figure of the budgettaire tabellen; the other sides only counted. A
    hoofdstuk no payer is listed for (the 2017 file writes LVIII for the
    Diergezondheidsfonds) has no payer to draw from: its figures are counted in
    OpenDataReport.unknown_hoofdstukken, not guessed onto another payer."""
    owb_year = {data_name(Path(s.path)): s.year or 0 for s in open_data.sources}
    out: list[LineYear] = []
    by_side: dict[str, int] = defaultdict(int)
    unknown: dict[str, int] = defaultdict(int)
    ids: dict[BudgetLine, str] = {}
    for figure in open_data.tabellen.figures:
        line = figure.line
        by_side[line.side.name.lower()] += 1
        if line.side is not Side.UITGAVEN:
            continue
        if line.hoofdstuk not in paid_hoofdstukken:
            unknown[f"{line.hoofdstuk} ({figure.source.file})"] += 1
            continue
        if line not in ids:
            own = open_line_id(line)
            ids[line] = joined.get(own, own)
        path = tuple(open_line_path(line))
        out.append(LineYear(
            line_id=ids[line], hoofdstuk=line.hoofdstuk, artikel=line.artikel, path=path,
            instrument=line.instrument or "(geen instrument)", year=figure.year,
            euros=figure.euros, stage=figure.stage, document=figure.source.file,
            document_year=owb_year.get(figure.source.file, 0),
            source_line=figure.source.line,
            label=path[-1] if path else f"artikel {line.artikel}",
            source_key=figure.source.file, open_line=line))
    report.figures_by_side = dict(sorted(by_side.items()))
    report.unknown_hoofdstukken = dict(sorted(unknown.items()))
    return out


def _open_uitgaven(open_data: OpenCorpus, items: Iterable[LineYear],
                   chosen: dict[tuple[str, str, int], str],
                   report: OpenDataReport) -> dict[tuple[str, str, int], int]:
    """Per (hoofdstuk, artikel, year) whose chosen source is an open-data file, the
    article's uitgaven total that file states. Where it states none, the sum of the file's
    figures of the article and year stands in (nothing then to check against), and the key
    is listed in OpenDataReport.computed_uitgaven."""
    stated: dict[tuple[str, str, int, str], tuple[int, int]] = {}
    for total in open_data.tabellen.totals:
        line = total.line
        if line.side is Side.UITGAVEN and line.level is LineLevel.ARTIKEL:
            stated[(line.hoofdstuk, line.artikel, total.year, total.source.file)] = (
                total.euros, total.source.line)
    summed: dict[tuple[str, str, int], int] = defaultdict(int)
    for item in items:
        key = (item.hoofdstuk, item.artikel, item.year)
        if item.open_line is not None and chosen.get(key) == item.source_key:
            summed[key] += item.euros
    out: dict[tuple[str, str, int], int] = {}
    for key, euros in summed.items():
        given = stated.get((*key, chosen[key]))
        if given is None:
            report.computed_uitgaven.append(key)
            out[key] = euros
        else:
            out[key] = given[0]
            report.uitgaven_sources[key] = f"{chosen[key]}:{given[1]}"
    return out


def _conflicts(items: Iterable[LineYear]) -> tuple[list[Conflict], set[int]]:
    """Two sources of the same publication giving the same line, year and stage different
    amounts (different publications' figures are different figures, not conflicts); and
    the figures (by id()) that therefore never count: every figure of a conflict, which
    one is right is unknown, and a repeat of the same amount after its first."""
    seen: dict[tuple[str, int, str, int], LineYear] = {}
    out: list[Conflict] = []
    in_conflict: set[tuple[str, int, str, int]] = set()
    uncounted: set[int] = set()
    for item in sorted(items, key=lambda i: (i.line_id, i.year, i.source_key, i.source_line)):
        key = (item.line_id, item.year, item.stage.value, item.document_year)
        first = seen.setdefault(key, item)
        if first is item:
            continue
        uncounted.add(id(item))
        if first.euros != item.euros:
            in_conflict.add(key)
            out.append(Conflict(subject=item.line_id, year=item.year, stage=item.stage,
                                first_euros=first.euros, first=_where(first),
                                second_euros=item.euros, second=_where(item)))
    uncounted |= {id(seen[key]) for key in in_conflict}
    return out, uncounted


def _where(item: LineYear) -> SourceRow | Provenance:
    if item.open_line is not None:
        return SourceRow(dataset=OpenDataset.BUDGETTAIRE_TABELLEN, file=item.document,
                         line=item.source_line)
    return Provenance(document=item.document, line=item.source_line)


def uitgaven_totals(corpus: Corpus) -> dict[tuple[str, str, int], int]:
    """The tables' own Uitgaven per (hoofdstuk, artikel, year), from the chosen tables."""
    return {key: table.uitgaven.euros(key[2]) for key, table in chosen_tables(corpus).items()}


def _evidence(link: RecipientLink) -> str:
    return f"{link.evidence.document}:{link.evidence.line}: {link.evidence.quote}"


def payers(actors: Iterable[Actor]) -> dict[str, str]:
    """The payer's actor id per hoofdstuk: the ministers and funds of the register, each
    with every hoofdstuk payers.toml lists for it."""
    known: dict[str, str] = {}
    for actor in actors:
        if actor.kind in PAYER_KINDS:
            for hoofdstuk in hoofdstukken_of(actor):
                known.setdefault(hoofdstuk, actor.id)
    return known


def payer_id(hoofdstuk: str, known: dict[str, str]) -> str:
    """The payer of a hoofdstuk; UnknownHoofdstuk names one that has none (no fallback to
    any other minister)."""
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


@dataclass
class GraphInputs:
    """What a graph is built from, handed over to build_graph_of, which lets the open data
    and the register go (sets them to None) once the graph no longer needs them. Where the
    caller keeps no other reference, the graph's memory reuses theirs: at 700 000 payment
    rows the records and the register were alive, some 2 GB, while the graph was built
    beside them, and freed memory the process keeps is not given back."""

    corpus: Corpus
    open_data: OpenCorpus | None = None
    register: ActorRegister | None = None


def build_graph(corpus: Corpus, open_data: OpenCorpus | None = None, *,
                register: ActorRegister | None = None) -> nx.MultiDiGraph:
    """The money-flow graph of a corpus (and, given `open_data`, of the Finance ministry's
    open data beside it); graph totals equal the sources' own totals.

    Without open data this is the documents' graph. With it, every uitgaven figure of the
    budgettaire tabellen is an ALLOCATES onto its line (verplichtingen and ontvangsten are
    no money flowing out: counted in open_data_report, not drawn), one rule chooses per
    hoofdstuk, artikel and year among documents and files alike, and every payment the
    subsidies, medeoverheden and agentschappen files state is a PAYS with its own euros.
    `register` resolves the recipients they name (open_data.open_register); without it the
    corpus's actors."""
    return build_graph_of(GraphInputs(corpus, open_data, register))


def build_graph_of(inputs: GraphInputs) -> nx.MultiDiGraph:
    """build_graph of the inputs handed over: the open data and the register are let go
    (the fields set to None) as soon as the graph no longer needs them."""
    corpus, open_data, register = inputs.corpus, inputs.open_data, inputs.register
    known_actors = list(register.actors) if register is not None else list(corpus.actors)
    actors = {actor.id: actor for actor in known_actors}
    ministers = payers(known_actors)
    report = od.OpenDataReport()
    items = _document_figures(corpus)
    if open_data is not None:
        joined = od.joined_line_ids(corpus.tables, open_data.tabellen.figures)
        report.joined_lines = len(set(joined.values()))
        items += _open_figures(open_data, joined, report, set(ministers))
    chosen_sources = choose_sources(((i.hoofdstuk, i.artikel, i.year), i.stage,
                                     i.document_year, i.source_key) for i in items)
    uitgaven = uitgaven_totals(corpus)
    if open_data is not None:
        uitgaven.update(_open_uitgaven(open_data, items, chosen_sources, report))
    years = sorted({item.year for item in items} | set(_years(corpus)))
    graph = nx.MultiDiGraph(uitgaven=uitgaven, years=years)

    add_actor = _ActorNodes(graph, actors).add

    graph.add_node(UNATTRIBUTED, **ActorNode(
        id=UNATTRIBUTED, name="Geen ontvanger genoemd", kind=ActorKind.UNATTRIBUTED.value,
        aliases=[], part_of=None).model_dump(exclude={"id"}))
    found_conflicts, uncounted = _conflicts(items)
    chosen_items = [(item, id(item) not in uncounted
                     and chosen_sources.get((item.hoofdstuk, item.artikel, item.year))
                     == item.source_key) for item in items]
    chosen_items.sort(key=lambda pair: (not pair[1], pair[0].line_id, pair[0].year,
                                        pair[0].document, pair[0].stage.value))
    placed: deque[od.PlacedPayment] = deque()  # emptied as its edges are made
    labels = LabelLinking()
    if open_data is not None:
        labels = _label_links(open_data, register or _register_of(known_actors), ministers)
        by_keys: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for item, chosen in chosen_items:
            if chosen and item.open_line is not None:
                for keys in od.line_keys(item.open_line, item.year):
                    by_keys[keys].add(item.line_id)
        placed = deque(od.place_payments(od.open_payments(open_data), by_keys, register or
                                         _register_of(known_actors), set(ministers), report,
                                         UNATTRIBUTED))
    # Every payment is placed and every recipient resolved: the rest reads the placed
    # payments (each let go once its edge is made) and the actors, no longer the records
    # or the register's names.
    inputs.open_data = inputs.register = open_data = register = None
    stated: dict[tuple[str, int], int] = defaultdict(int)
    for item in placed:
        if item.scope == od.SCOPE_LINE:
            stated[(item.node, item.payment.year)] += item.payment.euros
    by_line = line_recipients(corpus.links)
    nobody = LineRecipients(actors=(), unnamed_others=False, links=())
    # Chosen figures first: a line's node takes its document from the source that counts.
    for item, chosen in chosen_items:
        if item.line_id not in graph:
            graph.add_node(item.line_id, kind=BUDGET_LINE_KIND, **BudgetLineNode(
                id=item.line_id, hoofdstuk=item.hoofdstuk, artikel=item.artikel,
                path=list(item.path), label=item.label or (item.path[-1] if item.path else ""),
                instrument=item.instrument, document=item.document, scope=od.SCOPE_LINE,
            ).model_dump(exclude={"id"}))
        paid_here = (item.line_id, item.year) in stated
        if item.euros == 0 and not (chosen and paid_here):
            report.figures_zero += item.open_line is not None
            continue  # no money: nothing flows (a zero is no figure to choose)
        payer = payer_id(item.hoofdstuk, ministers)
        add_actor(payer)
        key = f"{item.year}|{item.stage.value}|{item.document}"
        if graph.has_edge(payer, item.line_id, key):  # a repeated row: kept, not counted
            key = f"{key}:{item.source_line}"
        graph.add_edge(payer, item.line_id, key=key, **edge_attributes(AllocatesRel(
            id=relationship_id(payer, item.line_id, key), year=item.year, euros=item.euros,
            stage=item.stage.value, document=item.document, source_line=item.source_line,
            chosen=chosen, stated_euros=stated.get((item.line_id, item.year), 0),
            source_kind=source_of(item.document, False)), ALLOCATES))
        if not chosen:
            continue
        # The rest of the line-year: one group of the recipients the documents name.
        paid = by_line.get((item.line_id, item.year), nobody)
        named = labels.recipients(item.open_line) if item.open_line is not None else ()
        if not paid.actors and named:  # the documents name nobody: the label's own name
            paid = LineRecipients(actors=tuple(sorted({lk.actor for lk in named})),
                                  unnamed_others=False, links=())
        recipients = list(paid.actors)
        for recipient in recipients or [UNATTRIBUTED]:
            add_actor(recipient)
            evidence = sorted({_evidence(lk) for lk in paid.links if lk.actor == recipient}
                              | {f"{item.document}:{item.source_line}: {lk.label}"
                                 for lk in named if lk.actor == recipient and not paid.links})
            pay_key = pays_key(item.year, None, None)
            graph.add_edge(item.line_id, recipient, key=pay_key, **edge_attributes(PaysRel(
                id=relationship_id(item.line_id, recipient, pay_key), year=item.year,
                recipients=recipients,
                share_count=share_count(recipients, paid.unnamed_others),
                unnamed_others=paid.unnamed_others,
                evidence=evidence,
                euros=None,  # the begroting tables state no recipient's own amount
                stage=None, document=None, source_line=None, source_kind=None,
                same_money=False,  # set below, once every stated amount is in
            ), PAYS))
    if any(p.payment.payer == UNNAMED_MINISTRIES for p in placed):
        graph.add_node(od.UNNAMED_MINISTRIES_ID, **ActorNode(
            id=od.UNNAMED_MINISTRIES_ID, name=UNNAMED_MINISTRIES, kind=ActorKind.PAYER.value,
            aliases=[], part_of=None).model_dump(exclude={"id"}))
    _add_stated_pays(graph, placed, add_actor)
    _add_link_edges(graph, corpus, ministers, add_actor)
    _mark_same_money(graph)
    graph.graph["open_data"] = report
    graph.graph["label_links"] = labels
    graph.graph["conflicts"] = found_conflicts
    return graph


class _ActorNodes:
    """Adds an actor's node (and its PART_OF chain) on first use. A class, not a closure
    that calls itself: such a closure is a reference cycle holding every actor, which the
    build's frozen collector (kept_out_of_gc_passes) never frees (at 700 000 rows 389 000
    Actors alive after the graph was let go)."""

    def __init__(self, graph: nx.MultiDiGraph, actors: dict[str, Actor]) -> None:
        self.graph = graph
        self.actors = actors

    def add(self, actor_id: str) -> None:
        graph = self.graph
        if actor_id in graph:
            return
        actor = self.actors.get(actor_id)
        if actor is None:  # a link to an actor the corpus does not list: a bug upstream
            raise KeyError(f"actor {actor_id!r} is not in the corpus's actors")
        # ActorNode's fields as a plain dict (390 000 actors with a Financiële instrumenten
        # file): the values come from validated Actors; graph_columns reads every field.
        graph.add_node(actor_id, name=actor.name, kind=actor.kind.value,
                       aliases=list(actor.aliases), part_of=actor.part_of,
                       kvk=list(actor.kvk), legal_form=actor.legal_form, place=actor.place)
        if actor.part_of:
            self.add(actor.part_of)
            graph.add_edge(actor_id, actor.part_of, key=PART_OF, **edge_attributes(
                PartOfRel(id=relationship_id(actor_id, actor.part_of, PART_OF)), PART_OF))


def _mark_same_money(graph: nx.MultiDiGraph) -> None:
    """Mark the rest groups whose money is counted already as an amount stated for their one
    recipient (graph/same_money.py), so a query on the store (top_recipients) counts each
    euro once as queries/received.py does."""
    # Only an amount of a file of a kind (subsidies, medeoverheden, agency turnover) can be
    # money a line repeats: the rule gives the same answer without the others (every row of
    # a Financiële instrumenten file), which were most of its time.
    stated = unplaced_payments(graph, of_file=files_of_a_kind().__contains__)
    for same in every_same_money(list(flows(graph)), stated):
        for flow in same.not_added:
            graph.edges[flow.line_id, same.recipient, pays_key(flow.year, None, None)][
                "same_money"] = True


def _add_stated_pays(graph: nx.MultiDiGraph, placed: deque[PlacedPayment],
                     add_actor: Callable[[str], None]) -> None:
    """One PAYS with its own euros per placed payment (700 000 with a Financiële
    instrumenten file: the loop's own cost counts), in their order. Each is taken from
    `placed` (which ends empty) as its edge is made, so that the edges reuse the memory of
    the payments where nothing else holds them (GraphInputs)."""
    source_kinds: dict[str, str] = {}
    add_edge = graph.add_edge
    take = placed.popleft
    while placed:
        item = take()
        payment = item.payment
        file = payment.source.file
        if item.node not in graph:
            # BudgetLineNode's fields as a plain dict, as PaysRel's below
            graph.add_node(item.node, kind=BUDGET_LINE_KIND, hoofdstuk=item.hoofdstuk,
                           artikel=item.artikel, path=list(item.path), label=item.label,
                           instrument=item.instrument, document=file, scope=item.scope)
        recipient = item.recipient
        add_actor(recipient)
        source_kind = source_kinds.get(file)
        if source_kind is None:
            source_kind = source_kinds[file] = source_of(file, True)
        source = f"{file}:{payment.source.line}"
        key = pays_key(payment.year, file, payment.source.line)
        # PaysRel's fields as a plain dict: one per stated payment, where validating each
        # again was a third of the build. The values come from validated records (Payment)
        # or are made here; graph_columns reads every PaysRel field by name, so a field
        # missing here fails the load, never passes silently.
        add_edge(item.node, recipient, key=key, kind=PAYS,
                 id=relationship_id(item.node, recipient, key), year=payment.year,
                 recipients=[] if recipient == UNATTRIBUTED else [recipient],
                 share_count=1, unnamed_others=False,
                 evidence=[f"{source}: {payment.recipient_as_written}"],
                 euros=payment.euros, stage=payment.stage.value,
                 document=file, source_line=payment.source.line,
                 source_kind=source_kind, same_money=False)


def _add_link_edges(graph: nx.MultiDiGraph, corpus: Corpus, ministers: dict[str, str],
                    add_actor: Callable[[str], None]) -> None:
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


def _label_links(open_data: OpenCorpus, register: ActorRegister,
                 ministers: dict[str, str]) -> LabelLinking:
    """The recipients the open data's paying lines name in their own labels."""
    rows: dict[BudgetLine, list[SourceRow]] = defaultdict(list)
    for figure in open_data.tabellen.figures:
        if figure.line.side is Side.UITGAVEN and figure.line.hoofdstuk in ministers:
            rows[figure.line].append(figure.source)

    def ministry_of(hoofdstuk: str) -> str | None:
        payer = ministers.get(hoofdstuk)
        return register.get(payer).ministry if payer in register else None

    return link_labels(rows, register, ministry_of, ministers.get)


def _register_of(actors: Sequence[Actor]) -> ActorRegister:
    return ActorRegister(actors)


def _years(corpus: Corpus) -> list[int]:
    return sorted({year for table in corpus.tables for year in table.years})


