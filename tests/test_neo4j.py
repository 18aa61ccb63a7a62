"""Neo4j offline: statements from the schema, batches, literals, neo4j-admin files and one-line
errors. tests/test_neo4j_server.py runs the same against a real server.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import geldstroom.cli.app  # noqa: F401  first: cli.py registers modules that import it
from geldstroom.cli import neo4j as cli_neo4j
from geldstroom.cli.export import register as register_exports
from geldstroom.errors import InputError
from geldstroom.graph import neo4j_store as store
from geldstroom.graph.build import build_graph
from geldstroom.graph.schema import NODES, RELATIONSHIPS, UNATTRIBUTED
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents, bundled_manifest

OVERLEG = "VII > artikel 7 > 7.1 Werkgevers- en bedrijfsvoeringsbeleid > " \
          "Subsidies (regelingen) > Overlegstelsel"
BEGROTING = "VII/begroting-2024/001_1ef586f7da9213de.txt"  # hoofdstuk/kind-year/file
OVERLEG_2024 = f"minister-bzk->{OVERLEG}|2024|ontwerpbegroting|{BEGROTING}"
OVERLEG_PAYS_2024 = f"{OVERLEG}->caop|2024"
# ALLOCATES: one per (line, year, figure) with nonzero euros; the two BZK documents give 219,
# all from the begroting's table (the jaarverslag names recipients but has no table here).
# PAYS: one per (line, year) with money and per recipient named for it, or one to
# 'unattributed': 146 line-years name nobody, 62 one recipient, 6 two and 5 three
# (146 + 62 + 12 + 15 = 235, as many as the old FUNDS edges).
SEED_COUNTS = {"Actor": 20, "BudgetLine": 43, "ALLOCATES": 219, "PAYS": 235, "PART_OF": 1,
               "PASSES_ON": 1, "INSTRUMENT_LINK": 7}
CAOP_2024 = (1_201_000, 0)  # alone, shared: the Overlegstelsel subsidy
has_ladybug = importlib.util.find_spec("ladybug") is not None


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph(load_corpus(bundled_documents()))


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # a group, so the commands keep their names
        pass

    cli_neo4j.register(app)
    register_exports(app)
    return app


def run(app: typer.Typer, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    clean = {k: None for k in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")}
    result = CliRunner().invoke(app, list(args), env={**clean, **(env or {})})
    return result.exit_code, result.output


# ------------------------------------------------------------------ statements and batches


def _set_props(statement: str, var: str) -> list[str]:
    return re.findall(rf"\b{var}\.(\w+) = row\.\1\b", statement)


def test_statements_set_every_schema_property_explicitly() -> None:
    for label, model in NODES.items():
        statement = store.node_statement(label)
        assert statement.startswith(f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}})")
        assert _set_props(statement, "n") == [f for f in model.model_fields if f != "id"]
    for rel, spec in RELATIONSHIPS.items():
        statement = store.relationship_statement(rel)
        assert f"MERGE (a)-[r:{rel} {{id: row.id}}]->(b)" in statement
        assert (f"MATCH (a:{spec.source} {{id: row.source}}) "
                f"MATCH (b:{spec.target} {{id: row.target}})") in statement
        assert _set_props(statement, "r") == [f for f in spec.model.model_fields if f != "id"]
    assert "MATCH (a:Actor {id: row.source}) MATCH (b:BudgetLine {id: row.target})" in \
        store.relationship_statement("ALLOCATES")
    assert "MATCH (a:BudgetLine {id: row.source}) MATCH (b:Actor {id: row.target})" in \
        store.relationship_statement("PAYS")
    assert store.relationship_statement("PART_OF").endswith("]->(b)")  # only an id: no SET
    assert all("+=" not in s for s in store.statements())
    # The rows are the only value; a literal list may stand in for it (the cypher export).
    assert store.node_statement("Actor", "[]").startswith("UNWIND [] AS row ")
    with pytest.raises(KeyError):
        store.node_statement("Person")


def test_batches_keep_every_row_once_nodes_first(graph: nx.MultiDiGraph) -> None:
    jobs = store.work(graph, batch_size=50)
    assert [(j.name, len(j.rows)) for j in jobs] == [
        ("Actor", 20), ("BudgetLine", 43),
        ("ALLOCATES", 50), ("ALLOCATES", 50), ("ALLOCATES", 50), ("ALLOCATES", 50),
        ("ALLOCATES", 19), ("PAYS", 50), ("PAYS", 50), ("PAYS", 50), ("PAYS", 50), ("PAYS", 35),
        ("PART_OF", 1), ("PASSES_ON", 1), ("INSTRUMENT_LINK", 7), (store.STALE_PART_OF, 20)]
    for rel in ("ALLOCATES", "PAYS"):
        ids = [r["id"] for j in jobs if j.name == rel for r in j.rows]
        assert len(ids) == len(set(ids)) == SEED_COUNTS[rel]
    row = next(r for j in jobs for r in j.rows if r["id"] == OVERLEG_2024)
    assert (row["source"], row["target"], row["euros"], row["year"], row["chosen"]) == (
        "minister-bzk", OVERLEG, 1_201_000, 2024, True)
    assert set(row) == {"source", "target", *RELATIONSHIPS["ALLOCATES"].model.model_fields}
    pays = next(r for j in jobs for r in j.rows if r["id"] == OVERLEG_PAYS_2024)
    assert (pays["source"], pays["target"], pays["recipients"], pays["share_count"]) == (
        OVERLEG, "caop", ["caop"], 1)
    assert pays["euros"] is None  # no amount copied onto the recipient's edge
    assert store.expected_counts(graph) == SEED_COUNTS
    with pytest.raises(ValueError):
        list(store.batches([{}], 0))


# ------------------------------------------------------------------ Cypher literals


@pytest.mark.parametrize(("value", "literal"), [
    ('zei "ja"', r'"zei \"ja\""'),
    ("C:\\pad", r'"C:\\pad"'),
    ("regel\nvolgende", r'"regel\nvolgende"'),
    ("a; b", r'"a\u003B b"'),
    ("it's €", '"it\'s €"'),
    ("\x00\x1f", r'"\u0000\u001f"'),
    ([1, -2, True, None], "[1, -2, true, null]"),
    ({"id": "x", "odd`key": [2024]}, '{`id`: "x", `odd``key`: [2024]}'),
])
def test_literal_escapes(value: Any, literal: str) -> None:
    assert store.cypher_literal(value) == literal


@pytest.mark.parametrize("value", [float("nan"), 2**63, object(), {1: "x"}])
def test_no_literal_for_what_cypher_cannot_hold(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        store.cypher_literal(value)


@given(st.text())
def test_string_literal_is_json_that_reads_back(text: str) -> None:
    literal = store.cypher_literal(text)
    assert json.loads(literal) == text
    # One line, no ";" and no raw quote or backslash outside an escape: safe in any script.
    assert "\n" not in literal and ";" not in literal
    inner = literal[1:-1]
    assert re.fullmatch(r'(?:[^"\\]|\\["\\bfnrt]|\\u[0-9a-fA-F]{4})*', inner, re.DOTALL)


@pytest.mark.skipif(not has_ladybug, reason="ladybug is not installed")
def test_string_literals_read_back_through_a_cypher_parser(tmp_path: Path) -> None:
    import ladybug

    conn = ladybug.Connection(ladybug.Database(str(tmp_path / "lit.lbug")))

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(), min_size=1, max_size=4))
    def round_trip(texts: list[str]) -> None:
        got = conn.execute(f"RETURN {store.cypher_literal(texts)} AS v").get_all()[0][0]
        assert got == texts

    round_trip()


# ------------------------------------------------------------------ cypher export


def test_cypher_script_is_the_push_with_rows_inlined(graph: nx.MultiDiGraph) -> None:
    script = store.cypher_script(graph, batch_size=100)
    lines = [line for line in script.splitlines() if line and not line.startswith("//")]
    assert all(line.endswith(";") for line in lines)  # one statement per line
    constraints, data = lines[:7], lines[7:]
    assert all(line.startswith("CREATE CONSTRAINT") for line in constraints)
    assert [line.split(" AS row ")[1][:40] for line in data][:3] == [
        "MERGE (n:Actor {id: row.id}) SET n.name ", "MERGE (n:BudgetLine {id: row.id}) SET n.",
        "MATCH (a:Actor {id: row.source}) MATCH ("]
    # ALLOCATES: 219 rows in batches of 100, PAYS: 235
    assert len(data) == 1 + 1 + 3 + 3 + 1 + 1 + 1 + 1
    assert data[-1].startswith("UNWIND [{`id`: \"unattributed\", `part_of`: null}")
    assert "$" not in "".join(data)  # every value inlined: no parameter left
    assert f'`id`: "{OVERLEG_2024}"' in script and "`euros`: 1201000" in script


@pytest.mark.skipif(not has_ladybug, reason="ladybug is not installed")
def test_every_inlined_row_reads_back_through_a_cypher_parser(
        graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """Each row literal of the script, evaluated by the embedded engine, is the row itself
    (whole batches cannot run there: it types a list of maps by its first map)."""
    import ladybug

    conn = ladybug.Connection(ladybug.Database(str(tmp_path / "s.lbug")))
    rows = [row for job in store.work(graph) for row in job.rows]
    assert len(rows) == sum(SEED_COUNTS.values()) + SEED_COUNTS["Actor"]  # + parents to check
    for row in rows:
        assert conn.execute(f"RETURN {store.cypher_literal(row)} AS row").get_all()[0][0] == row


# ------------------------------------------------------------------ neo4j-admin export


def _read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_admin_files_headers_and_seed_rows(graph: nx.MultiDiGraph) -> None:
    files = store.admin_files(graph)
    assert list(files) == ["actor.csv", "budgetline.csv", "allocates.csv", "pays.csv",
                           "part_of.csv", "passes_on.csv", "instrument_link.csv"]
    assert files["actor.csv"].splitlines()[0] == (
        b"id:ID(Actor),name:string,kind:string,aliases:string[],part_of:string,kvk:string[],"
        b"legal_form:string,place:string,:LABEL")
    assert files["budgetline.csv"].splitlines()[0].decode() == (
        "id:ID(BudgetLine),hoofdstuk:string,artikel:string,path:string[],label:string,"
        "instrument:string,document:string,scope:string,:LABEL")
    assert files["allocates.csv"].splitlines()[0].decode() == (
        ":START_ID(Actor),:END_ID(BudgetLine),:TYPE,id:string,year:long,euros:long,"
        "stage:string,document:string,source_line:long,chosen:boolean,stated_euros:long,"
        "source_kind:string")
    assert files["pays.csv"].splitlines()[0].decode() == (
        ":START_ID(BudgetLine),:END_ID(Actor),:TYPE,id:string,year:long,recipients:string[],"
        "share_count:long,unnamed_others:boolean,evidence:string[],euros:long,stage:string,"
        "document:string,source_line:long,source_kind:string,same_money:boolean")
    allocates = _read(files["allocates.csv"])
    assert len(allocates) == 219
    (row,) = [r for r in allocates if r["id:string"] == OVERLEG_2024]
    assert row[":START_ID(Actor)"] == "minister-bzk" and row[":END_ID(BudgetLine)"] == OVERLEG
    assert (row[":TYPE"], row["year:long"], row["euros:long"]) == ("ALLOCATES", "2024",
                                                                   "1201000")
    assert (row["stage:string"], row["chosen:boolean"]) == ("ontwerpbegroting", "true")
    pays = _read(files["pays.csv"])
    assert len(pays) == 235
    (paid,) = [r for r in pays if r["id:string"] == OVERLEG_PAYS_2024]
    assert paid[":END_ID(Actor)"] == "caop" and paid["euros:long"] == ""  # none stated
    assert paid["recipients:string[]"] == "caop" and paid["unnamed_others:boolean"] == "false"
    assert paid["evidence:string[]"].startswith(
        f"{BEGROTING}:1159: De Stichting ")
    lines = {r["id:ID(BudgetLine)"]: r for r in _read(files["budgetline.csv"])}
    assert lines[OVERLEG]["path:string[]"].split(store.ARRAY_DELIMITER) == [
        "7.1 Werkgevers- en bedrijfsvoeringsbeleid", "Subsidies (regelingen)", "Overlegstelsel"]
    # Whole euros of 2024 add up to what the tables say: the amount stands once, per line.
    assert sum(int(r["euros:long"]) for r in allocates
               if r["year:long"] == "2024" and r["chosen:boolean"] == "true") == 86_189_000
    actors = {r["id:ID(Actor)"]: r for r in _read(files["actor.csv"])}
    assert actors[UNATTRIBUTED][":LABEL"] == "Actor" and len(actors) == 20
    assert len(_read(files["budgetline.csv"])) == 43


def test_admin_cell_refuses_the_array_delimiter() -> None:
    with pytest.raises(InputError):
        store._admin_cell(["a\x1fb"])


def test_admin_script_finds_its_files(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    """The script names the CSV files after its own name; a stand-in neo4j-admin shows the
    arguments it would get, and each file it names exists."""
    rendered = store.admin_export(graph)
    (_, script), *parts = rendered
    target = tmp_path / "graaf.sh"
    target.write_bytes(script)
    for part, data in parts:
        (tmp_path / f"graaf.{part}").write_bytes(data)
    fake = tmp_path / "fake-admin"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n')
    fake.chmod(0o755)
    assert subprocess.run(["sh", "-n", str(target)], check=False).returncode == 0
    done = subprocess.run(["sh", str(target)], capture_output=True, text=True, check=True,
                          env={"PATH": os.environ["PATH"], "NEO4J_ADMIN": str(fake)})
    args = done.stdout.splitlines()
    assert args[:6] == ["database", "import", "full", "neo4j", "--overwrite-destination",
                        "--array-delimiter=U+001F"]
    named = [a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))]
    assert [Path(n).name for n in named] == [f"graaf.{p}" for p, _ in parts[:-1]]
    assert all(Path(n).is_file() for n in named)
    assert parts[-1][0] == "constraints.cypher"
    assert parts[-1][1].decode().count("CREATE CONSTRAINT") == 7


def test_export_commands_write_the_whole_graph(app: typer.Typer, graph: nx.MultiDiGraph,
                                               tmp_path: Path) -> None:
    documents = ("--manifest", str(bundled_manifest()))  # the graph fixture's documents
    code, _ = run(app, "export", *documents, "cypher", "-o", str(tmp_path / "graaf.cypher"))
    assert code == 0
    assert (tmp_path / "graaf.cypher").read_text() == store.cypher_script(graph)
    code, _ = run(app, "export", *documents, "neo4j-admin", "-o", str(tmp_path / "import.sh"))
    assert code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([
        "graaf.cypher", "import.sh", "import.actor.csv", "import.budgetline.csv",
        "import.allocates.csv", "import.pays.csv", "import.part_of.csv", "import.passes_on.csv",
        "import.instrument_link.csv", "import.constraints.cypher"])


@pytest.mark.parametrize("args", [["cypher", "--year", "2024"], ["neo4j-admin", "--top", "5"]])
def test_whole_graph_exports_refuse_year_and_top(app: typer.Typer, tmp_path: Path,
                                                 args: list[str]) -> None:
    code, output = run(app, "export", *args, "-o", str(tmp_path / "x"))
    assert code == 2 and output.count("\n") == 1
    assert "writes the whole graph: --year, --top and --payer do not apply" in output
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ errors, in one line


@pytest.mark.parametrize(("uri", "message"), [
    ("bolt://127.0.0.1:1", "error: cannot reach Neo4j at bolt://127.0.0.1:1: Connection refused"),
    ("neo4j://127.0.0.1:1", "error: cannot reach Neo4j at neo4j://127.0.0.1:1: "),
    ("localhost:7687", "error: not a Neo4j URI: 'localhost:7687' (scheme 'localhost')"),
    ("http://localhost:7474", "error: not a Neo4j URI: 'http://localhost:7474' (scheme 'http')"),
    ("bolt://127.0.0.1:99999", "error: not a Neo4j URI: 'bolt://127.0.0.1:99999' (Port out"),
    ("bolt://[::1", "error: not a Neo4j URI: 'bolt://[::1' (Invalid IPv6 URL)"),
    ("bolt://", "error: not a Neo4j URI: 'bolt://' (no host)"),
])
@pytest.mark.parametrize("command", ["push", "counts"])
def test_unreachable_or_malformed_uri_is_one_line(app: typer.Typer, uri: str, message: str,
                                                  command: str) -> None:
    code, output = run(app, "neo4j", command, "--uri", uri, env={"NEO4J_PASSWORD": "x"})
    assert code == 2
    assert output.startswith(message) and output.count("\n") == 1
    assert "Traceback" not in output


def test_no_password_is_one_line(app: typer.Typer) -> None:
    code, output = run(app, "neo4j", "push")
    assert (code, output) == (2, "error: no Neo4j password: set NEO4J_PASSWORD or give "
                                 "--password\n")


def test_the_cli_defaults_are_the_store_defaults() -> None:
    assert (cli_neo4j.DEFAULT_URI, cli_neo4j.DEFAULT_USER, cli_neo4j.BATCH_SIZE) == (
        store.DEFAULT_URI, store.DEFAULT_USER, store.BATCH_SIZE)
    connection = store.Connection("bolt://neo4j:geheim@db.example:7687", password="geheim")
    assert connection.shown_uri == "bolt://db.example:7687"
    assert "geheim" not in repr(connection)


def test_servers_before_5_7_are_refused() -> None:
    for agent in ("Neo4j/5.7.0", "Neo4j/5.26.12", "Neo4j/2025.01.0"):
        store.check_server(agent)
    for agent in ("Neo4j/5.6.0", "Neo4j/4.4.30"):
        with pytest.raises(InputError, match=r"needs Neo4j 5\.7 or newer"):
            store.check_server(agent)
