"""The `neo4j` command group: push the graph to a Neo4j server, and count what it holds.
cli/app.py adds it with register(app)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from geldstroom.cli.common import (
    DocumentChoice,
    err_console,
    option_group,
    reads_documents,
    user_errors,
)
from geldstroom.errors import Interrupted
from geldstroom.graph.connection import BATCH_SIZE, DEFAULT_URI, DEFAULT_USER, Connection

if TYPE_CHECKING:
    import networkx as nx
    from rich.table import Table

# The driver, the schema and networkx load only when a neo4j command runs.

UriOpt = Annotated[str, typer.Option(
    "--uri", envvar="NEO4J_URI", help="Bolt URI of the server.")]
UserOpt = Annotated[str, typer.Option(
    "--user", envvar="NEO4J_USER", help="Neo4j user.")]
PasswordOpt = Annotated[str, typer.Option(
    "--password", envvar="NEO4J_PASSWORD", show_default=False,
    help="Neo4j password; prefer the variable, options show in `ps`.")]
DatabaseOpt = Annotated[str | None, typer.Option(
    "--database", envvar="NEO4J_DATABASE", show_default=False,
    help="Database name. Default: the server's default database.")]

neo4j_app = typer.Typer(
    help="Serve the money-flow graph from a Neo4j 5.7+ server (docker compose up: see "
    "docs/neo4j.md).",
    no_args_is_help=True,
)


def connect_to(uri: str, user: str, password: str, database: str | None) -> Connection:
    return Connection(uri=uri, user=user, password=password, database=database or None)


connects_to_neo4j = option_group("connection", {
    "uri": (UriOpt, DEFAULT_URI),
    "user": (UserOpt, DEFAULT_USER),
    "password": (PasswordOpt, ""),
    "database": (DatabaseOpt, None),
}, connect_to)


@neo4j_app.command()
@user_errors
@reads_documents
@connects_to_neo4j
def push(
    documents: DocumentChoice,
    connection: Connection,
    batch_size: Annotated[int, typer.Option(
        "--batch-size", min=1, help="Rows per write transaction.")] = BATCH_SIZE,
) -> None:
    """MERGE the graph into Neo4j: uniqueness constraints, then batched write transactions.

    Idempotent: nodes and relationships are merged on their id, so pushing the same
    documents again creates nothing and only rewrites their properties.
    """
    # late: rich, and pydantic, networkx or the store engine, which --help must not load
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from geldstroom.graph.neo4j_store import push as push_graph

    graph = documents.graph()
    with Progress(
        TextColumn("[bold]{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("rows"), TimeElapsedColumn(),
        console=err_console(), transient=True, disable=not sys.stderr.isatty(),
    ) as progress:
        task = progress.add_task("connecting", total=None)

        def advance(name: str, done: int, total: int) -> None:
            progress.update(task, description=name, completed=done, total=total)

        try:
            report = push_graph(graph, connection, batch_size=batch_size, progress=advance)
        except Interrupted:
            raise Interrupted("interrupted; Neo4j keeps the batches already written: push "
                              "again to complete the graph (MERGE creates nothing twice)") from None
    console = Console()
    console.print(
        f"pushed to {connection.shown_uri} ({report.server}): {report.nodes_created} nodes and "
        f"{report.relationships_created} relationships created, "
        + (f"{report.relationships_deleted} stale PART_OF removed, "
           if report.relationships_deleted else "")
        + f"{report.properties_set} "
        f"properties set, {report.constraints_added} constraints added, in "
        f"{report.batches} batches",
        highlight=False, soft_wrap=True,
    )
    console.print(_counts_table(report.counts, expected=_expected(graph)))


@neo4j_app.command()
@user_errors
@connects_to_neo4j
def counts(
    connection: Connection,
) -> None:
    """Nodes per label and relationships per type that the server holds."""
    # late: rich, and pydantic, networkx or the store engine, which --help must not load
    from rich.console import Console

    from geldstroom.graph.neo4j_store import counts as server_counts

    agent, found = server_counts(connection)
    console = Console()
    console.print(f"{connection.shown_uri} ({agent})", highlight=False, soft_wrap=True)
    console.print(_counts_table(found))


def _expected(graph: nx.MultiDiGraph) -> dict[str, int]:
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.neo4j_store import expected_counts

    return expected_counts(graph)


def _counts_table(found: dict[str, int], expected: dict[str, int] | None = None) -> Table:
    from rich.table import Table  # late: rich, as cli/common.err_console

    table = Table(title="In Neo4j", title_justify="left")
    table.add_column("label or type")
    table.add_column("count", justify="right")
    if expected is not None:
        table.add_column("in these documents", justify="right")
    for name, count in found.items():
        cells = [name, str(count)]
        if expected is not None:
            cells.append(str(expected.get(name, 0)))
        table.add_row(*cells)
    return table


def register(app: typer.Typer) -> None:
    app.add_typer(neo4j_app, name="neo4j")
