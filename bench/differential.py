"""Differential run of generated Cypher: each embedded engine against Neo4j (a script, not a test).

    python bench/differential.py [--count 200] [--engines ladybug,ladybug+guard,kuzu]
                                 [--kuzu-python PATH]

The queries come from tests/cypher_shapes.py, over the seeds' graph and a sample of the
national graph (chapters VII and XVI: BZK's and VWS's lines, VWS with more than 2048
ALLOCATES from one minister). Neo4j 5.26 runs from tests/neo4j_server.py (Maven Central's
artifacts, on 127.0.0.1). Each embedded engine runs in its own subprocess with its own
interpreter (`ladybug` and `kuzu` cannot share a process): it loads the graph through
graph/store.load_store and runs every query through graph/store.Store. It prints
mismatches per shape and load time and size per engine. `ENGINE+guard` first passes each
statement through graph/query_shapes.py (rewritten or refused), as `geldstroom cypher` does.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

SAMPLE_CHAPTERS = {"VII", "XVI"}


def _use_engine(engine: str) -> None:
    """Point graph/store.py at `engine` (its one import of the engine)."""
    import importlib

    from geldstroom.graph import store

    module = importlib.import_module(engine)
    store._engine = lambda: module  # type: ignore[attr-defined]


def worker(engine: str, job: Path, out: Path) -> None:
    _use_engine(engine)
    from cypher_shapes import normalised

    from geldstroom.errors import InputError
    from geldstroom.graph.store import Store, load_store

    graphs, queries, guard = pickle.loads(job.read_bytes())
    results: dict[str, Any] = {"answers": {}, "load": {}}
    with tempfile.TemporaryDirectory() as folder:
        for name, graph in graphs.items():
            path = Path(folder) / f"{name}.db"
            started = time.perf_counter()
            load_store(graph, path)
            results["load"][name] = (time.perf_counter() - started, _size(path))
            with Store(path) as store:
                for i, q in enumerate(queries[name]):
                    statement = q.cypher
                    if guard:
                        from geldstroom.graph.query_shapes import guard_statement

                        try:
                            statement = guard_statement(statement)
                        except InputError as err:
                            results["answers"][f"{name}:{i}"] = ["refused", str(err)]
                            continue
                    try:
                        rows = store.run(statement, q.params).rows
                        results["answers"][f"{name}:{i}"] = ["rows", repr(normalised(rows,
                                                                                     q.ordered))]
                    except InputError as err:
                        results["answers"][f"{name}:{i}"] = ["error", str(err)]
    out.write_text(json.dumps(results))


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def neo4j_answers(graphs: dict[str, Any], queries: dict[str, list[Any]]) -> dict[str, str]:
    from cypher_shapes import normalised
    from neo4j import GraphDatabase
    from neo4j_server import Neo4jServer

    from geldstroom.graph import neo4j_store

    answers = {}
    with tempfile.TemporaryDirectory() as home:
        server = Neo4jServer(Path(home)).start()
        try:
            connection = server.connection()
            for name, graph in graphs.items():
                with GraphDatabase.driver(connection.uri,
                                          auth=(connection.user, connection.password)) as d:
                    d.execute_query("MATCH (n) DETACH DELETE n")
                neo4j_store.push(graph, connection)
                for i, q in enumerate(queries[name]):
                    started = time.perf_counter()
                    rows = neo4j_store.run_query(connection, q.cypher, q.params).rows
                    answers[f"{name}:{i}"] = repr(normalised(rows, q.ordered))
                    took = time.perf_counter() - started
                    if took > 2:
                        print(f"  slow on Neo4j ({took:.1f} s, {len(rows)} rows): {q.cypher}",
                              file=sys.stderr)
        finally:
            server.kill()
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=200, help="queries per graph")
    parser.add_argument("--engines", default="ladybug,ladybug+guard,kuzu")
    parser.add_argument("--kuzu-python", default=os.environ.get("KUZU_PYTHON", sys.executable))
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), Path(args.worker[2]))
        return
    from cypher_shapes import generate, national_sample

    from geldstroom.graph.build import build_graph
    from geldstroom.graph.default_store import default_graph
    from geldstroom.loaders.documents.corpus import load_corpus
    from geldstroom.loaders.documents.manifest import bundled_documents

    seeds = build_graph(load_corpus(bundled_documents()))
    sample = national_sample(default_graph(), SAMPLE_CHAPTERS)
    graphs = {"seeds": seeds, "national-sample": sample}
    queries = {"seeds": generate(seeds, args.count),
               "national-sample": generate(sample, args.count, big=True)}
    print(f"graphs: seeds {seeds.number_of_nodes()} nodes {seeds.number_of_edges()} edges; "
          f"national sample {sample.number_of_nodes()} nodes {sample.number_of_edges()} edges")
    started = time.perf_counter()
    expected = neo4j_answers(graphs, queries)
    print(f"neo4j: {len(expected)} answers in {time.perf_counter() - started:.1f} s")
    pythons = {"kuzu": args.kuzu_python}
    for run in args.engines.split(","):
        engine, guard = run.removesuffix("+guard"), run.endswith("+guard")
        with tempfile.TemporaryDirectory() as folder:
            job, out = Path(folder) / "job.pkl", Path(folder) / "out.json"
            job.write_bytes(pickle.dumps((graphs, queries, guard)))
            started = time.perf_counter()
            subprocess.run([pythons.get(engine, sys.executable), __file__, "--worker", engine,
                            str(job), str(out)], check=True)
            took = time.perf_counter() - started
            result = json.loads(out.read_text())
        report(run, result, expected, queries, took)


def report(engine: str, result: dict[str, Any], expected: dict[str, str],
           queries: dict[str, list[Any]], took: float) -> None:
    per_shape: dict[str, Counter[str]] = defaultdict(Counter)
    for key, (kind, answer) in result["answers"].items():
        name, i = key.split(":")
        shape = f"{name}: {queries[name][int(i)].shape}"
        verdict = ("refused" if kind == "refused" else "error" if kind == "error"
                   else "same" if answer == expected[key] else "DIFFERENT")
        per_shape[shape][verdict] += 1
    totals = Counter()
    for counts in per_shape.values():
        totals.update(counts)
    loads = ", ".join(f"{name} {s:.2f} s {size / 1e6:.1f} MB"
                      for name, (s, size) in result["load"].items())
    print(f"\n{engine}: {sum(totals.values())} queries in {took:.1f} s ({loads})")
    print(f"  same {totals['same']}, DIFFERENT {totals['DIFFERENT']}, "
          f"refused {totals['refused']}, error {totals['error']}")
    for shape, counts in sorted(per_shape.items()):
        if counts["DIFFERENT"] or counts["error"] or counts["refused"]:
            print(f"  {shape:52} " + " ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
