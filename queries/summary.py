"""The summary library: who gets what, alone or on shared lines, never counted twice.

`summarise(source, recipient=None, year=None, top=20)` is the one entry: `source` is any
FlowSource (graph/flows.GraphFlows over a graph in memory, graph/store_flows.StoreFlows over
the store), `recipient` what a user types (resolved by loaders/actors/resolve). It returns a
RecipientSummary or an Overview: typed records with to_json() and to_rows(), which the
command line renders and a Python user or a web page reads as they are.

    from geldstroom.graph.default_store import current_store_path
    ...
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from geldstroom.errors import UnknownYear
from geldstroom.graph.flows import Flow, FlowSource, NothingNamed, UnplacedPayment, flows
from geldstroom.graph.shared_names import UNATTRIBUTED, UNNAMED_OTHERS
from geldstroom.loaders.actors.resolve import find_recipient
from geldstroom.queries.ranking import (
    NO_FILTERS,
    RANKING_COLUMNS,
    RankedRecipient,
    Ranking,
    RankingFilters,
    rank_recipients,
    ranked_record,
)
from geldstroom.queries.received import ANSWER_COLUMNS, Received, received

if TYPE_CHECKING:
    import networkx as nx


@dataclass
class SummaryRow:
    """What one recipient gets in one year through one instrument."""

    recipient: str
    name: str
    year: int
    instrument: str
    alone_euros: int = 0  # lines it is the only named recipient of
    shared_euros: int = 0  # whole amounts of lines it shares; not its share, which is unknown
    shared_with: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class YearTotal:
    """A year's reconciliation: alone + shared (each line once) + unattributed = Uitgaven."""

    year: int
    alone_euros: int
    shared_euros: int
    unattributed_euros: int
    uitgaven_euros: int
    payer: str | None = None  # set when the totals are per payer (ministry or fund)

    @property
    def total_euros(self) -> int:
        return self.alone_euros + self.shared_euros + self.unattributed_euros

    @property
    def reconciles(self) -> bool:
        return self.total_euros == self.uitgaven_euros


def recipient_summary(
    graph: nx.MultiDiGraph, recipient: str | None = None, year: int | None = None
) -> list[SummaryRow]:
    """Rows per recipient, year and instrument; the unattributed part is a recipient too."""
    names = {node: data.get("name", node) for node, data in graph.nodes(data=True)}
    return summary_rows(flows(graph), names, recipient, year)


def summary_rows(all_flows: Iterable[Flow], names: Mapping[str, str],
                 recipient: str | None = None, year: int | None = None) -> list[SummaryRow]:
    """recipient_summary on flows (from a graph or from the store), with each actor's name.
    A row lists its lines in line-id order, whatever order the flows come in."""
    rows: dict[tuple[str, int, str], SummaryRow] = {}
    for flow in sorted(all_flows, key=lambda f: (f.line_id, f.year, f.euros, f.recipients)):
        if year is not None and flow.year != year:
            continue
        for who in flow.recipients or (UNATTRIBUTED,):
            if recipient is not None and who != recipient:
                continue
            key = (who, flow.year, flow.instrument)
            row = rows.get(key)
            if row is None:
                row = rows[key] = SummaryRow(
                    recipient=who,
                    name=names.get(who, who),
                    year=flow.year,
                    instrument=flow.instrument,
                )
            if flow.shared:
                row.shared_euros += flow.euros
                named = {r for r in (*row.shared_with, *flow.recipients)
                         if r not in (who, UNNAMED_OTHERS)}
                unnamed = flow.unnamed_others or UNNAMED_OTHERS in row.shared_with
                row.shared_with = [*sorted(named), *([UNNAMED_OTHERS] if unnamed else [])]
            else:
                row.alone_euros += flow.euros
            row.lines.append(flow.line)
            if flow.stage not in row.stages:
                row.stages.append(flow.stage)
    return sorted(
        rows.values(),
        key=lambda r: (r.recipient == UNATTRIBUTED, r.recipient, r.year, r.instrument),
    )


def year_totals(graph: nx.MultiDiGraph) -> list[YearTotal]:
    """Per year: what the summary attributes, each line once, against the tables' Uitgaven."""
    return totals_of_flows(flows(graph), graph.graph.get("uitgaven", {}))


