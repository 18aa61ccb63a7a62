"""The summary as a user runs it on a loaded store, against `geldstroom --help` and the bare
interpreter measured in the same run.

    python bench/summary_store.py [RUNS] [EDGES]

Builds the default store in a temporary folder (GELDSTROOM_DB points there; the user's
cache is not touched) with `geldstroom load`, then times whole processes, interleaved so
that load on the machine hits all alike (best and median of RUNS, default 5):
`python -c pass` (the floor), `geldstroom --help` (aim < 0.25 s),
`geldstroom summary "Stichting CAOP"` (aim < 1.0 s), the national `geldstroom summary`, and
the same recipient with the documents read and the graph built in memory (--manifest).
Also prints what the digest check costs (hashing every bundled input) and which heavy
libraries the recipient summary imports. Then the same on a synthetic store of EDGES PAYS
(default 100 000; the national corpus has about 26 000 payments and 35 000 figures).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import best_median, geldstroom_exe

HEAVY = ("pyarrow", "plotly", "matplotlib", "neo4j", "ladybug", "networkx", "numpy",
         "pydantic", "sankeyflow", "pydot", "rapidfuzz")


def main(runs: int) -> None:
    exe = geldstroom_exe()
    from geldstroom.graph.digest import bundled_inputs, corpus_digest
    from geldstroom.loaders.documents.manifest import bundled_manifest

    inputs = bundled_inputs()
    size = sum(p.stat().st_size for p in inputs)
    digest_times = []
    for _ in range(max(runs, 5)):
        started = time.perf_counter()
        corpus_digest()
        digest_times.append(time.perf_counter() - started)
    best, median = best_median(digest_times)
    print(f"corpus digest: {len(inputs)} files, {size / 1e6:.2f} MB as stored; "
          f"best {best * 1000:.1f} ms, median {median * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "GELDSTROOM_DB": str(Path(folder) / "geldstroom.lbug")}
        started = time.perf_counter()
        done = subprocess.run([exe, "load"], env=env, capture_output=True, text=True,
                              check=True)
        print(f"geldstroom load (whole process): {time.perf_counter() - started:.2f} s; "
              f"{done.stdout.strip()}")
        cases = {
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
            "geldstroom --help": [exe, "--help"],
            'geldstroom summary "Stichting CAOP"': [exe, "summary", "Stichting CAOP"],
            "geldstroom summary (national)": [exe, "summary"],
            'summary "Stichting CAOP" --manifest (in memory)': [
                exe, "summary", "Stichting CAOP", "--manifest", str(bundled_manifest())],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, command in cases.items():
                started = time.perf_counter()
                done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True, check=True)
                times[name].append(time.perf_counter() - started)
                if "building" in done.stderr:
                    sys.exit(f"{name} rebuilt the store: {done.stderr.strip()}")
        floor = min(times["python -c pass (floor)"])
        help_best = min(times["geldstroom --help"])
        for name, found in times.items():
            best, median = best_median(found)
            print(f"{name:48s} best {best:.3f} s  median {median:.3f} s  "
                  f"best - floor {best - floor:.3f} s  x --help {best / help_best:.2f}")
        probe = ("import sys; sys.argv = ['geldstroom', 'summary', 'Stichting CAOP']\n"
                 "from geldstroom.cli.main import main\n"
                 "try:\n    main()\nexcept SystemExit:\n    pass\n"
                 "mods = {m.split('.')[0] for m in sys.modules}\n"
                 "loaders = sorted(m for m in sys.modules if m.startswith('geldstroom.loaders'))\n"
                 f"print(sorted(mods & set({HEAVY!r})), loaders)")
        loaded = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                                text=True, check=True).stdout.strip().splitlines()[-1]
        print(f"libraries `summary \"Stichting CAOP\"` imports (heavy, loaders): {loaded}")


def synthetic(runs: int, edges: int) -> None:
    """The same commands on a store of a synthetic graph at national size and beyond
    (tests/synthetic.py: one payer, edges/20 recipients); its store is read as it is."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from synthetic import make_graph

    from geldstroom.graph.store import Store, load_store
    from geldstroom.graph.store_flows import flows_from_store

    exe = geldstroom_exe()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.lbug"
        graph = make_graph(edges)
        started = time.perf_counter()
        report = load_store(graph, path)
        print(f"\nsynthetic store, {report.counts['PAYS']} PAYS, {report.counts['ALLOCATES']} "
              f"ALLOCATES, {report.counts['Actor']} actors: loaded in "
              f"{time.perf_counter() - started:.2f} s")
        with Store(path) as store:
            found = []
            for _ in range(3):
                started = time.perf_counter()
                flows = flows_from_store(store)
                found.append(time.perf_counter() - started)
            print(f"flows_from_store, every flow ({len(flows)}): best {min(found):.3f} s")
        env = {**os.environ, "GELDSTROOM_DB": str(path)}
        cases = {
            "geldstroom --help": [exe, "--help"],
            'geldstroom summary "Ontvanger r7"': [exe, "summary", "Ontvanger r7"],
            "geldstroom summary (every flow)": [exe, "summary"],
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(runs):
            for name, command in cases.items():
                started = time.perf_counter()
                subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
                times[name].append(time.perf_counter() - started)
        help_best = min(times["geldstroom --help"])
        for name, found in times.items():
            best, median = best_median(found)
            print(f"{name:48s} best {best:.3f} s  median {median:.3f} s  "
                  f"x --help {best / help_best:.2f}")


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    main(runs)
    synthetic(runs, int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
