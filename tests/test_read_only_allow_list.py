"""Read-only by allow-list (issue 15): a statement is a reading query or it is refused, by
a check that reads the text once (linear time), and the engine itself has no home folder to
install extensions into."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.errors import InputError, NotReadOnly
from geldstroom.graph.build import build_graph
from geldstroom.graph.read_only import check_read_only
from geldstroom.graph.store import Store, load_store
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.queries.named import named_queries


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("allow") / "graph.lbug"
    load_store(build_graph(load_corpus(bundled_documents())), path)
    return path


# What the deny-list let through (the probe on c8c6632), and shapes a deny-list cannot know.
NOT_READING = [
    ("profile update json", "UPDATE"),
    ("UPDATE json", "UPDATE"),
    ("ANALYZE", "ANALYZE"),
    ("COMMENT ON TABLE Actor IS 'x'", "COMMENT"),
    ("EXPLAIN CREATE (:Actor {id: 'x'})", "CREATE"),
    ("PROFILE LOAD FROM 'x.csv' RETURN *", "LOAD"),
    ("MATCH (a:Actor) RETURN a LIMIT 1 FROBNICATE a", "FROBNICATE"),
    ("RETURN 1 AS x UNION FROBNICATE", "FROBNICATE"),
    ("OPTIONAL FROBNICATE (a)", "FROBNICATE"),
    ("MATCH (a) CALL { FROBNICATE (a) } RETURN 1", "FROBNICATE"),
    ("WITH * VACUUM", "VACUUM"),
    ("RETURN 'text' VACUUM", "VACUUM"),
]


@pytest.mark.parametrize(("statement", "word"), NOT_READING)
def test_what_is_not_a_reading_query_is_refused(statement: str, word: str) -> None:
    with pytest.raises(NotReadOnly) as caught:
        check_read_only(statement)
    assert caught.value.clause == word


def test_profile_update_is_refused_on_the_command_line(store_path: Path,
                                                      tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = CliRunner().invoke(app, ["cypher", "--db", str(store_path), "profile update json"],
                                env={"HOME": str(home)})
    assert result.exit_code == 2, result.output
    assert result.stderr == ("error: UPDATE writes: refused, the statement runs read-only\n")
    assert list(home.iterdir()) == []


READING = [
    "MATCH (:Actor)-[a:ALLOCATES {chosen: true}]->(:BudgetLine)-[p:PAYS]->(r:Actor {id: $who})"
    " WHERE p.year = a.year RETURN a.year, sum(a.euros)",
    "RETURN 1e5 AS x, 1.5e-3 AS z, CAST(1 AS STRING) AS s",
    "RETURN CASE WHEN 1 = 1 THEN 'a' ELSE 'b' END AS c ORDER BY c DESC SKIP 0 LIMIT 3",
    "MATCH (a)-[e* SHORTEST 1..3]->(b) RETURN count(*)",
    "RETURN [x IN range(1, 3) WHERE x > 1 | x * 2] AS l, all(x IN [1] WHERE x > 0) AS b",
    "MATCH (a) WHERE a.id IS NOT NULL AND NOT a.id STARTS WITH 'x' RETURN a {.id, .name}",
    "MATCH (a) WHERE EXISTS { MATCH (a)-->() } RETURN count { (a)-->() } AS n",
    "MATCH (a) RETURN a.id AS id UNION ALL MATCH (b) RETURN b.id AS id",
    "OPTIONAL MATCH (a) RETURN a",
    "EXPLAIN MATCH (a) RETURN a",
    "UNWIND [1, 2] AS x WITH * WHERE x > 1 RETURN x",
    "RETURN reduce(s = 0, x IN [1, 2] | s + x) AS t, {a: 1, b: {c: 2}} AS m",
]


@pytest.mark.parametrize("statement", READING)
def test_reading_queries_pass(statement: str) -> None:
    check_read_only(statement)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_every_named_query_passes(name: str) -> None:
    check_read_only(named_queries()[name].cypher)


# Each took seconds to minutes in the quadratic tokeniser (40 000 `/*`: 147 s, three scans).
@pytest.mark.parametrize("statement", [
    "RETURN 1 AS c " + "/* " * 40_000,
    "RETURN 1 AS c " + "/* x */ " * 40_000,
    "RETURN " + "CALL ( " * 40_000,
    "RETURN " + "'\\' " * 40_000,
])
def test_the_check_takes_linear_time(statement: str) -> None:
    started = time.perf_counter()
    with contextlib.suppress(InputError):
        check_read_only(statement)
    assert time.perf_counter() - started < 2.0


def test_unclosed_comments_and_strings_are_named() -> None:
    with pytest.raises(InputError, match=r"a comment .* never closed"):
        check_read_only("RETURN 1 /* no end")
    with pytest.raises(InputError, match="a string that is never closed"):
        check_read_only("RETURN 'no end")


def test_the_engine_has_no_home_to_install_into(store_path: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    # Past the check (straight to the engine): an install has nowhere to go, so neither
    # the network nor $HOME/.lbdb is touched.
    monkeypatch.setenv("HOME", str(tmp_path))
    with Store(store_path) as store:
        for statement in ("INSTALL json", "UPDATE json", "LOAD EXTENSION json"):
            with pytest.raises(InputError):
                store.run(statement)
    assert list(tmp_path.iterdir()) == []
