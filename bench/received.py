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
answers every year, payer, source and stage with every row. Wall and CPU seconds (timing.py);
the floors `python -c pass` and `geldstroom --help` are timed in the first runs as well.
geldstroom's modules are compiled to bytecode first, as an installed package has them
(timing.compile_bytecode).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import best_median, compile_bytecode, geldstroom_exe, run_timed

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


def main(runs: int) -> None:
    exe = geldstroom_exe()
    try:
        import duckdb  # noqa: F401  the yardstick
    except ImportError:
        sys.exit("the yardstick needs DuckDB: pip install duckdb")
    compile_bytecode()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "GELDSTROOM_DB": str(Path(folder) / "bench.lbug")}
        started = time.perf_counter()
        subprocess.run([exe, "load"], env=env, check=True, capture_output=True)
        print(f"load: {time.perf_counter() - started:.1f} s")
        floor = {"python -c pass": [sys.executable, "-c", "pass"],
                 "geldstroom --help": [exe, "--help"]}
        for name, sql in DUCKDB.items():
            cases = {
                "summary": [exe, "summary", name, "-f", "json"],
                "duckdb": [sys.executable, "-c",
                           f"import duckdb; print(duckdb.sql({sql!r}).fetchall())"],
                **floor}
            timed: dict[str, list[tuple[float, float]]] = {case: [] for case in cases}
            for _ in range(runs):
                for case, command in cases.items():
                    timed[case].append(run_timed(command, env))
            wall = {case: best_median([w for w, _ in found]) for case, found in timed.items()}
            cpu = {case: best_median([c for _, c in found]) for case, found in timed.items()}
            print(f"summary {name!r}: wall best {wall['summary'][0]:.3f} s, median "
                  f"{wall['summary'][1]:.3f} s, CPU median {cpu['summary'][1]:.3f} s; "
                  f"duckdb one-liner: wall best {wall['duckdb'][0]:.3f} s, median "
                  f"{wall['duckdb'][1]:.3f} s, CPU median {cpu['duckdb'][1]:.3f} s; "
                  f"ratio (median wall) {wall['summary'][1] / wall['duckdb'][1]:.2f}x, "
                  f"(median CPU) {cpu['summary'][1] / cpu['duckdb'][1]:.2f}x; aim <= 2x")
            floors = dict(floor)
            floor = {}  # once is enough
            for case in floors:
                print(f"  in the same runs, {case}: wall median {wall[case][1]:.3f} s, "
                      f"CPU median {cpu[case][1]:.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
