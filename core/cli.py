"""The `geldstroom` command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from geldstroom import cli_actors, cli_export, cli_neo4j, cli_sources, cli_store
from geldstroom.cli_common import (
    DocumentChoice,
    Format,
    FormatOpt,
    check_year,
    emit,
    err_console,
    reads_documents,
    resolve_recipient,
    user_errors,
    wide_console,
    years_text,
)
from geldstroom.dutch import counted, format_euros, format_whole
from geldstroom.errors import UnknownYear

if TYPE_CHECKING:
    import networkx as nx

    from geldstroom.model import Finding
    from geldstroom.queries.summary import NothingNamed, SummaryRow, YearTotal

app = typer.Typer(
    help=(
        "Follow Dutch public money: read budget documents (begroting, jaarverslag) into a "
        "reconciled graph of actors and money flows. With no --file or --manifest, every "
        "command reads the bundled sample documents (BZK Begroting 2024 artikel 7 and "
        "Jaarverslag 2022 p. 116)."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


_ONDERDELEN = ("artikelonderdeel", "artikelonderdelen")
_FLEXIBILITY = ("budget-flexibility share", "budget-flexibility shares")
_FINDING_COLUMNS = ("source", "file", "line", "finding", "subject", "detail", "year", "stage",
                    "stated_euros", "found_euros", "difference_euros", "other")


@app.command()
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
            findings += open_data_findings(cli_sources.validate_open_data(None, fmt))
        _emit_findings(findings, fmt)
    else:
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
            findings += open_data_findings(
                cli_sources.validate_open_data(None, fmt, documents=corpus))
    if failing or (strict and findings):
        raise typer.Exit(1)


def _emit_findings(findings: Sequence[Finding], fmt: Format) -> None:
    emit([{**f.model_dump(mode="json"), "difference_euros": f.difference_euros}
          for f in findings], fmt, columns=_FINDING_COLUMNS)


@app.command()
@user_errors
@reads_documents
def lines(
    documents: DocumentChoice,
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    all_rows: Annotated[bool, typer.Option(
        "--all-rows", help="Also the totals: Verplichtingen, Uitgaven, artikelonderdelen, "
        "instruments, Ontvangsten.")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Budget lines with their yearly amounts in euros, stage and source line."""
    from geldstroom.model import line_id

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


