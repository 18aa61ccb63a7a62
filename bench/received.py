"""`geldstroom summary NAME` as a whole process on a loaded store, against a DuckDB one-liner
over the raw CSV that sums the same recipient (issue 14's aim: at most 2x), in the same run.

    python bench/received.py [RUNS]

Builds the default store in a temporary folder (GELDSTROOM_DB points there; the user's cache
is not touched), then times whole processes, interleaved so that load on the machine hits
all alike (best and median of RUNS, default 7):
- `geldstroom summary "Oxfam Novib" -f json` against `python -c` DuckDB summing the rows of
  subsidiesministeries2015.csv.gz whose Ontvanger is OXFAM NOVIB or Stichting Oxfam Novib;
- `geldstroom summary Logius -f json` against DuckDB summing agentschappen.csv.gz's
  "Omzet moeder departement" and "Omzet overige departementen" of Logius.
DuckDB (`pip install duckdb`) reads the gzipped CSV itself; it answers one sum, the summary
answers every year, payer, source and stage with every row.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "core" / "data" / "minfin"
SUBSIDIES = DATA / "subsidies-2015" / "subsidiesministeries2015.csv.gz"
AGENCIES = DATA / "agentschappen" / "agentschappen.csv.gz"
DUCKDB = {
    "Oxfam Novib": f"SELECT sum(TRY_CAST(Realisatie AS DOUBLE)) FROM read_csv('{SUBSIDIES}', "
                   "all_varchar=true) WHERE upper(trim(Ontvanger)) IN "
                   "('OXFAM NOVIB', 'STICHTING OXFAM NOVIB')",
    "Logius": f"SELECT Jaar, sum(CAST(\"Omzet moeder departement\" AS BIGINT) + "
              f"CAST(\"Omzet overige departementen\" AS BIGINT)) FROM read_csv('{AGENCIES}', "
              "all_varchar=true) WHERE naam_agentschap = 'Logius' GROUP BY Jaar",
}


def _time(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return elapsed


def _best_median(found: list[float]) -> tuple[float, float]:
    found = sorted(found)
    return found[0], found[len(found) // 2]


def main(runs: int) -> None:
    exe = shutil.which("geldstroom")
    if exe is None:
        sys.exit("install the package first: pip install -e .")
    try:
        import duckdb  # noqa: F401  the yardstick
    except ImportError:
        sys.exit("the yardstick needs DuckDB: pip install duckdb")
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "GELDSTROOM_DB": str(Path(folder) / "bench.lbug")}
        started = time.perf_counter()
        subprocess.run([exe, "load"], env=env, check=True, capture_output=True)
        print(f"load: {time.perf_counter() - started:.1f} s")
        for name, sql in DUCKDB.items():
            ours = [exe, "summary", name, "-f", "json"]
            theirs = [sys.executable, "-c", f"import duckdb; print(duckdb.sql({sql!r}).fetchall())"]
            timed: dict[str, list[float]] = {"summary": [], "duckdb": []}
            for _ in range(runs):
                timed["summary"].append(_time(ours, env))
                timed["duckdb"].append(_time(theirs, env))
            (s_best, s_median), (d_best, d_median) = (_best_median(timed["summary"]),
                                                      _best_median(timed["duckdb"]))
            print(f"summary {name!r}: best {s_best:.3f} s, median {s_median:.3f} s; "
                  f"duckdb one-liner: best {d_best:.3f} s, median {d_median:.3f} s; "
                  f"ratio (median) {s_median / d_median:.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
