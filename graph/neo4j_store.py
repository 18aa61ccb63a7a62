"""The graph in Neo4j: batched, idempotent MERGE pushes with the official driver, and the
same statements written out as a cypher-shell script or as neo4j-admin import files.

node_statement() and relationship_statement() are engine-neutral: explicit `SET x.p = row.p`
lists from the schema models (the embedded engine has no `SET +=`), values only through the
`rows` parameter, relationship rows flat as graph_rows() gives them.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from geldstroom.cells import csv_bytes
from geldstroom.errors import InputError, LoginRefused, NoPassword
from geldstroom.graph.connection import (  # noqa: F401
    BATCH_SIZE,
    DEFAULT_URI,
    DEFAULT_USER,
    Connection,
)
from geldstroom.graph.schema import (
    NODES,
    RELATIONSHIPS,
    GraphRecord,
    field_types,
    graph_rows,
    neo4j_constraints,
)
from geldstroom.graph.store import QueryResult, plain

if TYPE_CHECKING:
    import networkx as nx


# The driver logs routing failures to stderr on its own ("Unable to retrieve routing
# information"); the CLI reports every failure once, as one line.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

# Relationship property uniqueness constraints (our MERGE keys) came in Neo4j 5.7, Community
# Edition included.
MIN_SERVER = (5, 7)
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def _set_clause(var: str, model: type[GraphRecord]) -> str:
    props = [name for name in model.model_fields if name != "id"]
    if not props:
        return ""
    return " SET " + ", ".join(f"{var}.{name} = row.{name}" for name in props)


def node_statement(label: str, rows: str = "$rows") -> str:
    """MERGE one batch of nodes by id; `rows` is a parameter or a list literal."""
    if label not in NODES:
        raise KeyError(f"no node label {label!r} in the schema")
    return (f"UNWIND {rows} AS row MERGE (n:{label} {{id: row.id}})"
            + _set_clause("n", NODES[label]))


def relationship_statement(rel: str, rows: str = "$rows") -> str:
    """MERGE one batch of relationships by id between nodes merged before them, each
    endpoint MATCHed by the label the schema gives it (ids are unique per label only).

    Rows are flat: {"source", "target", **properties}, as graph_rows() gives them.
    """
    if rel not in RELATIONSHIPS:
        raise KeyError(f"no relationship type {rel!r} in the schema")
    spec = RELATIONSHIPS[rel]
    return (
        f"UNWIND {rows} AS row "
        f"MATCH (a:{spec.source} {{id: row.source}}) MATCH (b:{spec.target} {{id: row.target}}) "
        f"MERGE (a)-[r:{rel} {{id: row.id}}]->(b)" + _set_clause("r", spec.model)
    )


# An actor has one parent: a push removes the PART_OF its register entry no longer names.
STALE_PART_OF = "PART_OF stale"


def stale_part_of_statement(rows: str = "$rows") -> str:
    """Delete each pushed actor's PART_OF to anyone but its `part_of` (rows: id, part_of)."""
    return (f"UNWIND {rows} AS row MATCH (a:Actor {{id: row.id}})-[r:PART_OF]->(p:Actor) "
            "WHERE p.id <> coalesce(row.part_of, '') DELETE r")


