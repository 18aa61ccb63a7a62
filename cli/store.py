"""The `load`, `query`, `queries` and `cypher` commands: the graph as a queryable store."""

from __future__ import annotations

import json
import math
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from geldstroom.cli.common import (
    DbOpt,
    DocumentChoice,
    Format,
    FormatOpt,
    current_store,
    emit,
    err_console,
    reads_documents,
    user_errors,
)
from geldstroom.cli.neo4j import connects_to_neo4j
from geldstroom.errors import InputError, Interrupted, UnknownYear
from geldstroom.graph.connection import Connection
from geldstroom.graph.query_shapes import guard_statement
from geldstroom.graph.read_only import check_parameters, check_read_only, check_single_statement
from geldstroom.inputs import MAX_NESTING, nesting_depth
from geldstroom.interrupt import interrupted
from geldstroom.queries.named import named_queries, named_query, parse_param_options

if TYPE_CHECKING:
    from geldstroom.graph.store import QueryResult


class Backend(StrEnum):
    EMBEDDED = "embedded"
    NEO4J = "neo4j"


BackendOpt = Annotated[Backend, typer.Option(
    "--backend", "--engine", help="embedded: the --db file (no server); neo4j: the server at "
    "--uri, read-only (a second opinion on the embedded engine's answer).")]
ParamOpt = Annotated[list[str] | None, typer.Option(
    "--param", "-p", help="A query parameter as key=value (repeatable); values are read as "
    "JSON where they parse (2024, true, null, \"text\"), else as text.", show_default=False)]


@user_errors
@reads_documents
def load(
    documents: DocumentChoice,
    db: DbOpt = None,
) -> None:
    """Build the embedded graph store from the documents (the bundled corpus by default).

    The new store is written beside the old one and takes its place only when complete:
    a failed or interrupted load leaves the previous store as it was. Loading the same
    documents again gives a store with the same contents; its bytes differ (the engine
    gives each database file its own id, and the store records its build time). A store
    of the bundled corpus records the digest of its inputs: `summary`, `query` and
    `cypher` rebuild it when those change. A store of --file/--manifest documents is read
    as it is.
    """
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.default_store import (
        build_default_store,
        default_store_path,
        make_cache_folder,
    )
    from geldstroom.graph.store import check_store_target, load_store

    db = default_store_path(db)
    make_cache_folder(db)  # a fresh machine has no cache folder yet
    check_store_target(db)  # a folder, pipe, unwritable folder: refused before building
    before = _identity(db)
    try:
        if documents.files or documents.manifest:
            graph = documents.graph()  # shows its own status: one at a time
            given = [str(f) for f in documents.files] or [str(documents.manifest)]
            with err_console().status("writing the graph store") as status:
                report = load_store(graph, db, progress=status.update, clear_graph=True,
                                    inputs="given: " + ", ".join(given),
                                    digest=_given_digest(documents))
        else:
            with err_console().status("building the graph store") as status:
                report = build_default_store(db, progress=status.update)
    except BaseException as err:
        if not (isinstance(err, Interrupted) or interrupted()):
            raise
        # load_store removes its half-built file; only a Ctrl-C after the rename finds the
        # new store in place, whole.
        after = _identity(db)
        if after == before:
            kept = f"{db} was left unchanged" if after else f"no store was written at {db}"
        else:
            kept = f"{db} holds the new store, written whole before the interruption"
        raise Interrupted(f"interrupted; {kept}") from None
    parts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    typer.echo(f"wrote {report.path}: {parts} ({report.size_bytes / 1e6:.1f} MB)")


def _given_digest(documents: DocumentChoice) -> str:
    """For a sources manifest: the digest of the bundled inputs with the manifest and the
    files it adds, so that a store says which data it was built from."""
    if documents.sources_manifest is None:
        return ""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.digest import bundled_inputs, corpus_digest
    from geldstroom.loaders.opendata.sources import source_files

    return corpus_digest([*bundled_inputs(), *source_files(documents.sources_manifest)])


