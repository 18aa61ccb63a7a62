"""Every export format parsed back: amounts per recipient match the summary, each line once."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pydot
import pytest

from geldstroom.dutch import parse_whole
from geldstroom.graph.build import build_graph
from geldstroom.graph.schema import UNATTRIBUTED
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.queries.export import EXPORTERS, OVERIG, export_graph
from geldstroom.queries.summary import recipient_summary

TOTAL_2024 = 86_189_000
UNATTRIBUTED_2024 = 60_204_000
WOO_LINE = "Ondersteuning koepels implementatie Woo"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph(load_corpus(bundled_documents()))


def _expected(graph: nx.MultiDiGraph, year: int) -> dict[str, int]:
    """Per recipient: whole amounts of its lines (alone + shared), as the summary gives them."""
    out: dict[str, int] = defaultdict(int)
    for row in recipient_summary(graph, year=year):
        out[row.recipient] += row.alone_euros + row.shared_euros
    return dict(out)


def _edges(fmt: str, graph: nx.MultiDiGraph) -> list[dict[str, str]]:
    """Parse one export back into flow edge attribute dicts with 'target'."""
    (_, data), *rest = EXPORTERS[fmt].render(export_graph(graph, 2024))
    if fmt == "graphml":
        parsed = nx.read_graphml(io.BytesIO(data))
    elif fmt == "gexf":
        parsed = nx.read_gexf(io.BytesIO(data))
    elif fmt == "json":
        parsed = nx.node_link_graph(json.loads(data), edges="edges")
    elif fmt == "csv":
        assert rest and rest[0][0] == "nodes"
        nodes = list(csv.DictReader(io.StringIO(rest[0][1].decode())))
        assert UNATTRIBUTED in {n["id"] for n in nodes}
        return [r for r in csv.DictReader(io.StringIO(data.decode())) if r["kind"] == "flow"]
    elif fmt == "dot":
        (dot,) = pydot.graph_from_dot_data(data.decode())
        return [
            {"target": e.get_destination().strip('"'),
             **{k: str(v).strip('"') for k, v in e.get_attributes().items()}}
            for e in dot.get_edges() if e.get_attributes().get("kind") == "flow"
        ]
    else:
        raise AssertionError(fmt)
    return [{"target": t, **{k: str(v) for k, v in d.items()}}
            for _, t, d in parsed.edges(data=True) if d.get("kind") == "flow"]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "dot"])
def test_export_adds_up_to_the_summary(fmt: str, graph: nx.MultiDiGraph) -> None:
    edges = _edges(fmt, graph)
    assert {e["year"] for e in edges} == {"2024"}
    assert sum(int(e["counted_euros"]) for e in edges) == TOTAL_2024  # each line once
    received: dict[str, int] = defaultdict(int)
    for edge in edges:
        received[edge["target"]] += int(edge["euros"])
    assert dict(received) == _expected(graph, 2024)
    assert received[UNATTRIBUTED] == UNATTRIBUTED_2024
    woo = [e for e in edges if e["line"] == WOO_LINE]
    assert sorted(e["target"] for e in woo) == ["ipo", "vng", "waterschapshuis"]
    assert [int(e["counted_euros"]) for e in woo].count(863_000) == 1
    assert all(int(e["euros"]) == 863_000 and e["share_count"] == "3" for e in woo)
    assert all(e["instrument"] and e["stage"] == "ontwerpbegroting" for e in edges)
    assert any(e["evidence"] for e in woo)


def test_mermaid_labels_carry_exact_amounts(graph: nx.MultiDiGraph) -> None:
    (_, data), = EXPORTERS["mermaid"].render(export_graph(graph, 2024))
    text = data.decode()
    assert text.startswith("flowchart LR\n")
    names = dict(re.findall(r'^    (n\d+)\["(.*)"\]$', text, re.M))
    unattributed = next(k for k, v in names.items() if v == "Geen ontvanger genoemd")
    amounts = re.findall(rf'-->\|"2024 .*: (€ [\d.]+).*"\| {unattributed}$', text, re.M)
    assert sum(parse_whole(a.removeprefix("€ ")) for a in amounts) == UNATTRIBUTED_2024
    assert text.count(f"{WOO_LINE}: € 863.000 (gedeeld met") == 3


def test_top_folds_into_overig_and_keeps_the_total(graph: nx.MultiDiGraph) -> None:
    flat = export_graph(graph, 2024, top=5)
    flows = [d for *_, d in flat.edges(data=True) if d.get("kind") == "flow"]
    assert sum(d["counted_euros"] for d in flows) == TOTAL_2024
    kept = {d["line_id"] for d in flows if not d["line_id"].startswith(OVERIG)}
    assert len(kept) == 5
    folded = [d for d in flows if d["line_id"].startswith(OVERIG)]
    assert sum(d["folded_flows"] for d in folded) == 34 - 5  # 34 lines carry money in 2024
    assert OVERIG in flat


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_exports_are_deterministic(fmt: str, graph: nx.MultiDiGraph) -> None:
    source = export_graph(graph) if EXPORTERS[fmt].flat else graph  # Neo4j formats: whole
    first = EXPORTERS[fmt].render(source)
    assert first == EXPORTERS[fmt].render(export_graph(graph) if EXPORTERS[fmt].flat else graph)
    assert b"lastmodifieddate" not in first[0][1]  # no date stamp in GEXF


def test_flat_graph_holds_only_scalars(graph: nx.MultiDiGraph) -> None:
    flat = export_graph(graph)
    values = [*flat.graph.values()]
    values += [v for _, d in flat.nodes(data=True) for v in d.values()]
    values += [v for *_, d in flat.edges(data=True) for v in d.values()]
    assert all(isinstance(v, str | int | float | bool) for v in values)
    assert flat.graph["uitgaven_2024"] == TOTAL_2024


def test_select_flows_lives_with_flows_and_export_needs_no_diagram_module(
    graph: nx.MultiDiGraph,
) -> None:
    import subprocess
    import sys

    from geldstroom.graph.flows import flows, select_flows

    ranked = select_flows(graph, 2024)
    assert len(ranked) == 34  # lines that carry money in 2024, each once
    assert sum(f.euros for f in ranked) == TOTAL_2024
    assert [f.euros for f in ranked] == sorted((f.euros for f in ranked), reverse=True)
    woo = [f for f in select_flows(graph, 2024, recipient="ipo")]
    assert [(f.line, f.euros, f.recipients) for f in woo] == [
        (WOO_LINE, 863_000, ("ipo", "vng", "waterschapshuis"))]
    assert len(select_flows(graph)) == len(list(flows(graph)))
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, geldstroom.queries.export; "
         "print('geldstroom.queries.diagram' in sys.modules)"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "False"


def test_mermaid_for_markdown_is_one_fenced_mermaid_block(graph: nx.MultiDiGraph) -> None:
    from markdown_it import MarkdownIt

    flat = export_graph(graph, 2024)
    ((_, bare),) = EXPORTERS["mermaid"].render(flat)
    ((_, fenced),) = EXPORTERS["mermaid"].renderer(".md")(flat)
    assert EXPORTERS["mermaid"].renderer(".mmd")(flat) == [(None, bare)]
    tokens = MarkdownIt("commonmark").parse(fenced.decode("utf-8"))
    assert [(t.type, t.info) for t in tokens] == [("fence", "mermaid")]
    assert tokens[0].content.encode("utf-8") == bare  # the whole flowchart, nothing else


MERMAID = Path(__file__).resolve().parent.parent / "tools" / "mermaid-check"


def _mermaid_parse(texts: dict[str, str]) -> dict[str, dict[str, object]]:
    payload = json.dumps([{"name": n, "text": t} for n, t in texts.items()])
    done = subprocess.run(["node", str(MERMAID / "check.mjs")], input=payload, text=True,
                          capture_output=True, check=True, timeout=300)
    return {r["name"]: r for r in json.loads(done.stdout)}


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.skipif(not (MERMAID / "node_modules").is_dir(),
                    reason="tools/mermaid-check is not installed "
                    "(npm ci --prefix tools/mermaid-check)")
def test_mermaid_export_parses_with_mermaids_own_parser(graph: nx.MultiDiGraph) -> None:
    from markdown_it import MarkdownIt

    hard = export_graph(graph, 2024)
    hard.nodes[UNATTRIBUTED]["name"] = 'Naam met "aanhalingstekens" | streep `code`'
    ((_, fenced),) = EXPORTERS["mermaid"].renderer(".md")(export_graph(graph, 2024, top=5))
    (block,) = MarkdownIt("commonmark").parse(fenced.decode("utf-8"))
    texts = {
        "all years": EXPORTERS["mermaid"].render(export_graph(graph))[0][1].decode("utf-8"),
        "2024 --top 5, from the .md fence": block.content,
        "hard strings": EXPORTERS["mermaid"].render(hard)[0][1].decode("utf-8"),
        "broken": 'flowchart LR\n    n0["a"b"]\n',  # the checker must be able to say no
    }
    results = _mermaid_parse(texts)
    assert not results.pop("broken")["ok"]
    assert {name: (r["ok"], r.get("diagramType"), r.get("error")) for name, r in results.items()
            } == {name: (True, "flowchart-v2", None) for name in results}
