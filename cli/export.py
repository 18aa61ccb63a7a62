"""The `diagram`, `chart` and `export` commands; cli/app.py adds them with register(app)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from geldstroom.cli.common import (
    DocumentChoice,
    check_year,
    err_console,
    reads_documents,
    resolve_payer,
    resolve_recipient,
    user_errors,
)
from geldstroom.errors import InputError
from geldstroom.output import check_writable, shown, write_outputs

OutputOpt = Annotated[
    Path, typer.Option("--output", "-o", help="File to write; its extension picks the format.",
                       show_default=False),
]
ExportOutputOpt = Annotated[
    Path, typer.Option("--output", "-o", show_default=False,
                       help="File to write, in FORMAT; an extension of another format is refused."),
]
YearOpt = Annotated[int | None, typer.Option(
    help="The year to draw. Default: the latest realised year in the documents.")]
PayerOpt = Annotated[str | None, typer.Option(
    "--payer", help="Only what this payer pays: a hoofdstuk (XVI, B) or a minister's or "
    "fund's name (\"Minister van VWS\").")]
TopOpt = Annotated[int | None, typer.Option(
    "--top", min=1, help="Keep the N largest flows; fold the rest into 'overig' with its total "
    "(a recipient drawn in a diagram still shows all it gets).")]


def output_format(path: Path, allowed: Sequence[str]) -> str:
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise InputError(f"cannot tell the format from {path.name!r}: give -o a file ending in "
                         + ", ".join(f".{a}" for a in allowed))
    return fmt


def _done(paths: Sequence[Path]) -> None:
    err_console().print("wrote " + ", ".join(shown(p) for p in paths), highlight=False)


@reads_documents
def diagram(
    documents: DocumentChoice,
    output: OutputOpt,
    year: YearOpt = None,
    recipient: Annotated[str | None, typer.Option(
        help="Only flows to this recipient (id, name or alias; 'unattributed').")] = None,
    beleidsartikel: Annotated[str | None, typer.Option(
        "--beleidsartikel", help="Draw only this beleidsartikel of the documents, e.g. 7. "
        "(--artikel instead tells which artikel a --file document is about.)")] = None,
    top: TopOpt = None,
    payer: PayerOpt = None,
    # The old name, one letter from --artikel: said so, rather than click suggesting --artikel.
    renamed_article: Annotated[str | None, typer.Option("--article", hidden=True)] = None,
) -> None:
    """Draw a Sankey flow: minister -> instrument -> budget line -> recipient, in euros.

    Reads the national corpus (the bundled documents and open data, as `summary` does)
    unless given --file or --manifest; there --top 15 and --payer keep it readable: the
    rest folds into "overig" lines, payers and instruments.

    The output's extension picks the format: .html (interactive, self-contained, works
    offline), .svg or .png (drawn locally with matplotlib). A line shared by several
    recipients flows once into one node naming them all; lines with no named recipient flow
    into "niet toegerekend".
    """
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.queries.diagram import (
        DIAGRAM_FORMATS,
        default_year,
        render_sankey,
        sankey_data,
    )

    if renamed_article is not None:
        raise InputError("--article is now --beleidsartikel (draw only that beleidsartikel); "
                         "--artikel says which artikel a --file document is about")
    fmt = output_format(output, DIAGRAM_FORMATS)
    check_writable(output)
    graph = documents.graph()
    check_year(graph, year)
    actor = resolve_recipient(graph, recipient) if recipient is not None else None
    known = sorted({a for (_, a, _) in graph.graph["uitgaven"]})
    if beleidsartikel is not None and beleidsartikel not in known:
        raise InputError(f"no beleidsartikel {beleidsartikel!r} in these documents; "
                         f"known: {', '.join(known)}")
    paid_by = resolve_payer(graph, payer) if payer else None
    chosen = year if year is not None else default_year(graph, actor, beleidsartikel)
    data = sankey_data(graph, chosen, actor, beleidsartikel, top, paid_by)
    write_outputs([(output, render_sankey(data, fmt))])
    _done([output])


@reads_documents
def chart(
    documents: DocumentChoice,
    recipient: Annotated[str, typer.Argument(
        help="An actor id, name or alias (e.g. ICTU); 'unattributed' for the unnamed part.",
        show_default=False)],
    output: OutputOpt,
) -> None:
    """Chart what one recipient received per year, by source, realisatie apart from plans.

    Reads the national corpus (the bundled documents and open data, as `summary` does)
    unless given --file or --manifest: every year it has for the recipient.

    Each year's bars add up to the total `summary NAME` gives, counted once the same way:
    amounts stated for it (subsidy, agency turnover, bijdrage medeoverheid, financieel
    instrument) and lines paying it alone (document line, budget table line, with their
    instrument); a line showing money already stated is left out. A line it shares stands
    on top with its whole amount (the documents give no split), cross-hatched, named with
    whom it is shared and not in the total; a year with no amount reads "geen bedrag
    genoemd". 'unattributed' charts the lines no one is named for, per instrument. Output
    by extension: .html, .svg or .png.
    """
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.queries.diagram import DIAGRAM_FORMATS, render_chart

    fmt = output_format(output, DIAGRAM_FORMATS)
    check_writable(output)
    graph = documents.graph()
    actor = resolve_recipient(graph, recipient)
    write_outputs([(output, render_chart(graph, actor, fmt))])
    _done([output])


@reads_documents
def export(
    documents: DocumentChoice,
    fmt: Annotated[str, typer.Argument(
        metavar="FORMAT", help="graphml, gexf, dot, mermaid, json, csv; for Neo4j cypher or "
        "neo4j-admin (whole graph only).", show_default=False)],
    output: ExportOutputOpt,
    year: Annotated[int | None, typer.Option(help="Only this year. Default: all years.")] = None,
    top: TopOpt = None,
    payer: PayerOpt = None,
) -> None:
    """Export the money-flow graph for Gephi, yEd, Graphviz, Markdown pages or scripts.

    Reads the national corpus (the bundled documents and open data, as `summary` does)
    unless given --file or --manifest; --year, --top and --payer select from it.

    Each budget line, year and recipient is one edge payer -> recipient (kind "flow", the
    line's chosen figure). Edges carry year, euros (the whole line amount), counted_euros
    (the same, but 0 on the second and later recipients of a shared line: sum it to count
    each line once), stage, instrument, line, recipients, shared_with and evidence. csv
    writes two files: -o flows.csv writes the edges to flows.csv and the nodes to
    flows.nodes.csv. mermaid to a .md file writes a fenced ```mermaid block that Markdown
    pages render as a diagram.

    cypher writes a cypher-shell script (idempotent MERGE, as `geldstroom neo4j push`);
    neo4j-admin writes FILE as a shell script for `neo4j-admin database import full` with
    FILE.actor.csv, FILE.allocates.csv, FILE.pays.csv, ... and FILE.constraints.cypher beside it.
    """
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.queries.export import EXPORTERS, export_graph

    exporter = EXPORTERS.get(fmt.lower())
    if exporter is None:
        raise InputError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORTERS)}")
    if not exporter.flat and (year is not None or top is not None or payer is not None):
        raise InputError(f"{fmt.lower()} writes the whole graph: --year, --top and --payer "
                         "do not apply")
    suffixes = {s: name for name, e in EXPORTERS.items() for s in (e.suffix, *e.variants)}
    named = suffixes.get(output.suffix.lower())
    if named is not None and named != fmt.lower():
        raise InputError(f"{output.suffix} is the extension of {named}, not of {fmt.lower()}: "
                         f"name the file {output.with_suffix(exporter.suffix).name}",
                         str(output))
    check_writable(output)
    graph = documents.graph()
    check_year(graph, year)
    render = exporter.renderer(output.suffix)
    paid_by = resolve_payer(graph, payer) if payer else None
    rendered = render(export_graph(graph, year, top, paid_by) if exporter.flat else graph)
    targets = [(output if part is None else _part_path(output, part), data)
               for part, data in rendered]
    write_outputs(targets)
    _done([path for path, _ in targets])


def _part_path(output: Path, part: str) -> Path:
    # A part with its own extension ("actor.csv") keeps it; "nodes" takes the -o file's.
    suffix = "" if "." in part else output.suffix
    return output.with_name(f"{output.stem}.{part}{suffix}")


def register(app: typer.Typer) -> None:
    for command in (diagram, chart, export):
        app.command(name=command.__name__)(user_errors(command))
