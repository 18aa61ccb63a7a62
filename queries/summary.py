"""Recipient funding summary: who gets what, alone or on shared lines, never counted twice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from geldstroom.graph.flows import Flow, NothingNamed, PassedOn, flows
from geldstroom.graph.schema import PASSES_ON, PAYS, UNATTRIBUTED, UNNAMED_OTHERS

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


@dataclass(frozen=True)
class RecipientTotal:
    """What one recipient gets over the years asked: alone (the lines it alone is named on,
    and amounts stated for it) apart from the whole amounts of lines it shares."""

    recipient: str
    name: str
    alone_euros: int
    shared_euros: int
    years: list[int]
    lines: int
    unplaced_euros: int = 0  # stated for it on no known budget line: inside the payer's
    # figures already, so apart from alone and from every total


class Stated(Protocol):
    """An amount stated for a recipient on no known line (store_flows.UnplacedPayment, or
    graph/build's from unplaced_payments(graph))."""

    recipient: str
    year: int
    euros: int


def top_recipients(all_flows: Iterable[Flow], names: Mapping[str, str], top: int,
                   unplaced: Iterable[Stated] = ()) -> list[RecipientTotal]:
    """The `top` named recipients by what is theirs alone (lines naming only them, amounts
    stated for them, also those stated on no known line: `unplaced`), then by shared
    amounts; the unattributed part is in the totals, not among the recipients. `lines`
    counts the flows and stated payments behind a recipient's amounts."""
    alone: dict[str, int] = defaultdict(int)
    shared: dict[str, int] = defaultdict(int)
    years: dict[str, set[int]] = defaultdict(set)
    lines: dict[str, int] = defaultdict(int)
    for flow in all_flows:
        for who in flow.recipients:
            if who == UNNAMED_OTHERS:
                continue
            (shared if flow.shared else alone)[who] += flow.euros
            years[who].add(flow.year)
            lines[who] += 1
    elsewhere: dict[str, int] = defaultdict(int)
    for payment in unplaced:
        if payment.recipient in (UNATTRIBUTED, UNNAMED_OTHERS):
            continue
        elsewhere[payment.recipient] += payment.euros
        years[payment.recipient].add(payment.year)
        lines[payment.recipient] += 1
    ranked = sorted(years, key=lambda who: (-alone[who] - elsewhere[who], -shared[who],
                                            who))[:max(top, 0)]
    return [RecipientTotal(who, names.get(who, who), alone[who], shared[who],
                           sorted(years[who]), lines[who], elsewhere[who])
            for who in ranked]


def nothing_named(graph: nx.MultiDiGraph, recipient: str, year: int | None) -> NothingNamed:
    """What the graph does say about a recipient whose summary (for `year`) is empty."""
    named = sorted({d["year"] for _, _, d in graph.in_edges(recipient, data=True)
                    if d.get("kind") == PAYS})
    passed = [PassedOn(via=source, years=list(d.get("years") or []),
                       evidence=list(d.get("evidence") or []))
              for source, _, d in graph.in_edges(recipient, data=True)
              if d.get("kind") == PASSES_ON]
    return NothingNamed(recipient=recipient, year=year, named_years=named,
                        passed_on=sorted(passed, key=lambda p: p.via),
                        part_of=graph.nodes[recipient].get("part_of"),
                        parts=sorted(n for n, d in graph.nodes(data=True)
                                     if d.get("part_of") == recipient))
