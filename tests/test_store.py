"""The embedded store: what goes in comes out, and a failed or killed load keeps the old store."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
from synthetic import make_graph
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.errors import InputError
from geldstroom.graph.build import build_graph
from geldstroom.graph.schema import RELATIONSHIPS, AllocatesRel, PaysRel, graph_rows
from geldstroom.graph.store import Store, load_store
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents, bundled_manifest

# The chosen figure of every line that pays saip, per year (saip shares none of them).
SAIP_BY_YEAR = "MATCH (:Actor)-[a:ALLOCATES]->(:BudgetLine)-[p:PAYS]->(:Actor {id: $who}) " \
               "WHERE a.chosen = true AND p.year = a.year RETURN a.year AS year, " \
               "sum(a.euros) AS euros ORDER BY year"


@pytest.fixture(scope="module")
def seed_graph() -> nx.MultiDiGraph:
    return build_graph(load_corpus(bundled_documents()))


@pytest.fixture
def store_path(tmp_path: Path, seed_graph: nx.MultiDiGraph) -> Path:
    path = tmp_path / "graph.lbug"
    load_store(seed_graph, path)
    return path


def test_everything_in_the_graph_is_in_the_store(store_path: Path,
                                                 seed_graph: nx.MultiDiGraph) -> None:
    rows = graph_rows(seed_graph)
    with Store(store_path) as store:
        for rel in RELATIONSHIPS:
            found = store.run(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS n").rows[0][0]
            assert found == len(rows[rel])
        saip = store.run(SAIP_BY_YEAR, {"who": "saip"}).rows
        assert saip[-1] == [2028, 3_638_000]
        total = store.run("MATCH ()-[a:ALLOCATES]->(:BudgetLine) "
                          "WHERE a.year = 2024 AND a.chosen = true "
                          "RETURN sum(a.euros)").rows[0][0]
        assert total == 86_189_000  # Uitgaven 2024: the amount lives once, on the line
        woo = store.run("MATCH ()-[a:ALLOCATES]->(l:BudgetLine)-[p:PAYS]->(r:Actor) "
                        "WHERE l.label = $line AND a.year = 2024 AND p.year = 2024 "
                        "RETURN r.id, a.euros, p.recipients, p.share_count, p.euros "
                        "ORDER BY r.id",
                        {"line": "Ondersteuning koepels implementatie Woo"}).rows
        shared = ["ipo", "vng", "waterschapshuis"]
        assert woo == [["ipo", 863_000, shared, 3, None],
                       ["vng", 863_000, shared, 3, None],
                       ["waterschapshuis", 863_000, shared, 3, None]]


def test_loading_again_gives_the_same_store(store_path: Path,
                                            seed_graph: nx.MultiDiGraph) -> None:
    with Store(store_path) as store:
        before = store.run("MATCH (a)-[f:ALLOCATES]->(b) RETURN f.id, f.euros ORDER BY f.id").rows
    report = load_store(seed_graph, store_path)
    with Store(store_path) as store:
        after = store.run("MATCH (a)-[f:ALLOCATES]->(b) RETURN f.id, f.euros ORDER BY f.id").rows
    assert before == after and report.counts["ALLOCATES"] == len(after) == 219
    assert [p.name for p in store_path.parent.iterdir()] == ["graph.lbug"]


def test_a_failed_load_leaves_the_old_store(store_path: Path,
                                            seed_graph: nx.MultiDiGraph) -> None:
    broken = seed_graph.copy()
    first = next(iter(broken.edges(keys=True)))
    del broken.edges[first]["euros"]  # a graph that does not fit the schema
    with pytest.raises(KeyError):
        load_store(broken, store_path)
    with Store(store_path) as store:
        assert store.run(SAIP_BY_YEAR, {"who": "saip"}).rows[0] == [2022, 6_043_000]
    assert [p.name for p in store_path.parent.iterdir()] == ["graph.lbug"]


_SLOW_LOAD = f"""
import sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).parent)!r})
from geldstroom.graph.store import load_store
from synthetic import make_graph
load_store(make_graph(300_000), Path(sys.argv[1]))
"""


def test_a_killed_load_leaves_the_old_store_answering(store_path: Path) -> None:
    child = subprocess.Popen([sys.executable, "-c", _SLOW_LOAD, str(store_path)])
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".building") for p in store_path.parent.iterdir()):
            assert child.poll() is None, "the load ended before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(0.3)  # let it write into the new file for a moment
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    with Store(store_path) as store:
        assert store.run(SAIP_BY_YEAR, {"who": "saip"}).rows[-1] == [2028, 3_638_000]
        assert store.run("MATCH (a:Actor) RETURN count(a)").rows[0][0] == 20
    assert any(p.name.endswith(".building") for p in store_path.parent.iterdir())
    # The next load clears what the killed one left behind.
    load_store(build_graph(load_corpus(bundled_documents())), store_path)
    assert [p.name for p in store_path.parent.iterdir()] == ["graph.lbug"]


def test_values_never_become_cypher(store_path: Path) -> None:
    with Store(store_path) as store:
        for hostile in ("x' OR 1=1 //", 'saip"}) RETURN 1 //', "saip' OR r.id <> '"):
            assert store.run(SAIP_BY_YEAR, {"who": hostile}).rows == []


def test_the_store_is_read_only_for_queries(store_path: Path) -> None:
    with Store(store_path) as store, pytest.raises(InputError, match="read-only"):
        store.run("MATCH (n:Actor) DELETE n")


def test_synthetic_graphs_have_the_schemas_shape() -> None:
    rows = graph_rows(make_graph(500, seed=3))
    assert len(rows["PAYS"]) >= 500
    lines = [r for r in rows["BudgetLine"] if r["scope"] == "line"]
    assert len(rows["ALLOCATES"]) == len(lines) * 7  # a figure per line-year
    assert len(lines) == len(rows["BudgetLine"]) - 1  # and one article-only payment node
    stated = [r for r in rows["PAYS"] if r["euros"] is not None]
    assert len(stated) == 1 + 3 * sum(1 for r in rows["ALLOCATES"] if r["stated_euros"])
    for rel, model in (("PAYS", PaysRel), ("ALLOCATES", AllocatesRel)):
        for row in rows[rel][:50] + stated[:20]:
            if rel == "PAYS" or row in rows[rel]:
                model(**{k: v for k, v in row.items() if k not in ("source", "target")})


runner = CliRunner()


def test_cli_load_query_and_cypher(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.lbug")
    loaded = runner.invoke(app, ["load", "--db", db, "--manifest", str(bundled_manifest())])
    assert loaded.exit_code == 0, loaded.output
    assert "219 ALLOCATES" in loaded.stdout and "235 PAYS" in loaded.stdout
    result = runner.invoke(app, ["query", "recipient_summary", "--db", db, "-p",
                                 "recipient=saip", "-p", "year=2028", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"alone_euros": 3638000' in result.stdout
    result = runner.invoke(app, ["cypher", SAIP_BY_YEAR, "--db", db, "-p", "who=saip",
                                 "-f", "csv"])
    assert result.stdout.splitlines()[1] == "2022,6043000"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope"], "no named query 'nope'"),
        (["query", "recipient_summary", "-p", "year=twee"], "expects a whole number"),
        (["query", "recipient_summary", "-p", "colour=red"], "has no parameter 'colour'"),
        (["query", "recipient_summary", "-p", "year"], "--param expects key=value"),
        (["cypher", "MATCH (n:Nothing) RETURN n"], "the query failed"),
        (["cypher", "RETURN 1 AS a; RETURN 2 AS b"], "more than one statement"),
        (["cypher", "RETURN $n AS n", "-p", 'n=[1,"a"]'], "value n=[1, 'a']"),
        (["cypher", "RETURN $n AS n", "-p", "n=99999999999999999999999"],
         "value n=99999999999999999999999"),
        (["cypher", "RETURN $n AS n", "-p", "n=1e400"], "--param n: '1e400' holds a number"),
        (["cypher", "RETURN $n AS n", "-p", "n=[NaN]"], "not finite"),
    ],
)
def test_cli_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    db = str(tmp_path / "e.lbug")
    documents = ["--manifest", str(bundled_manifest())]  # a second's load, not the corpus
    assert runner.invoke(app, ["load", "--db", db, *documents]).exit_code == 0
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_cli_without_a_store_builds_it(tmp_path: Path) -> None:
    missing = tmp_path / "missing.lbug"
    result = runner.invoke(app, ["query", "recipient_summary", "--db", str(missing),
                                 "-p", "recipient=saip", "-p", "year=2028", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr == f"no store at {missing}: building it\n"
    assert [(r["recipient"], r["alone_euros"]) for r in json.loads(result.stdout)] == [
        ("saip", 3_638_000)]


def test_query_on_an_unreachable_neo4j_is_one_line() -> None:
    result = runner.invoke(app, ["query", "top_recipients", "--backend", "neo4j", "--uri",
                                 "bolt://127.0.0.1:1", "--password", "x"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot reach Neo4j at bolt://127.0.0.1:1")
    assert result.stderr.count("\n") == 1


def test_a_foreign_wal_beside_the_store_does_not_break_the_next_load(
        store_path: Path, seed_graph: nx.MultiDiGraph) -> None:
    # A writer killed while it had the store open leaves its WAL behind.
    store_path.with_name(store_path.name + ".wal").write_bytes(b"not this store's log")
    load_store(seed_graph, store_path)
    with Store(store_path) as store:
        assert store.run(SAIP_BY_YEAR, {"who": "saip"}).rows[0] == [2022, 6_043_000]


def test_load_refuses_to_overwrite_a_file_that_is_not_a_store(
        tmp_path: Path, seed_graph: nx.MultiDiGraph) -> None:
    notes = tmp_path / "README.md"
    notes.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(InputError, match="is not a geldstroom graph store"):
        load_store(seed_graph, notes)
    assert notes.read_text(encoding="utf-8") == "# mine\n"


def test_load_keeps_the_users_files_that_share_the_stores_name(
        tmp_path: Path, seed_graph: nx.MultiDiGraph) -> None:
    # Only the engine's own side files go (by exact name), not a backup or a report's CSV.
    store = tmp_path / "report"
    mine = {"report.bak": "old store", "report.notes.txt": "notes", "report.csv": "a,b\n"}
    for name, text in mine.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "report.wal").write_bytes(b"a killed writer's log")
    load_store(seed_graph, store)
    assert {p.name for p in tmp_path.iterdir()} == {"report", *mine}
    for name, text in mine.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text


def test_load_refuses_a_pipe_without_opening_it(tmp_path: Path) -> None:
    # Opening a FIFO to read the store's magic bytes would wait for a writer forever.
    fifo = tmp_path / "s.lbug"
    os.mkfifo(fifo)
    result = runner.invoke(app, ["load", "--db", str(fifo)])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "is not a regular file" in result.stderr
    assert fifo.is_fifo()


def test_the_store_refuses_several_statements_in_one_run(store_path: Path) -> None:
    # The engine answers a list of results for `a; b`: one run is one statement.
    with Store(store_path) as store, pytest.raises(InputError, match="more than one statement"):
        store.run("RETURN 1 AS a; RETURN 2 AS b")


def test_load_refuses_a_symlink_loop_and_keeps_both_links(seed_graph: nx.MultiDiGraph,
                                                          tmp_path: Path) -> None:
    """--db follows links as every -o write does (geldstroom.output.link_target); a loop once
    resolved to itself and the link was replaced by a store."""
    (tmp_path / "l1").symlink_to("l2")
    (tmp_path / "l2").symlink_to("l1")
    with pytest.raises(InputError, match="Too many levels of symbolic links"):
        load_store(seed_graph, tmp_path / "l1")
    assert (tmp_path / "l1").is_symlink() and (tmp_path / "l2").is_symlink()
