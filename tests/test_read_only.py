"""`geldstroom cypher` only reads: statements that write or reach outside the store are refused
before the engine sees them, the store itself is opened read-only, and reading still works."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.errors import InputError, MissingParameter, NotReadOnly
from geldstroom.graph.build import build_graph
from geldstroom.graph.read_only import (
    check_parameters,
    check_read_only,
    statement_parameters,
)
from geldstroom.graph.store import Store, load_store
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ro") / "graph.lbug"
    load_store(build_graph(load_corpus(bundled_documents())), path)
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# (statement with {dir} for a scratch folder, the clause the refusal names)
REFUSED = [
    ("COPY (MATCH (a:Actor) RETURN a.id) TO '{dir}/leak.csv'", "COPY"),
    ("EXPORT DATABASE '{dir}/dump'", "EXPORT"),
    ("IMPORT DATABASE '{dir}/dump'", "IMPORT"),
    ("ATTACH '{dir}/other.lbug' AS other (dbtype lbug)", "ATTACH"),
    ("INSTALL json", "INSTALL"),
    ("LOAD EXTENSION json", "LOAD"),
    ("LOAD FROM '{dir}/secret.csv' RETURN *", "LOAD"),
    ("MATCH (a:Actor) WITH a LOAD FROM '{dir}/secret.csv' RETURN *", "LOAD"),
    ("load csv from 'file:///etc/passwd' as row return row", "LOAD"),
    ("CREATE (:Actor {id: 'x'})", "CREATE"),
    ("MERGE (:Actor {id: 'ictu'})", "MERGE"),
    ("MATCH (a:Actor {id: 'ictu'}) SET a.name = 'x' RETURN a.name", "SET"),
    ("MATCH (a:Actor) DETACH DELETE a", "DETACH"),
    ("MATCH ()-[f:ALLOCATES]->() DELETE f", "DELETE"),
    ("DROP TABLE PAYS", "DROP"),
    ("ALTER TABLE Actor ADD colour STRING", "ALTER"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("CALL checkpoint_threshold=1", "CALL checkpoint_threshold"),
    ("CALL create_fts_index('Actor', 'names', ['name'])", "CALL create_fts_index"),
    ("CALL apoc.export.csv.all('/tmp/x.csv', {})", "CALL apoc.export.csv.all"),
    ("MATCH (a:Actor) RETURN a.id; CREATE (:Actor {id: 'y'})", "CREATE"),
    # A `quoted` procedure name is still the procedure (the engine strips the quotes): these
    # read any file or the store's pages, and READ_CSV_SERIAL crashed the CLI.
    ("CALL `READ_CSV_SERIAL`('{dir}/secret.csv') RETURN *", "CALL READ_CSV_SERIAL"),
    ("CALL /* x */ `read_csv_parallel`('{dir}/secret.csv') RETURN *", "CALL read_csv_parallel"),
    ("CALL `READ_PARQUET`('{dir}/secret.csv') RETURN *", "CALL READ_PARQUET"),
    ("CALL `READ_NPY`('{dir}/secret.csv') RETURN *", "CALL READ_NPY"),
    ("CALL `FILE_INFO`('{dir}/secret.csv') RETURN *", "CALL FILE_INFO"),
    ("CALL `STORAGE_INFO`('Actor') RETURN *", "CALL STORAGE_INFO"),
    ("CALL `project_graph`('g', ['Actor'], ['PAYS'])", "CALL project_graph"),
    ("CALL `apoc`.`export`.`csv`.`all`('/tmp/x.csv', {})", "CALL apoc.export.csv.all"),
    ("CALL (x) RETURN 1", "CALL ("),
]


@pytest.mark.parametrize(("statement", "clause"), REFUSED)
def test_refused_with_one_line_and_nothing_touched(
    statement: str, clause: str, store_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "secret.csv").write_text("a,b\n")
    before = _digest(store_path)
    result = CliRunner().invoke(app, ["cypher", "--db", str(store_path),
                                      statement.replace("{dir}", str(tmp_path))])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {clause} "), result.stderr
    assert "refused, the statement runs read-only" in result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.csv"]  # no file written
    assert _digest(store_path) == before
    assert sorted(p.name for p in store_path.parent.iterdir()) == ["graph.lbug"]


@pytest.mark.parametrize("statement", [
    "MATCH (a:Actor) RETURN count(a) AS actors",
    "MATCH (a:Actor) WHERE a.name CONTAINS 'COPY' OR a.id <> 'set' RETURN count(a) AS actors",
    "// CREATE nothing\nMATCH (`load`:Actor) RETURN count(`load`) AS actors",
    "CALL show_tables() RETURN count(*) AS tables",
    "CALL table_info('Actor') RETURN count(*) AS columns",
    "CALL `SHOW_TABLES`() RETURN count(*) AS tables",
    "MATCH (a:Actor) RETURN count(a) AS set",
])
def test_reading_statements_still_run(statement: str, store_path: Path) -> None:
    check_read_only(statement)
    with Store(store_path) as store:
        (row,) = store.run(statement).rows
    assert row[0] > 0


def test_reading_through_the_cli(store_path: Path) -> None:
    result = CliRunner().invoke(app, [
        "cypher", "--db", str(store_path), "-f", "csv",
        "MATCH (:Actor)-[a:ALLOCATES]->(:BudgetLine)-[p:PAYS]->(r:Actor {id: $who}) "
        "WHERE a.chosen = true AND p.year = a.year RETURN a.year AS year, "
        "sum(a.euros) AS euros ORDER BY year", "--param", "who=saip"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == ["year,euros", "2022,6043000", "2023,6138000",
                                              "2024,5638000"]


def test_the_store_itself_refuses_writes(store_path: Path) -> None:
    # The engine's own guarantee, without the keyword check in front of it.
    with Store(store_path) as store, pytest.raises(InputError, match="read-only"):
        store.run("MATCH (a:Actor {id: 'ictu'}) SET a.name = 'x'")


def test_subqueries_and_names_are_not_clauses() -> None:
    check_read_only("MATCH (a) CALL { WITH a RETURN a.id AS id } RETURN id")  # Neo4j subquery
    check_read_only("MATCH (a {set: 1}) RETURN a.load, $copy, a:Export")


def test_refusal_carries_its_clause() -> None:
    with pytest.raises(NotReadOnly) as caught:
        check_read_only("MATCH (n) WITH n COPY (RETURN 1) TO '/tmp/x.csv'")
    assert (caught.value.clause, caught.value.reason) == ("COPY", "reaches outside the store")


def test_quoted_names_and_scoped_subqueries_that_only_read() -> None:
    check_read_only("CALL `db`.`labels`() YIELD label RETURN label")
    check_read_only("MATCH (a) CALL (a) { RETURN a.id AS id } RETURN id")  # Neo4j 5 scope
    check_read_only("UNWIND [1] AS x RETURN x AS set, x AS `create`")


# Neo4j's administration commands run whatever the transaction (TERMINATE TRANSACTIONS
# killed another session's query, SHOW USERS answered): refused by their first word, and a
# statement that does not start with a reading clause is refused even if the word is new.
ADMINISTRATION = [
    ("TERMINATE TRANSACTIONS $t", "TERMINATE"),
    ("SHOW USERS", "SHOW"),
    ("show settings yield *", "SHOW"),
    ("SHOW TRANSACTIONS YIELD transactionId RETURN transactionId", "SHOW"),
    ("MATCH (n) RETURN count(n) AS c UNION SHOW DATABASES YIELD name RETURN name AS c", "SHOW"),
    ("CALL { SHOW USERS } RETURN 1", "SHOW"),
    ("START DATABASE neo4j", "START"),
    ("STOP DATABASE neo4j", "STOP"),
    ("GRANT ROLE admin TO bob", "GRANT"),
    ("DENY READ {*} ON GRAPH * TO reader", "DENY"),
    ("REVOKE ROLE admin FROM bob", "REVOKE"),
    ("ENABLE SERVER 'abc'", "ENABLE"),
    ("DISABLE SERVER 'abc'", "DISABLE"),
    ("RENAME USER bob TO eve", "RENAME"),
    ("CREATE USER eve SET PASSWORD 'secret1234'", "CREATE"),
    ("ALTER CURRENT USER SET PASSWORD FROM 'a' TO 'b'", "ALTER"),
    ("DROP DATABASE neo4j", "DROP"),
    ("USE system SHOW USERS", "USE"),
    ("INSERT (:Actor {id: 'x'})", "INSERT"),
    ("DEALLOCATE DATABASES FROM SERVER 'abc'", "DEALLOCATE"),
]


@pytest.mark.parametrize(("statement", "clause"), ADMINISTRATION)
def test_neo4j_administration_is_refused(statement: str, clause: str) -> None:
    with pytest.raises(NotReadOnly) as caught:
        check_read_only(statement)
    assert caught.value.clause == clause


def test_the_system_database_is_refused_before_connecting() -> None:
    # Nothing listens on port 1: the refusal comes before any connection is tried.
    result = CliRunner().invoke(app, [
        "cypher", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:1", "--password", "x",
        "--database", "System", "MATCH (n) RETURN count(n) AS n"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: --database system holds the server's users")
    assert result.stderr.count("\n") == 1


def test_quoted_and_numbered_parameters_are_parameters() -> None:
    assert statement_parameters("RETURN $`a b` AS x, $0 AS y, $who") == ["0", "a b", "who"]
    with pytest.raises(MissingParameter) as caught:
        check_parameters("RETURN $`a b` AS x", {})
    assert caught.value.missing == ["a b"]
