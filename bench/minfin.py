"""Reading the whole open-data corpus: every bundled file read, checked and reconciled.

Baseline, measured in the same run: plain `csv.reader` over the same gzipped files (open,
decompress, split into cells, nothing else). The ratio is our seconds / baseline seconds: how
many times the bare parse the whole work costs. Aim: the whole corpus well under 60 s.

    python bench/minfin.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geldstroom.loaders.opendata.corpus import load_open_corpus, read_sources
from geldstroom.loaders.opendata.csv_files import open_text


def best_of(repeat: int, work: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def bare_parse(paths: list[Path]) -> int:
    rows = 0
    for path in paths:
        with open_text(path) as handle:
            rows += sum(1 for _ in csv.reader(handle))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sources = [s for s in read_sources() if s.dataset.value != "register"]
    paths = [Path(s.path) for s in sources]
    base_s, rows = best_of(args.repeat, lambda: bare_parse(paths))
    ours_s, corpus = best_of(args.repeat, load_open_corpus)
    figures = len(corpus.tabellen.figures)
    totals = len(corpus.tabellen.totals) + len(corpus.staten.totals)
    payments = sum(len(d.payments) for d in (corpus.subsidies, corpus.medeoverheden,
                                              corpus.agentschappen))
    checked = sum(r.totals_checked for r in corpus.reports)
    compared = len(corpus.reconciliation.compared())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"files {len(paths)}, CSV records {rows:,} (headers included)")
    print(f"records: {figures:,} figures, {totals:,} stated totals, {payments:,} payments; "
          f"{checked:,} totals checked, {compared:,} articles reconciled")
    print(f"| step | seconds (best of {args.repeat}) | x baseline |")
    print("|---|---:|---:|")
    print(f"| baseline: csv.reader over the gzipped files | {base_s:.2f} | 1.0 |")
    print(f"| read, check, reconcile (load_open_corpus) | {ours_s:.2f} | "
          f"{ours_s / base_s:.1f} |")
    print(f"peak RSS {peak_mb:.0f} MB")
    exe = shutil.which("geldstroom")
    if exe:
        manifest = str(Path(sources[0].path).parent.parent / "sources.toml")
        for command in (["sources"], ["validate", "--manifest", manifest]):
            seconds, _ = best_of(args.repeat, lambda c=command: subprocess.run(
                [exe, *c], capture_output=True, check=True))
            print(f"whole process `geldstroom {command[0]}` (bundled sources): {seconds:.2f} s")


if __name__ == "__main__":
    main()
