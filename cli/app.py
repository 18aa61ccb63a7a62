"""The `geldstroom` command line: the Typer app and its commands, in the order --help lists
them."""

from __future__ import annotations

import typer

from geldstroom.cli import actors, documents, export, neo4j, serve, sources, store, summary

app = typer.Typer(
    help=(
        "Follow Dutch public money: read budget documents (begroting, jaarverslag) and the "
        "Finance ministry's open data into a reconciled graph of actors and money flows.\n\n"
        "With no --file or --manifest, these read the national corpus (the bundled "
        "documents and open data of every ministry: `geldstroom sources`): summary, query, "
        "cypher, serve and load through the graph store (--db; built when missing or out "
        "of date, said on stderr), lines, diagram, chart, export and neo4j push from the "
        "same corpus in memory. validate checks the bundled documents and the open data's "
        "own totals; links reads the bundled documents only (BZK Begroting 2024 artikel 7 "
        "and Jaarverslag 2022 p. 116); actors reads the actor register.\n\n"
        "Amounts are whole euros everywhere, unless a table's title says x € 1.000."
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
