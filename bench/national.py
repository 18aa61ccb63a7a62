"""The whole bundled corpus read, resolved, built into the money-flow graph and loaded into
the embedded store, step by step, against the documents-only graph in the same run.

Prints figures only (seconds per step, node and edge counts per label and type); writes
nothing outside a temp folder. The aim (issue 8): the whole corpus read, resolved and loaded
into the store in under 60 s.

    python bench/national.py [--repeat 1]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from pathlib import Path

from geldstroom.graph.build import build_graph
from geldstroom.graph.open_data import open_register
from geldstroom.graph.schema import REL_OF_KIND, node_label
from geldstroom.graph.store import load_store
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.documents.corpus import read_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.loaders.opendata.corpus import load_open_corpus


def run(folder: Path, national: bool) -> dict[str, float]:
    steps: dict[str, float] = {}
    start = time.perf_counter()
    open_data = load_open_corpus() if national else None
    steps["read open data"] = time.perf_counter() - start
    mark = time.perf_counter()
    base = ActorRegister.load()
    register = open_register(open_data, base) if open_data is not None else base
    corpus, register = read_corpus(bundled_documents(), register)
    steps["register + documents"] = time.perf_counter() - mark
    mark = time.perf_counter()
    graph = build_graph(corpus, open_data=open_data, register=register)
    steps["build graph"] = time.perf_counter() - mark
    mark = time.perf_counter()
    load_store(graph, folder / ("national.lbug" if national else "documents.lbug"))
    steps["load store"] = time.perf_counter() - mark
    steps["total"] = time.perf_counter() - start
    nodes = Counter(node_label(d) for _, d in graph.nodes(data=True))
    edges = Counter(REL_OF_KIND[d["kind"]] for *_, d in graph.edges(data=True))
    print(f"  nodes: {dict(sorted(nodes.items()))}")
    print(f"  edges: {dict(sorted(edges.items()))}")
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            print("documents only:")
            baseline = run(Path(tmp), national=False)
            print("national (documents + open data):")
            national = run(Path(tmp), national=True)
            print(f"{'step':<24}{'documents s':>12}{'national s':>12}{'ratio':>8}")
            for step, seconds in national.items():
                base = baseline[step]
                ratio = f"{seconds / base:.1f}x" if base > 0.001 else "-"
                print(f"{step:<24}{base:>12.2f}{seconds:>12.2f}{ratio:>8}")
            print(f"national total {national['total']:.1f} s (aim: under 60 s)")


if __name__ == "__main__":
    main()
