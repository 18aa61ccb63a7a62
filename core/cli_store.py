"""The `load`, `query`, `queries` and `cypher` commands: the graph as a queryable store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from geldstroom.cli_common import (
    ArtikelOpt,
    DocYearOpt,
    Files,
    Format,
    FormatOpt,
    HoofdstukOpt,
    KindOpt,
    ManifestOpt,
    emit,
    err_console,
    load_graph,
    user_errors,
)
from geldstroom.graph.store import DEFAULT_DB

DbOpt = Annotated[Path, typer.Option(
    "--db", help="The embedded graph store (one file).", show_default=True)]
ParamOpt = Annotated[list[str] | None, typer.Option(
    "--param", "-p", help="A query parameter as key=value (repeatable); values are read as "
    "JSON where they parse (2024, true, null, \"text\"), else as text.", show_default=False)]


@user_errors
def load(
    db: DbOpt = DEFAULT_DB,
    files: Files = None,
    manifest: ManifestOpt = None,
    kind: KindOpt = None,
    document_year: DocYearOpt = None,
    hoofdstuk: HoofdstukOpt = None,
    artikel: ArtikelOpt = None,
) -> None:
    """Build the embedded graph store from the documents (the bundled ones by default).

    The new store is written beside the old one and takes its place only when complete:
    a failed or interrupted load leaves the previous store as it was. Loading the same
    documents again gives the same store.
    """
    from geldstroom.graph.store import load_store

    graph = load_graph(files, manifest, kind, document_year, hoofdstuk, artikel)
    with err_console.status("writing the graph store") as status:
        report = load_store(graph, db, progress=status.update)
    parts = ", ".join(f"{count} {name}" for name, count in report.counts.items())
    typer.echo(f"wrote {report.path}: {parts} ({report.size_bytes / 1e6:.1f} MB)")


@user_errors
def queries() -> None:
    """List the named queries with what they answer and their parameters."""
    from geldstroom.queries.named import named_queries

    for name, query in named_queries().items():
        typer.echo(f"{name}\n  {query.description}")
        for p in query.parameters.values():
            default = "null" if p.default is None else json.dumps(p.default)
            typer.echo(f"  --param {p.name}=<{p.type}> (default {default}) {p.help}")


@user_errors
def query(
    name: Annotated[str, typer.Argument(help="A named query; `geldstroom queries` lists them.",
                                        show_default=False)],
    param: ParamOpt = None,
    db: DbOpt = DEFAULT_DB,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Run a named query (queries/*.cypher) on the embedded store."""
    from geldstroom.queries.named import named_query, parse_param_options

    named = named_query(name)
    values = named.bind(parse_param_options(param or []))
    _show(_run(db, named.cypher, values), fmt, name)


@user_errors
def cypher(
    statement: Annotated[str, typer.Argument(help="A Cypher statement (read-only).",
                                             show_default=False)],
    param: ParamOpt = None,
    db: DbOpt = DEFAULT_DB,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Run your own Cypher on the embedded store; pass values with --param, never inline."""
    from geldstroom.queries.named import parse_param_options

    values = {k: _json_or_text(v) for k, v in parse_param_options(param or []).items()}
    _show(_run(db, statement, values), fmt, "")


def _run(db: Path, statement: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    from geldstroom.graph.store import Store

    with Store(db) as store:
        return store.run(statement, values).records()


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def _show(records: list[dict[str, Any]], fmt: Format, title: str) -> None:
    if not records and fmt is Format.TABLE:
        err_console.print("no rows", highlight=False)
        return
    money = [c for c in (records[0] if records else {}) if c.endswith("euros")]
    emit(records, fmt, title, money=money)


def register(app: typer.Typer) -> None:
    for command in (load, query, queries, cypher):
        app.command()(command)
