"""Financiële instrumenten at full scale (issue 17): the bundled corpus plus a synthetic file
of 700 000 rows (bench/fi_synthetic.py) read, resolved, built and loaded into the embedded
store step by step, with the peak memory (bench/fi_names.py times the names alone);
`summary NAME` and the national `summary --year 2023` as whole processes on that store;
optionally the push to a real Neo4j server and the recipient summary there. DuckDB over
the raw CSV (read it, sum per recipient) is the yardstick in the same run, where `pip
install duckdb` has put it.

Prints figures only; writes its files in FOLDER (default: a temp folder, removed).

    python bench/fi_scale.py [--rows 700000] [--folder DIR] [--neo4j] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from fi_synthetic import write  # noqa: E402

MANIFEST = """bundled = true

[[source]]
dataset = "financiele instrumenten"
file = "{file}"
title = "Synthetic Financiële instrumenten 2016-2024 (bench/fi_synthetic.py)"
publisher = "geldstroom bench"
address = "bench/fi_synthetic.py"
unit = "x € 1.000"
licence = "made up"
"""


def rss_mb() -> float:
    """The memory the process holds now (resident set)."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def duckdb_baseline(csv_path: Path) -> float | None:
    try:
        import duckdb
    except ImportError:
        return None
    start = time.perf_counter()
    duckdb.sql(f"SELECT Ontvanger, sum(Bedrag) FROM read_csv('{csv_path}', delim=';', "
               "header=true, all_varchar=true, types={'Bedrag': 'BIGINT'}) "
               "GROUP BY Ontvanger").fetchall()
    return time.perf_counter() - start


def timed_process(args: list[str], db: Path, repeat: int = 3) -> tuple[float, float, str]:
    """(first, best) seconds of `geldstroom ARGS --db DB` as a whole process; its output."""
    times, out = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "geldstroom", *args, "--db", str(db)],
                              capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"geldstroom {' '.join(args)}: exit {done.returncode}: "
                             f"{done.stderr.strip()[-400:]}")
        out = done.stdout
    return times[0], min(times), out


