"""Neo4j for real: every test here runs against a Neo4j 5.26 Community server (tests/conftest.py
starts one from Maven Central's artifacts, or uses the one NEO4J_URI names).

What only a server enforces is checked here: the uniqueness constraints on relationship ids,
MERGE on a second push, what `neo4j-admin database import` writes, the driver's errors.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import typer
from neo4j import GraphDatabase
from neo4j_server import Neo4jServer
from networkx_reference import REFERENCES
from test_named_queries import PARAMS
from typer.testing import CliRunner

import geldstroom.cli.app  # noqa: F401  first: cli.py registers modules that import it
from geldstroom.cli import neo4j as cli_neo4j
from geldstroom.errors import InputError
from geldstroom.graph import neo4j_store as store
from geldstroom.graph.build import build_graph
from geldstroom.graph.store import Store, load_store
from geldstroom.loaders.actors.claims import bundled_register_path
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents, bundled_manifest
from geldstroom.queries.named import named_queries
from geldstroom.queries.summary import recipient_summary

# ALLOCATES: one per (line, year, figure) with nonzero euros (219, all in the begroting's
# table); PAYS: one per such line-year and named recipient, or to 'unattributed' (235).
SEED_COUNTS = {"Actor": 20, "BudgetLine": 43, "ALLOCATES": 219, "PAYS": 235, "PART_OF": 1,
               "PASSES_ON": 1, "INSTRUMENT_LINK": 7}
CAOP_2024 = (1_201_000, 0)  # alone, shared: the Overlegstelsel subsidy
IPSE_SENTENCE = "door IPSE-Studies uitgevoerd wordt."


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph(load_corpus(bundled_documents()))


def _begroting_with(tmp_path: Path, old: str, new: str) -> list[Any]:
    """The bundled documents with one sentence of the begroting changed."""
    documents = []
    for doc in bundled_documents():
        text = Path(doc.path).read_text(encoding="utf-8")
        if old in text:
            changed = tmp_path / Path(doc.path).name
            changed.write_text(text.replace(old, new), encoding="utf-8")
            doc = doc.model_copy(update={"path": str(changed)})
        documents.append(doc)
    return documents


def dump(connection: store.Connection) -> dict[str, list[Any]]:
    """Everything the server holds, comparable: nodes and relationships with every property."""
    with GraphDatabase.driver(connection.uri,
                              auth=(connection.user, connection.password)) as driver:
        nodes = driver.execute_query(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props").records
        rels = driver.execute_query(
            "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS a, b.id AS b, "
            "properties(r) AS props").records
    return {
        "nodes": sorted((r["labels"], sorted(r["props"].items())) for r in nodes),
        "relationships": sorted((r["type"], r["a"], r["b"], sorted(r["props"].items()))
                                for r in rels),
    }


def cli(*args: str, connection: store.Connection) -> tuple[int, str]:
    """A neo4j command on the bundled documents (--manifest): the national corpus is the
    default now, and these tests count the documents' graph."""
    if args[:2] == ("neo4j", "push"):
        args = (*args, "--manifest", str(bundled_manifest()))
    app = typer.Typer()

    @app.callback()
    def main() -> None:  # a group, so the commands keep their names
        pass

    cli_neo4j.register(app)
    env = {"NEO4J_URI": connection.uri, "NEO4J_USER": connection.user,
           "NEO4J_PASSWORD": connection.password, "NEO4J_DATABASE": connection.database}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


# ------------------------------------------------------------------ push


def test_push_twice_creates_nothing_the_second_time(graph: nx.MultiDiGraph,
                                                     neo4j: store.Connection) -> None:
    first = store.push(graph, neo4j, batch_size=50)
    # 219 ALLOCATES + 235 PAYS + 9 between actors
    assert (first.nodes_created, first.relationships_created) == (63, 463)
    again = store.push(graph, neo4j, batch_size=50)
    assert (again.nodes_created, again.relationships_created) == (0, 0)
    assert again.counts == store.expected_counts(graph) == SEED_COUNTS
    assert store.counts(neo4j)[1] == SEED_COUNTS
    assert again.server.startswith("Neo4j/5.26.")


