"""Recipient funding summary: who gets what, alone or on shared lines, never counted twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from geldstroom.graph.build import PASSES_ON, PAYS, UNATTRIBUTED, UNNAMED_OTHERS, flows


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
    rows: dict[tuple[str, int, str], SummaryRow] = {}
    for flow in flows(graph):
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
                    name=graph.nodes[who].get("name", who),
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
    alone: dict[int, int] = defaultdict(int)
    shared: dict[int, int] = defaultdict(int)
    unattributed: dict[int, int] = defaultdict(int)
    for flow in flows(graph):
        if not flow.recipients:
            unattributed[flow.year] += flow.euros
        elif flow.shared:
            shared[flow.year] += flow.euros
        else:
            alone[flow.year] += flow.euros
    uitgaven: dict[int, int] = defaultdict(int)
    for (_, _, year), euros in graph.graph.get("uitgaven", {}).items():
        uitgaven[year] += euros
    return [
        YearTotal(year, alone[year], shared[year], unattributed[year], uitgaven[year])
        for year in sorted(uitgaven)
    ]


@dataclass(frozen=True)
class PassedOn:
    """Money that reaches a recipient through another: `via` passes it on in `years`."""

    via: str
    years: list[int]
    evidence: list[str]


@dataclass(frozen=True)
class NothingNamed:
    """Why a recipient's summary is empty: the years a budget line does name it for (none
    when it is paid only through others), and who passes money on to it."""

    recipient: str
    year: int | None
    named_years: list[int]
    passed_on: list[PassedOn]
    part_of: str | None
    parts: list[str]  # actors that are part of it (KOOP of Logius), named on their own


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
