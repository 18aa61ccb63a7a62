"""Start-up loads only what the command needs: `--help` imports none of the heavy libraries
(the time itself is measured in bench/startup.py, not here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geldstroom.loaders.documents.manifest import bundled_manifest

# pydantic is not here: typer imports it itself to read a command's options for its --help.
HEAVY = {"pyarrow", "plotly", "matplotlib", "neo4j", "ladybug", "networkx", "numpy",
         "sankeyflow", "pydot", "rapidfuzz"}


def _imported_by(*args: str) -> set[str]:
    probe = (f"import sys; sys.argv = ['geldstroom', *{list(args)!r}]\n"
             "from geldstroom.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    return set(done.stdout.strip().splitlines()[-1].split())


@pytest.mark.parametrize("args", [("--help",), ("summary", "--help"), ("cypher", "--help"),
                                  ("neo4j", "push", "--help"), ("export", "--help")])
def test_help_imports_no_heavy_library(args: tuple[str, ...]) -> None:
    assert _imported_by(*args) & HEAVY == set()


def test_top_level_help_does_not_build_the_record_model() -> None:
    assert "pydantic" not in _imported_by("--help")


def test_a_command_still_gets_what_it_uses() -> None:
    # The store's summary reads flows with queries: no graph in memory, so no networkx.
    assert "pydantic" in _imported_by("summary", "--format", "json")
    assert {"networkx", "pydantic"} <= _imported_by(
        "summary", "--manifest", str(bundled_manifest()), "--format", "json")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_answer_for_scripts_does_not_load_rich(fmt: str) -> None:
    # rich draws tables and colours for people; importing it is 0.02-0.03 s of the
    # 2x-DuckDB budget of `summary NAME` (bench/received.py), which csv and json need not pay
    imported = _imported_by("summary", "Oxfam Novib", "--format", fmt)
    assert "ladybug" in imported  # the answer came from the store, so the path was taken
    assert "rich" not in imported