def test_one_sentence_that_passes_money_on_to_two_actors(tmp_path: Path,
                                                         neo4j: store.Connection) -> None:
    """"… door IPSE-Studies en TNO uitgevoerd": two PASSES_ON from ICTU with one evidence
    sentence. Their ids once were the sentence alone, and the second MERGE broke the
    uniqueness constraint."""
    documents = _begroting_with(tmp_path, IPSE_SENTENCE, "door IPSE-Studies en TNO uitgevoerd "
                                                         "wordt.")
    graph = build_graph(load_corpus(documents))
    passes_on = [(a, b) for a, b, kind in graph.edges(data="kind") if kind == "passes_on"]
    assert sorted(passes_on) == [("ictu", "ipse"), ("ictu", "tno")]
    store.push(graph, neo4j)
    again = store.push(graph, neo4j)
    assert again.relationships_created == 0
    assert again.counts["PASSES_ON"] == 2
    with GraphDatabase.driver(neo4j.uri, auth=(neo4j.user, neo4j.password)) as driver:
        found = driver.execute_query(
            "MATCH (a:Actor)-[p:PASSES_ON]->(b:Actor) RETURN a.id AS a, b.id AS b, "
            "p.evidence AS evidence ORDER BY b").records
    assert [(r["a"], r["b"]) for r in found] == [("ictu", "ipse"), ("ictu", "tno")]
    assert found[0]["evidence"] == found[1]["evidence"]


def test_an_actor_that_moves_to_another_parent_is_pushed_again(
        graph: nx.MultiDiGraph, tmp_path: Path, neo4j: store.Connection) -> None:
    """KOOP moves from Logius to RODI in the register: one PART_OF, to RODI, after the push."""
    store.push(graph, neo4j)
    register = tmp_path / "actors.toml"
    text = bundled_register_path().read_text(encoding="utf-8")
    assert text.count('part_of = "logius"') == 1
    register.write_text(text.replace('part_of = "logius"', 'part_of = "rodi"'), encoding="utf-8")
    moved = build_graph(load_corpus(bundled_documents(), ActorRegister.load(register)))
    report = store.push(moved, neo4j)
    assert (report.relationships_created, report.relationships_deleted) == (1, 1)
    with GraphDatabase.driver(neo4j.uri, auth=(neo4j.user, neo4j.password)) as driver:
        parents = driver.execute_query(
            "MATCH (:Actor {id: 'koop'})-[r:PART_OF]->(p:Actor) "
            "RETURN p.id AS parent, r.id AS id").records
        koop = driver.execute_query(
            "MATCH (k:Actor {id: 'koop'}) RETURN k.part_of AS part_of").records
    assert [(r["parent"], r["id"]) for r in parents] == [("rodi", "koop->rodi|part_of")]
    assert koop[0]["part_of"] == "rodi"
    assert report.counts == {**SEED_COUNTS, "PART_OF": 1}


# ------------------------------------------------------------------ one graph, three routes


def test_push_script_and_admin_import_give_one_graph(
        graph: nx.MultiDiGraph, neo4j: store.Connection, own_neo4j_server: Neo4jServer,
        tmp_path: Path) -> None:
    store.push(graph, neo4j)
    pushed = dump(neo4j)
    assert len(pushed["nodes"]) == 63 and len(pushed["relationships"]) == 463

    # The cypher-shell script, statement by statement (one per line), on an emptied database.
    with GraphDatabase.driver(neo4j.uri, auth=(neo4j.user, neo4j.password)) as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n")
        for line in store.cypher_script(graph).splitlines():
            if line and not line.startswith("//"):
                driver.execute_query(line.removesuffix(";"))
    assert dump(neo4j) == pushed

    # The exported neo4j-admin script, run with the real import tool into a new server's home.
    files = store.admin_export(graph)
    (_, script), *parts = files
    (tmp_path / "graph.sh").write_bytes(script)
    for name, data in parts:
        (tmp_path / f"graph.{name}").write_bytes(data)
    done = subprocess.run(
        ["sh", str(tmp_path / "graph.sh")], capture_output=True, text=True, check=False,
        cwd=tmp_path,  # the import tool writes its import.report into the working directory
        env={"PATH": "/usr/bin:/bin", "NEO4J_ADMIN": str(own_neo4j_server.admin_command())})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "63 nodes" in done.stdout and "463 relationships" in done.stdout
    imported = own_neo4j_server.start().connection()
    with GraphDatabase.driver(imported.uri, auth=(imported.user, imported.password)) as driver:
        for line in (tmp_path / "graph.constraints.cypher").read_text().splitlines():
            driver.execute_query(line.removesuffix(";"))
    assert dump(imported) == pushed
    # Pushing onto the imported graph finds everything: the ids agree too.
    again = store.push(graph, imported)
    assert (again.nodes_created, again.relationships_created) == (0, 0)


