"""Graph exports for other tools: GraphML and GEXF (Gephi, yEd), DOT (Graphviz), Mermaid
(Markdown pages), node-link JSON and CSV; for Neo4j a cypher-shell script and neo4j-admin
import files.

Every format comes from one flattened copy of the graph (`export_graph`): lists joined with
" | ", None as "", yearly Uitgaven as graph attributes, so GraphML and GEXF can hold it.
The flat formats show money as it reaches actors: one `flow` edge per budget line, year and
recipient, payer -> recipient, from flows() (the chosen figure of each line and year; the
graph itself runs payer -ALLOCATES-> line -PAYS-> recipient). A flow edge carries the WHOLE
line amount in `euros`, also on each co-recipient's edge of a shared line; `counted_euros`
holds it on the first recipient's edge only (0 on the others), so summing `counted_euros`
counts every line once. No split is ever invented.

The Neo4j formats (`flat=False`) take the whole graph as build_graph made it, lists and all,
and write it by the schema (graph/schema.py), exactly as `geldstroom neo4j push` does.

EXPORTERS is the registry the `export` command reads: adding a format is one entry.
"""

from __future__ import annotations

import io
import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from geldstroom.cells import csv_bytes, join_list
from geldstroom.dutch import counted, format_euros
from geldstroom.graph.flows import flows, select_flows
from geldstroom.graph.neo4j_store import admin_export, cypher_script
from geldstroom.graph.schema import ALLOCATES, OVERIG, PAYS, UNATTRIBUTED

# The flat exports' payer -> recipient edge of one budget line and year.
FLOW = "flow"

# Columns that lead in CSV; every other attribute follows in sorted order.
_EDGE_COLUMNS = ("source", "target", "key", "kind", "year", "euros", "counted_euros", "stage",
                 "instrument", "line", "line_id", "recipients", "share_count", "shared_with",
                 "document", "source_line", "evidence")
_NODE_COLUMNS = ("id", "name", "kind")

# One rendered file: `part` None is the -o file itself; "nodes" becomes FILE.nodes.EXT and
# "actor.csv" (a part with its own extension) FILE.actor.csv.
Rendered = list[tuple[str | None, bytes]]


@dataclass(frozen=True)
class Exporter:
    suffix: str  # the usual file extension
    description: str
    render: Callable[[nx.MultiDiGraph], Rendered]
    # False: the writer gets the graph as build_graph made it, not export_graph's flat copy,
    # so --year and --top do not apply.
    flat: bool = True
    # Other file extensions with a writer of their own (mermaid: .md gives a fenced block).
    variants: Mapping[str, Callable[[nx.MultiDiGraph], Rendered]] = field(
        default_factory=dict)

    def renderer(self, suffix: str) -> Callable[[nx.MultiDiGraph], Rendered]:
        return self.variants.get(suffix.lower(), self.render)


