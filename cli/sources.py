"""`geldstroom sources` and the open-data part of `geldstroom validate`: the Finance
ministry's published datasets, what was read from them and what does not add up."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from geldstroom.cli.common import (
    Format,
    FormatOpt,
    emit,
    err_console,
    user_errors,
    wide_console,
)
from geldstroom.dutch import format_euros

if TYPE_CHECKING:
    from geldstroom.loaders.opendata.corpus import OpenCorpus
    from geldstroom.model import ArticleCoverage, Corpus, Reconciliation, SourceReport

SourcesManifestOpt = Annotated[
    Path | None,
    typer.Option("--manifest", help="A TOML manifest of [\\[source]] tables: data files in the "
                 "formats of the bundled ones (default: the bundled open data).",
                 show_default=False),
]
FIRST = 3  # mismatches and conflicts shown per source; the count says how many in all


def register(app: typer.Typer) -> None:
    app.command("sources")(sources)


@user_errors
def sources(manifest: SourcesManifestOpt = None, fmt: FormatOpt = Format.TABLE) -> None:
    """The open datasets geldstroom reads: publisher, dataset, address, unit, licence and the
    number of rows (CSV records below the header) of each file."""
    # late: rich, and pydantic, networkx or the store engine, which --help must not load
    from rich.table import Table

    from geldstroom.loaders.opendata.sources import count_rows, read_sources

    found = read_sources(manifest)
    if fmt is not Format.TABLE:
        emit([{"dataset": s.dataset.value, "file": Path(s.path).name, "rows": count_rows(s),
               "unit": s.unit, "title": s.title, "publisher": s.publisher,
               "address": s.address, "copy_of": s.copy_of, "licence": s.licence}
              for s in found], fmt)
        return
    table = Table(title="Open budget data (rows: CSV records below the header; "
                  "`geldstroom validate` checks them)", title_justify="left", show_lines=True)
    for column in ("dataset", "file, title and original address", "rows", "unit",
                   "publisher, licence"):
        table.add_column(column, overflow="fold", justify="right" if column == "rows" else
                         "left", max_width=None if column.startswith("file") else 30)
    for s in found:
        table.add_row(s.dataset.value, f"{Path(s.path).name}\n{s.title}\n{s.address}",
                      f"{count_rows(s):,}".replace(",", "."), s.unit,
                      f"{s.publisher}\n{s.licence}")
    wide_console().print(table)


def is_sources_manifest(path: Path) -> bool:
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.loaders.opendata.sources import is_sources_manifest

    return is_sources_manifest(path)


def validate_open_data(manifest: Path | None, fmt: Format,
                       documents: Corpus | None = None) -> OpenCorpus:
    """Read, check and reconcile every source; as a table, print a table per source (and,
    with the `documents` read too, which of their lines the open data joins). The corpus
    read, for the findings (loaders.findings) that --format csv and json list."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.loaders.opendata.corpus import load_open_corpus

    if sys.stderr.isatty():
        with err_console().status("reading the open data"):
            corpus = load_open_corpus(manifest)
    else:
        corpus = load_open_corpus(manifest)
    if fmt is Format.TABLE:
        _print(corpus)
        if documents is not None:
            _print_line_joins(documents, corpus)
    return corpus


def _reasons(counts: dict[str, int]) -> str:
    return "\n".join(f"{n} {reason}" for reason, n in sorted(counts.items(),
                                                            key=lambda x: -x[1]))


def _print(corpus: OpenCorpus) -> None:
    # late: rich, and pydantic, networkx or the store engine, which --help must not load
    from rich.table import Table

    from geldstroom.loaders.findings import kvk_findings

    console = wide_console()
    table = Table(title="Open data: what each file holds and what does not add up "
                  "(reported, never repaired)", title_justify="left", show_lines=True)
    for column in ("source", "rows read", "rows skipped", "read with a finding",
                   "totals checked", "mismatches (file:line)", "repeated rows", "conflicts"):
        table.add_column(column, overflow="fold",
                         justify="right" if column in ("rows read", "totals checked") else "left",
                         ratio=3 if column.startswith(("mismatches", "conflicts")) else 2)
    for report in corpus.reports:
        table.add_row(
            f"{report.dataset.value}\n{', '.join(report.files)}", str(report.rows_read),
            f"{len(report.skipped)}\n{_reasons(report.skipped_by_reason())}".strip(),
            f"{len(report.findings)}\n{_reasons(report.findings_by_reason())}".strip(),
            f"{report.totals_checked}" + (f"\n{report.totals_unchecked} without parts"
                                          if report.totals_unchecked else ""),
            _mismatches(report), _repeated(report), _conflicts(report))
    console.print(table)
    _print_reconciliation(corpus.reconciliation)
    _print_coverage(corpus)
    for report in corpus.reports:
        for note in report.notes:
            console.print(f"{report.dataset.value}: {note}", highlight=False)
    for finding in kvk_findings(corpus):
        console.print(f"{finding.source}: {finding.subject!r} ({finding.file}:{finding.line}"
                      f"{'; ' + finding.other if finding.other else ''}): {finding.detail}",
                      highlight=False)