def _identity(path: Path) -> tuple[int, int, int] | None:
    """Which file is at `path` (a rename puts another inode there); None: no file."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


@user_errors
def queries() -> None:
    """List the named queries with what they answer and their parameters."""
    for name, query in named_queries().items():
        typer.echo(f"{name}\n  {query.description}")
        for p in query.parameters.values():
            default = "null" if p.default is None else json.dumps(p.default)
            typer.echo(f"  --param {p.name}=<{p.type}> (default {default}) {p.help}")


@user_errors
@connects_to_neo4j
def query(
    connection: Connection,
    name: Annotated[str, typer.Argument(help="A named query; `geldstroom queries` lists them.",
                                        show_default=False)],
    param: ParamOpt = None,
    backend: BackendOpt = Backend.EMBEDDED,
    db: DbOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Run a named query (queries/*.cypher) on the embedded store or on Neo4j."""
    named = named_query(name)
    given = parse_param_options(param or [])
    values = named.bind(given)
    target = current_store(db) if backend is Backend.EMBEDDED else connection
    where = "the store" if backend is Backend.EMBEDDED else "Neo4j"
    if values.get("recipient") is not None:  # names and aliases, as `summary` takes them
        # late: pulls pydantic, networkx or the store engine, which --help must not load
        from geldstroom.loaders.actors.resolve import find_recipient

        actors = _run(target, "MATCH (a:Actor) RETURN a.id AS id, a.name AS name, "
                      "a.aliases AS aliases", {}).records()
        values["recipient"] = find_recipient(
            given["recipient"], ((a["id"], a["name"], a["aliases"]) for a in actors), where)
    if values.get("year") is not None:
        years = [r["year"] for r in _run(target, "MATCH ()-[f:ALLOCATES]->() "
                                         "RETURN DISTINCT f.year AS year", {}).records()]
        if values["year"] not in years:
            raise UnknownYear(values["year"], sorted(years), where)
    result = _run(target, _for_engine(named.cypher, backend), values)
    records = result.records()
    if "ORDER BY" not in named.cypher.upper():  # the engine's order is no order: fix one
        records.sort(key=lambda record: json.dumps(record, sort_keys=True, default=str))
    _show(records, result.columns, fmt, name)


@user_errors
@connects_to_neo4j
def cypher(
    connection: Connection,
    statement: Annotated[str, typer.Argument(
        help="A Cypher statement that only reads: MATCH, OPTIONAL MATCH, UNWIND, WITH, "
        "RETURN, CALL of procedures that only read, and subqueries of those; anything else "
        "(CREATE, SET, COPY, LOAD, ...) is refused. It runs for at most 60 s and 2 GB of "
        "memory (GELDSTROOM_QUERY_SECONDS, GELDSTROOM_QUERY_MEMORY_MB).", show_default=False)],
    param: ParamOpt = None,
    backend: BackendOpt = Backend.EMBEDDED,
    db: DbOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Run your own Cypher on the embedded store or on Neo4j; pass values with --param,
    never inline."""
    check_read_only(statement)
    check_single_statement(statement)
    values = {k: _json_or_text(k, v) for k, v in parse_param_options(param or []).items()}
    check_parameters(statement, values)
    statement = _for_engine(statement, backend)
    target = current_store(db) if backend is Backend.EMBEDDED else connection
    result = _run(target, statement, values)
    _show(result.records(), result.columns, fmt, "")


def _for_engine(statement: str, backend: Backend) -> str:
    """The embedded engine gets the form it answers right (docs/engine-bugs.md), or
    ShapeRefused; Neo4j gets the statement as written."""
    return guard_statement(statement) if backend is Backend.EMBEDDED else statement


def _run(target: Path | Connection, statement: str, values: dict[str, Any]) -> QueryResult:
    """Read-only everywhere: the embedded store opens read-only, Neo4j runs a read
    transaction."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.neo4j_store import run_query
    from geldstroom.graph.store import Store

    if isinstance(target, Connection):
        return run_query(target, statement, values)
    with Store(target) as store:
        return store.run(statement, values)


def _json_or_text(name: str, text: str) -> Any:
    too_deep = InputError(f"--param {name}: lists or maps nested more than {MAX_NESTING} deep")
    try:
        value = json.loads(text)
    except ValueError:
        return text
    except RecursionError:
        raise too_deep from None
    if nesting_depth(value) > MAX_NESTING:
        raise too_deep
    if not _finite(value):  # json reads NaN, Infinity and 1e400 as floats no engine stores
        raise InputError(f"--param {name}: {text!r} holds a number that is not finite")
    return value


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    return True


def _show(records: list[dict[str, Any]], columns: list[str], fmt: Format, title: str) -> None:
    if not records and fmt is Format.TABLE:
        err_console().print("no rows", highlight=False)
        return
    emit(records, fmt, title, money=[c for c in columns if c.endswith("euros")],
         columns=columns)


def register(app: typer.Typer) -> None:
    for command in (load, query, queries, cypher):
        app.command()(command)