def totals_of_flows(all_flows: Iterable[Flow],
                    uitgaven: Mapping[tuple[str, str, int], int],
                    by_payer: bool = False) -> list[YearTotal]:
    """year_totals on flows and the tables' Uitgaven per (hoofdstuk, artikel, year); with
    `by_payer`, one total per payer (ministry or fund) and year. An Uitgaven whose hoofdstuk
    has no flow at all stands under the hoofdstuk's number (its payer is not in the flows)."""
    parts: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    payer_of: dict[str, str] = {}
    for flow in all_flows:
        payer_of.setdefault(flow.hoofdstuk, flow.payer)
        part = 2 if not flow.recipients else 1 if flow.shared else 0
        parts[(flow.payer if by_payer else "", flow.year)][part] += flow.euros
    stated: dict[tuple[str, int], int] = defaultdict(int)
    for (hoofdstuk, _, year), euros in uitgaven.items():
        who = payer_of.get(hoofdstuk, f"hoofdstuk {hoofdstuk}") if by_payer else ""
        stated[(who, year)] += euros
    return [
        YearTotal(year, *parts.get((who, year), (0, 0, 0)), stated[(who, year)],
                  payer=who or None)
        for who, year in sorted(stated, key=lambda k: (k[0], k[1]))
    ]


ROW_COLUMNS = ("recipient", "name", "year", "instrument", "alone_euros", "shared_euros",
               "shared_with", "stage", "lines")


def row_record(r: SummaryRow) -> dict[str, Any]:
    """A summary row as JSON and CSV give it (the CLI, the web explorer)."""
    return {"recipient": r.recipient, "name": r.name, "year": r.year,
            "instrument": r.instrument, "alone_euros": r.alone_euros,
            "shared_euros": r.shared_euros, "shared_with": r.shared_with, "stage": r.stages,
            "lines": r.lines}


def total_record(t: YearTotal) -> dict[str, Any]:
    """A year total as JSON and CSV give it, with its difference and whether it reconciles."""
    payer = {"payer": t.payer} if t.payer is not None else {}
    return {**payer, "year": t.year, "alone_euros": t.alone_euros,
            "shared_euros": t.shared_euros, "unattributed_euros": t.unattributed_euros,
            "total_euros": t.total_euros, "uitgaven_euros": t.uitgaven_euros,
            "difference_euros": t.total_euros - t.uitgaven_euros,
            "reconciles": t.reconciles}


INSTRUMENT = "instrument"  # the row_kind of a recipient's rows per year and instrument


def _instrument_record(r: SummaryRow) -> dict[str, Any]:
    """A row per year and instrument in the answer's flat table (ANSWER_COLUMNS)."""
    record: dict[str, Any] = dict.fromkeys(ANSWER_COLUMNS)
    record.update(row_kind=INSTRUMENT, recipient=r.recipient, name=r.name, year=r.year,
                  instrument=r.instrument, stage=r.stages, euros=r.alone_euros,
                  shared_euros=r.shared_euros, count=len(r.lines), shared_with=r.shared_with,
                  label=r.lines)
    return record


@dataclass(frozen=True)
class RecipientSummary:
    """One recipient: per year and instrument what it gets alone and on shared lines
    (`rows`), the budget lines behind them (`lines`), what is stated for it on no known
    line (`unplaced`, national sources), and, when all of that is empty, what the source
    does say about it (`nothing_named`). From a documents' graph, `totals` is the per-year
    check of the whole graph: recipients + unattributed = Uitgaven."""

    recipient: str
    year: int | None
    national: bool
    years: list[int]  # the years to show, one column each
    rows: list[SummaryRow]
    lines: list[Flow]
    unplaced: list[UnplacedPayment]
    nothing_named: NothingNamed | None
    totals: list[YearTotal]
    # national: per year what it received, counted once (queries/received.py)
    received: Received | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        return ANSWER_COLUMNS if self.national else ROW_COLUMNS

    @property
    def reconciles(self) -> bool:
        return all(t.reconciles for t in self.totals)

    def to_rows(self) -> list[dict[str, Any]]:
        """National: the answer as one flat table (ANSWER_COLUMNS), everything to_json
        holds: per year the totals (row_kind total, by_payer, by_source, by_stage,
        shared_total, not_added_total), the rows behind them (detail, shared_line,
        same_money; a stated amount's detail row has its line_id and the name as written)
        and the rows per instrument (row_kind instrument: `euros` alone, `shared_euros`
        the whole amounts of shared lines). A documents' graph: the rows per instrument."""
        if not self.national:
            return [row_record(r) for r in self.rows]
        answer = self.received.to_rows() if self.received is not None else []
        per_instrument = [_instrument_record(r) for r in self.rows]
        return sorted([*answer, *per_instrument], key=lambda r: r["year"])  # stable

    def to_json(self) -> dict[str, Any]:
        if self.national:
            got = {"received": self.received.to_json()} if self.received is not None else {}
            return {**got, "recipients": [row_record(r) for r in self.rows], "unplaced": [
                {"recipient": u.recipient, "year": u.year, "euros": u.euros,
                 "line_id": u.line_id, "evidence": u.evidence} for u in self.unplaced]}
        return {"recipients": self.to_rows(), "totals": [total_record(t) for t in self.totals]}


