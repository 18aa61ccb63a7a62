"""Dataset 6, bijdragen aan medeoverheden per named recipient (gemeenten, provincies,
waterschappen, openbare lichamen), realisatie, in x € 1.000 with a decimal comma.

The unit. The openstate README says the amounts were turned into whole euros; the column
header says "Realisatie (*1000)" and the values keep a decimal comma ("15615031,00"). The
numbers settle it: read as x € 1.000 they equal the budgettaire tabellen's realisatie of the
same article (OWB 2016, t-2 = 2014) — the Gemeentefonds' algemene uitkering 15.615.031 is
€ 15,6 mld, not € 15,6 mln. `unit_evidence` computes this per article on every load and the
report prints it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from geldstroom.loaders.opendata.csv_files import data_name, decimal_comma_euros, read_csv
from geldstroom.loaders.opendata.staten import tabellen_article_amounts
from geldstroom.model import (
    ArticleCoverage,
    BudgetLine,
    Figure,
    LineMatch,
    OpenData,
    OpenDataset,
    Payment,
    PaymentKind,
    RowIssue,
    Side,
    SourceReport,
    SourceRow,
    Stage,
)

DATASET = OpenDataset.MEDEOVERHEDEN
COLUMNS = {0: "Jaar", 1: "Begrotingshoofdstuk", 3: "Begrotings artikel nr",
           5: "Financieel Instrument", 6: "Uitsplitsing Bijdrage", 7: "Ontvanger",
           8: "Realisatie (*1000)"}
UNIT = 1000
# Rows that book an adjustment rather than a payment to someone.
_NOT_A_RECIPIENT = frozenset({"overig", "overigen", "koersverschillen"})

SKIP_EMPTY = "empty row"
SKIP_KEY = "no year, hoofdstuk or article"
SKIP_AMOUNT = "the amount is not a number"
FOUND_ARTICLE_ONLY = "no budget line with this uitsplitsing: tied to the article"
FOUND_NO_ARTICLE = "an article the budgettaire tabellen do not have"
_DOTTED_ARTICLE = re.compile(r"^(\d+)\.\d+\.\d+$")
FOUND_DOTTED_ARTICLE = "article written as '20.01.04': read as artikel 20"
FOUND_NO_RECIPIENT = "no recipient named ('Overig', 'Koersverschillen')"


def _is_medeoverheden(instrument: str | None) -> bool:
    return bool(instrument) and "medeoverhe" in instrument.casefold()  # type: ignore[union-attr]


def realised_lines(tabellen: OpenData) -> dict[tuple[str, str, int], list[Figure]]:
    """Realisatie figures of each article's Bijdragen aan medeoverheden lines, per year."""
    found: dict[tuple[str, str, int], list[Figure]] = defaultdict(list)
    for figure in tabellen.figures:
        line = figure.line
        if (figure.stage is Stage.REALISATIE and line.side is Side.UITGAVEN
                and _is_medeoverheden(line.instrument)):
            found[(line.hoofdstuk, line.artikel, figure.year)].append(figure)
    return found


def load_medeoverheden(path: Path, tabellen: OpenData,
                       staten: OpenData | None = None) -> OpenData:
    """Payments to the named medeoverheden, tied to the tabellen's lines where the
    uitsplitsing names one; coverage per article and the unit evidence in the notes."""
    name = data_name(path)
    realised = realised_lines(tabellen)
    articles = {(f.line.hoofdstuk, f.line.artikel) for f in tabellen.figures}
    skipped: list[RowIssue] = []
    findings: list[RowIssue] = []
    payments: list[Payment] = []
    rows_read = 0
    for number, raw in read_csv(path, COLUMNS):
        rows_read += 1
        source = SourceRow(dataset=DATASET, file=name, line=number)
        cells = [c.strip() for c in raw] + [""] * (9 - len(raw))
        if not any(cells):
            skipped.append(RowIssue(source=source, reason=SKIP_EMPTY))
            continue
        year_text, hoofdstuk, _, artikel, _, instrument, uitsplitsing, recipient = cells[:8]
        if not (year_text.isdigit() and hoofdstuk and artikel):
            skipped.append(RowIssue(source=source, reason=SKIP_KEY))
            continue
        try:
            amount = decimal_comma_euros(cells[8], UNIT)
        except ValueError:
            amount = None
        if amount is None:
            skipped.append(RowIssue(source=source, reason=SKIP_AMOUNT))
            continue
        year = int(year_text)
        dotted = _DOTTED_ARTICLE.match(artikel)
        if dotted:
            findings.append(RowIssue(source=source, reason=FOUND_DOTTED_ARTICLE))
            artikel = str(int(dotted[1]))
        known = recipient.casefold() not in _NOT_A_RECIPIENT and bool(recipient)
        if not known:
            findings.append(RowIssue(source=source, reason=FOUND_NO_RECIPIENT))
        line, match = _match(hoofdstuk, artikel, year, uitsplitsing, realised, articles)
        if match is LineMatch.ARTIKEL:
            findings.append(RowIssue(source=source, reason=FOUND_ARTICLE_ONLY))
        elif match is LineMatch.NONE:
            findings.append(RowIssue(source=source, reason=FOUND_NO_ARTICLE))
        payments.append(Payment(
            kind=PaymentKind.BIJDRAGE_MEDEOVERHEID, payer=hoofdstuk,
            recipient=recipient if known else None, recipient_as_written=recipient,
            year=year, stage=Stage.REALISATIE, euros=amount[0], source=source,
            artikel=artikel, line=line, match=match,
            scheme=uitsplitsing or instrument, rounded=amount[1]))
    rows = _coverage(payments, realised)
    report = SourceReport(dataset=DATASET, files=(name,), rows_read=rows_read,
                          skipped=tuple(skipped), findings=tuple(findings),
                          coverage=tuple(rows), notes=tuple(unit_evidence(rows, tabellen, staten)))
    return OpenData(payments=tuple(payments), reports=(report,))


