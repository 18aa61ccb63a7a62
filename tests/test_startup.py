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
    """The top-level packages a run of `geldstroom ARGS` imports."""
    return {module.split(".")[0] for module in _modules_of(*args)}


def _modules_of(*args: str) -> set[str]:
    """Every module a run of `geldstroom ARGS` imports."""
    probe = (f"import sys; sys.argv = ['geldstroom', *{list(args)!r}]\n"
             "from geldstroom.cli.main import main\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print(' '.join(sorted(sys.modules)))")
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
def test_an_answer_for_scripts_loads_only_what_it_uses(fmt: str) -> None:
    # Each of these is 0.01-0.03 s of the 2x-DuckDB budget of `summary NAME`
    # (bench/received.py): rich draws tables and colours for people, which csv and json need
    # not; the answer reads a payer's and a source file's records (geldstroom.listed), not
    # the record model's other pydantic classes nor the graph schema's.
    modules = _modules_of("summary", "Oxfam Novib", "--format", fmt)
    assert "ladybug" in modules  # the answer came from the store, so the path was taken
    assert "geldstroom.listed" in modules  # and named its payers
    assert {m.split(".")[0] for m in modules} & {"rich", "networkx", "rigour"} == set()
    assert {"geldstroom.model", "geldstroom.graph.schema"} & modules == set()


def test_the_console_script_spares_the_collector_at_exit() -> None:
    # cli/main.py freezes what is alive as it ends: the cyclic collector's passes at exit
    # over every library's objects were 0.05 s of a 0.4 s `summary NAME`
    probe = ("import atexit, gc, sys; sys.argv = ['geldstroom', '--help']\n"
             "atexit.register(lambda: print('frozen', gc.get_freeze_count()))\n"
             "from geldstroom.cli.main import main\n"
             "main()")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    frozen = int(done.stdout.strip().splitlines()[-1].removeprefix("frozen "))
    assert frozen > 10_000  # the libraries' objects, not a handful
