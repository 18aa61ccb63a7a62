"""One command under two installs of geldstroom (before and after a change), as whole
processes interleaved so that load on the machine hits both alike.

    python bench/two_installs.py RUNS BEFORE_BIN AFTER_BIN -- summary Logius -f json

BEFORE_BIN and AFTER_BIN are the `bin` folders of two virtual environments (each with its
own `pip install -e` of a worktree). Each runs with its own XDG_CACHE_HOME (the folder
`XDG_CACHE_HOME_BEFORE` / `XDG_CACHE_HOME_AFTER` names, else the caller's): its default
store must be current, or the first run builds it. Prints wall and CPU seconds (best and
median) of each, and what the change saved.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from timing import best_median, compile_bytecode, run_timed


def main(runs: int, installs: dict[str, Path], args: list[str]) -> None:
    timed: dict[str, list[tuple[float, float]]] = {name: [] for name in installs}
    envs = {name: {**os.environ, "XDG_CACHE_HOME": os.environ.get(
        f"XDG_CACHE_HOME_{name.upper()}", os.environ.get("XDG_CACHE_HOME", ""))}
        for name in installs}
    for folder in installs.values():
        compile_bytecode(str(folder / "python"))  # as installed packages have it
    for _ in range(runs):
        for name, folder in installs.items():
            timed[name].append(run_timed([str(folder / "geldstroom"), *args], envs[name]))
    medians = {}
    for name, found in timed.items():
        wall, cpu = best_median([w for w, _ in found]), best_median([c for _, c in found])
        medians[name] = cpu[1]
        print(f"{name:6s} geldstroom {' '.join(args)}: wall best {wall[0]:.3f} s, median "
              f"{wall[1]:.3f} s; CPU best {cpu[0]:.3f} s, median {cpu[1]:.3f} s")
    print(f"CPU median saved: {1 - medians['after'] / medians['before']:.0%}")


if __name__ == "__main__":
    if len(sys.argv) < 5 or "--" not in sys.argv:
        sys.exit(__doc__)
    cut = sys.argv.index("--")
    main(int(sys.argv[1]), {"before": Path(sys.argv[2]), "after": Path(sys.argv[3])},
         sys.argv[cut + 1:])
