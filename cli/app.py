"""The `geldstroom` command line: the Typer app and its commands, in the order --help lists
them."""

from __future__ import annotations

import typer

from geldstroom.cli import actors, documents, export, neo4j, serve, sources, store, summary

app = typer.Typer(
    help=(
        "Follow Dutch public money: read budget documents (begroting, jaarverslag) into a "
        "reconciled graph of actors and money flows. With no --file or --manifest, every "
        "command reads the bundled sample documents (BZK Begroting 2024 artikel 7 and "
        "Jaarverslag 2022 p. 116); summary, query and cypher read the graph store built "
        "from the bundled corpus (--db), building it when it is missing or out of date."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


documents.register(app)
summary.register(app)
store.register(app)
actors.register(app)
sources.register(app)
export.register(app)
neo4j.register(app)
serve.register(app)
