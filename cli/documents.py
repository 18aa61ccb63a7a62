"""validate, lines and links: what the documents hold, read as they are."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from geldstroom.cli import actors as cli_actors
from geldstroom.cli import labels as cli_labels
from geldstroom.cli import sources as cli_sources
from geldstroom.cli.common import (
    DocumentChoice,
    Format,
    FormatOpt,
    check_year,
    emit,
    reads_documents,
    resolve_payer,
    user_errors,
)
from geldstroom.dutch import counted, format_euros, years_text
from geldstroom.errors import InputError, UnknownYear

if TYPE_CHECKING:
    from rich.console import Console

    from geldstroom.loaders.opendata.corpus import OpenCorpus
    from geldstroom.model import Finding

_ONDERDELEN = ("artikelonderdeel", "artikelonderdelen")
_FLEXIBILITY = ("budget-flexibility share", "budget-flexibility shares")
_FINDING_COLUMNS = ("source", "file", "line", "finding", "subject", "detail", "year", "stage",
                    "stated_euros", "found_euros", "difference_euros", "other")


@user_errors
@reads_documents
def validate(
    documents: DocumentChoice,
    tolerance: Annotated[int, typer.Option(
        help="Accept the documents' totals off by at most this many euros (rounding); "
        "still listed.")] = 0,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Exit 1 on any finding listed: the documents' (also within "
        "--tolerance) and the open data's.")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Check that every level of every budget table adds up, in every year.

    Lists each mismatch with document, line, level, year, the stated total and the sum of
    its parts. With no --file or --manifest, the bundled open data (`geldstroom sources`) is
    checked too, and a --manifest of [\\[source]] tables checks those files.

    Exit code: 1 when a total of the documents is off by more than --tolerance. What does not
    add up in the published open data is a finding about the publisher's data, reported with
    exit code 0; with --strict any finding listed (documents or open data) gives 1.

    --format csv and json list one row per finding, with the columns: source ('document' or
    the dataset), file (document id or data file), line, finding (mismatch, repeated row,
    skipped row, read with a remark, conflict, reconciliation difference, reconciliation
    candidates differ), subject (the row, line or article), detail (the reason, or the level
    of a total), year, stage, stated_euros (the stated total; a conflict's first row; the
    begrotingsstaat), found_euros (the sum of the parts; the second row; the budgettaire
    tabellen), difference_euros (found - stated), other (the other row: file:line).
    """
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.loaders.findings import document_findings, open_data_findings
    from geldstroom.model import Role, RowLevel

    if documents.manifest and cli_sources.is_sources_manifest(documents.manifest):
        open_corpus = cli_sources.validate_open_data(documents.manifest, fmt)
        findings = open_data_findings(open_corpus)
        if fmt is not Format.TABLE:
            _emit_findings(findings, fmt)
        if strict and findings:
            raise typer.Exit(1)
        return
    corpus = documents.corpus()
    findings = document_findings(corpus)
    mismatches = [m for t in corpus.tables for m in t.mismatches]
    failing = [m for m in mismatches if abs(m.difference) > tolerance]
    with_open_data = not documents.files and not documents.manifest
    if fmt is not Format.TABLE:
        if with_open_data:
            open_corpus = cli_sources.validate_open_data(None, fmt)
            findings += open_data_findings(open_corpus)
            findings += _answer_findings(open_corpus, None)
        _emit_findings(findings, fmt)
    else:
        from rich.console import Console  # late: rich, as cli/common.err_console

        console = Console()
        for table in corpus.tables:
            rows = table.rows()
            levels = {level: sum(1 for r in rows if r.level is level) for level in RowLevel}
            console.print(
                f"[bold]{table.document}[/]: {table.title}\n"
                f"  {counted(len(rows), 'row', 'rows')}: "
                f"{counted(levels[RowLevel.ARTIKELONDERDEEL], *_ONDERDELEN)}, "
                f"{counted(levels[RowLevel.INSTRUMENT], 'instrument', 'instruments')}, "
                f"{counted(len(table.budget_lines()), 'budget line', 'budget lines')}; "
                f"years {table.years[0]}-{table.years[-1]}; "
                f"{counted(len(table.flexibility), *_FLEXIBILITY)}",
                highlight=False,
            )
            if not table.mismatches:
                console.print("  every level adds up to its parts in every year", style="green")
        for m in mismatches:
            console.print(
                f"  [red]mismatch[/] {m.document}:{m.line} {m.level.value} {m.label!r} {m.year}:"
                f" stated {format_euros(m.expected)}, parts add up to {format_euros(m.found)}"
                f" (difference {format_euros(m.difference)})",
                highlight=False,
            )
        recipients = {lk.actor for lk in corpus.links if lk.role is Role.RECIPIENT}
        unresolved = cli_actors.print_unresolved(console, corpus)
        console.print(
            f"payment sentences naming a recipient in no register: {unresolved}",
            highlight=False,
        )
        console.print(
            f"{counted(len(corpus.documents), 'document', 'documents')}, "
            f"{counted(len(corpus.tables), 'table', 'tables')}, "
            f"{counted(len(mismatches), 'mismatch', 'mismatches')}, "
            f"{counted(len(corpus.links), 'actor link', 'actor links')} "
            f"({counted(len(recipients), 'recipient', 'recipients')})",
            highlight=False,
        )
        if with_open_data:
            open_corpus = cli_sources.validate_open_data(None, fmt, documents=corpus)
            findings += open_data_findings(open_corpus)
            findings += _answer_findings(open_corpus, console)
    if failing or (strict and findings):
        raise typer.Exit(1)