@app.command()
@user_errors
@reads_documents
def links(
    documents: DocumentChoice,
    mentions: Annotated[bool, typer.Option(
        "--mentions", help="Also actors the text names without saying they are paid.")] = False,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Every recipient the documents name, with its budget line and the sentence that says so."""
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


@app.command()
@user_errors
@reads_documents
def summary(
    documents: DocumentChoice,
    recipient: Annotated[str | None, typer.Argument(
        help="An actor id, name or alias (e.g. ICTU, CBS, 'Stichting ICTU'); "
        "'unattributed' for lines with no named recipient. Default: everyone.",
        show_default=False)] = None,
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Who gets what: per recipient, year and instrument, alone and on shared lines.

    A shared line is listed with its whole amount and its co-recipients: the documents give
    no split, so none is made up. The closing check shows, per year, that the recipients
    (each line once) plus the unattributed part add up to the tables' Uitgaven.
    """
    from geldstroom.queries.summary import nothing_named, recipient_summary, year_totals

    graph = documents.graph()
    actor_id = resolve_recipient(graph, recipient) if recipient is not None else None
    check_year(graph, year)
    rows = recipient_summary(graph, actor_id, year)
    if actor_id is not None and not rows:
        why = _why_empty(nothing_named(graph, actor_id, year))
        if fmt is Format.TABLE:
            Console().print(why, highlight=False, soft_wrap=True)
            return
        err_console.print(why, highlight=False, soft_wrap=True)
    totals = [t for t in year_totals(graph) if year is None or t.year == year]
    records = [{
        "recipient": r.recipient, "name": r.name, "year": r.year, "instrument": r.instrument,
        "alone_euros": r.alone_euros, "shared_euros": r.shared_euros,
        "shared_with": r.shared_with, "stage": r.stages, "lines": r.lines,
    } for r in rows]
    if fmt is Format.JSON:
        json.dump({"recipients": records, "totals": [{
            "year": t.year, "alone_euros": t.alone_euros, "shared_euros": t.shared_euros,
            "unattributed_euros": t.unattributed_euros, "total_euros": t.total_euros,
            "uitgaven_euros": t.uitgaven_euros, "reconciles": t.reconciles,
        } for t in totals]}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt is Format.CSV:
        emit(records, fmt, columns=("recipient", "name", "year", "instrument", "alone_euros",
                                    "shared_euros", "shared_with", "stage", "lines"))
    else:
        _print_summary(rows, totals, graph.graph["years"] if year is None else [year],
                       check=actor_id is None)
        if actor_id is not None:
            wide_console().print(_lines_table(graph, actor_id, year))
    if any(not t.reconciles for t in totals):
        differs = ", ".join(str(t.year) for t in totals if not t.reconciles)
        err_console.print(f"the recipients and the unattributed part do not add up to the "
                          f"Uitgaven in {differs}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


def _why_empty(empty: NothingNamed) -> str:
    """An empty summary in words: where the recipient's money is, if the documents say."""
    when = f"for {empty.year}" if empty.year is not None else "in any year"
    parts = [f"{empty.recipient}: no budget line names it as recipient {when}"]
    if empty.named_years:
        parts.append(f"lines name it for {years_text(empty.named_years)}; money of "
                     f"{empty.year} whose recipient is not named is under 'unattributed'")
    for passed in empty.passed_on:
        parts.append(f"its money comes through {passed.via}, which passes money on to it in "
                     f"{years_text(passed.years)} (the amount is not published; see "
                     f"`geldstroom summary {passed.via}`)")
    if empty.part_of:
        parts.append(f"it is part of {empty.part_of}")
    if empty.parts:
        parts.append(f"money to its part {', '.join(empty.parts)} is listed there")
    return "; ".join(parts)


def _print_summary(rows: Sequence[SummaryRow], totals: Sequence[YearTotal],
                   years: Sequence[int], check: bool) -> None:
    console = wide_console()
    console.print(_summary_table(rows, years))
    if check:
        table = Table(title="Check: recipients (each line once) + unattributed = Uitgaven",
                      title_justify="left")
        for column in ("year", "alone", "shared lines", "unattributed", "total", "Uitgaven", ""):
            table.add_column(column, justify="right")
        for t in totals:
            table.add_row(str(t.year), format_euros(t.alone_euros),
                          format_euros(t.shared_euros), format_euros(t.unattributed_euros),
                          format_euros(t.total_euros), format_euros(t.uitgaven_euros),
                          "[green]ok[/]" if t.reconciles else "[red]DIFFERS[/]")
        console.print(table)


def _lines_table(graph: nx.MultiDiGraph, actor_id: str, year: int | None) -> Table:
    """The budget lines behind one recipient's summary, each with its whole amount."""
    from geldstroom.graph.build import UNATTRIBUTED, UNNAMED_OTHERS, flows

    table = Table(title=f"Budget lines of {actor_id}", title_justify="left")
    for column in ("year", "instrument", "line", "euros", "shared with"):
        table.add_column(column, justify="right" if column == "euros" else "left")
    for flow in sorted(flows(graph), key=lambda f: (f.year, f.instrument, f.line)):
        if (year is not None and flow.year != year) or actor_id not in (
            flow.recipients or (UNATTRIBUTED,)
        ):
            continue
        others = [r for r in flow.recipients if r != actor_id]
        if flow.unnamed_others:
            others.append(UNNAMED_OTHERS)
        table.add_row(str(flow.year), flow.instrument, flow.line, format_euros(flow.euros),
                      _others_text(others))
    return table


def _others_text(others: Sequence[str]) -> str:
    """eipa, vom and others not named: the named first, the unnamed last, in words."""
    from geldstroom.graph.build import UNNAMED_OTHERS

    named = [o for o in others if o != UNNAMED_OTHERS]
    if UNNAMED_OTHERS not in others:
        return ", ".join(named)
    return f"{', '.join(named)} and others not named" if named else "others not named"


def _summary_table(rows: Sequence[SummaryRow], years: Sequence[int]) -> Table:
    """One row per recipient, instrument and sharing; one column per year, in € 1.000."""
    pivot: dict[tuple[str, str, str], dict[int, int]] = {}
    stages: dict[int, set[str]] = {}
    for r in rows:
        if r.alone_euros or not r.shared_euros:
            pivot.setdefault((r.recipient, r.instrument, "alone"), {})[r.year] = r.alone_euros
        if r.shared_euros:
            key = (r.recipient, r.instrument, "shared with " + _others_text(r.shared_with))
            pivot.setdefault(key, {})[r.year] = r.shared_euros
        stages.setdefault(r.year, set()).update(r.stages)
    table = Table(title="Recipient funding summary (x € 1.000; a shared line shows its whole "
                  "amount, the split is not published)", title_justify="left")
    table.add_column("recipient")
    table.add_column("instrument")
    table.add_column("", style="dim")
    for y in years:
        stage = "/".join(sorted(_STAGE_SHORT[s] for s in stages.get(y, ())))
        table.add_column(f"{y}\n{stage}", justify="right")
    for (who, instrument, sharing), by_year in pivot.items():
        table.add_row(who, instrument, sharing, *(
            format_whole(round(by_year[y] / 1000)) if y in by_year else "" for y in years
        ))
    return table


_STAGE_SHORT = {
    "realisatie": "realisatie",
    "vastgestelde begroting": "vastgesteld",
    "ontwerpbegroting": "ontwerp",
    "raming": "raming",
}


cli_store.register(app)
cli_actors.register(app)
cli_sources.register(app)
cli_export.register(app)
cli_neo4j.register(app)
