"""Start-up time of the command line, against the bare interpreter measured in the same run.

    python bench/startup.py [RUNS]

Prints best and median wall time of `geldstroom --help`, `geldstroom summary --help` and
`python -c pass` (the floor no command can go below), interleaved so that load on the
machine hits all alike, and which heavy libraries a `--help` run imports (none should:
pyarrow, plotly, matplotlib, the neo4j driver, ladybug, networkx and pydantic are imported
by the commands that use them).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

HEAVY = ("pyarrow", "plotly", "matplotlib", "neo4j", "ladybug", "networkx", "numpy",
         "pydantic", "sankeyflow", "pydot", "rapidfuzz")


def main(runs: int) -> None:
    exe = shutil.which("geldstroom")
    if exe is None:
        sys.exit("install the package first: pip install -e .")
    cases = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "geldstroom --help": [exe, "--help"],
        "geldstroom summary --help": [exe, "summary", "--help"],
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, command in cases.items():
            started = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
            times[name].append(time.perf_counter() - started)
    floor = min(times["python -c pass (floor)"])
    for name, found in times.items():
        found.sort()
        print(f"{name:28s} best {found[0]:.3f} s  median {found[len(found) // 2]:.3f} s  "
              f"best - floor {found[0] - floor:.3f} s")
    probe = ("import sys; sys.argv = ['geldstroom', '--help']\n"
             "from geldstroom.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip().splitlines()[-1]
    print(f"heavy libraries a --help run imports: {loaded}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
