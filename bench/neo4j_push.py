"""Push synthetic graphs to a real Neo4j server: batched UNWIND MERGE (what `geldstroom neo4j
push` does) against one row per transaction (the baseline), in the same run; then the named
recipient_summary query on Neo4j against the embedded store, on the same data.

(Not bench/neo4j.py: run as a script, that name would shadow the driver package.) The server
is warmed up with one push before anything is timed: a cold JVM is twice as slow.

The server is the test suite's (Neo4j 5.26 Community from Maven Central, tests/neo4j_server.py),
started here and stopped at the end; or the one NEO4J_URI and NEO4J_PASSWORD name (its
database is emptied before each push).

    python bench/neo4j_push.py [--edges 10000,100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from neo4j import GraphDatabase

from geldstroom.graph import neo4j_store
from geldstroom.graph.neo4j_store import Connection
from geldstroom.graph.store import Store, load_store
from geldstroom.queries.named import named_query

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from neo4j_server import Neo4jServer
from synthetic import make_graph


def empty(connection: Connection) -> None:
    auth = (connection.user, connection.password)
    # In batches: deleting a 100k-edge graph in one transaction is slow.
    with GraphDatabase.driver(connection.uri, auth=auth) as driver, driver.session() as session:
        session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS "
                    "OF 10000 ROWS").consume()


def push_row_by_row(graph: Any, connection: Connection) -> int:
    """The baseline: the same MERGE statements, one row per managed transaction."""
    jobs = neo4j_store.work(graph, batch_size=1)
    auth = (connection.user, connection.password)
    with GraphDatabase.driver(connection.uri, auth=auth) as driver, driver.session() as session:
        for constraint in neo4j_store.neo4j_constraints():
            session.run(constraint).consume()
        for job in jobs:
            session.execute_write(lambda tx, j=job: tx.run(j.statement, rows=j.rows).consume())
    return len(jobs)


def best_of(repeat: int, action: Any) -> tuple[float, float, Any]:
    """(first, best) seconds and the last result."""
    timings, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    return timings[0], min(timings), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    server = None
    if os.environ.get("NEO4J_URI"):
        connection = Connection(uri=os.environ["NEO4J_URI"],
                                password=os.environ.get("NEO4J_PASSWORD", ""))
    else:
        home = Path(tempfile.mkdtemp(prefix="geldstroom-bench-neo4j-"))
        started = time.perf_counter()
        server = Neo4jServer(home).start()
        print(f"started Neo4j at {server.uri} in {time.perf_counter() - started:.1f} s")
        connection = server.connection()
    query = named_query("recipient_summary")
    try:
        neo4j_store.push(make_graph(5000, seed=1), connection)  # warm-up, untimed
        empty(connection)
        print("| PAYS edges | rows pushed | batched push s | one row per transaction s | "
              "ratio | summary on Neo4j ms (1st/best) | summary embedded ms (1st/best) |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        for edges in (int(e) for e in args.edges.split(",")):
            graph = make_graph(edges)
            rows = sum(len(job.rows) for job in neo4j_store.work(graph))
            empty(connection)
            start = time.perf_counter()
            report = neo4j_store.push(graph, connection)
            batched = time.perf_counter() - start
            assert report.counts == neo4j_store.expected_counts(graph), report.counts
            years = sorted({y for _, _, y in graph.edges(data="year") if y is not None})
            params = query.bind({"year": str(years[len(years) // 2])})
            n_first, n_best, on_neo4j = best_of(args.repeat, lambda p=params: neo4j_store
                                                .run_query(connection, query.cypher, p).rows)
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "g.lbug"
                load_store(graph, path)
                with Store(path) as embedded:
                    e_first, e_best, on_store = best_of(
                        args.repeat, lambda p=params, s=embedded: s.run(query.cypher, p).rows)
            same = sorted(on_neo4j, key=repr) == sorted(on_store, key=repr)
            empty(connection)
            start = time.perf_counter()
            push_row_by_row(graph, connection)
            row_by_row = time.perf_counter() - start
            print(f"| {edges:,} | {rows:,} | {batched:.2f} | {row_by_row:.2f} | "
                  f"{row_by_row / batched:.1f}x | {n_first * 1000:.1f}/{n_best * 1000:.1f} | "
                  f"{e_first * 1000:.1f}/{e_best * 1000:.1f} |"
                  + ("" if same else " ANSWERS DIFFER"), flush=True)
    finally:
        if server is not None:
            server.kill()


if __name__ == "__main__":
    main()
