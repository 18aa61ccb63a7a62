"""The named queries' answers computed in plain Python on the NetworkX graph (build_graph).

This is what tests/test_named_queries.py holds every `queries/*.cypher` to: for each named
query one function taking the graph and the bound parameters (`NamedQuery.bind`) and
returning rows in the query's column order, sorted as its ORDER BY sorts them. Money is
counted through `flows()`: per line and year one flow per stated payment (its own euros,
never shared) and one for the rest of the chosen figure; a shared rest counts in full for
each of its recipients, as in queries/summary.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import networkx as nx

from geldstroom.graph.flows import Flow, GraphFlows, flows, is_actor
from geldstroom.graph.schema import ALLOCATES, PART_OF, PASSES_ON, PAYS, UNATTRIBUTED
from geldstroom.model import PAYER_KINDS
from geldstroom.queries.ranking import RankingFilters, rank_recipients

Row = list[Any]
Reference = Callable[[nx.MultiDiGraph, dict[str, Any]], list[Row]]


def _in_year(flow: Flow, year: int | None) -> bool:
    return year is None or flow.year == year


def _recipient_totals(
    graph: nx.MultiDiGraph, year: int | None
) -> dict[tuple[str, int, str], list[int]]:
    """[alone, shared] euros per (recipient, year, instrument); nobody named: unattributed."""
    out: dict[tuple[str, int, str], list[int]] = defaultdict(lambda: [0, 0])
    for flow in flows(graph):
        if not _in_year(flow, year):
            continue
        for who in flow.recipients or (UNATTRIBUTED,):
            out[(who, flow.year, flow.instrument)][1 if flow.shared else 0] += flow.euros
    return out


def recipient_summary(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    totals = _recipient_totals(graph, params["year"])
    return [
        [who, graph.nodes[who]["name"], year, instrument, alone, shared]
        for (who, year, instrument), (alone, shared) in sorted(totals.items())
        if params["recipient"] in (None, who)
    ]


def top_recipients(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    # The summary library's ranking (queries/ranking.py: received, counted once) on the
    # graph: what the query must equal, filters and all.
    def listed(name: str) -> frozenset[str] | None:
        return frozenset(params[name].split(",")) if params[name] is not None else None

    filters = RankingFilters(listed("hoofdstuk"), listed("source"), params["instrument"] or None,
                             listed("exclude_kinds") or frozenset())
    ranked = rank_recipients(GraphFlows(graph, national=True), params["year"], filters,
                             params["limit"])
    return [[r.recipient, r.name, r.kind, r.total_euros, r.shared_euros, r.realisatie_euros,
             r.begroting_euros, r.raming_euros, r.rows] for r in ranked.recipients]


def flows_by_instrument(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    euros: dict[tuple[int, str], int] = defaultdict(int)
    lines: dict[tuple[int, str], set[str]] = defaultdict(set)
    for flow in flows(graph):
        if _in_year(flow, params["year"]):
            euros[(flow.year, flow.instrument)] += flow.euros
            lines[(flow.year, flow.instrument)].add(flow.line_id)
    return [[year, instrument, total, len(lines[(year, instrument)])]
            for (year, instrument), total in sorted(euros.items())]


def shared_lines(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    return sorted(
        ([f.year, f.line_id, f.line, f.instrument, f.euros, list(f.recipients), f.unnamed_others]
         for f in flows(graph)
         if _in_year(f, params["year"]) and f.shared),
        key=lambda r: (r[0], r[1]),
    )


def money_passed_on(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    rows = []
    for source, target, data in graph.edges(data=True):
        if data["kind"] == PASSES_ON:
            rows.append((source, target, data["id"], [
                source, graph.nodes[source]["name"], target, graph.nodes[target]["name"],
                data["path"], data["years"], data["evidence"],
            ]))
    return [row for *_, row in sorted(rows, key=lambda r: r[:3])]


def year_over_year(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    # Whom a line pays per year (every PAYS, with euros or not; nobody named: unattributed).
    paid: dict[tuple[str, int], set[str]] = defaultdict(set)
    for line, recipient, data in graph.edges(data=True):
        if data["kind"] == PAYS:
            paid[(line, data["year"])].add(recipient)
    totals: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    moved_in: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    leaving: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for flow in flows(graph):
        for who in flow.recipients or (UNATTRIBUTED,):
            if params["recipient"] not in (None, who):
                continue
            totals[who][flow.year] += flow.euros
            before = paid.get((flow.line_id, flow.year - 1))
            if before is not None and who not in before:  # the line paid others last year
                moved_in[who][flow.year] += flow.euros
            after = paid.get((flow.line_id, flow.year + 1))
            if after is not None and who not in after:  # and pays only others next year
                leaving[who][flow.year] += flow.euros
    rows = []
    for who, by_year in sorted(totals.items()):
        for year, total in sorted(by_year.items()):
            came, went = moved_in[who][year], leaving[who][year - 1]
            # No money named for it the year before: the change is unknown, not "from 0".
            if year - 1 in by_year:
                change = total - by_year[year - 1]
                rows.append([who, year, total, change, came, went, change - came + went])
            else:
                rows.append([who, year, total, None, came, went, None])
    return rows


def lines_without_recipient(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    return sorted(
        ([f.year, f.line_id, f.line, f.instrument, f.euros, f.stage]
         for f in flows(graph) if not f.recipients and _in_year(f, params["year"])),
        key=lambda r: (r[0], r[1], r[4], r[5]),
    )


def paths_to_recipient(graph: nx.MultiDiGraph, params: dict[str, Any]) -> list[Row]:
    # One edge per actor pair (the query asks distinct id sequences): a payer to whoever its
    # budget lines pay (ALLOCATES then PAYS), and the money edges between actors.
    money = nx.DiGraph()
    money.add_edges_from((u, v) for u, v, d in graph.edges(data=True)
                         if d["kind"] in (PASSES_ON, PART_OF))
    money.add_edges_from((payer, recipient)
                         for payer, line, d in graph.edges(data=True) if d["kind"] == ALLOCATES
                         for _, recipient, p in graph.out_edges(line, data=True)
                         if p["kind"] == PAYS)
    ministers = [n for n, d in graph.nodes(data=True)
                 if is_actor(d) and d["kind"] in {k.value for k in PAYER_KINDS} and n in money]
    targets = [params["recipient"]] if params["recipient"] is not None else list(money)
    rows = []
    for minister in ministers:
        for target in targets:
            if target == minister or target not in money:
                continue
            for path in nx.all_simple_paths(money, minister, target, cutoff=3):
                rows.append([target, path, len(path) - 1])
    return rows


REFERENCES: dict[str, Reference] = {
    "recipient_summary": recipient_summary,
    "top_recipients": top_recipients,
    "flows_by_instrument": flows_by_instrument,
    "shared_lines": shared_lines,
    "money_passed_on": money_passed_on,
    "year_over_year": year_over_year,
    "lines_without_recipient": lines_without_recipient,
    "paths_to_recipient": paths_to_recipient,
}
