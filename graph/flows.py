"""The reading side of the money-flow graph: the flows (each budget line's chosen figure per
year, counted once), in one order for the graph and the store alike, and what the graph
says beside them: payments on no known line, overstated lines, article totals, conflicts.
graph/build.py writes the graph; everything here only reads it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from geldstroom.graph.shared_names import (
    ALLOCATES,
    BUDGET_LINE_KIND,
    PASSES_ON,
    PAYS,
    UNATTRIBUTED,
    share_count,
)
from geldstroom.kinds import PAYER_KINDS
from geldstroom.loaders.actors.resolve import ActorDirectory, CandidateList

if TYPE_CHECKING:
    import networkx as nx

    from geldstroom.graph.open_data import OpenDataReport
    from geldstroom.model import Conflict

_PAYER_KIND_VALUES = frozenset(kind.value for kind in PAYER_KINDS)


@dataclass(frozen=True)
class Flow:
    """Money of one budget line in one year, counted once: a recipient's own amount as a
    source states it (`stated`), or the rest of the line-year (its chosen figure minus the
    stated amounts) with everyone the documents name for the line."""

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
    document: str = ""  # where the chosen figure (or the stated amount) stands
    source_line: int = 0
    stated: bool = False  # a recipient's own amount, stated by a source row

    @property
    def shared(self) -> bool:
        return not self.stated and share_count(self.recipients, self.unnamed_others) > 1


def is_actor(data: dict) -> bool:
    """Whether a NetworkX node's attributes are an actor's (not a budget line's)."""
    return data.get("kind") != BUDGET_LINE_KIND


def _pays_by_line_year(graph: nx.MultiDiGraph) -> dict[tuple[str, int], list[tuple[str, dict]]]:
    out: dict[tuple[str, int], list[tuple[str, dict]]] = defaultdict(list)
    for line, recipient, data in graph.edges(data=True):
        if data.get("kind") == PAYS:
            out[(line, data["year"])].append((recipient, data))
    return out


def _pays_by_year(graph: nx.MultiDiGraph, line: str) -> dict[int, list[tuple[str, dict]]]:
    """A line's PAYS per year, in the order _pays_by_line_year gives them."""
    out: dict[int, list[tuple[str, dict]]] = defaultdict(list)
    for _, recipient, data in graph.out_edges(line, data=True):
        if data.get("kind") == PAYS:
            out[data["year"]].append((recipient, data))
    return out


def flows(graph: nx.MultiDiGraph) -> Iterator[Flow]:
    """Each budget line's chosen figure per year: one flow per stated payment, and one for
    the rest with who the line pays that year (from its PAYS edges without euros). The
    flows of a line-year add up to its figure: nothing counted twice, nothing left out.
    Payments on lines with no chosen figure (unplaced_payments) are no flows."""
    # Each chosen line's PAYS, read from its own edges when first needed: a walk over every
    # edge for them was half the time at 700 000 payments, most of them on no chosen line.
    pays: dict[str, dict[int, list[tuple[str, dict]]]] = {}
    for payer, line_key, data in graph.edges(data=True):
        if data.get("kind") != ALLOCATES or not data["chosen"]:
            continue
        of_line = pays.get(line_key)
        if of_line is None:
            of_line = pays[line_key] = _pays_by_year(graph, line_key)
        line = graph.nodes[line_key]
        year = data["year"]
        common = {"line_id": line_key, "year": year, "instrument": line["instrument"],
                  "line": line["label"], "hoofdstuk": line["hoofdstuk"],
                  "artikel": line["artikel"], "payer": payer}
        rest = None
        for recipient, paid in of_line.get(year, ()):
            if paid["euros"] is None:
                rest = rest or paid
                continue
            yield Flow(**common, euros=paid["euros"], stage=paid["stage"],
                       recipients=() if recipient == UNATTRIBUTED else (recipient,),
                       document=paid["document"], source_line=paid["source_line"],
                       stated=True)
        yield Flow(
            **common,
            euros=data["euros"] - data.get("stated_euros", 0),
            stage=data["stage"],
            recipients=tuple(rest["recipients"]) if rest else (),
            unnamed_others=rest["unnamed_others"] if rest else False,
            document=data["document"],
            source_line=data["source_line"],
        )


@dataclass(frozen=True)
class UnplacedPayment:
    """A payment a source states for a recipient, on no line with a chosen figure: tied
    only to an instrument, an article or a hoofdstuk (or to a line-year without a figure).
    Its money is inside the payer's figures already: shown as "stated, line not known",
    never added to a total. The same record from the graph and from the store."""

    recipient: str
    year: int
    euros: int
    line_id: str  # the node standing for "artikel X, line not known" and the like
    label: str
    scope: str  # what the node stands for: instrument, artikel, hoofdstuk (or line)
    hoofdstuk: str
    artikel: str
    stage: str
    document: str  # the source row: file and line
    source_line: int
    evidence: list[str]  # "file:line: the name as written"
    instrument: str = ""  # of the node it is tied to ("" where that is an article or hoofdstuk)


def unplaced_payments(graph: nx.MultiDiGraph,
                      of_file: Callable[[str], object] | None = None) -> list[UnplacedPayment]:
    """Every stated PAYS that flows() does not count, by source row and node; given
    `of_file`, only those of the files it is true for."""
    chosen = {(line, d["year"]) for _, line, d in graph.edges(data=True)
              if d.get("kind") == ALLOCATES and d["chosen"]}
    out = []
    for node, recipient, data in graph.edges(data=True):
        if (data.get("kind") != PAYS or data["euros"] is None
                or (of_file is not None and not of_file(data["document"]))
                or (node, data["year"]) in chosen):
            continue
        line = graph.nodes[node]
        out.append(UnplacedPayment(
            recipient=recipient, year=data["year"], euros=data["euros"], line_id=node,
            label=line.get("label", ""), scope=line.get("scope", "line"),
            hoofdstuk=line["hoofdstuk"], artikel=line["artikel"], stage=data["stage"],
            document=data["document"], source_line=data["source_line"],
            evidence=list(data.get("evidence") or []),
            instrument=line.get("instrument", "")))
    return sorted(out, key=lambda u: (u.document, u.source_line, u.line_id))


@dataclass(frozen=True)
class Overstated:
    """A line-year whose stated payments exceed its chosen figure: the rest is negative.
    Reported, never repaired."""

    line_id: str
    year: int
    figure_euros: int
    stated_euros: int
    figure: str  # "file:line" of the chosen figure
    payments: tuple[str, ...]  # "file:line" of each stated payment

    @property
    def rest_euros(self) -> int:
        return self.figure_euros - self.stated_euros


def overstated_lines(graph: nx.MultiDiGraph) -> list[Overstated]:
    """The chosen line-years where sources state more per recipient than the line has."""
    pays = _pays_by_line_year(graph)
    out = []
    for _, line, data in graph.edges(data=True):
        if (data.get("kind") == ALLOCATES and data["chosen"] and data["stated_euros"] > 0
                and data["stated_euros"] > data["euros"]):
            rows = sorted(f"{p['document']}:{p['source_line']}"
                          for _, p in pays.get((line, data["year"]), ())
                          if p["euros"] is not None)
            out.append(Overstated(line, data["year"], data["euros"], data["stated_euros"],
                                  f"{data['document']}:{data['source_line']}", tuple(rows)))
    return sorted(out, key=lambda o: (o.line_id, o.year))


@dataclass(frozen=True)
class ArticleTotal:
    """One article's chosen uitgaven in one year against what its flows add up to."""

    hoofdstuk: str
    artikel: str
    year: int
    stated_euros: int  # the source's own total (graph.graph["uitgaven"])
    flows_euros: int  # the sum of the article's flows that year
    source: str  # "file:line" of the stated total; "" where the documents' table states it

    @property
    def reconciles(self) -> bool:
        return self.stated_euros == self.flows_euros


def article_reconciliation(graph: nx.MultiDiGraph) -> list[ArticleTotal]:
    """Per (hoofdstuk, artikel, year) of graph.graph["uitgaven"]: stated against counted.
    The real files hold articles whose lines do not add up to their stated total; they show
    here as they are."""
    counted: dict[tuple[str, str, int], int] = defaultdict(int)
    for flow in flows(graph):
        counted[(flow.hoofdstuk, flow.artikel, flow.year)] += flow.euros
    report = open_data_report(graph)
    sources = report.uitgaven_sources if report is not None else {}
    return [ArticleTotal(key[0], key[1], key[2], euros, counted.get(key, 0),
                         sources.get(key, ""))
            for key, euros in sorted(graph.graph.get("uitgaven", {}).items())]


def conflicts(graph: nx.MultiDiGraph) -> list[Conflict]:
    """Figures two sources of one publication give differently (never settled)."""
    return list(graph.graph.get("conflicts", []))


def open_data_report(graph: nx.MultiDiGraph) -> OpenDataReport | None:
    """What build_graph counted, left out and found in the open data; None without it."""
    return graph.graph.get("open_data")


def flow_order(flow: Flow) -> tuple[Any, ...]:
    """The one order of flows, from the graph and from the store alike: largest first, then
    line id and year, with ties among one line-year's stated payments broken by recipient and
    source row, so the order is total (edge insertion order is the graph's alone)."""
    return (-flow.euros, flow.line_id, flow.year, flow.recipients, flow.document,
            flow.source_line)


def select_flows(graph: nx.MultiDiGraph, year: int | None = None,
                 recipient: str | None = None, article: str | None = None) -> list[Flow]:
    """Flows (each line and year once) matching the filters, in flow_order."""
    selected = [
        f for f in flows(graph)
        if (year is None or f.year == year)
        and (article is None or f.artikel == article)
        and (recipient is None or recipient in (f.recipients or (UNATTRIBUTED,)))
    ]
    return sorted(selected, key=flow_order)


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


class FlowSource(Protocol):
    """What a summary reads, from a graph in memory (GraphFlows) or from the store
    (store_flows.StoreFlows): the flows, the tables' own Uitgaven, the payments on no known
    line, the actors' names and where to look a recipient up."""

    where: str  # 'the documents', 'the store': for messages
    national: bool  # the national corpus: totals per payer, the top recipients

    def years(self) -> list[int]: ...

    def flows(self, *, recipient: str | None = None, year: int | None = None) -> list[Flow]:
        """Each line and year once (and each stated payment once), in flow_order."""
        ...

    def stated_uitgaven(self) -> dict[tuple[str, str, int], int]:
        """The tables' own Uitgaven per (hoofdstuk, artikel, year)."""
        ...

    def unplaced(self, *, recipient: str | None = None,
                 year: int | None = None) -> list[UnplacedPayment]: ...

    def names(self, ids: Iterable[str]) -> dict[str, str]: ...

    def kinds(self, ids: Iterable[str]) -> dict[str, str]:
        """Each actor's kind (ActorKind's value: 'agentschap', 'gemeente', ...)."""
        ...

    def nothing_named(self, recipient: str, year: int | None) -> NothingNamed: ...

    def recipients(self) -> ActorDirectory:
        """The actors a summary can be of (payers are not recipients)."""
        ...


class GraphFlows:
    """A FlowSource over a money-flow graph in memory. `national`: summarise it as the
    national corpus (per payer, the top recipients) rather than listing every recipient
    with the per-year check, as a documents' graph is."""

    where = "the documents"

    def __init__(self, graph: nx.MultiDiGraph, *, national: bool = False) -> None:
        self.graph = graph
        self.national = national

    def years(self) -> list[int]:
        return list(self.graph.graph.get("years", []))

    def flows(self, *, recipient: str | None = None, year: int | None = None) -> list[Flow]:
        return select_flows(self.graph, year=year, recipient=recipient)

    def stated_uitgaven(self) -> dict[tuple[str, str, int], int]:
        return dict(self.graph.graph.get("uitgaven", {}))

    def unplaced(self, *, recipient: str | None = None,
                 year: int | None = None) -> list[UnplacedPayment]:
        chosen = [u for u in unplaced_payments(self.graph)
                  if (recipient is None or u.recipient == recipient)
                  and (year is None or u.year == year)]
        # in the store's order (store_flows.unplaced_from_store): one answer from both
        return sorted(chosen, key=lambda u: (u.recipient, u.year, u.line_id, u.euros,
                                             u.document, u.source_line))

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        nodes = self.graph.nodes
        return {i: nodes[i].get("name", i) if i in nodes else i for i in ids}

    def kinds(self, ids: Iterable[str]) -> dict[str, str]:
        nodes = self.graph.nodes
        return {i: nodes[i].get("kind", "") if i in nodes else "" for i in ids}

    def nothing_named(self, recipient: str, year: int | None) -> NothingNamed:
        graph = self.graph
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

    def recipients(self) -> ActorDirectory:
        return CandidateList(
            ((node, data.get("name"), data.get("aliases"))
             for node, data in self.graph.nodes(data=True)
             if is_actor(data) and data.get("kind") not in _PAYER_KIND_VALUES),
            "these documents")
