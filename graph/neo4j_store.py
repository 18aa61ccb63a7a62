"""The graph in Neo4j: batched, idempotent MERGE pushes with the official driver, and the
same statements written out as a cypher-shell script or as neo4j-admin import files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import neo4j
import networkx as nx
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable

from geldstroom.errors import InputError
from geldstroom.graph.schema import (
    NODES,
    RELATIONSHIPS,
    graph_rows,
    neo4j_constraints,
)

BATCH_SIZE = 1000


def node_statement(label: str, rows: str = "$rows") -> str:
    """MERGE one batch of nodes by id; `rows` is a parameter or a list literal."""
    return f"UNWIND {rows} AS row MERGE (n:{label} {{id: row.id}}) SET n += row"


def relationship_statement(rel: str, rows: str = "$rows") -> str:
    """MERGE one batch of relationships by id between actors merged before them."""
    return (
        f"UNWIND {rows} AS row "
        "MATCH (a:Actor {id: row.source}) MATCH (b:Actor {id: row.target}) "
        f"MERGE (a)-[r:{rel} {{id: row.id}}]->(b) SET r += row.props"
    )


def statements() -> list[str]:
    """Every statement the project sends to Neo4j, for the offline grammar check."""
    return [
        *neo4j_constraints(),
        *(node_statement(label) for label in NODES),
        *(relationship_statement(rel) for rel in RELATIONSHIPS),
    ]


def _batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _relationship_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"source": r["source"], "target": r["target"], "id": r["id"],
         "props": {k: v for k, v in r.items() if k not in ("source", "target")}}
        for r in rows
    ]


def work(graph: nx.MultiDiGraph, batch_size: int = BATCH_SIZE) -> list[tuple[str, list[dict]]]:
    """(statement, batch) pairs in the order they must run: nodes before relationships."""
    rows = graph_rows(graph)
    out: list[tuple[str, list[dict]]] = []
    for label in NODES:
        out += [(node_statement(label), list(b)) for b in _batches(rows[label], batch_size)]
    for rel in RELATIONSHIPS:
        batches = _batches(_relationship_rows(rows[rel]), batch_size)
        out += [(relationship_statement(rel), list(b)) for b in batches]
    return out


@dataclass
class PushReport:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    batches: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Connection:
    uri: str
    user: str
    password: str
    database: str | None = None


def _write_batch(tx: neo4j.ManagedTransaction, statement: str, rows: list[dict]
                 ) -> neo4j.SummaryCounters:
    return tx.run(statement, rows=rows).consume().counters


def push(graph: nx.MultiDiGraph, connection: Connection, batch_size: int = BATCH_SIZE,
         progress: Callable[[int, int], None] | None = None) -> PushReport:
    """MERGE the graph into Neo4j: constraints first, then batches in managed write
    transactions. A second push of the same graph creates nothing."""
    jobs = work(graph, batch_size)
    report = PushReport()
    with _driver(connection) as driver, driver.session(database=connection.database) as session:
        for constraint in neo4j_constraints():
            session.run(constraint).consume()
        for done, (statement, rows) in enumerate(jobs, start=1):
            counters = session.execute_write(_write_batch, statement, rows)
            report.nodes_created += counters.nodes_created
            report.relationships_created += counters.relationships_created
            report.properties_set += counters.properties_set
            report.batches += 1
            if progress:
                progress(done, len(jobs))
        report.counts = counts(connection, driver)
    return report


def counts(connection: Connection, driver: neo4j.Driver | None = None) -> dict[str, int]:
    """Nodes per label and relationships per type, as the server holds them."""
    queries = {label: f"MATCH (n:{label}) RETURN count(n) AS c" for label in NODES}
    queries |= {rel: f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c" for rel in RELATIONSHIPS}
    if driver is None:
        with _driver(connection) as own:
            return counts(connection, own)
    return {
        name: driver.execute_query(query, database_=connection.database).records[0]["c"]
        for name, query in queries.items()
    }


@contextmanager
def _driver(connection: Connection) -> Iterator[neo4j.Driver]:
    """A verified driver; connection failures and refused statements become InputError."""
    c = connection
    try:
        driver = GraphDatabase.driver(c.uri, auth=(c.user, c.password))
    except ValueError as err:  # a malformed URI
        raise InputError(f"not a Neo4j URI: {c.uri} ({err})") from None
    with driver:
        try:
            driver.verify_connectivity()
        except AuthError:
            raise InputError(
                f"Neo4j at {c.uri} refused user {c.user!r}: check NEO4J_USER/NEO4J_PASSWORD"
            ) from None
        except (ServiceUnavailable, OSError) as err:
            raise InputError(f"cannot reach Neo4j at {c.uri}: {_first_line(err)}") from None
        try:
            yield driver
        except ClientError as err:
            raise InputError(f"Neo4j refused a statement: {err.message}") from None
        except ServiceUnavailable as err:
            raise InputError(f"lost the connection to Neo4j: {_first_line(err)}") from None


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


# Offline forms of the same statements.

def cypher_literal(value: Any) -> str:
    """A Cypher literal; strings use JSON's escapes, which Cypher reads alike."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"`{k}`: {cypher_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def cypher_script(graph: nx.MultiDiGraph, batch_size: int = BATCH_SIZE) -> str:
    """The push as a script for `cypher-shell -f`: the same statements, rows inlined."""
    out = ["// geldstroom graph: run with cypher-shell -f FILE (idempotent)", ""]
    out += [f"{constraint};" for constraint in neo4j_constraints()]
    for statement, rows in work(graph, batch_size):
        out.append(statement.replace("$rows", cypher_literal(rows), 1) + ";")
    return "\n".join(out) + "\n"


