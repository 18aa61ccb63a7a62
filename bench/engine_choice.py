"""The embedded engine measured on the national graph (a script, not a test).

    python bench/engine_choice.py [--engines ladybug,kuzu] [--kuzu-python PATH] [--runs 3]

For each engine, in its own subprocess and interpreter (`ladybug` and `kuzu` cannot share a
process): the national store's load time (graph/store.load_store, the graph built once
beforehand) and size on disk, `geldstroom summary "Stichting CAOP"` and the national
`geldstroom summary` through the command line in-process, every named query with the
national parameters of tests/test_neo4j_server.py, and start-up (a fresh interpreter that
imports the engine, opens the store read-only and counts the actors). Best of --runs.
The wrong answers against Neo4j come from bench/differential.py.
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
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))

STARTUP = ("import sys, time; t = time.perf_counter(); import {engine} as e; "
           "c = e.Connection(e.Database(sys.argv[1], read_only=True)); "
           "c.execute('MATCH (a:Actor) RETURN count(a)').get_all(); "
           "print(time.perf_counter() - t)")


def _best(runs: int, action: Any) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def worker(engine: str, job: Path, out: Path, runs: int) -> None:
    from differential import _size, _use_engine

    _use_engine(engine)
    from test_neo4j_server import NATIONAL_PARAMS
    from typer.testing import CliRunner

    from geldstroom.cli.app import app
    from geldstroom.graph.query_shapes import guard_statement
    from geldstroom.graph.store import Store, load_store
    from geldstroom.queries.named import named_queries

    graph = pickle.loads(job.read_bytes())
    found: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "national.db"
        started = time.perf_counter()
        load_store(graph, path)
        found["load_s"] = time.perf_counter() - started
        found["size_mb"] = _size(path) / 1e6

        def cli(*args: str) -> None:
            result = CliRunner().invoke(app, [*args, "--db", str(path)])
            assert result.exit_code == 0, result.output

        found["summary_caop_s"] = _best(runs, lambda: cli("summary", "Stichting CAOP"))
        found["summary_national_s"] = _best(runs, lambda: cli("summary"))
        with Store(path) as store:
            for name, query in named_queries().items():
                params = NATIONAL_PARAMS[name][0]
                found[f"query {name}_s"] = _best(runs, lambda q=query, p=params:
                                                 store.run(q.cypher, p))
                guarded = guard_statement(query.cypher)
                if guarded != query.cypher:  # as `geldstroom query` runs it
                    found[f"query {name} guarded_s"] = _best(runs, lambda g=guarded, p=params:
                                                             store.run(g, p))
        startup = [float(subprocess.run([sys.executable, "-c", STARTUP.format(engine=engine),
                                         str(path)], capture_output=True, text=True,
                                        check=True).stdout) for _ in range(runs)]
        found["startup_s"] = min(startup)
    out.write_text(json.dumps(found))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engines", default="ladybug,kuzu")
    parser.add_argument("--kuzu-python", default=os.environ.get("KUZU_PYTHON", sys.executable))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]), Path(args.worker[2]), args.runs)
        return
    from geldstroom.graph.default_store import default_graph

    graph = default_graph()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        job = Path(folder) / "graph.pkl"
        job.write_bytes(pickle.dumps(graph))
        for engine in args.engines.split(","):
            out = Path(folder) / f"{engine}.json"
            python = args.kuzu_python if engine == "kuzu" else sys.executable
            subprocess.run([python, __file__, "--runs", str(args.runs), "--worker", engine,
                            str(job), str(out)], check=True)
            results[engine] = json.loads(out.read_text())
    engines = list(results)
    print(f"national graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges;"
          f" best of {args.runs}")
    print(f"{'':32}" + "".join(f"{e:>12}" for e in engines)
          + (f"{engines[1] + '/' + engines[0]:>14}" if len(engines) > 1 else ""))
    for key in results[engines[0]]:
        values = [results[e][key] for e in engines]
        ratio = f"{values[1] / values[0]:>13.2f}x" if len(values) > 1 and values[0] else ""
        print(f"{key:32}" + "".join(f"{v:>12.3f}" for v in values) + ratio)


if __name__ == "__main__":
    main()