@dataclass(frozen=True)
class Overview:
    """Everyone. National: per payer (ministry or fund) and year the lines against the
    tables' Uitgaven (`totals`), and the recipients ranked by total received, counted once
    (`ranking`, queries/ranking.py). A documents' graph: every recipient's rows, and per
    year recipients + unattributed against the Uitgaven."""

    year: int | None
    national: bool
    years: list[int]
    totals: list[YearTotal]
    ranking: Ranking | None
    rows: list[SummaryRow]

    @property
    def top(self) -> list[RankedRecipient]:
        return self.ranking.recipients if self.ranking is not None else []

    @property
    def columns(self) -> tuple[str, ...]:
        return RANKING_COLUMNS if self.national else ROW_COLUMNS

    @property
    def reconciles(self) -> bool:
        return all(t.reconciles for t in self.totals)

    def to_rows(self) -> list[dict[str, Any]]:
        if self.national:
            return [ranked_record(r) for r in self.top]
        return [row_record(r) for r in self.rows]

    def to_json(self) -> dict[str, Any]:
        totals = [total_record(t) for t in self.totals]
        if self.national and self.ranking is not None:
            return {"totals": totals, "top_recipients": self.to_rows(),
                    "ranking": {"years": self.ranking.years, "ranked": self.ranking.ranked,
                                "filters": self.ranking.filters.to_json()}}
        return {"recipients": self.to_rows(), "totals": totals}


def summarise(source: FlowSource, recipient: str | None = None, year: int | None = None,
              top: int = 20, filters: RankingFilters = NO_FILTERS,
              ) -> RecipientSummary | Overview:
    """Who gets what from `source`: of one recipient (an id, name or alias as a user types
    it), or of everyone; `year` one year, else all; `filters` narrow the national ranking
    (and, by payer, its totals). UnknownRecipient (or UnknownName) when the recipient is
    nobody the source knows, UnknownYear when it has no such year."""
    actor = find_recipient(recipient, source.recipients()) if recipient is not None else None
    years = source.years()
    if year is not None and year not in years:
        raise UnknownYear(year, years, source.where)
    shown = years if year is None else [year]
    if actor is not None:
        return _of_recipient(source, actor, year, shown)
    if source.national:
        found = source.flows(year=year)
        uitgaven = {k: e for k, e in source.stated_uitgaven().items()
                    if year is None or k[2] == year}
        totals = totals_of_flows(found, uitgaven, by_payer=True)
        if filters.hoofdstukken is not None:
            payers = {f.payer for f in found if f.hoofdstuk in filters.hoofdstukken}
            totals = [t for t in totals if t.payer in payers]
        ranking = rank_recipients(source, year, filters, top)
        return Overview(year, True, sorted({t.year for t in totals}), totals, ranking, [])
    every = source.flows()
    rows = summary_rows(every, source.names(_actors_of(every)), None, year)
    return Overview(year, False, shown, _checked_years(source, every, year), None, rows)


def _of_recipient(source: FlowSource, actor: str, year: int | None,
                  shown: list[int]) -> RecipientSummary:
    found = source.flows(recipient=actor, year=year)
    names = source.names({r for f in found for r in f.recipients} | {actor})
    rows = summary_rows(found, names, actor, year)
    unplaced = source.unplaced(recipient=actor, year=year) if source.national else []
    empty = source.nothing_named(actor, year) if not rows and not unplaced else None
    if source.national:
        got = received(actor, names.get(actor, actor), found, unplaced, names=names)
        return RecipientSummary(actor, year, True, sorted({r.year for r in rows})
                                if year is None else shown, rows, found, unplaced, empty, [],
                                got)
    return RecipientSummary(actor, year, False, shown, rows, found, [], empty,
                            _checked_years(source, source.flows(), year))


def _actors_of(all_flows: Iterable[Flow]) -> set[str]:
    return {r for f in all_flows for r in f.recipients} | {UNATTRIBUTED}


def _checked_years(source: FlowSource, every: Iterable[Flow],
                   year: int | None) -> list[YearTotal]:
    """The per-year check of a documents' graph: all of it, or the year asked."""
    return [t for t in totals_of_flows(every, source.stated_uitgaven())
            if year is None or t.year == year]