def _mismatches(report: SourceReport) -> str:
    if not report.mismatches:
        return "0"
    rows = {m.line for m in report.mismatches}
    lines = [f"{len(report.mismatches)} (in {len(rows)} total rows)"]
    for m in report.mismatches[:FIRST]:
        lines.append(f"line {m.line} {m.label} {m.year}: stated "
                     f"{format_euros(m.expected)}, parts {format_euros(m.found)}")
    return "\n".join(lines)


def _repeated(report: SourceReport) -> str:
    if not report.repeated:
        return "0"
    first, last = report.repeated[0], report.repeated[-1]
    return (f"{len(report.repeated)} (read once)\nfirst: line {first.source.line} repeats "
            f"{first.repeats.line}\nlast: line {last.source.line} repeats {last.repeats.line}")


def _conflicts(report: SourceReport) -> str:
    if not report.conflicts:
        return "0"
    lines = [str(len(report.conflicts))]
    for c in report.conflicts[:FIRST]:
        lines.append(f"{c.subject} {c.year}: {format_euros(c.first_euros)} (line "
                     f"{c.first.line}) vs {format_euros(c.second_euros)} (line {c.second.line})")
    return "\n".join(lines)


def _print_reconciliation(rec: Reconciliation) -> None:
    from rich.table import Table  # late: rich, as cli/common.err_console

    table = Table(title="Begrotingsstaten against the budgettaire tabellen, per article "
                  "(ontwerpbegroting = an OWB's t, realisatie = its t-2)",
                  title_justify="left")
    for column in ("year", "stage", "articles", "compared", "agree", "differ",
                   "rows differ", "not in the tabellen"):
        table.add_column(column, justify="left" if column == "stage" else "right")
    keys = sorted({(c.year, c.stage.value) for c in rec.comparisons})
    for year, stage in keys:
        group = [c for c in rec.comparisons if (c.year, c.stage.value) == (year, stage)]
        compared = [c for c in group if c.tabellen_euros is not None]
        unclear = sum(bool(c.candidates) for c in group)
        agree = sum(c.agrees for c in compared)
        table.add_row(str(year), stage, str(len(group)), str(len(compared)), str(agree),
                      str(len(compared) - agree), str(unclear),
                      str(len(group) - len(compared) - unclear))
    console = wide_console()
    console.print(table)
    console.print("  compared with the one publication that gives the figure: ontwerpbegroting "
                  "N with OWB N's t, realisatie N with OWB N+2's t-2; 'rows differ': that "
                  "publication has several rows for the article with other amounts, so "
                  "nothing is compared", highlight=False)
    console.print("  not compared: the vastgestelde, 1e and 2e suppletoire begroting (an OWB's "
                  "t-1 column matches none of them for most articles; docs/decisions.md)",
                  highlight=False)
    for c in rec.unclear()[:FIRST]:
        rows = ", ".join(f"{format_euros(e)} (line {s.line})"
                         for s, e in zip(c.candidates, c.candidate_euros, strict=True))
        console.print(f"  rows differ: {c.hoofdstuk} artikel {c.artikel} {c.side.value} "
                      f"{c.year} {c.stage.value}: begrotingsstaten "
                      f"{format_euros(c.staten_euros)} ({c.staten}); "
                      f"{c.candidates[0].file}: {rows}", highlight=False)
    if len(rec.unclear()) > FIRST:
        console.print(f"  ... and {len(rec.unclear()) - FIRST} more (--format json lists all)",
                      highlight=False)
    differing = rec.differing()
    for c in differing[:FIRST * 2]:
        console.print(f"  differs: {c.hoofdstuk} artikel {c.artikel} {c.side.value} {c.year} "
                      f"{c.stage.value}: begrotingsstaten {format_euros(c.staten_euros)} "
                      f"({c.staten}), tabellen {format_euros(c.tabellen_euros or 0)} "
                      f"({c.tabellen}{', sum of its lines' if c.tabellen_computed else ''})",
                      highlight=False)
    if len(differing) > FIRST * 2:
        console.print(f"  ... and {len(differing) - FIRST * 2} more (--format json lists all)",
                      highlight=False)