def _match(hoofdstuk: str, artikel: str, year: int, uitsplitsing: str,
           realised: dict[tuple[str, str, int], list[Figure]],
           articles: set[tuple[str, str]]) -> tuple[BudgetLine | None, LineMatch]:
    wanted = " ".join(uitsplitsing.split()).casefold()
    lines = {f.line for f in realised.get((hoofdstuk, artikel, year), [])
             if (f.line.line or f.line.detail or "").casefold() == wanted}
    if len(lines) == 1:
        return next(iter(lines)), LineMatch.LINE
    if (hoofdstuk, artikel) in articles:
        return None, LineMatch.ARTIKEL
    return None, LineMatch.NONE


def _coverage(payments: list[Payment],
              realised: dict[tuple[str, str, int], list[Figure]]) -> list[ArticleCoverage]:
    named: dict[tuple[str, str, int], int] = defaultdict(int)
    unnamed: dict[tuple[str, str, int], int] = defaultdict(int)
    for p in payments:
        bucket = named if p.recipient is not None else unnamed
        bucket[(p.payer, p.artikel or "", p.year)] += p.euros
    rows = []
    for key in sorted(set(named) | set(unnamed)):
        figures = realised.get(key, [])
        rows.append(ArticleCoverage(
            hoofdstuk=key[0], artikel=key[1], year=key[2], named_euros=named[key],
            unnamed_euros=unnamed[key],
            budget_euros=sum(f.euros for f in figures) if figures else None,
            budget_source=min((f.source for f in figures), key=lambda s: s.line)
            if figures else None))
    return rows


def unit_evidence(rows: list[ArticleCoverage], tabellen: OpenData,
                  staten: OpenData | None = None) -> list[str]:
    """What the numbers say about the unit: the file's sum per article read as x € 1.000,
    against the tabellen's realisatie of the article's Bijdragen aan medeoverheden; for the
    funds (B Gemeentefonds, C Provinciefonds, whose articles are all uitkeringen) against
    the article's realisatie, from the tabellen or else the begrotingsstaten."""
    articles = tabellen_article_amounts(tabellen)
    for total in staten.totals if staten else ():
        if total.stage is Stage.REALISATIE:
            articles.setdefault((total.line.hoofdstuk, total.line.artikel, total.line.side,
                                 total.year, total.stage), []).append(
                (total.euros, total.source, False))
    notes = []
    close = compared = 0
    for row in rows:
        found = row.named_euros + row.unnamed_euros
        budget, what = row.budget_euros, "its Bijdragen aan medeoverheden"
        if not budget and row.hoofdstuk in _FUNDS:
            whole = articles.get((row.hoofdstuk, row.artikel, Side.UITGAVEN, row.year,
                                  Stage.REALISATIE))
            budget, what = (whole[0][0], f"the whole article ({whole[0][1]})") if whole \
                else (None, "")
        if not budget:
            continue
        compared += 1
        ratio = found / budget
        close += abs(ratio - 1) <= 0.1
        if row.hoofdstuk in _FUNDS or abs(ratio - 1) > 0.1:
            notes.append(f"{row.hoofdstuk} artikel {row.artikel} {row.year}: the file sums to "
                         f"{found:,} euros read as x € 1.000; the realisatie of {what} is "
                         f"{budget:,} (ratio {ratio:.3f})".replace(",", "."))
    notes.insert(0, f"unit x € 1.000 checked against the numbers: {close} of {compared} "
                    "articles come within 10% of the realisatie the budget data give; read "
                    "as whole euros every one would be a thousand times too small")
    return notes


_FUNDS = ("B", "C")
