"""summary: who gets what, from the graph store or from a graph built in memory."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Annotated

import typer

from geldstroom.cli.common import (
    DbOpt,
    DocumentChoice,
    Format,
    FormatOpt,
    emit,
    err_console,
    fitted_table,
    open_current_store,
    reads_documents,
    user_errors,
    wide_console,
)
from geldstroom.dutch import format_thousands, format_whole, years_text
from geldstroom.errors import InputError
from geldstroom.graph.shared_names import UNATTRIBUTED, UNNAMED_OTHERS

if TYPE_CHECKING:
    from rich.console import Console

    from geldstroom.graph.flows import Flow, NothingNamed
    from geldstroom.queries.ranking import RankingFilters
    from geldstroom.queries.received import Received
    from geldstroom.queries.summary import Overview, RecipientSummary, SummaryRow, YearTotal


@user_errors
@reads_documents
def summary(
    documents: DocumentChoice,
    recipient: Annotated[str | None, typer.Argument(
        help="An actor id, name or alias in any form (ICTU, 'Stichting ICTU', "
        "'Stichting CAOP'); 'unattributed' for lines with no named recipient. Default: the "
        "totals per payer and year, and the top recipients.", show_default=False)] = None,
    year: Annotated[int | None, typer.Option(help="Only this year.")] = None,
    top: Annotated[int, typer.Option(
        "--top", min=1,
        help="With no recipient: how many recipients to list, largest first.")] = 20,
    payer: Annotated[list[str] | None, typer.Option(
        "--payer", help="With no recipient: rank only money of this payer: a "
        "hoofdstuk (XVI, B), its short name (VWS, Gemeentefonds), 'VWS (XVI)' or its id "
        "(minister-vws). Repeat it or give a comma list.", show_default=False)] = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="With no recipient: rank only money of this source: subsidy, "
        "turnover (agency turnover), bijdrage (bijdrage medeoverheid), table (budget table "
        "line), document (document line), instrument (financieel instrument). Repeat it or "
        "give a comma list.", show_default=False)] = None,
    instrument: Annotated[str | None, typer.Option(
        "--instrument", help="With no recipient: rank only money of lines whose instrument "
        "contains this text, any case ('Subsidies', 'ZBO', 'agentschappen').",
        show_default=False)] = None,
    exclude_kind: Annotated[list[str] | None, typer.Option(
        "--exclude-kind", help="With no recipient: leave out recipients of this kind: "
        "agentschap, ZBO, RWT, ZBO/RWT, stichting, gemeente, provincie, waterschap, "
        "medeoverheid, koepel, universiteit, international, company, 'found in text', "
        "unknown (plurals too: agentschappen, gemeenten). Repeat it or give a comma list.",
        show_default=False)] = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.TABLE,
) -> None:
    """Who gets what: per recipient, year and instrument, alone and on shared lines.

    A shared line is listed with its whole amount and its co-recipients: the documents give
    no split, so none is made up. With no --file or --manifest the summary reads the graph
    store (see --db; built first when missing or out of date, said on stderr). With no
    recipient it shows, per payer (ministry or fund) and year, the lines (each line-year
    once) against the tables' own Uitgaven ("ok" or "off by"), and the recipients ranked by
    total received, counted once: the total `summary NAME` gives (amounts stated for it,
    lines paying it alone; a line it shares is apart, never added; a line showing money
    already stated for it is not added again), over --year or every year. --payer,
    --source, --instrument narrow the money that counts; --exclude-kind leaves recipients
    out; `query top_recipients` gives the same ranking. --format csv gives the ranking,
    json both. With --file/--manifest the graph is built in memory and the
    closing check shows, per year, that the recipients (each line once) plus the
    unattributed part add up to the tables' Uitgaven (exit code 1 where they do not).

    One recipient, -f csv: one table whose row_kind says what a row is: total (per year,
    received, counted once), by_payer, by_source, by_stage (the total split; each adds up
    to it), shared_total and not_added_total (apart, never added), detail (a counted row
    with file:line in `where` and the source's words in `quote`; a year's details add up
    to its total), shared_line and same_money (shown, not added), instrument (per year and
    instrument: alone, and shared lines whole). -f json carries the same (README: "A
    recipient's answer in CSV and JSON").
    """
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.flows import GraphFlows
    from geldstroom.graph.store_flows import StoreFlows, line_hoofdstukken
    from geldstroom.queries.ranking import (
        RankingFilters,
        parse_kinds,
        parse_payers,
        parse_sources,
    )
    from geldstroom.queries.summary import RecipientSummary, summarise

    filters = RankingFilters(None, parse_sources(source or ()),
                             instrument.strip() or None if instrument is not None else None,
                             parse_kinds(exclude_kind or ()))
    if (filters.any or payer) and (recipient is not None or documents.files
                                   or documents.manifest):
        raise InputError("--payer, --source, --instrument and --exclude-kind rank the "
                         "national corpus: give no recipient and no --file/--manifest")
    if documents.files or documents.manifest:
        # a sources manifest is the national corpus with other open data: summarised as
        # the store of it is (received, stated on no known line, totals per payer)
        national = documents.sources_manifest is not None
        found = summarise(GraphFlows(documents.graph(), national=national), recipient, year,
                          top)
    else:
        with open_current_store(db) as store:
            if payer:
                filters = replace(filters, hoofdstukken=parse_payers(
                    payer, line_hoofdstukken(store)))
            found = summarise(StoreFlows(store), recipient, year, top, filters)
    if isinstance(found, RecipientSummary):
        _show_recipient(found, fmt)
    else:
        _show_overview(found, fmt)


def _show_recipient(found: RecipientSummary, fmt: Format) -> None:
    """One recipient: national, what it received per year and the rows behind it; from a
    documents' graph, its rows and lines. When it has none, why in words (on stderr for
    csv and json, which still print)."""
    if found.nothing_named is not None:
        why = _why_empty(found.nothing_named)
        if fmt is Format.TABLE:
            _say_folded(wide_console(), why)
            return
        err_console().print(why, highlight=False, soft_wrap=True)
    _print_records(found, fmt)
    if fmt is not Format.TABLE:
        _refuse_unreconciled(found.totals)
        return
    if found.received is not None and found.received.years:
        _print_received(found.received)
    elif found.rows:
        _print_summary(found.rows, [], found.years, check=False)
        _print_lines(found.lines, found.recipient, found.year)
    _refuse_unreconciled(found.totals)


def _show_overview(found: Overview, fmt: Format) -> None:
    _print_records(found, fmt)
    if fmt is Format.TABLE and found.national:
        _national_tables(found)
    elif fmt is Format.TABLE:
        _print_summary(found.rows, found.totals, found.years, check=True)
    if found.national:
        differs = [t for t in found.totals if not t.reconciles]
        if differs:
            err_console().print(f"{len(differs)} of {len(found.totals)} payer-years do not add "
                                "up to the tables' Uitgaven (shown in the check column; the "
                                "published figures are not repaired)",
                                highlight=False, soft_wrap=True)
    else:
        _refuse_unreconciled(found.totals)


def _print_records(found: RecipientSummary | Overview, fmt: Format) -> None:
    """JSON and CSV are the library's records as they are; a table prints itself."""
    if fmt is Format.JSON:
        json.dump(found.to_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt is Format.CSV:
        emit(found.to_rows(), fmt, columns=found.columns)


def _refuse_unreconciled(totals: Sequence[YearTotal]) -> None:
    """A documents' graph whose recipients and unattributed part miss the Uitgaven: exit 1."""
    if any(not t.reconciles for t in totals):
        differs = ", ".join(str(t.year) for t in totals if not t.reconciles)
        err_console().print(f"the recipients and the unattributed part do not add up to the "
                            f"Uitgaven in {differs}", highlight=False, soft_wrap=True)
        raise typer.Exit(1)


_GAP = "  "  # between an amount and its words


class _Page:
    """A console whose plain lines (no markup, no highlighting) wait for one print at the
    end: rich takes some 60 µs a print and a recipient's answer can run to 1 500 lines;
    joined, they come out the same bytes. A line rich would fold (printed without
    soft_wrap, wider than the console) is printed as rich does, in its place."""

    def __init__(self, console: Console) -> None:
        from rich.cells import cell_len  # late: rich loads only when something prints

        self._cell_len = cell_len
        self.console = console
        self.width = console.width
        self._lines: list[str] = []

    def print(self, line: str = "", *, highlight: bool = False, markup: bool = False,
              soft_wrap: bool = False) -> None:
        if highlight or markup or (not soft_wrap and self._cell_len(line) > self.width):
            self.flush()
            self.console.print(line, highlight=highlight, markup=markup, soft_wrap=soft_wrap)
        else:
            self._lines.append(line)

    def flush(self) -> None:
        if self._lines:
            self.console.print("\n".join(self._lines), highlight=False, markup=False,
                               soft_wrap=True)
            self._lines = []


def _say_folded(console: Console | _Page, text: str, indent: str = "",
                hang: str | None = None) -> None:
    """Text folded at the console's width under its own indent (`hang` for the lines after
    the first); a word longer than the line (a file:line) goes whole on a line of its own,
    never cut."""
    for line in textwrap.wrap(text, width=max(console.width, 20), initial_indent=indent,
                              subsequent_indent=indent if hang is None else hang,
                              break_long_words=False, break_on_hyphens=False) or [""]:
        console.print(line, highlight=False, markup=False, soft_wrap=True)


def _amount_line(console: Console | _Page, euros: str, width: int, words: str,
                 indent: str = "  ") -> None:
    """An amount, right-aligned in `width`, then its words folded beside it: the amount is
    whole on the first line, the words go on under themselves."""
    head = f"{indent}{euros:>{width}}{_GAP}"
    hang = " " * len(head)
    if console.width - len(head) < 16:  # too narrow to fold beside it: under it instead
        console.print(head.rstrip(), highlight=False, markup=False, soft_wrap=True)
        _say_folded(console, words, indent + "    ")
        return
    _say_folded(console, head + words, hang=hang)


def _print_received(got: Received) -> None:
    """The answer: per year what the recipient received, counted once, by payer, source
    and stage, and what is apart and why; then every row behind it with its file:line and
    the source's own words. Lines, not tables: folded at any width, no amount or file:line
    is ever cut (-f csv and -f json carry the same, one row_kind a row)."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.queries.received import COUNTED, SHARED

    console = _Page(wide_console())
    amounts = [y.total_euros for y in got.years] + [r.euros for r in got.rows] + \
        [y.shared_euros for y in got.years]
    width = max(len(format_whole(a)) for a in amounts)
    _say_folded(console, f"{got.name}: received per year, counted once. Counted: the "
                "amounts stated for it and the lines that pay it alone. Lines it shares, "
                "and lines showing money already counted, are listed apart and never added. "
                "Amounts in euros.")
    for y in got.years:
        console.print()
        console.print(f"{y.year}  total received {format_whole(y.total_euros)}",
                      highlight=False, markup=False)
        for what, parts in (("by payer", y.by_payer), ("by source", y.by_source),
                            ("by stage", y.by_stage)):
            if parts:
                console.print(f"  {what}:", highlight=False, markup=False)
                for k, v in parts.items():
                    _amount_line(console, format_whole(v), width, k, indent="    ")
        if y.shared_lines:
            _say_folded(console, f"apart: {y.shared_lines} shared line(s), "
                        f"{format_whole(y.shared_euros)} for the whole lines (never added)",
                        "  ", "    ")
        if y.not_added_euros:
            _say_folded(console, f"apart: lines showing {format_whole(y.not_added_euros)} "
                        "of money already counted as stated (not added again)", "  ", "    ")
    console.print()
    _say_folded(console, "The rows behind the totals: the amount, whether it counts, the "
                "payer, source and stage, the source's own words, and where they stand "
                "(file:line).")
    hang = " " * (2 + width + len(_GAP))  # under the words; where a file:line would not
    if any(len(hang) + len(r.where) > console.width for r in got.rows):  # fit: less
        hang = "    "
    for y in got.years:
        console.print()
        console.print(str(y.year), highlight=False, markup=False)
        for r in (r for r in got.rows if r.year == y.year):
            if r.status == COUNTED:
                counts = "counted"
            elif r.status == SHARED:
                counts = f"shared with {_others_text(list(r.shared_names))}: the whole " \
                    "line, not added"
            else:
                counts = "same money as a stated amount: not added"
            _amount_line(console, format_whole(r.euros), width,
                         f"{counts}; {r.payer}; {r.source}; {r.stage}")
            said = f"\u201c{r.quote or r.label}\u201d"
            if r.label and r.label != r.quote:
                said += f" on {r.label}"
            _say_folded(console, said, hang)
            _say_folded(console, r.where, hang)
    console.flush()


def _why_empty(empty: NothingNamed) -> str:
    """An empty summary in words: where the recipient's money is, if the documents say."""
    when = f"for {empty.year}" if empty.year is not None else "in any year"
    parts = [f"{empty.recipient}: no budget line names it as recipient {when}"]
    if empty.named_years:
        money = f"money of {empty.year}" if empty.year is not None else "money"
        parts.append(f"lines name it for {years_text(empty.named_years)}; {money} whose "
                     "recipient is not named is under 'unattributed'")
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
    """A documents' graph: the rows per recipient and instrument, one column per year, and
    with `check` the per-year check; a table where the width allows, else stacked rows
    (cli/common.emit): no amount is ever cut."""
    _summary_table(rows, years)
    if check:
        emit([{"year": t.year, "alone": t.alone_euros, "shared lines": t.shared_euros,
               "unattributed": t.unattributed_euros, "total": t.total_euros,
               "Uitgaven": t.uitgaven_euros, "check": "ok" if t.reconciles else "DIFFERS"}
              for t in totals], Format.TABLE,
             title="Check: recipients (each line once) + unattributed = Uitgaven",
             money=("alone", "shared lines", "unattributed", "total", "Uitgaven"))


def _print_lines(all_flows: Sequence[Flow], actor_id: str, year: int | None) -> None:
    """The budget lines behind one recipient's summary, each with its whole amount."""
    shown = []
    for flow in sorted(all_flows, key=lambda f: (f.year, f.instrument, f.line)):
        if (year is not None and flow.year != year) or actor_id not in (
            flow.recipients or (UNATTRIBUTED,)
        ):
            continue
        others = [r for r in flow.recipients if r != actor_id]
        if flow.unnamed_others:
            others.append(UNNAMED_OTHERS)
        shown.append({"year": flow.year, "instrument": flow.instrument, "line": flow.line,
                      "euros": flow.euros, "shared with": _others_text(others),
                      "source": f"{flow.document}:{flow.source_line}"})
    emit(shown, Format.TABLE, title=f"Budget lines of {actor_id}", money=("euros",),
         columns=("year", "instrument", "line", "euros", "shared with", "source"))


def _others_text(others: Sequence[str]) -> str:
    """eipa, vom and others not named: the named first, the unnamed last, in words."""
    named = [o for o in others if o != UNNAMED_OTHERS]
    if UNNAMED_OTHERS not in others:
        return ", ".join(named)
    return f"{', '.join(named)} and others not named" if named else "others not named"


def _summary_table(rows: Sequence[SummaryRow], years: Sequence[int]) -> None:
    """One row per recipient, instrument and sharing; one column per year and stage."""
    pivot: dict[tuple[str, str, str], dict[int, int]] = {}
    stages: dict[int, set[str]] = {}
    for r in rows:
        if r.alone_euros or not r.shared_euros:
            pivot.setdefault((r.recipient, r.instrument, "alone"), {})[r.year] = r.alone_euros
        if r.shared_euros:
            key = (r.recipient, r.instrument, "shared with " + _others_text(r.shared_with))
            pivot.setdefault(key, {})[r.year] = r.shared_euros
        stages.setdefault(r.year, set()).update(r.stages)
    year_columns = {y: f"{y} {'/'.join(sorted(_STAGE_SHORT[s] for s in stages.get(y, ())))}"
                    .rstrip() for y in years}
    emit([{"recipient": who, "instrument": instrument, "lines": sharing,
           **{year_columns[y]: by_year.get(y) for y in years}}
          for (who, instrument, sharing), by_year in pivot.items()], Format.TABLE,
         title="Recipient funding summary (a shared line shows its whole amount, the split "
         "is not published)", money=tuple(year_columns.values()),
         columns=("recipient", "instrument", "lines", *year_columns.values()))


_STAGE_SHORT = {
    "realisatie": "realisatie",
    "vastgestelde begroting": "vastgesteld",
    "ontwerpbegroting": "ontwerp",
    "raming": "raming",
}


def register(app: typer.Typer) -> None:
    app.command()(summary)


def _national_tables(found: Overview) -> None:
    """Per payer and year the check, then the ranking, in € 1.000."""
    # late: pulls pydantic, which --help must not load
    from geldstroom.loaders.actors.payers import payer_label

    console = wide_console()
    checks = [[payer_label(t.payer or ""), str(t.year), format_thousands(t.total_euros),
               format_thousands(t.uitgaven_euros), "[green]ok[/]" if t.reconciles
               else f"[red]off by {format_thousands(t.total_euros - t.uitgaven_euros)}[/]"]
              for t in found.totals]
    if checks:
        console.print(fitted_table("Per payer and year (x € 1.000): lines vs Uitgaven",
                                   ["payer", "year", "lines", "Uitgaven", "check"], checks,
                                   text=["payer"]))
    ranking = found.ranking
    if ranking is None:
        return
    if not ranking.recipients:
        console.print("No recipient has money that these filters admit"
                      + (f" in {found.year}" if found.year is not None else ""),
                      highlight=False, soft_wrap=True)
        return
    shared = any(r.shared_euros for r in ranking.recipients)  # a column only where there are
    several = len(ranking.years) > 1
    # The name only: the ids are in -f csv/json, and 80 columns keep the amounts whole.
    columns = ["#", "recipient", "received", *(["shared\nlines"] if shared else []),
               *(["years"] if several else [])]
    # whole euros, as summary NAME: the stated amounts are euros, not the tables' thousands
    rows = [[str(i), r.name or r.recipient, format_whole(r.total_euros),
             *([format_whole(r.shared_euros)] if shared else []),
             *([years_text(r.years)] if several else [])]
            for i, r in enumerate(ranking.recipients, start=1)]
    console.print(fitted_table(
        f"Top {len(rows)} of {format_whole(ranking.ranked)} recipients, "
        f"{years_text(ranking.years)}{_filters_text(ranking.filters)} (euros): received, "
        "counted once (stated for them, lines paying them alone)"
        + ("; shared lines apart, whole amounts, never added" if shared else ""),
        columns, rows, text=["recipient"]))


def _filters_text(filters: RankingFilters) -> str:
    # late: pulls pydantic, which --help must not load
    from geldstroom.loaders.actors.payers import payer_label

    parts = []
    if filters.hoofdstukken is not None:
        parts.append("paid by " + ", ".join(payer_label(h) for h in sorted(filters.hoofdstukken)))
    if filters.sources is not None:
        parts.append("from " + ", ".join(sorted(filters.sources)))
    if filters.instrument is not None:
        parts.append(f"instrument containing {filters.instrument!r}")
    if filters.exclude_kinds:
        parts.append("leaving out " + ", ".join(sorted(filters.exclude_kinds)))
    return "; " + "; ".join(parts) if parts else ""
