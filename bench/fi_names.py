"""Name resolution at Financiële instrumenten scale (issue 17, aim < 15 s for 450 000 names),
without the graph and the store: read the bundled open data and a Financiële instrumenten
file, make the recipients' claims, build the actor register the graph uses (every open-data
name) and resolve every distinct recipient name against it. CPU seconds per step, and the
yardstick: a plain dict of the distinct names (what an exact-match register would cost).

The file is bench/fi_synthetic.py's (its 700 000 rows by default; `--rows N` reads its first
N rows, written to a temp folder). `--profile STEP` prints cProfile's top functions of
that step (read, claims, register, resolve; `names` for the last three together).

    python bench/fi_names.py [--csv FILE] [--rows N] [--profile STEP]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from fi_scale import MANIFEST  # noqa: E402

DEFAULT_CSV = Path("/work/cache/fi/b700/financiele_instrumenten_synthetic.csv")
STEPS = ("read", "claims", "register", "resolve")
NAME_STEPS = ("claims", "register", "resolve")
T = TypeVar("T")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(folder: Path, csv_path: Path, rows: int | None) -> Path:
    """A `bundled = true` manifest in `folder` with the file (or its first `rows` rows)."""
    target = folder / csv_path.name
    if rows is None:
        target.symlink_to(csv_path.resolve())
    else:
        with csv_path.open(encoding="utf-8") as source, target.open("w", encoding="utf-8") as out:
            for number, line in enumerate(source):
                if number > rows:
                    break
                out.write(line)
    manifest = folder / "sources.toml"
    manifest.write_text(MANIFEST.format(file=target.name), encoding="utf-8")
    return manifest


def run(manifest: Path, profile: str | None) -> None:
    from geldstroom.graph.open_data import open_data_claims
    from geldstroom.loaders.actors.register import ActorRegister
    from geldstroom.loaders.opendata.corpus import load_open_corpus
    from geldstroom.loaders.opendata.csv_files import without_gc_passes

    figures: list[tuple[str, float, float]] = []
    profiled = NAME_STEPS if profile == "names" else (profile,)
    profiler = cProfile.Profile()

    def step(name: str, label: str, work: Callable[[], T]) -> T:
        wall, cpu = time.perf_counter(), time.process_time()
        if name in profiled:
            profiler.enable()
        result = work()
        if name in profiled:
            profiler.disable()
        figures.append((label, time.perf_counter() - wall, time.process_time() - cpu))
        return result

    with without_gc_passes():  # as national_graph() reads and builds
        open_data = step("read", "read (bundled open data + the file)",
                         lambda: load_open_corpus(manifest))
        file_names = {p.recipient for p in open_data.instrumenten.payments if p.recipient}
        base = step("base", "bundled register (curated, payers, ZBO/RWT)", ActorRegister.load)
        claims = step("claims", "claims of every open-data payment",
                      lambda: open_data_claims(open_data))
        register = step("register", f"register of {len(claims):,} claims (the graph's)",
                        lambda: base.with_claims(claims))
        names = sorted({c.name for c in claims} | file_names)
        found = step("resolve", f"resolve the {len(names):,} distinct names",
                     lambda: sum(1 for n in names if register.resolve(n) is not None))
        exact = {n: n for n in names}
        step("dict", "yardstick: the same names in a plain dict",
             lambda: sum(1 for n in names if n in exact))
    if profile:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(30)
    print(f"payments in the file: {len(open_data.instrumenten.payments):,}; distinct "
          f"recipient names there: {len(file_names):,}; actors: {len(register):,}; "
          f"resolved: {found:,}")
    print("\n| step | wall s | CPU s |\n|---|---:|---:|")
    for label, wall, cpu in figures:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} |")
    aim = sum(cpu for label, _, cpu in figures
              if label.startswith(("claims", "register", "resolve")))
    print(f"| **name resolution: claims + register + resolve** (aim < 15 s) | | **{aim:.2f}** |")
    print(f"\nload average (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"peak memory {peak_mb():,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--rows", type=int)
    parser.add_argument("--profile", choices=(*STEPS, "names"))
    args = parser.parse_args()
    if not args.csv.exists():
        sys.exit(f"{args.csv}: no such file; make one with python bench/fi_synthetic.py")
    with tempfile.TemporaryDirectory() as tmp:
        run(prepare(Path(tmp), args.csv, args.rows), args.profile)


if __name__ == "__main__":
    main()
