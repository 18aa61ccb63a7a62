"""Timing whole processes for the bench scripts: one place for the installed command, a
child process's wall and CPU seconds, and best and median of several runs.

Wall time is what a user waits on this machine as it is (shared: other work stretches it);
CPU time (user + system) is what the process costs, close to its wall time on an idle
machine. Scripts that compare two commands interleave their runs, so that load hits both.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence


def geldstroom_exe() -> str:
    """The installed `geldstroom` console script; exits with the install command if none."""
    exe = shutil.which("geldstroom")
    if exe is None:
        sys.exit("install the package first: pip install -e .")
    return exe


# The folders that install as the package (pyproject's package-dir), by dotted name.
PACKAGES = ("geldstroom", "geldstroom.cli", "geldstroom.graph", "geldstroom.loaders",
            "geldstroom.queries", "geldstroom.web")


def compile_bytecode(python: str = sys.executable) -> None:
    """Compile the package's modules to bytecode under `python`'s install, as `pip install`
    does for a regular install. An editable install under PYTHONDONTWRITEBYTECODE=1 (set on
    the shared machine) has none, and every timed run would compile again each geldstroom
    module it imports: 0.04 s a `summary NAME`, which no user of an installed geldstroom pays
    (the yardstick's libraries have theirs from their install)."""
    compile_all = ("import compileall, importlib.util\n"
                   f"for name in {PACKAGES!r}:\n"
                   "    for folder in importlib.util.find_spec(name).submodule_search_locations:\n"
                   "        compileall.compile_dir(folder, quiet=1)")
    subprocess.run([python, "-c", compile_all], check=True)


def run_timed(command: Sequence[str], env: Mapping[str, str] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of `command`; exits with its stderr if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(list(command), env=dict(env) if env is not None else None,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def best_median(found: Sequence[float]) -> tuple[float, float]:
    """(best, median) of the runs' seconds."""
    ordered = sorted(found)
    return ordered[0], ordered[len(ordered) // 2]
