"""Load synthetic graphs into the embedded store and time the recipient summary query.

For each size: our load (graph -> rows -> Arrow -> COPY, one call of load_store) against the
engine's own bulk COPY from CSV files of the same data written beforehand (untimed), in the
same run, as a ratio; then the named recipient_summary query for one year. Also the summary
query on the bundled documents. Prints figures only; writes nothing outside a temp folder.

    python bench/store.py [--edges 10000,100000,1000000] [--repeat 5]

--edges is the number of PAYS edges (line -> recipient); each line also has one ALLOCATES
per year (payer -> line), so a graph holds about 1.1 times as many relationships in all.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import ladybug

from geldstroom.graph.build import build_graph
from geldstroom.graph.schema import NODES, RELATIONSHIPS, graph_columns, kuzu_ddl
from geldstroom.graph.store import Store, load_store
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.queries.named import named_query

# The test data generators live with the tests: they are not part of the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from synthetic import make_graph


def seconds(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _cell(value: Any) -> str:
    if isinstance(value, list):
        # The engine's CSV list form; the synthetic values hold no commas or brackets.
        return "[" + ",".join(str(v) for v in value) + "]"
    if value is None:
        return ""
    return str(value).lower() if isinstance(value, bool) else str(value)


def store_rows(graph: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows of the store's tables (schema.store_fields)."""
    return {name: [dict(zip(table, values, strict=True))
                   for values in zip(*table.values(), strict=True)]
            for name, table in graph_columns(graph, store=True).items()}


def write_csv(rows: dict[str, list[dict[str, Any]]], folder: Path) -> dict[str, Path]:
    files = {}
    for name, table in rows.items():
        if not table:
            continue
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(list(table[0]))
            writer.writerows([_cell(v) for v in row.values()] for row in table)
        files[name] = path
    return files


def copy_from_csv(files: dict[str, Path], database: Path) -> None:
    """The engine's bulk load on its own: DDL, then COPY FROM each CSV file."""
    db = ladybug.Database(str(database))
    conn = ladybug.Connection(db)
    for statement in kuzu_ddl():
        conn.execute(statement)
    for name in (*NODES, *RELATIONSHIPS):
        if name in files:
            conn.execute(f"COPY {name} FROM '{files[name]}' (header=true)")
    conn.close()
    db.close()


def time_query(path: Path, parameters: dict[str, Any], repeat: int) -> tuple[float, int]:
    query = named_query("recipient_summary")
    timings = []
    with Store(path) as store:
        for _ in range(repeat):
            start = time.perf_counter()
            rows = store.run(query.cypher, query.bind({}) | parameters).rows
            timings.append(time.perf_counter() - start)
    return min(timings), len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seeds = build_graph(load_corpus(bundled_documents()))
        load_store(seeds, folder / "seeds.lbug")
        best, count = time_query(folder / "seeds.lbug", {"year": 2024}, args.repeat * 4)
        print(f"bundled documents: recipient_summary 2024, {count} rows, "
              f"best of {args.repeat * 4}: {best * 1000:.1f} ms (aim: under 50 ms)")
        print()
        print(f"{'PAYS':>9} {'ALLOCATES':>9} {'ours s':>8} {'COPY csv s':>11} {'ratio':>6} "
              f"{'query ms':>9} {'rows':>6} {'store MB':>9} {'peak RSS MB':>12}")
        for edges in (int(e) for e in args.edges.split(",")):
            graph = make_graph(edges, seed=edges)
            csv_files = write_csv(store_rows(graph), folder)
            baseline = seconds(partial(copy_from_csv, csv_files, folder / f"copy-{edges}.lbug"))
            ours_path = folder / f"ours-{edges}.lbug"
            ours = seconds(partial(load_store, graph, ours_path))
            query, rows = time_query(ours_path, {"year": 2024}, args.repeat)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            kinds = [kind for *_, kind in graph.edges(data="kind")]
            print(f"{kinds.count('pays'):>9} {kinds.count('allocates'):>9} {ours:>8.2f} "
                  f"{baseline:>11.2f} {baseline / ours:>6.2f} "
                  f"{query * 1000:>9.1f} {rows:>6} {ours_path.stat().st_size / 1e6:>9.1f} "
                  f"{rss:>12.0f}")
        print()
        print("ratio = engine COPY from CSV seconds / our load seconds (1.0: as fast as the "
              "engine's own bulk load; aim at least 0.8)")


if __name__ == "__main__":
    main()