def _answer_findings(open_corpus: OpenCorpus, console: Console | None) -> list[Finding]:
    """What the default graph adds to validate: the recipients the open data's labels name
    (per hoofdstuk, the ambiguous ones as findings), and the money two sources show for one
    recipient (graph/same_money.py), each difference a finding. Printed on `console`."""
    # late: networkx and the whole graph build, which --help must not load
    from geldstroom.graph.default_store import default_graph
    from geldstroom.graph.flows import flows, unplaced_payments
    from geldstroom.graph.label_recipients import label_findings
    from geldstroom.graph.same_money import every_same_money, same_money_findings

    graph = default_graph(open_data=open_corpus)
    linking = graph.graph["label_links"]
    same = every_same_money(list(flows(graph)), unplaced_payments(graph))
    if console is not None:
        cli_labels.print_label_links(console, linking)
        cli_labels.print_same_money(console, same)
    return label_findings(linking) + same_money_findings(same)


def _emit_findings(findings: Sequence[Finding], fmt: Format) -> None:
    emit([{**f.model_dump(mode="json"), "difference_euros": f.difference_euros}
          for f in findings], fmt, columns=_FINDING_COLUMNS)


@user_errors
@reads_documents
def lines(
    documents: DocumentChoice,
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    all_rows: Annotated[bool, typer.Option(
        "--all-rows", help="Also the totals: Verplichtingen, Uitgaven, artikelonderdelen, "
        "instruments, Ontvangsten.")] = False,
    payer: Annotated[str | None, typer.Option(
        "--payer", help="National corpus: only this payer's lines, a hoofdstuk (XVI) or a "
        "minister's or fund's name.")] = None,
    top: Annotated[int | None, typer.Option(
        "--top", min=1, help="National corpus: only the N largest line-years.")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Budget lines with their yearly amounts in euros, stage and source line.

    With no --file or --manifest: the national corpus (the bundled documents and open data,
    as `summary` reads it), each line-year with the one figure that counts, largest first;
    --payer and --top select. With --file or --manifest: every figure of the documents'
    tables as they stand."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.model import line_id

    if not documents.files and not documents.manifest:
        _national_lines(documents, year, payer, top, fmt)
        return
    if payer is not None or top is not None:
        raise InputError("--payer and --top select from the national corpus: leave out "
                         "--file and --manifest")
    corpus = documents.corpus()
    rows = []
    for table in corpus.tables:
        instrument_of = {id(r): i for r, i in table.budget_lines_with_instrument()}
        source = table.rows() if all_rows else table.budget_lines()
        for row in source:
            for amount in row.amounts:
                if year is not None and amount.year != year:
                    continue
                rows.append({
                    "line_id": line_id(table.hoofdstuk, table.artikel, row.path),
                    "level": row.level.value,
                    "label": row.label,
                    "instrument": instrument_of.get(id(row)) or "",
                    "year": amount.year,
                    "euros": amount.euros,
                    "stage": amount.stage.value,
                    "document": table.document,
                    "line": amount.line,
                })
    if year is not None and not rows:
        raise UnknownYear(year, sorted({y for t in corpus.tables for y in t.years}))
    emit(rows, fmt, "Budget lines", money=("euros",), columns=(
        "line_id", "level", "label", "instrument", "year", "euros", "stage", "document", "line"))


def _national_lines(documents: DocumentChoice, year: int | None, payer: str | None,
                    top: int | None, fmt: Format) -> None:
    # late: pulls networkx and the graph, which --help must not load
    from geldstroom.queries.lines import chosen_figures

    graph = documents.graph()
    check_year(graph, year)
    paid_by = resolve_payer(graph, payer) if payer else None
    rows = [{"line_id": f.line_id, "level": "line", "label": f.label,
             "instrument": f.instrument, "year": f.year, "euros": f.euros, "stage": f.stage,
             "document": f.document, "line": f.line}
            for f in chosen_figures(graph, year, paid_by, top)]
    emit(rows, fmt, "Budget lines, the figure that counts per year", money=("euros",),
         columns=("line_id", "level", "label", "instrument", "year", "euros", "stage",
                  "document", "line"))


@user_errors
@reads_documents
def links(
    documents: DocumentChoice,
    mentions: Annotated[bool, typer.Option(
        "--mentions", help="Also actors the text names without saying they are paid.")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Every recipient the documents name, with its budget line and the sentence that says so."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.build import line_recipients
    from geldstroom.model import LinkScope, Role, line_id

    corpus = documents.corpus()
    paid = line_recipients(corpus.links)
    rows = []
    for link in corpus.links:
        if link.role is Role.MENTION and not mentions:
            continue
        shared: set[str] = set()
        if link.role is Role.RECIPIENT and link.scope is LinkScope.LINE:
            key = line_id(link.hoofdstuk, link.artikel, link.path)
            for year in link.years:
                shared.update(paid[(key, year)].shared_with(link.actor))
        rows.append({
            "recipient": link.actor,
            "role": link.role.value,
            "scope": link.scope.value,
            "budget_line": " > ".join(link.path),
            "years": years_text(link.years),
            "shared_with": sorted(shared),
            "via": link.via or "",
            "evidence": link.evidence.quote,
            "document": link.evidence.document,
            "line": link.evidence.line,
        })
    emit(rows, fmt, "Recipient links", columns=(
        "recipient", "role", "scope", "budget_line", "years", "shared_with", "via", "evidence",
        "document", "line"))


def register(app: typer.Typer) -> None:
    for command in (validate, lines, links):
        app.command()(command)