def _flat(value: Any) -> str | int | float | bool:
    if value is None:
        return ""
    if isinstance(value, list | tuple | set):
        return join_list(value)
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def export_graph(graph: nx.MultiDiGraph, year: int | None = None,
                 top: int | None = None, payer: str | None = None) -> nx.MultiDiGraph:
    """A flat copy for writers: scalar attributes only, optionally one year, one payer (an
    actor id) and the top N.

    With `top`, the N largest flows (line and year) keep their edges; the rest become one
    edge per payer, year and instrument to an "overig" node, with their total and count.
    """
    keep: set[tuple[str, int]] | None = None
    folded: dict[tuple[str, int, str], list[Any]] = defaultdict(list)
    if top is not None:
        ranked = [f for f in select_flows(graph, year) if payer is None or f.payer == payer]
        keep = {(f.line_id, f.year) for f in ranked[:top]}
        for flow in ranked[top:]:
            folded[(flow.payer, flow.year, flow.instrument)].append(flow)

    out = nx.MultiDiGraph()
    years = [y for y in graph.graph.get("years", []) if year is None or y == year]
    out.graph["years"] = _flat(years)
    uitgaven: dict[int, int] = defaultdict(int)
    for (_, _, y), euros in sorted(graph.graph.get("uitgaven", {}).items()):
        if y in years:
            uitgaven[y] += euros
    for y, euros in sorted(uitgaven.items()):
        out.graph[f"uitgaven_{y}"] = euros

    used: set[str] = set()
    edges = []
    for flow in flows(graph):
        if (year is not None and flow.year != year) or (payer is not None
                                                         and flow.payer != payer):
            continue
        if keep is not None and (flow.line_id, flow.year) not in keep:
            continue
        line = graph.nodes[flow.line_id]
        # A stated payment's PAYS is keyed by its source row; the rest's by the year.
        row = f"|{flow.document}:{flow.source_line}" if flow.stated else ""
        for position, target in enumerate(flow.recipients or (UNATTRIBUTED,)):
            paid = graph.edges[flow.line_id, target, f"{flow.year}{row}"]
            attrs = {
                "kind": FLOW, "year": flow.year, "euros": flow.euros,
                # The first named recipient's edge carries the count; the others show 0.
                "counted_euros": flow.euros if position == 0 else 0,
                "stage": flow.stage, "instrument": flow.instrument, "line": flow.line,
                "line_id": flow.line_id, "path": _flat(line["path"]),
                "hoofdstuk": flow.hoofdstuk, "artikel": flow.artikel,
                "document": flow.document, "source_line": flow.source_line,
                "recipients": _flat(flow.recipients), "share_count": paid["share_count"],
                "shared_with": _flat([r for r in flow.recipients if r != target]),
                "unnamed_others": flow.unnamed_others, "evidence": _flat(paid["evidence"]),
            }
            edges.append((flow.payer, target, f"{flow.line_id}|{flow.year}{row}", attrs))
            used.update((flow.payer, target))
    for source, target, key, data in graph.edges(keys=True, data=True):
        if data.get("kind") in (ALLOCATES, PAYS):
            continue  # shown as the flows above
        if year is not None and "years" in data and year not in data["years"]:
            continue
        if payer is not None and source != payer:
            continue  # another payer's instrument links, passing on of money it did not pay
        edges.append((source, target, key, {k: _flat(v) for k, v in data.items()}))
        used.update((source, target))
    if folded:
        used.add(OVERIG)
    for node, data in graph.nodes(data=True):
        if node in used:
            out.add_node(node, **{k: _flat(v) for k, v in data.items()})
    if folded:
        out.add_node(OVERIG, name="overig (kleinere stromen)", kind=OVERIG, aliases="",
                     part_of="")
    for source, target, key, attrs in edges:
        out.add_edge(source, target, key=key, **attrs)
    for (payer, y, instrument), group in sorted(folded.items()):
        total = sum(f.euros for f in group)
        out.add_edge(payer, OVERIG, key=f"{OVERIG}|{instrument}|{y}", kind=FLOW, year=y,
                     euros=total, counted_euros=total,
                     stage=_flat(sorted({f.stage for f in group})),
                     instrument=instrument,
                     line=f"overig ({counted(len(group), 'regeling', 'regelingen')})",
                     line_id=f"{OVERIG}|{instrument}", recipients="", share_count=1,
                     shared_with="", evidence="", folded_flows=len(group))
    return out


# --------------------------------------------------------------------------- writers


def to_graphml(graph: nx.MultiDiGraph) -> Rendered:
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return [(None, buffer.getvalue())]


def to_gexf(graph: nx.MultiDiGraph) -> Rendered:
    buffer = io.BytesIO()
    # GEXF wants a name per node for its label; the actor's display name is the natural one.
    labelled = graph.copy()
    for node, data in labelled.nodes(data=True):
        data["label"] = data.get("name") or node
    nx.write_gexf(labelled, buffer, encoding="utf-8", prettyprint=True)
    text = buffer.getvalue()
    # The writer stamps today's date into <meta lastmodifieddate=...>: drop it for stable bytes.
    return [(None, _drop_gexf_date(text))]


def _drop_gexf_date(text: bytes) -> bytes:
    import re

    return re.sub(rb' lastmodifieddate="[0-9-]+"', b"", text, count=1)


def to_json(graph: nx.MultiDiGraph) -> Rendered:
    data = nx.node_link_data(graph, edges="edges")
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return [(None, (text + "\n").encode("utf-8"))]