def _years(years: tuple[int, ...]) -> str:
    return f"{years[0]}-{years[-1]}" if years else ""


def _print_line_joins(documents: Corpus, corpus: OpenCorpus) -> None:
    """The documents' articles that the budgettaire tabellen hold too: which lines are one
    line over both sources' years, and which could not be joined (named otherwise)."""
    # late: rich, and pydantic, networkx or the store engine, which --help must not load
    from rich.table import Table

    from geldstroom.loaders.line_join import join_lines

    joins = join_lines(documents.tables, corpus.tabellen.figures)
    if not joins:
        return
    table = Table(title="Lines of the documents and of the budgettaire tabellen: joined where "
                  "both name them alike under one instrument", title_justify="left")
    for column in ("artikel", "instrument", "line", "documents", "open data", "joined"):
        table.add_column(column, overflow="fold")
    for join in joins:
        table.add_row(
            f"{join.hoofdstuk} {join.artikel}", join.instrument, join.line,
            f"{_years(join.document_years)} ({join.document_line.document}:"
            f"{join.document_line.line})" if join.document_line else "",
            f"{_years(join.open_years)} ({join.open_line})" if join.open_line else "",
            "yes" if join.joined else "not joined")
    wide_console().print(table)
    joined = sum(j.joined for j in joins)
    wide_console().print(
        f"{joined} {'line' if joined == 1 else 'lines'} joined; not joined: "
        f"{sum(j.document_line is not None and not j.joined for j in joins)} of the documents, "
        f"{sum(j.open_line is not None and not j.joined for j in joins)} of the open data",
        highlight=False)


def _print_coverage(corpus: OpenCorpus) -> None:
    from rich.table import Table  # late: rich, as cli/common.err_console

    console = wide_console()
    for data, what in ((corpus.subsidies, "subsidies against the Subsidies realisatie of "
                        "their year"),
                       (corpus.medeoverheden, "bijdragen against the Bijdragen aan "
                        "medeoverheden realisatie"),
                       (corpus.instrumenten, "Financiële instrumenten against the "
                        "article's uitgaven of their year (the stage the tabellen give)")):
        if not data.payments:
            continue
        matches = Counter(p.match.value for p in data.payments)
        named = sum(p.euros for p in data.payments if p.recipient is not None)
        total = sum(p.euros for p in data.payments)
        console.print(
            f"{data.reports[0].dataset.value}: {len(data.payments)} payments, "
            f"{format_euros(total)} ({format_euros(named)} to named recipients); tied to a "
            f"budget line {matches['line']}, to an article only {matches['artikel']}, "
            f"to nothing {matches['none']}", highlight=False)
        table = Table(title=f"Recipient coverage per article: {what}", title_justify="left")
        for column in ("hoofdstuk", "artikel", "year", "named", "unnamed", "budget",
                       "covered", "budget source"):
            table.add_column(column, justify="left" if column in (
                "hoofdstuk", "budget source") else "right")
        for row in (r for report in data.reports for r in report.coverage):
            covered = (f"{(row.named_euros + row.unnamed_euros) / row.budget_euros:.0%}"
                       if row.budget_euros else "")
            table.add_row(row.hoofdstuk, row.artikel, str(row.year),
                          format_euros(row.named_euros), format_euros(row.unnamed_euros),
                          "" if row.budget_euros is None else format_euros(row.budget_euros),
                          covered, _budget_source(row))
        console.print(table)


def _budget_source(row: ArticleCoverage) -> str:
    if row.budget_source is None:
        return "no figure in the tabellen"
    if row.budget_stage == "realisatie":
        return str(row.budget_source)
    return f"{row.budget_source} ({row.budget_stage.value})"
