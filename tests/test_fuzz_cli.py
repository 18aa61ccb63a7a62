"""Fuzzing the command line's inputs (issue 15): documents, manifests, CSV rows, --param
values and Cypher text, made up by hypothesis. Whatever comes in, a command ends with exit
0 or 2 (validate: 1 for totals that do not add up), never a traceback, and the process's
memory stays under a bound. About a minute in all."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from peak_memory import own_peak_kb, reset_peak
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.graph.build import build_graph
from geldstroom.graph.store import load_store
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents, bundled_manifest
from geldstroom.loaders.opendata.corpus import bundled_sources_manifest

runner = CliRunner()
FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
MEMORY_BOUND_MB = 3 * 1024
BEGROTING = (bundled_manifest().parent / "001_1ef586f7da9213de.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "graph.lbug"
    load_store(build_graph(load_corpus(bundled_documents())), path)
    return path


def ends_cleanly(result: object, codes: tuple[int, ...] = (0, 2)) -> None:
    exception = result.exception  # type: ignore[attr-defined]
    assert exception is None or isinstance(exception, SystemExit), repr(exception)
    assert result.exit_code in codes, result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    # What the command added to the process's memory at its peak: ru_maxrss would be
    # pytest's largest size so far, whatever tests ran before.
    grown_mb = (own_peak_kb() - _start_kb) / 1024
    assert grown_mb < MEMORY_BOUND_MB
    _restart_peak()


_start_kb = 0


def _restart_peak() -> None:
    global _start_kb
    _start_kb = reset_peak()


@pytest.fixture(autouse=True)
def _own_peak() -> None:
    _restart_peak()


# Lines of the real begroting, shuffled, cut and mixed with made-up ones.
_real_lines = st.sampled_from(BEGROTING.splitlines())
_any_line = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)


@FUZZ
@given(st.lists(st.one_of(_real_lines, _any_line), max_size=120),
       st.binary(max_size=64))
def test_documents(tmp_path: Path, lines: list[str], tail: bytes) -> None:
    document = tmp_path / "doc.txt"
    document.write_bytes("\n".join(lines).encode("utf-8") + tail)
    ends_cleanly(runner.invoke(app, ["validate", "--file", str(document), "--kind",
                                     "begroting", "--document-year", "2024"]), (0, 1, 2))


_toml_value = st.recursive(
    st.one_of(st.integers(), st.text(max_size=20), st.booleans(), st.floats(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=3), max_leaves=20)
_key = st.sampled_from(["file", "kind", "hoofdstuk", "year", "artikel", "title", "form",
                        "source", "id", "dataset", "unit"])


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


@FUZZ
@given(st.lists(st.dictionaries(_key, _toml_value, max_size=8), max_size=3),
       st.sampled_from(["document", "source"]))
def test_manifests(tmp_path: Path, entries: list[dict[str, object]], table: str) -> None:
    (tmp_path / "doc.txt").write_text(BEGROTING, encoding="utf-8")
    text = "".join(f"[[{table}]]\n" + "".join(f"{k} = {_toml(v)}\n" for k, v in e.items())
                   for e in entries)
    manifest = tmp_path / "m.toml"
    manifest.write_text(text, encoding="utf-8")
    ends_cleanly(runner.invoke(app, ["validate", "--manifest", str(manifest)]), (0, 1, 2))


def _header() -> bytes:
    folder = bundled_sources_manifest().parent / "budgettaire-tabellen"
    with gzip.open(next(folder.glob("*2015*.csv.gz")), "rb") as stream:
        return stream.readline()


_cell = st.one_of(st.sampled_from(["2015", "VII", "7", "U", "V", "O", "1,234", "pm", "-", ""]),
                  st.text(max_size=12))


@FUZZ
@given(st.lists(st.lists(_cell, min_size=0, max_size=14), max_size=30))
def test_csv_rows(tmp_path: Path, rows: list[list[str]]) -> None:
    import csv
    import io

    text = bundled_sources_manifest().read_text(encoding="utf-8")
    first = text[text.index("[[source]]"):]
    first = first[:first.index("\n\n")]
    entry = "\n".join('file = "data.csv"' if line.startswith("file =") else line
                      for line in first.splitlines())
    (tmp_path / "sources.toml").write_text(entry + "\n", encoding="utf-8")
    body = io.StringIO()
    csv.writer(body).writerows(rows)
    (tmp_path / "data.csv").write_bytes(_header() + body.getvalue().encode("utf-8"))
    ends_cleanly(runner.invoke(app, ["validate", "--manifest",
                                     str(tmp_path / "sources.toml")]), (0, 1, 2))


@FUZZ
@given(st.lists(st.one_of(st.text(max_size=30), _toml_value.map(_toml)), max_size=3))
def test_param_values(store_path: Path, values: list[str]) -> None:
    args = [part for i, v in enumerate(values) for part in ("--param", f"p{i}={v}")]
    statement = "RETURN " + (", ".join(f"$p{i} AS c{i}" for i in range(len(values))) or "1")
    ends_cleanly(runner.invoke(app, ["cypher", "--db", str(store_path), statement, *args]))


_cypher_token = st.one_of(
    st.sampled_from(["MATCH", "OPTIONAL", "RETURN", "WITH", "UNWIND", "CALL", "WHERE", "AS",
                     "CREATE", "SET", "LOAD", "COPY", "UPDATE", "EXPLAIN", "PROFILE", "UNION",
                     "(", ")", "[", "]", "{", "}", ":", ",", ".", "$", "*", "-", "->", "<-",
                     "=", "'x'", '"y"', "`z`", "/*", "*/", "//", ";", "a", "b", "Actor",
                     "PAYS", "count", "1", "2.5", "null", "LIMIT", "ORDER", "BY"]),
    st.text(max_size=6))


@FUZZ
@given(st.lists(_cypher_token, max_size=25))
def test_cypher_text(store_path: Path, tokens: list[str]) -> None:
    ends_cleanly(runner.invoke(app, ["cypher", "--db", str(store_path), " ".join(tokens)]))