def to_dot(graph: nx.MultiDiGraph) -> Rendered:
    from networkx.drawing.nx_pydot import to_pydot

    shown = graph.copy()
    for node, data in shown.nodes(data=True):
        # pydot reserves `name` for the node id: the display name becomes the DOT label.
        data["label"] = data.pop("name", "") or node
    for *_, data in shown.edges(data=True):
        if "euros" in data:
            data["label"] = f"{data.get('year', '')} {format_euros(int(data['euros']))}"
    dot = to_pydot(shown)
    dot.set("rankdir", "LR")
    return [(None, dot.to_string().encode("utf-8"))]


def to_mermaid(graph: nx.MultiDiGraph) -> Rendered:
    """A flowchart for Markdown pages; labels give year, line and the exact amount."""
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    out = ["flowchart LR"]
    for node, data in graph.nodes(data=True):
        out.append(f'    {ids[node]}["{_mermaid_text(str(data.get("name") or node))}"]')
    for source, target, data in graph.edges(data=True):
        if data.get("kind") == FLOW:
            text = f"{data['year']} {data['line']}: {format_euros(int(data['euros']))}"
            if data.get("shared_with"):
                text += f" (gedeeld met {data['shared_with']})"
            out.append(f'    {ids[source]} -->|"{_mermaid_text(text)}"| {ids[target]}')
        else:
            out.append(f'    {ids[source]} -.->|"{_mermaid_text(str(data.get("kind")))}"| '
                       f"{ids[target]}")
    return [(None, ("\n".join(out) + "\n").encode("utf-8"))]


def to_mermaid_markdown(graph: nx.MultiDiGraph) -> Rendered:
    """The flowchart as a fenced ```mermaid block: pasted into Markdown (GitHub, GitLab), it
    renders as a diagram; the bare .mmd text would show as plain text."""
    ((_, body),) = to_mermaid(graph)
    return [(None, b"```mermaid\n" + body + b"```\n")]


def _mermaid_text(text: str) -> str:
    # Mermaid's own entity codes: a quote or bar would end the label, a backtick the fence.
    return text.replace('"', "#quot;").replace("|", "#124;").replace("`", "#96;")


def to_csv(graph: nx.MultiDiGraph) -> Rendered:
    """Edges in the -o file, nodes beside it (-o flows.csv: flows.nodes.csv): what Gephi imports."""
    edge_rows = [{"source": s, "target": t, "key": k, **d}
                 for s, t, k, d in graph.edges(keys=True, data=True)]
    node_rows = [{"id": n, **d} for n, d in graph.nodes(data=True)]
    return [(None, _csv(edge_rows, _EDGE_COLUMNS)), ("nodes", _csv(node_rows, _NODE_COLUMNS))]


def _csv(rows: list[dict[str, Any]], leading: tuple[str, ...]) -> bytes:
    present = {k for row in rows for k in row}
    columns = [c for c in leading if c in present or c in ("source", "target", "id")]
    columns += sorted(present - set(columns))
    return csv_bytes(columns, ([row.get(c, "") for c in columns] for row in rows))


def to_cypher(graph: nx.MultiDiGraph) -> Rendered:
    """A cypher-shell script: the push's own MERGE statements with the rows inlined."""
    return [(None, cypher_script(graph).encode("utf-8"))]


def to_neo4j_admin(graph: nx.MultiDiGraph) -> Rendered:
    """A shell script running neo4j-admin import on CSV files beside it, and the constraints."""
    return admin_export(graph)


EXPORTERS: dict[str, Exporter] = {
    "graphml": Exporter(".graphml", "GraphML for Gephi, yEd, networkx", to_graphml),
    "gexf": Exporter(".gexf", "GEXF for Gephi", to_gexf),
    "dot": Exporter(".dot", "Graphviz DOT", to_dot),
    "mermaid": Exporter(".mmd", "Mermaid flowchart; -o NAME.md gives the ```mermaid block "
                        "that Markdown pages render", to_mermaid,
                        variants={".md": to_mermaid_markdown}),
    "json": Exporter(".json", "node-link JSON (networkx, d3)", to_json),
    "csv": Exporter(".csv", "CSV: -o NAME.csv writes edges to NAME.csv, nodes to "
                    "NAME.nodes.csv", to_csv),
    "cypher": Exporter(".cypher", "cypher-shell script for Neo4j 5.7+ (idempotent MERGE)",
                       to_cypher, flat=False),
    "neo4j-admin": Exporter(".sh", "neo4j-admin import: script in FILE, FILE.*.csv beside it",
                            to_neo4j_admin, flat=False),
}