# ------------------------------------------------------------------ queries


def test_named_queries_on_neo4j_equal_the_store_and_the_networkx_reference(
        graph: nx.MultiDiGraph, neo4j: store.Connection, tmp_path: Path) -> None:
    store.push(graph, neo4j)
    load_store(graph, tmp_path / "g.lbug")
    checked = 0
    with Store(tmp_path / "g.lbug") as embedded:
        for name, query in named_queries().items():
            for texts in PARAMS.get(name, [{}]):
                params = query.bind(texts)
                on_neo4j = store.run_query(neo4j, query.cypher, params).rows
                on_store = embedded.run(query.cypher, params).rows
                expected = REFERENCES[name](graph, params)
                if "ORDER BY" not in query.cypher.upper():
                    on_neo4j, on_store, expected = (sorted(rows, key=repr) for rows in
                                                    (on_neo4j, on_store, expected))
                assert on_neo4j == on_store == expected, (name, texts)
                checked += bool(expected)
    assert checked >= 20  # most parameter sets have rows: the comparison is not of nothing


# The recipient summary in Cypher: per recipient, year and instrument, alone vs shared,
# shared as queries/summary.py's Flow.shared says it (a stated amount is never shared; the
# rest group shares a.euros - a.stated_euros). Lists may be absent on Neo4j (empty).
SUMMARY_CYPHER = """
MATCH (:Actor)-[a:ALLOCATES {chosen: true}]->(l:BudgetLine)-[p:PAYS]->(r:Actor)
WHERE p.year = a.year
WITH r, a, l, p, coalesce(p.recipients, []) AS recipients, p.unnamed_others AS others
WITH r, a, l, coalesce(p.euros, a.euros - a.stated_euros) AS euros,
     p.euros IS NULL AND (size(recipients) > 1 OR (size(recipients) > 0 AND others)) AS shared
RETURN r.id AS recipient, a.year AS year, l.instrument AS instrument,
       sum(CASE WHEN shared THEN 0 ELSE euros END) AS alone_euros,
       sum(CASE WHEN shared THEN euros ELSE 0 END) AS shared_euros
"""


def test_recipient_summary_in_neo4j_equals_the_library_for_every_recipient_and_year(
        graph: nx.MultiDiGraph, neo4j: store.Connection) -> None:
    store.push(graph, neo4j)
    in_neo4j = {(r[0], r[1], r[2]): (r[3], r[4])
                for r in store.run_query(neo4j, SUMMARY_CYPHER, {}).rows}
    in_python = {(r.recipient, r.year, r.instrument): (r.alone_euros, r.shared_euros)
                 for r in recipient_summary(graph)}
    assert in_neo4j == in_python
    assert len({(recipient, year) for recipient, year, _ in in_neo4j}) == 80
    assert in_neo4j[("caop", 2024, "Subsidies (regelingen)")] == CAOP_2024
    # VNG's Woo line is shared with IPO and Het Waterschapshuis: € 863.000 in 2024, not alone.
    assert in_neo4j[("vng", 2024, "Subsidies (regelingen)")] == (0, 863_000)


# ------------------------------------------------------------------ the command line


def test_push_command_prints_what_it_created_and_the_counts(neo4j: store.Connection) -> None:
    code, output = cli("neo4j", "push", "--batch-size", "100", connection=neo4j)
    assert code == 0, output
    assert output.startswith(f"pushed to {neo4j.uri} (Neo4j/5.26.")
    assert "63 nodes and 463 relationships created" in output  # 219 + 235 + 1 + 1 + 7
    # server count beside the graph's
    assert re.search(r"ALLOCATES\s+│\s+219\s+│\s+219", output)
    assert re.search(r"PAYS\s+│\s+235\s+│\s+235", output)
    code, output = cli("neo4j", "counts", connection=neo4j)
    assert code == 0 and re.search(r"PAYS\s+│\s+235", output)