def run(folder: Path, rows: int, neo4j: bool, profile: bool) -> None:
    from geldstroom.graph.build import GraphInputs, build_graph_of
    from geldstroom.graph.open_data import open_register
    from geldstroom.graph.schema import REL_OF_KIND, node_label
    from geldstroom.graph.store import load_store
    from geldstroom.loaders.actors.register import ActorRegister
    from geldstroom.loaders.documents.corpus import read_corpus
    from geldstroom.loaders.documents.manifest import bundled_documents
    from geldstroom.loaders.opendata.corpus import load_open_corpus

    csv_path = folder / "financiele_instrumenten_synthetic.csv"
    if not csv_path.exists():
        start = time.perf_counter()
        counts = write(csv_path, rows)
        print(f"generated {csv_path.name} in {time.perf_counter() - start:.1f} s: {counts}")
    manifest = folder / "sources.toml"
    manifest.write_text(MANIFEST.format(file=csv_path.name), encoding="utf-8")
    print(f"file: {csv_path.stat().st_size / 1e6:.0f} MB")
    baseline = duckdb_baseline(csv_path)
    from geldstroom.loaders.opendata.csv_files import kept_out_of_gc_passes

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    steps: dict[str, tuple[float, float, float, float]] = {}  # wall s, CPU s, RSS, peak MB
    clock = [time.perf_counter(), time.process_time()]

    def done(step: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        steps[step] = (wall - clock[0], cpu - clock[1], rss_mb(), peak_mb())
        clock[:] = [time.perf_counter(), time.process_time()]

    with kept_out_of_gc_passes():  # as default_graph() reads and builds
        open_data = load_open_corpus(manifest)
        done("read (bundled open data + the file)")
        payments = open_data.instrumenten.payments
        names = {p.recipient for p in payments if p.recipient is not None}
        # The aim's measure (names < 15 s) is this register, the one the graph uses: the
        # file's names and every other open-data name. (A register of the file's names
        # alone, built before it only to be timed, cost 1 GB and 20-35 s CPU.)
        register = open_register(open_data, ActorRegister.load())
        done(f"resolve: register of every open-data name, the file's {len(names):,} among "
             "them (the one the graph uses)")
        corpus, register = read_corpus(bundled_documents(), register)
        done("documents")
        # the recipient the most rows name (no step); then, as default_graph() does, the
        # inputs are handed over, no reference kept: the graph reuses their memory
        top = Counter(p.recipient for p in payments if p.recipient).most_common(1)[0][0]
        top_id = register.resolve(top) or top
        counts = f"payments read: {len(payments):,}; actors: {len(register):,}"
        inputs = GraphInputs(corpus, open_data, register)
        del open_data, corpus, register, payments, names
        clock[:] = [time.perf_counter(), time.process_time()]
        graph = build_graph_of(inputs)
        done("build graph")
    db = folder / "fi.lbug"
    nodes = Counter(node_label(d) for _, d in graph.nodes(data=True))
    edges = Counter(REL_OF_KIND[d["kind"]] for *_, d in graph.edges(data=True))
    clock[:] = [time.perf_counter(), time.process_time()]  # the counts are no step
    # as `geldstroom load` does, the graph is emptied once staged, unless pushed after
    load_store(graph, db, inputs=f"given: {manifest}", clear_graph=not neo4j)
    done("load store")
    if profiler:
        profiler.disable()
    total = sum(wall for wall, *_ in steps.values())
    total_cpu = sum(cpu for _, cpu, *_ in steps.values())
    print(counts)
    print(f"nodes: {dict(sorted(nodes.items()))}")
    print(f"edges: {dict(sorted(edges.items()))}")
    print("\n| step | wall s | CPU s | RSS after, MB | peak so far, MB |\n"
          "|---|---:|---:|---:|---:|")
    for step, (wall, cpu, rss, peak) in steps.items():
        print(f"| {step} | {wall:.1f} | {cpu:.1f} | {rss:,.0f} | {peak:,.0f} |")
    print(f"| **read + resolve + build + load** | {total:.1f} | {total_cpu:.1f} |")
    print(f"load average during the run (1 min): {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    print(f"\npeak memory (max RSS of this process): {peak_mb():,.0f} MB")
    if baseline is not None:
        print(f"DuckDB, read the CSV and sum per recipient: {baseline:.2f} s "
              f"(ours read + resolve + build + load / DuckDB: {total / baseline:.0f}x)")
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)
    if neo4j:
        push_to_neo4j(graph, top_id, folder)
    del graph
    print("\n| command (whole process, --db the store) | first s | best of 3 s |\n|---|---:|---:|")
    for args in (["summary", top], ["summary", "--year", "2023"]):
        first, best, _ = timed_process(args, db)
        print(f"| geldstroom {' '.join(repr(a) if ' ' in a else a for a in args)} | "
              f"{first:.2f} | {best:.2f} |")


def push_to_neo4j(graph: object, recipient: str, folder: Path) -> None:
    """`geldstroom neo4j push` (batched) of the graph to the test suite's server, and the
    named recipient_summary query there."""
    from geldstroom.graph import neo4j_store
    from geldstroom.queries.named import named_query

    sys.path.insert(0, str(BENCH.parent / "tests"))
    from neo4j_server import Neo4jServer

    started = time.perf_counter()
    server = Neo4jServer(folder / "neo4j").start()
    print(f"\nstarted Neo4j at {server.uri} in {time.perf_counter() - started:.1f} s")
    try:
        connection = server.connection()
        start = time.perf_counter()
        report = neo4j_store.push(graph, connection)  # type: ignore[arg-type]
        pushed = time.perf_counter() - start
        print(f"neo4j push (batched) of {sum(report.counts.values()):,} nodes and "
              f"relationships: {pushed:.1f} s")
        query = named_query("recipient_summary")
        params = query.bind({"recipient": recipient})
        times = []
        for _ in range(3):
            start = time.perf_counter()
            neo4j_store.run_query(connection, query.cypher, params)
            times.append(time.perf_counter() - start)
        print(f"recipient_summary {recipient!r} on Neo4j: first {times[0]:.2f} s, "
              f"best {min(times):.2f} s")
    finally:
        server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=700_000)
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--neo4j", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.folder:
        args.folder.mkdir(parents=True, exist_ok=True)
        run(args.folder, args.rows, args.neo4j, args.profile)
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(Path(tmp), args.rows, args.neo4j, args.profile)


if __name__ == "__main__":
    main()
