"""Recipient funding summary: who gets what, alone or on shared lines, never counted twice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from geldstroom.graph.build import UNATTRIBUTED, UNNAMED_OTHERS, flows


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
                others = {r for r in flow.recipients if r != who}
                if flow.unnamed_others:
                    others.add(UNNAMED_OTHERS)
                row.shared_with = sorted(set(row.shared_with) | others)
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