def count_statements() -> dict[str, str]:
    """One count query per label and type: what the server holds."""
    queries = {label: f"MATCH (n:{label}) RETURN count(n) AS c" for label in NODES}
    queries |= {rel: f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c" for rel in RELATIONSHIPS}
    return queries


def statements() -> list[str]:
    """Every statement the project sends to Neo4j, for the offline grammar check."""
    return [
        *neo4j_constraints(),
        *(node_statement(label) for label in NODES),
        *(relationship_statement(rel) for rel in RELATIONSHIPS),
        stale_part_of_statement(),
        *count_statements().values(),
    ]


def batches(rows: Sequence[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    if size < 1:
        raise ValueError("batch size must be at least 1")
    for start in range(0, len(rows), size):
        yield list(rows[start : start + size])


@dataclass(frozen=True)
class Job:
    """One batch: the statement, its rows, and the label or type it writes."""

    name: str
    statement: str
    rows: list[dict[str, Any]]


def neo4j_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """graph_rows() as Neo4j holds them: an empty list is no property at all.

    `neo4j-admin database import` cannot write an empty array (the cell becomes no property),
    so every route writes none: push, the cypher-shell script and the import give one graph.
    Read such a property with coalesce(x, []).
    """
    return {name: [{k: (None if v == [] else v) for k, v in row.items()} for row in rows]
            for name, rows in graph_rows(graph).items()}


def work(graph: nx.MultiDiGraph, batch_size: int = BATCH_SIZE) -> list[Job]:
    """The batches in the order they must run: nodes before the relationships that MATCH them,
    and last the removal of parents the actors no longer have."""
    rows = neo4j_rows(graph)
    jobs = [Job(label, node_statement(label), batch)
            for label in NODES for batch in batches(rows[label], batch_size)]
    jobs += [Job(rel, relationship_statement(rel), batch)
             for rel in RELATIONSHIPS for batch in batches(rows[rel], batch_size)]
    parents = [{"id": row["id"], "part_of": row["part_of"]} for row in rows["Actor"]]
    jobs += [Job(STALE_PART_OF, stale_part_of_statement(), batch)
             for batch in batches(parents, batch_size)]
    return jobs


def expected_counts(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and relationships per type that a push of this graph leaves."""
    return {name: len(found) for name, found in graph_rows(graph).items()}


@dataclass
class PushReport:
    nodes_created: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    constraints_added: int = 0
    batches: int = 0
    server: str = ""
    counts: dict[str, int] = field(default_factory=dict)


def check_uri(uri: str) -> None:
    """Refuse what the driver would reject late or oddly (http:// needs extras, ports wrap)."""
    hint = "use bolt://HOST:7687 or neo4j://HOST:7687"
    try:
        parts = urlsplit(uri)
        port = parts.port  # ValueError when out of range or not a number
    except ValueError as err:
        raise InputError(f"not a Neo4j URI: {uri!r} ({err}); {hint}") from None
    if parts.scheme not in _SCHEMES:
        raise InputError(f"not a Neo4j URI: {uri!r} (scheme {parts.scheme or 'missing'!r}); "
                         f"{hint}")
    if not parts.hostname:
        raise InputError(f"not a Neo4j URI: {uri!r} (no host); {hint}")
    if port == 0 or parts.path not in ("", "/"):
        raise InputError(f"not a Neo4j URI: {uri!r}; {hint}")


def check_server(agent: str) -> None:
    """Neo4j 5.7 or newer (2025.x included): older servers refuse the relationship keys."""
    found = re.match(r"Neo4j/(\d+)\.(\d+)", agent or "")
    if found and (int(found[1]), int(found[2])) < MIN_SERVER:
        raise InputError(f"the server is {agent}; geldstroom needs Neo4j "
                         f"{MIN_SERVER[0]}.{MIN_SERVER[1]} or newer (relationship uniqueness "
                         "constraints)")


def _write_batch(tx: Any, statement: str, rows: list[dict[str, Any]]) -> Any:
    # Consumed inside the transaction function: a retry replays the whole batch.
    return tx.run(statement, rows=rows).consume().counters


def push(graph: nx.MultiDiGraph, connection: Connection, batch_size: int = BATCH_SIZE,
         progress: Callable[[str, int, int], None] | None = None) -> PushReport:
    """MERGE the graph into Neo4j: constraints first, then one managed write transaction per
    batch (retried by the driver on transient errors). A second push creates nothing.

    `progress(name, rows_done, rows_total)` is called after every batch.
    """
    jobs = work(graph, batch_size)
    total = sum(len(job.rows) for job in jobs)
    report = PushReport()
    with _driver(connection) as driver:
        report.server = driver.get_server_info().agent
        check_server(report.server)
        with driver.session(database=connection.database) as session:
            for constraint in neo4j_constraints():
                summary = session.run(constraint).consume()
                report.constraints_added += summary.counters.constraints_added
            done = 0
            for job in jobs:
                counters = session.execute_write(_write_batch, job.statement, job.rows)
                report.nodes_created += counters.nodes_created
                report.relationships_created += counters.relationships_created
                report.relationships_deleted += counters.relationships_deleted
                report.properties_set += counters.properties_set
                report.batches += 1
                done += len(job.rows)
                if progress:
                    progress(job.name, done, total)
        report.counts = _counts(driver, connection.database)
    return report


def counts(connection: Connection) -> tuple[str, dict[str, int]]:
    """The server's agent string, and nodes per label and relationships per type it holds."""
    with _driver(connection) as driver:
        return driver.get_server_info().agent, _counts(driver, connection.database)


def run_query(connection: Connection, cypher: str, parameters: dict[str, Any]) -> QueryResult:
    """One read statement on the server, values as parameters; the embedded store's result."""
    # The system database holds users, roles and settings, never a geldstroom graph; its
    # commands (SHOW USERS, ...) are no business of a query. Names are case-insensitive.
    if (connection.database or "").strip().lower() == "system":
        raise InputError("--database system holds the server's users and settings, not a "
                         "graph: refused, queries run on a graph database")
    with _driver(connection) as driver, driver.session(database=connection.database) as session:
        def read(tx: Any) -> QueryResult:
            result = tx.run(cypher, parameters)
            keys = list(result.keys())
            return QueryResult(keys, [[plain(_graph_value(record[k])) for k in keys]
                                      for record in result])

        return session.execute_read(read)


def _graph_value(value: Any) -> Any:
    """Nodes, relationships and paths as the embedded store gives them: a node or a
    relationship is its properties with `_label` (the label or type); a path is its nodes and
    relationships, in `_nodes` and `_rels`. (The driver's own objects print as JSON nowhere.)"""
    from neo4j.graph import Node, Path, Relationship  # late: only a query on Neo4j loads it

    if isinstance(value, Node):
        return {"_label": next(iter(sorted(value.labels)), ""), **dict(value)}
    if isinstance(value, Relationship):
        return {"_label": value.type, **dict(value)}
    if isinstance(value, Path):
        return {"_nodes": [_graph_value(n) for n in value.nodes],
                "_rels": [_graph_value(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_graph_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _graph_value(v) for k, v in value.items()}
    return value


def _counts(driver: Any, database: str | None) -> dict[str, int]:
    with driver.session(database=database) as session:
        return {
            name: session.execute_read(lambda tx, q=query: tx.run(q).single(strict=True)["c"])
            for name, query in count_statements().items()
        }


@contextmanager
def _driver(connection: Connection) -> Iterator[Any]:
    """A verified driver; connection failures and refused statements become InputError."""
    from neo4j import GraphDatabase  # late: only the neo4j commands pay for the driver
    from neo4j.exceptions import (
        AuthError,
        ClientError,
        ConfigurationError,
        DriverError,
        Neo4jError,
        ServiceUnavailable,
    )

    c = connection
    check_uri(c.uri)
    where = c.shown_uri
    if not c.password:
        raise NoPassword()
    try:
        driver = GraphDatabase.driver(c.uri, auth=(c.user, c.password), connection_timeout=10.0,
                                      max_transaction_retry_time=c.retry_seconds)
    except (ConfigurationError, ValueError) as err:
        raise InputError(f"not a Neo4j URI: {where} ({_first_line(err)})") from None
    with driver:
        try:
            driver.verify_connectivity()
        except AuthError:
            raise LoginRefused(where, c.user) from None
        except ClientError as err:  # e.g. too many failed logins: AuthenticationRateLimit
            raise InputError(f"Neo4j at {where} refused the connection: "
                             f"{_first_line(err)}") from None
        except (ServiceUnavailable, DriverError, OSError) as err:
            raise InputError(f"cannot reach Neo4j at {where}: {_first_line(err)}") from None
        try:
            yield driver
        except AuthError as err:
            raise LoginRefused(where, c.user, _first_line(err)) from None
        except ClientError as err:
            if err.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise InputError(f"Neo4j at {where} has no database {c.database!r}") from None
            raise InputError(f"Neo4j refused a statement: {_first_line(err)}") from None
        except Neo4jError as err:
            raise InputError(f"Neo4j failed: {err.code}: {_first_line(err)}") from None
        except DriverError as err:
            raise InputError(f"lost the connection to Neo4j at {where}: "
                             f"{_first_line(err)}") from None


def _first_line(error: BaseException) -> str:
    """The error on one line; for socket failures the OS's reason ("Connection refused")."""
    text = str(getattr(error, "message", None) or error).strip() or type(error).__name__
    reason = re.search(r"\(reason (?:\[Errno -?\d+\] )?([^)]+)\)", text)
    return reason[1] if reason else " ".join(text.split())


# Offline forms of the same statements.

def cypher_literal(value: Any) -> str:
    """A Cypher literal for None, bool, int, finite float, str, list, tuple or dict.

    Strings use JSON's escapes, a subset of Cypher's (json.dumps never writes `\\/`); ";"
    is written `\\u003B` so no script splitter can cut a statement inside a string.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise ValueError(f"{value} does not fit a Cypher integer")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no Cypher literal for {value}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace(";", "\\u003B")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_name(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _name(key: Any) -> str:
    if not isinstance(key, str) or not key:
        raise TypeError(f"map keys must be non-empty strings, not {key!r}")
    return "`" + key.replace("`", "``") + "`"


def cypher_script(graph: nx.MultiDiGraph, batch_size: int = BATCH_SIZE) -> str:
    """The push as a script for `cypher-shell -f FILE`: the same statements, rows inlined.
    Idempotent like the push: running it twice creates nothing the second time."""
    out = ["// geldstroom graph for Neo4j 5.7+: cypher-shell -u neo4j -f FILE (idempotent)", ""]
    out += [f"{constraint};" for constraint in neo4j_constraints()]
    for job in work(graph, batch_size):
        out.append(job.statement.replace("$rows", cypher_literal(job.rows), 1) + ";")
    return "\n".join(out) + "\n"


# neo4j-admin database import: one CSV per label and type, typed headers.
_ADMIN_TYPES = {int: "long", bool: "boolean", str: "string"}  # long: amounts pass 2^31
# Evidence sentences hold ";" and "|": the unit separator never occurs in the documents.
ARRAY_DELIMITER = "\x1f"


def _admin_header(name: str, base: type, is_list: bool) -> str:
    return f"{name}:{_ADMIN_TYPES[base]}{'[]' if is_list else ''}"


def _admin_cell(value: Any) -> str:
    if value is None:
        return ""  # no property, as a null SET leaves none
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        cells = [_admin_cell(v) for v in value]
        if any(ARRAY_DELIMITER in c for c in cells):
            raise InputError("a list value holds U+001F, the neo4j-admin array delimiter")
        return ARRAY_DELIMITER.join(cells)
    return str(value)


def admin_files(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """CSV files for `neo4j-admin database import full`, named by label or type."""
    rows = graph_rows(graph)
    files: dict[str, bytes] = {}
    for label, model in NODES.items():
        typed = [t for t in field_types(model) if t[0] != "id"]
        header = [f"id:ID({label})", *(_admin_header(*t) for t in typed), ":LABEL"]
        body = [[r["id"], *(_admin_cell(r[name]) for name, *_ in typed), label]
                for r in rows[label]]
        files[f"{label.lower()}.csv"] = csv_bytes(header, body)
    for rel, spec in RELATIONSHIPS.items():
        typed = field_types(spec.model)
        header = [f":START_ID({spec.source})", f":END_ID({spec.target})", ":TYPE",
                  *(_admin_header(*t) for t in typed)]
        body = [[r["source"], r["target"], rel, *(_admin_cell(r[name]) for name, *_ in typed)]
                for r in rows[rel]]
        files[f"{rel.lower()}.csv"] = csv_bytes(header, body)
    return files


def admin_script(file_names: Sequence[str]) -> str:
    """A shell script that imports the files beside it (named STEM.NAME, STEM being the
    script's own name without its extension) into an empty or replaced database."""
    args = ['"${NEO4J_ADMIN:-neo4j-admin}" database import full "${NEO4J_DATABASE:-neo4j}"',
            "--overwrite-destination",
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
            "--multiline-fields=true"]
    for name in file_names:
        stem = name.removesuffix(".csv").upper()
        kind = "--relationships" if stem in RELATIONSHIPS else "--nodes"
        args.append(f'{kind}="$HERE/$STEM.{name}"')
    return "\n".join([
        "#!/bin/sh",
        "# geldstroom graph for `neo4j-admin database import full` (Neo4j 5.7+).",
        "# REPLACES the database (default neo4j; set NEO4J_DATABASE). Stop it first.",
        "# Then start Neo4j and run STEM.constraints.cypher with cypher-shell -f.",
        "set -eu",
        'HERE=$(cd "$(dirname "$0")" && pwd)',
        "NAME=${0##*/}",
        "STEM=${NAME%.*}",
        " \\\n  ".join(args),
        "",
    ])


def admin_export(graph: nx.MultiDiGraph) -> list[tuple[str | None, bytes]]:
    """The script (the -o file itself), the CSV files and the constraints beside it."""
    files = admin_files(graph)
    constraints = "".join(f"{c};\n" for c in neo4j_constraints())
    return [(None, admin_script(list(files)).encode("utf-8")),
            *((name, data) for name, data in files.items()),
            ("constraints.cypher", constraints.encode("utf-8"))]