def test_query_backend_neo4j_answers_a_named_query(neo4j: store.Connection) -> None:
    from geldstroom.cli.app import app

    assert cli("neo4j", "push", connection=neo4j)[0] == 0
    env = {"NEO4J_URI": neo4j.uri, "NEO4J_PASSWORD": neo4j.password}
    result = CliRunner().invoke(app, ["query", "recipient_summary", "--backend", "neo4j",
                                      "--param", "recipient=caop", "--param", "year=2024",
                                      "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    assert "caop" in result.output and "1201000" in result.output


def test_a_wrong_password_is_one_line(neo4j: store.Connection) -> None:
    wrong = store.Connection(uri=neo4j.uri, user=neo4j.user, password="certainly-not-it")
    code, output = cli("neo4j", "counts", connection=wrong)
    assert code == 2
    assert output == (f"error: Neo4j at {neo4j.uri} refused user 'neo4j': check NEO4J_USER "
                      "and NEO4J_PASSWORD\n")


def test_a_server_that_goes_away_mid_push(graph: nx.MultiDiGraph,
                                          own_neo4j_server: Neo4jServer) -> None:
    """Stopped after the first batch: one line, exit 2; started again, the next push
    completes with the whole graph."""
    server = own_neo4j_server.start()
    connection = dataclasses.replace(server.connection(), retry_seconds=2.0)

    def stop_after_first_batch(name: str, done: int, total: int) -> None:
        server.stop()

    with pytest.raises(InputError) as failed:
        store.push(graph, connection, batch_size=20, progress=stop_after_first_batch)
    message = str(failed.value)
    assert "\n" not in message and str(server.port) in message
    code, output = cli("neo4j", "push", connection=connection)
    assert code == 2
    assert output == f"error: cannot reach Neo4j at {connection.uri}: Connection refused\n"
    server.start()
    code, output = cli("neo4j", "push", connection=connection)
    assert code == 0, output
    assert store.counts(connection)[1] == SEED_COUNTS


# The national graph (documents and open data): the named queries on Neo4j, on the embedded
# store and in NetworkX agree, with stated payments, unplaced payments and conflicts in it.
NATIONAL_PARAMS = {
    "recipient_summary": [{"recipient": "caop", "year": None}],
    "top_recipients": [{"year": 2014, "limit": 20},
                       {"year": 2015, "limit": 20, "source": "subsidy"},
                       {"year": 2015, "limit": 20, "hoofdstuk": "XVI,B",
                        "exclude_kinds": "agentschap,gemeente"},
                       {"year": None, "limit": 20, "instrument": "ZBO",
                        "source": "agency turnover,budget table line"}],
    "flows_by_instrument": [{"year": 2015}],
    "shared_lines": [{"year": None}],
    "year_over_year": [{"recipient": "cft-inz-bonaire"}],
    "lines_without_recipient": [{"year": 2014}],
    "paths_to_recipient": [{"recipient": "caop"}],
    "money_passed_on": [{}],
}


def test_named_queries_on_the_national_graph_agree_on_every_engine(
        neo4j: store.Connection, tmp_path: Path) -> None:
    from geldstroom.graph.default_store import default_graph

    national = default_graph()
    store.push(national, neo4j)
    load_store(national, tmp_path / "national.lbug")
    with Store(tmp_path / "national.lbug") as embedded:
        for name, query in named_queries().items():
            for given in NATIONAL_PARAMS[name]:
                params = {**{n: p.default for n, p in query.parameters.items()}, **given}
                on_neo4j = store.run_query(neo4j, query.cypher, params).rows
                on_store = embedded.run(query.cypher, params).rows
                expected = REFERENCES[name](national, params)
                if "ORDER BY" not in query.cypher.upper():
                    on_neo4j, on_store, expected = (sorted(rows, key=repr) for rows in
                                                    (on_neo4j, on_store, expected))
                assert on_neo4j == on_store == expected, (name, params)
                assert expected, name
    in_neo4j = {(r[0], r[1], r[2]): (r[3], r[4])
                for r in store.run_query(neo4j, SUMMARY_CYPHER, {}).rows}
    in_python = {(r.recipient, r.year, r.instrument): (r.alone_euros, r.shared_euros)
                 for r in recipient_summary(national)}
    assert in_neo4j == in_python