# neo4j-admin database import: one CSV per label and type, typed headers.
_ADMIN_TYPES = {int: "long", bool: "boolean", str: "string"}
# Evidence sentences hold ";" and "|": the unit separator never occurs in the documents.
ARRAY_DELIMITER = "\x1f"


def _admin_header(name: str, annotation: Any) -> str:
    text = str(annotation)
    if text.startswith("list["):
        inner = "long" if "int" in text else "string"
        return f"{name}:{inner}[]"
    base = _ADMIN_TYPES.get(annotation, "string")
    return name if base == "string" else f"{name}:{base}"


def _admin_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    return str(value)


def admin_files(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """CSV files for `neo4j-admin database import full`, named by label or type."""
    rows = graph_rows(graph)
    files: dict[str, bytes] = {}
    for label, model in NODES.items():
        header = [f"id:ID({label})"] + [
            _admin_header(name, f.annotation) for name, f in model.model_fields.items()
            if name != "id"
        ] + [":LABEL"]
        body = [[r["id"], *(_admin_cell(r[n]) for n in model.model_fields if n != "id"), label]
                for r in rows[label]]
        files[f"{label.lower()}.csv"] = _csv(header, body)
    for rel, (model, _) in RELATIONSHIPS.items():
        header = [":START_ID(Actor)", ":END_ID(Actor)", ":TYPE"] + [
            _admin_header(name, f.annotation) for name, f in model.model_fields.items()
        ]
        body = [[r["source"], r["target"], rel, *(_admin_cell(r[n]) for n in model.model_fields)]
                for r in rows[rel]]
        files[f"{rel.lower()}.csv"] = _csv(header, body)
    return files


def admin_command(file_names: Sequence[str], database: str = "neo4j") -> str:
    """The neo4j-admin command line that imports admin_files() into an empty database."""
    args = [f"neo4j-admin database import full {database} --overwrite-destination",
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}"]
    for name in file_names:
        stem = name.removesuffix(".csv").upper()
        kind = "--relationships" if stem in RELATIONSHIPS else "--nodes"
        args.append(f'{kind}="$HERE/{name}"')
    return " \\\n  ".join(args)


def _csv(header: list[str], body: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8")
