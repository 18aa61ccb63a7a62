"""Benchmark embedded Cypher engines for `geldstroom load` (a script, not a test).

    python bench/engines.py --edges 10000,100000,1000000 [--engines ladybug,kuzu,grand-cypher]

For every engine and size it prints: load time through our own Cypher path (batched
parameterised `UNWIND $rows`), load time through the engine's bulk `COPY ... FROM` CSV,
their ratio, the recipient summary query time, peak RSS and size on disk. It then runs
a feature table of real queries against each engine. Every measurement runs in its own
subprocess (`--worker`), so peak RSS is per run, and so `ladybug` and `kuzu` never share
a process: both register the same pybind11 type "Database" and the second import crashes.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib
import json
import os
import pickle
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

YEARS = range(2018, 2025)
STAGES = ("ontwerpbegroting", "suppletoire", "jaarverslag")
PAYER = "minvws"
KUZU_FAMILY = {"ladybug": "ladybug", "kuzu": "kuzu"}  # engine name -> import name

DDL = [
    "CREATE NODE TABLE Actor(id STRING, name STRING, kind STRING, aliases STRING[],"
    " PRIMARY KEY(id))",
    "CREATE NODE TABLE BudgetLine(id STRING, document STRING, hoofdstuk STRING,"
    " artikel STRING, path STRING[], instrument STRING, PRIMARY KEY(id))",
    "CREATE REL TABLE FUNDS(FROM Actor TO Actor, year INT64, euros INT64, stage STRING,"
    " instrument STRING, line_id STRING, shared_with STRING[], evidence STRING,"
    " document STRING, source_line INT64)",
    "CREATE REL TABLE PART_OF(FROM Actor TO Actor)",
    "CREATE REL TABLE PASSES_ON(FROM Actor TO Actor)",
]

# Our own load path: plain Cypher with one list-of-maps parameter per batch.
UPSERT = {
    "Actor": "UNWIND $rows AS r MERGE (a:Actor {id: r.id})"
    " SET a.name = r.name, a.kind = r.kind, a.aliases = r.aliases",
    "BudgetLine": "UNWIND $rows AS r MERGE (l:BudgetLine {id: r.id})"
    " SET l.document = r.document, l.hoofdstuk = r.hoofdstuk, l.artikel = r.artikel,"
    " l.path = r.path, l.instrument = r.instrument",
    "FUNDS": "UNWIND $rows AS r MATCH (a:Actor {id: r.src}), (b:Actor {id: r.dst})"
    " CREATE (a)-[:FUNDS {year: r.year, euros: r.euros, stage: r.stage,"
    " instrument: r.instrument, line_id: r.line_id, shared_with: r.shared_with,"
    " evidence: r.evidence, document: r.document, source_line: r.source_line}]->(b)",
    "PART_OF": "UNWIND $rows AS r MATCH (a:Actor {id: r.src}), (b:Actor {id: r.dst})"
    " MERGE (a)-[:PART_OF]->(b)",
    "PASSES_ON": "UNWIND $rows AS r MATCH (a:Actor {id: r.src}), (b:Actor {id: r.dst})"
    " MERGE (a)-[:PASSES_ON]->(b)",
}

# Per recipient per year: sum of euros, a line counted once per (line_id, year) even when
# several documents/stages report it. Same text runs on Neo4j 5.
SUMMARY = """
MATCH (:Actor {kind: 'payer'})-[f:FUNDS]->(r:Actor)
WITH r.id AS recipient, f.year AS year, f.line_id AS line, max(f.euros) AS euros
RETURN recipient, year, sum(euros) AS total, count(line) AS lines
ORDER BY recipient, year
"""
# grand-cypher has no WITH: group by (recipient, year, line) in Cypher, sum in Python.
SUMMARY_GC = (
    'MATCH (p:Actor {kind: "payer"})-[f:FUNDS]->(r:Actor)'
    " RETURN r.id, f.year, f.line_id, MAX(f.euros)"
)

Rows = list[dict[str, Any]]


def make_data(edges: int, seed: int = 7) -> dict[str, Rows]:
    """1 payer, edges/20 recipients, `edges` FUNDS rows over 7 years.

    Recipients come in groups of 10; the first three of a group share a line
    (shared_with lists 2-3 ids), and each line is reported at several stages, so
    (recipient, line_id, year) repeats and the summary has something to dedup.
    """
    rng = random.Random(seed)
    n = max(edges // 20, 3)
    actors = [{"id": PAYER, "name": "Ministerie van VWS", "kind": "payer", "aliases": ["VWS"]}]
    actors += [
        {"id": f"r{i}", "name": f"Stichting {i}, Utrecht", "kind": "org", "aliases": [f"S{i}"]}
        for i in range(n)
    ]
    lines: dict[str, dict[str, Any]] = {}
    funds: Rows = []
    for k in range(edges):
        i = k * n // edges
        year = rng.choice(YEARS)
        group = i // 10 * 10
        if i - group < 3 and rng.random() < 0.3:
            line_id = f"S{group}"
            shared = [f"r{j}" for j in range(group, min(group + 2 + (group // 10) % 2, n))]
        else:
            line_id, shared = f"L{i}-{rng.randrange(3)}", []
        hoofdstuk, artikel = f"XVI.{i % 12}", f"{i % 9}.{i % 4}"
        lines.setdefault(
            line_id,
            {
                "id": line_id,
                "document": f"2024-XVI-{i % 5}",
                "hoofdstuk": hoofdstuk,
                "artikel": artikel,
                "path": [hoofdstuk, artikel, line_id],
                "instrument": "subsidie",
            },
        )
        funds.append(
            {
                "src": PAYER,
                "dst": f"r{i}",
                "year": year,
                "euros": rng.randrange(1_000, 10**7),
                "stage": rng.choice(STAGES),
                "instrument": "subsidie",
                "line_id": line_id,
                "shared_with": shared,
                "evidence": f'tabel 3.{i % 40}, "Stichting {i}"',
                "document": f"2024-XVI-{k % 5}",
                "source_line": k,
            }
        )
    part_of = [{"src": f"r{i}", "dst": f"r{i - 1}"} for i in range(1, n, 50)]
    passes_on = [{"src": f"r{i}", "dst": f"r{i + 1}"} for i in range(2, n - 1, 20)]
    return {
        "Actor": actors,
        "BudgetLine": list(lines.values()),
        "FUNDS": funds,
        "PART_OF": part_of,
        "PASSES_ON": passes_on,
    }


def csv_cell(value: Any) -> Any:
    """Kuzu/Ladybug CSV list literal: [a,b]; items here never contain , [ ] or quotes."""
    return "[" + ",".join(value) + "]" if isinstance(value, list) else value


def write_csvs(data: dict[str, Rows], folder: Path) -> None:
    for table, rows in data.items():
        with open(folder / f"{table}.csv", "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(rows[0].keys())
            writer.writerows([csv_cell(v) for v in row.values()] for row in rows)


def disk_size(path: Path) -> int:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    files += list(path.parent.glob(path.name + ".*"))  # sidecars such as db.wal
    return sum(p.stat().st_size for p in files)


# ---------------------------------------------------------------- kuzu / ladybug worker
def run_kuzu_family(module: str, method: str, edges: int, workdir: Path, batch: int) -> dict:
    eng = importlib.import_module(module)
    data = make_data(edges) if method == "cypher" else None
    db_path = workdir / f"{module}-{method}.db"
    db = eng.Database(str(db_path))
    conn = eng.Connection(db)
    t0 = time.perf_counter()
    for stmt in DDL:
        conn.execute(stmt)
    if data is not None:  # (a) our own path: batched UNWIND, one transaction per batch
        for table, rows in data.items():
            for start in range(0, len(rows), batch):
                conn.execute(UPSERT[table], {"rows": rows[start : start + batch]})
    else:  # (b) the engine's bulk loader
        for table in ("Actor", "BudgetLine", "FUNDS", "PART_OF", "PASSES_ON"):
            conn.execute(f"COPY {table} FROM '{workdir / table}.csv' (header=true)")
    load_s = time.perf_counter() - t0
    times, n_rows = [], 0
    for _ in range(3):
        t0 = time.perf_counter()
        n_rows = len(conn.execute(SUMMARY).get_all())
        times.append(time.perf_counter() - t0)
    n_funds = conn.execute("MATCH ()-[f:FUNDS]->() RETURN count(f)").get_all()[0][0]
    conn.close()
    db.close()
    return {
        "load_s": load_s,
        "query_first_s": times[0],
        "query_best_s": min(times),
        "summary_rows": n_rows,
        "funds": n_funds,
        "disk_bytes": disk_size(db_path),
    }


# ------------------------------------------------------------------ grand-cypher worker
def run_grand_cypher(method: str, edges: int, workdir: Path) -> dict:
    import networkx as nx
    from grandcypher import GrandCypher

    if method == "cypher":  # "own path": our Python rows straight into NetworkX
        data = make_data(edges)
        t0 = time.perf_counter()
    else:  # "bulk": the same CSV files, parsed by the csv module
        t0 = time.perf_counter()
        data = {}
        for table in ("Actor", "BudgetLine", "FUNDS", "PART_OF", "PASSES_ON"):
            with open(workdir / f"{table}.csv", newline="", encoding="utf-8") as fh:
                data[table] = list(csv.DictReader(fh))
        for row in data["FUNDS"]:
            row["year"], row["euros"] = int(row["year"]), int(row["euros"])
    g = nx.MultiDiGraph()
    for label in ("Actor", "BudgetLine"):
        g.add_nodes_from((r["id"], {**r, "__labels__": {label}}) for r in data[label])
    for label in ("FUNDS", "PART_OF", "PASSES_ON"):
        g.add_edges_from((r["src"], r["dst"], {**r, "__labels__": {label}}) for r in data[label])
    load_s = time.perf_counter() - t0
    db_path = workdir / f"grand-cypher-{method}.pickle"  # no storage of its own: pickle it
    db_path.write_bytes(pickle.dumps(g, protocol=pickle.HIGHEST_PROTOCOL))
    t0 = time.perf_counter()
    res = GrandCypher(g).run(SUMMARY_GC)
    totals: dict[tuple[str, int], int] = {}
    for rid, year, euros in zip(res["r.id"], res["f.year"], res["MAX(f.euros)"], strict=True):
        totals[rid, year] = totals.get((rid, year), 0) + euros
    query_s = time.perf_counter() - t0
    return {
        "load_s": load_s,
        "query_first_s": query_s,
        "query_best_s": query_s,
        "summary_rows": len(totals),
        "funds": len(data["FUNDS"]),
        "disk_bytes": disk_size(db_path),
    }


def worker(engine: str, method: str, edges: int, workdir: Path, batch: int) -> None:
    if method == "features":
        feats = (
            grand_cypher_features()
            if engine == "grand-cypher"
            else kuzu_features(KUZU_FAMILY[engine], workdir)
        )
        print(json.dumps(feats))
        return
    if engine == "grand-cypher":
        out = run_grand_cypher(method, edges, workdir)
    else:
        out = run_kuzu_family(KUZU_FAMILY[engine], method, edges, workdir, batch)
    # VmHWM, not ru_maxrss: at exec Linux folds the parent's peak into the child's ru_maxrss
    # (tests/peak_memory.py), and this worker is the driver's child.
    with open("/proc/self/status", encoding="ascii") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    out["peak_rss_mb"] = peak_kb / 1024
    print(json.dumps(out))


# ------------------------------------------------------------------------ feature table
FEATURES: list[tuple[str, str, dict[str, Any]]] = [
    ("parameters $x", "MATCH (a:Actor {id: $x}) RETURN a.name", {"x": "A"}),
    (
        "UNWIND list-of-maps param",
        "UNWIND $rows AS r RETURN r.id, r.n",
        {"rows": [{"id": "a", "n": 1}, {"id": "b", "n": 2}]},
    ),
    (
        "UNWIND maps with differing keys",
        "UNWIND $rows AS r RETURN r.id",
        {"rows": [{"id": "a", "n": 1}, {"id": "b"}]},
    ),
    (
        "MERGE node ON CREATE/ON MATCH",
        "MERGE (a:Actor {id: 'Z'}) ON CREATE SET a.name = 'new' ON MATCH SET a.name = 'seen'"
        " RETURN a.name",
        {},
    ),
    (
        "MERGE rel (idempotent)",
        "MATCH (a:Actor {id: 'B'}), (b:Actor {id: 'A'}) MERGE (a)-[:PART_OF]->(b)"
        " WITH a MATCH (a)-[p:PART_OF]->() RETURN count(p)",
        {},
    ),
    (
        "OPTIONAL MATCH",
        "MATCH (a:Actor) OPTIONAL MATCH (a)-[:PART_OF]->(b:Actor) RETURN a.id, b.id ORDER BY a.id",
        {},
    ),
    (
        "collect / DISTINCT",
        "MATCH (a:Actor)-[f:FUNDS]->(b:Actor) RETURN a.id, collect(DISTINCT b.id),"
        " count(DISTINCT f.year)",
        {},
    ),
    (
        "list property, IN, size()",
        "MATCH (a:Actor) WHERE 'x' IN a.aliases RETURN a.id, size(a.aliases)",
        {},
    ),
    (
        "list comprehension",
        "MATCH (a:Actor {id: 'A'}) RETURN [x IN a.aliases WHERE x <> 'x' | toUpper(x)]",
        {},
    ),
    (
        "list_filter/list_transform lambdas (Kuzu)",
        "MATCH (a:Actor {id: 'A'}) RETURN list_transform(list_filter(a.aliases, x -> x <> 'x'),"
        " x -> upper(x))",
        {},
    ),
    (
        "variable-length -[*1..3]->",
        "MATCH (a:Actor {id: 'A'})-[*1..3]->(b:Actor) RETURN DISTINCT b.id ORDER BY b.id",
        {},
    ),
    (
        "shortestPath() (Neo4j)",
        "MATCH p = shortestPath((a:Actor {id: 'A'})-[*..5]->(b:Actor {id: 'C'})) RETURN length(p)",
        {},
    ),
    (
        "-[* SHORTEST 1..5]-> (Kuzu)",
        "MATCH p = (a:Actor {id: 'A'})-[* SHORTEST 1..5]->(b:Actor {id: 'C'}) RETURN length(p)",
        {},
    ),
    ("CASE", "MATCH (a:Actor) RETURN a.id, CASE WHEN a.kind = 'payer' THEN 1 ELSE 0 END", {}),
    (
        "WITH ... ORDER BY LIMIT",
        "MATCH (:Actor)-[f:FUNDS]->(b:Actor) WITH b, sum(f.euros) AS t ORDER BY t DESC LIMIT 1"
        " RETURN b.id, t",
        {},
    ),
    ("LIMIT $n", "MATCH (a:Actor) RETURN a.id ORDER BY a.id LIMIT $n", {"n": 1}),
    (
        "EXISTS { } subquery",
        "MATCH (a:Actor) WHERE EXISTS { MATCH (a)-[:FUNDS]->() } RETURN a.id",
        {},
    ),
    ("CALL { } subquery", "CALL { MATCH (a:Actor) RETURN count(a) AS c } RETURN c", {}),
    ("SET n += map", "MATCH (a:Actor {id: 'C'}) SET a += {name: 'cee'} RETURN a.name", {}),
    ("labels(n)", "MATCH (a:Actor {id: 'A'}) RETURN labels(a)", {}),
    ("label(n) (Kuzu)", "MATCH (a:Actor {id: 'A'}) RETURN label(a)", {}),
    ("elementId(n)", "MATCH (a:Actor {id: 'A'}) RETURN elementId(a)", {}),
    ("split()", "RETURN split('a,b', ',')", {}),
    ("string_split() (Kuzu)", "RETURN string_split('a,b', ',')", {}),
    ("missing property -> null", "MATCH (a:Actor) RETURN a.nonexistent", {}),
    ("apoc.*", "RETURN apoc.coll.sum([1, 2])", {}),
]


def kuzu_features(module: str, workdir: Path) -> dict[str, str]:
    eng = importlib.import_module(module)
    db = eng.Database(str(workdir / f"{module}-features.db"))
    conn = eng.Connection(db)
    for stmt in DDL[:1] + DDL[2:4]:
        conn.execute(stmt)
    conn.execute(
        "UNWIND $rows AS r CREATE (:Actor {id: r.id, name: r.id, kind: r.k, aliases: r.al})",
        {
            "rows": [
                {"id": "A", "k": "payer", "al": ["x", "y"]},
                {"id": "B", "k": "org", "al": []},
                {"id": "C", "k": "org", "al": ["c"]},
            ]
        },
    )
    conn.execute(
        "MATCH (a:Actor {id: 'A'}), (b:Actor) WHERE b.id <> 'A'"
        " CREATE (a)-[:FUNDS {year: 2024, euros: 10, line_id: 'L1'}]->(b)"
    )
    out = {}
    for name, query, params in FEATURES:
        try:
            res = conn.execute(query, params).get_all()
            if name.startswith("MERGE"):
                res = conn.execute(query, params).get_all()  # second run must not duplicate
            out[name] = "ok " + json.dumps(res, default=str)[:60]
        except Exception as exc:
            out[name] = "NO " + str(exc).splitlines()[0][:90]
    # Explicit transaction, rollback, and what an error inside a transaction does.
    conn.execute("BEGIN TRANSACTION")
    conn.execute("CREATE (:Actor {id: 'T1'})")
    conn.execute("ROLLBACK")
    gone = conn.execute("MATCH (a:Actor {id: 'T1'}) RETURN count(a)").get_all()[0][0] == 0
    out["BEGIN/ROLLBACK"] = "ok" if gone else "NO rollback kept the row"
    conn.execute("BEGIN TRANSACTION")
    conn.execute("CREATE (:Actor {id: 'T2'})")
    with contextlib.suppress(RuntimeError):
        conn.execute("CREATE (:Actor {id: 'A'})")  # duplicate primary key
    try:
        conn.execute("COMMIT")
        after = "COMMIT accepted"
    except Exception as exc:
        after = str(exc).splitlines()[0][:40]
    kept = conn.execute("MATCH (a:Actor {id: 'T2'}) RETURN count(a)").get_all()[0][0]
    out["error inside transaction"] = (
        f"ok whole tx rolled back ({after})" if kept == 0 else f"NO earlier write kept ({after})"
    )
    conn.close()
    db.close()
    out["storage"] = storage_layout(workdir / f"{module}-features.db")
    out["read-only open while a writer holds it"] = read_only_probe(module, workdir)
    return out


def storage_layout(path: Path) -> str:
    kind = "one file" if path.is_file() else "a directory"
    return f"{kind} ({path.name}); a {path.name}.wal sidecar exists while open"


def read_only_probe(module: str, workdir: Path) -> str:
    """Writer process holds the DB open; a second process opens it read_only=True."""
    path = workdir / f"{module}-features.db"
    hold = (
        f"import {module} as e,time,sys; db=e.Database({str(path)!r}); c=e.Connection(db);"
        "c.execute(\"CREATE (:Actor {id: 'W'})\"); print('ready', flush=True);"
        "time.sleep(5)"
    )
    read = (
        f"import {module} as e; db=e.Database({str(path)!r}, read_only=True);"
        "print(e.Connection(db).execute('MATCH (a:Actor) RETURN count(a)').get_all())"
    )
    with subprocess.Popen([sys.executable, "-c", hold], stdout=subprocess.PIPE, text=True) as w:
        assert w.stdout is not None
        w.stdout.readline()
        r = subprocess.run([sys.executable, "-c", read], capture_output=True, text=True)
        w.kill()
    errs = [ln for ln in r.stderr.splitlines() if "exception" in ln.lower()] or ["?"]
    during = "opens, sees committed writes" if r.returncode == 0 else "NO " + errs[-1]
    r = subprocess.run([sys.executable, "-c", read], capture_output=True, text=True)
    after = "ok after writer exits" if r.returncode == 0 else "fails after writer exits too"
    return f"{during[:110]}; {after}"


def grand_cypher_features() -> dict[str, str]:
    import networkx as nx
    from grandcypher import GrandCypher

    g = nx.MultiDiGraph()
    for node, kind, aliases in (("A", "payer", ["x", "y"]), ("B", "org", []), ("C", "org", ["c"])):
        g.add_node(node, id=node, name=node, kind=kind, aliases=aliases, __labels__={"Actor"})
    for dst in "BC":
        g.add_edge("A", dst, year=2024, euros=10, line_id="L1", __labels__={"FUNDS"})
    out = {}
    for name, query, _params in FEATURES:  # no parameters; only "double-quoted" strings parse
        try:
            res = GrandCypher(g).run(query.replace("'", '"'))
            out[name] = "ok " + json.dumps(res, default=str)[:60]
        except Exception as exc:
            out[name] = "NO " + type(exc).__name__ + " " + str(exc).splitlines()[0][:70]
    out["BEGIN/ROLLBACK"] = out["error inside transaction"] = "NO read-only query engine"
    out["storage"] = "none: an in-memory NetworkX graph (pickle it yourself)"
    out["read-only open while a writer holds it"] = "n/a (no database)"
    return out


# ----------------------------------------------------------------------------- driver
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edges", default="10000,100000,1000000")
    ap.add_argument("--engines", default="ladybug,kuzu,grand-cypher")
    ap.add_argument("--batch", type=int, default=10_000, help="rows per UNWIND $rows call")
    ap.add_argument("--timeout", type=float, default=600, help="seconds per measurement")
    ap.add_argument("--no-features", action="store_true")
    ap.add_argument(
        "--worker", nargs=4, metavar=("ENGINE", "METHOD", "EDGES", "DIR"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.worker:
        engine, method, edges, folder = args.worker
        worker(engine, method, int(edges), Path(folder), args.batch)
        return
    engines = args.engines.split(",")
    print(
        f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]},"
        f" batch {args.batch} rows per UNWIND"
    )
    head = (
        f"{'engine':<13}{'edges':>9}{'load UNWIND s':>14}{'load COPY s':>12}{'ratio':>7}"
        f"{'query s (1st/best)':>20}{'peak RSS MB (a/b)':>19}{'disk MB (a/b)':>15}"
    )
    print(head)
    for edges in (int(e) for e in args.edges.split(",")):
        workdir = Path(tempfile.mkdtemp(prefix=f"geldstroom-bench-{edges}-"))
        write_csvs(make_data(edges), workdir)
        for engine in engines:
            res = {}
            for method in ("cypher", "copy"):
                cmd = [
                    sys.executable,
                    __file__,
                    "--batch",
                    str(args.batch),
                    "--worker",
                    engine,
                    method,
                    str(edges),
                    str(workdir),
                ]
                try:
                    p = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
                    res[method] = (
                        json.loads(p.stdout.splitlines()[-1])
                        if p.returncode == 0
                        else {"error": p.stderr.strip().splitlines()[-1][:80]}
                    )
                except subprocess.TimeoutExpired:
                    res[method] = {"error": f"timeout {args.timeout:.0f}s"}
            print(format_row(engine, edges, res["cypher"], res["copy"]), flush=True)
            for method, r in res.items():
                if "error" in r:
                    print(f"    {method}: {r['error']}")
                elif r["funds"] != edges:
                    print(f"    {method}: loaded {r['funds']} FUNDS edges, expected {edges}")
        shutil.rmtree(workdir)
    if not args.no_features:
        print_features(engines)


def format_row(engine: str, edges: int, a: dict, b: dict) -> str:
    def f(r: dict, key: str, scale: float = 1, fmt: str = ".2f") -> str:
        return format(r[key] / scale, fmt) if key in r else "-"

    ratio = f"{a['load_s'] / b['load_s']:.1f}x" if "load_s" in a and "load_s" in b else "-"
    q = b if "query_first_s" in b else a  # same graph either way; prefer the COPY-loaded DB
    query = f"{f(q, 'query_first_s')}/{f(q, 'query_best_s')}"
    rss = f"{f(a, 'peak_rss_mb', fmt='.0f')}/{f(b, 'peak_rss_mb', fmt='.0f')}"
    disk = f"{f(a, 'disk_bytes', 2**20, '.1f')}/{f(b, 'disk_bytes', 2**20, '.1f')}"
    return (
        f"{engine:<13}{edges:>9}{f(a, 'load_s'):>14}{f(b, 'load_s'):>12}{ratio:>7}"
        f"{query:>20}{rss:>19}{disk:>15}"
    )


def print_features(engines: list[str]) -> None:
    table: dict[str, dict[str, str]] = {}
    for engine in engines:
        with tempfile.TemporaryDirectory() as folder:
            cmd = [sys.executable, __file__, "--worker", engine, "features", "0", folder]
            p = subprocess.run(cmd, capture_output=True, text=True)
        table[engine] = (
            json.loads(p.stdout.splitlines()[-1]) if p.returncode == 0 else {"*": p.stderr[-200:]}
        )
    print("\nfeature table (ok/NO + first result or error):")
    for name in dict.fromkeys(k for t in table.values() for k in t):
        print(f"- {name}")
        for engine in engines:
            print(f"    {engine:<13}{table[engine].get(name, '-')}")


if __name__ == "__main__":
    main()
