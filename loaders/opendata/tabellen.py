"""Dataset 4a, the budgettaire tabellen of the ontwerpbegroting (OWB 2015, 2016, 2017): every
hoofdstuk, artikel, onderdeel, instrument and uitsplitsing, amounts for t-2 ... t+4 in x € 1.000.

How a row is read (docs/decisions.md, "Open data: budgettaire tabellen"):
- A row's identity is its labels: hoofdstuk, artikel, V/U/O, onderdeel (number, else the
  clustering's name), instrument, uitsplitsing and nadere omschrijving.
- `Indicatie totaal regel` J rows are stated totals, never money. N rows are money, except
  an N row with N rows below it in the same table (its labels extended by more labels): that
  is a total the file did not mark, read as a stated total and reported, so that no euro is
  counted twice.
- Every stated total is checked, per year, against the sum of the money rows below it; one
  with no money rows below it cannot be checked and is reported as such.
- A row that repeats an earlier row of the file (same labels, same amounts) is read once and
  reported as repeated. Same labels with other amounts in a later block of the same hoofdstuk
  is a conflict: both figures are kept and reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from geldstroom.errors import InputError
from geldstroom.loaders.opendata.csv_files import (
    clean_label,
    data_name,
    is_spreadsheet_error,
    read_csv,
    thousands_comma_euros,
)
from geldstroom.model import (
    BudgetLine,
    Conflict,
    DocumentKind,
    Figure,
    LineLevel,
    Mismatch,
    OpenData,
    OpenDataset,
    RepeatedRow,
    RowIssue,
    RowLevel,
    Side,
    SourceReport,
    SourceRow,
    StatedTotal,
    stage_of,
)

DATASET = OpenDataset.BUDGETTAIRE_TABELLEN
COLUMNS = {0: "Begrotingsjaar", 6: "Artikel nummer", 12: "V/U/O", 13: "Indicatie totaal regel",
           14: "Nr. onderverdeling", 16: "Financieel instrument", 19: "Bedrag t-2",
           25: "Bedrag t+4"}
_AMOUNTS = range(19, 26)  # Bedrag t-2 ... t+4
_YEAR_IN_NAME = re.compile(r"owb_(\d{4})")

SKIP_EMPTY = "empty row"
SKIP_HEADER = "the header row repeated"
SKIP_NO_HOOFDSTUK = "no hoofdstuk"
SKIP_NO_SIDE = "no V/U/O"
SKIP_NO_ARTIKEL = "no artikel number"
SKIP_NO_FLAG = "no J/N in 'Indicatie totaal regel'"
SKIP_NO_AMOUNTS = "no amounts (all seven cells empty or pm)"
FOUND_SPREADSHEET_ERROR = "a label cell holds a spreadsheet error (read as no label)"
FOUND_UNREADABLE = "an amount cell is not a number (that year not read)"
FOUND_EXTRA_COLUMN = "a number in an unnamed column after Bedrag t+4 (not read)"
FOUND_N_TOTAL = "marked N, but rows below it make it a total (checked, not counted)"
FOUND_TOTAL_ALONE = "a stated total (J) with no money rows below it (not checked)"
FOUND_OF_WHICH = "a 'waarvan' (of which) row: part of another figure, not counted again"
FOUND_SAME_LABELS = "same labels as another row of the table, other amounts (kept apart)"

_LEVEL_OF_TOTAL = {
    LineLevel.ONDERDEEL: RowLevel.ARTIKELONDERDEEL,
    LineLevel.INSTRUMENT: RowLevel.INSTRUMENT,
    LineLevel.LINE: RowLevel.REGELING,
}
_ARTIKEL_LEVEL = {Side.VERPLICHTINGEN: RowLevel.VERPLICHTINGEN,
                  Side.UITGAVEN: RowLevel.UITGAVEN, Side.ONTVANGSTEN: RowLevel.ONTVANGSTEN}


@dataclass
class _Row:
    source: SourceRow
    block: int
    line: BudgetLine
    marked_total: bool
    amounts: tuple[tuple[int, bool] | None, ...]
    parts: list[_Row] = field(default_factory=list)

    @property
    def is_money(self) -> bool:
        """N, and no N rows below it."""
        return not self.marked_total and not any(not p.marked_total for p in self.parts)

    @property
    def path(self) -> tuple[str | None, ...]:
        return (self.line.onderdeel, self.line.instrument, self.line.line, self.line.detail)


def file_year(path: Path) -> int:
    match = _YEAR_IN_NAME.search(path.name)
    if not match:
        raise InputError("cannot tell the OWB year from the file name (expected 'owb_YYYY')",
                         str(path))
    return int(match[1])


def load_budgettaire_tabellen(path: Path, year: int | None = None) -> OpenData:
    """Figures (money), stated totals and the report of one budgettaire tabellen file."""
    year = year or file_year(path)
    name = data_name(path)
    skipped: list[RowIssue] = []
    findings: list[RowIssue] = []
    rows: list[_Row] = []
    other_year: list[tuple[str, ...]] = []  # content of rows skipped for their year
    read_content: set[tuple[str, ...]] = set()
    rows_read = 0
    block, previous_hoofdstuk = 0, None
    for number, raw in read_csv(path, COLUMNS):
        rows_read += 1
        source = SourceRow(dataset=DATASET, file=name, line=number)
        cells = raw + [""] * (26 - len(raw))
        reason = _skip_reason(cells, year)
        if reason:
            skipped.append(RowIssue(source=source, reason=reason))
            if reason.startswith("Begrotingsjaar") and cells[1].strip():
                other_year.append(_content(cells))
            continue
        labels = []
        for index in (14, 15, 16, 17, 18):
            if is_spreadsheet_error(cells[index]):
                findings.append(RowIssue(source=source, reason=FOUND_SPREADSHEET_ERROR))
                labels.append(None)
            else:
                labels.append(clean_label(cells[index]))
        amounts: list[tuple[int, bool] | None] = []
        for index in _AMOUNTS:
            try:
                amounts.append(thousands_comma_euros(cells[index]))
            except ValueError:
                findings.append(RowIssue(source=source, reason=FOUND_UNREADABLE))
                amounts.append(None)
        if all(a is None for a in amounts):
            skipped.append(RowIssue(source=source, reason=SKIP_NO_AMOUNTS))
            continue
        read_content.add(_content(cells))
        if any(_numberlike(c) for c in cells[26:]):
            findings.append(RowIssue(source=source, reason=FOUND_EXTRA_COLUMN))
        if any(label and label.casefold().startswith("waarvan") for label in labels):
            findings.append(RowIssue(source=source, reason=FOUND_OF_WHICH))
            continue
        hoofdstuk = cells[1].strip()
        if hoofdstuk != previous_hoofdstuk:
            block, previous_hoofdstuk = block + 1, hoofdstuk
        number_, clustering, instrument, uitsplitsing, detail = labels
        line = BudgetLine(hoofdstuk=hoofdstuk, artikel=cells[6].strip(),
                          side=Side(cells[12].strip().upper()),
                          onderdeel=number_ or clustering, instrument=instrument,
                          line=uitsplitsing, detail=detail)
        rows.append(_Row(source=source, block=block, line=line,
                         marked_total=cells[13].strip().upper().startswith("J"),
                         amounts=tuple(amounts)))
    kept, repeated, conflicts, same_labels = _drop_repeats(rows, year)
    findings += same_labels
    _find_parts(kept)
    figures: list[Figure] = []
    totals: list[StatedTotal] = []
    mismatches: list[Mismatch] = []
    checked = unchecked = 0
    for row in kept:
        money_below = [p for p in row.parts if p.is_money]
        if money_below and not row.marked_total:
            findings.append(RowIssue(source=row.source, reason=FOUND_N_TOTAL))
        if row.marked_total and not money_below:
            findings.append(RowIssue(source=row.source, reason=FOUND_TOTAL_ALONE))
        for offset, amount in enumerate(row.amounts):
            if amount is None:
                continue
            column_year = year - 2 + offset
            stage = stage_of(DocumentKind.BEGROTING, year, column_year)
            euros, rounded = amount
            if row.is_money:
                figures.append(Figure(line=row.line, year=column_year, stage=stage, euros=euros,
                                      source=row.source, rounded=rounded))
                continue
            totals.append(StatedTotal(line=row.line, year=column_year, stage=stage,
                                      euros=euros, source=row.source, rounded=rounded))
            if not any(p.amounts[offset] is not None for p in money_below):
                unchecked += 1  # no part gives an amount for this year
                continue
            checked += 1
            mismatch = _check(row, money_below, offset, column_year, name)
            if mismatch:
                mismatches.append(mismatch)
    report = SourceReport(
        dataset=DATASET, files=(name,), rows_read=rows_read, skipped=tuple(skipped),
        findings=tuple(findings), totals_checked=checked, totals_unchecked=unchecked,
        mismatches=tuple(mismatches),
        repeated=tuple(repeated), conflicts=tuple(conflicts),
        notes=(f"of the {len(other_year)} rows skipped for another Begrotingsjaar, "
               f"{sum(c in read_content for c in other_year)} give the hoofdstuk, artikel, "
               "V/U/O and seven amounts of a row read from this file",) if other_year else (),
    )
    return OpenData(figures=tuple(figures), totals=tuple(totals), reports=(report,))


def _content(cells: list[str]) -> tuple[str, ...]:
    """Hoofdstuk, artikel, V/U/O and the amounts as numbers: a row's content without its
    labels and year, to say whether rows skipped for their year repeat rows read."""
    amounts = []
    for cell in cells[19:26]:
        try:
            amount = thousands_comma_euros(cell)
        except ValueError:
            amount = None
        amounts.append("" if amount is None else str(amount[0]))
    return (cells[1].strip(), cells[6].strip(), cells[12].strip().upper(), *amounts)


def _skip_reason(cells: list[str], year: int) -> str | None:
    if not any(c.strip() for c in cells):
        return SKIP_EMPTY
    if cells[12].strip().startswith("V/U/O"):
        return SKIP_HEADER
    if cells[0].strip() != str(year):
        return f"Begrotingsjaar {cells[0].strip() or '(empty)'} in the OWB {year} file"
    if not cells[1].strip():
        return SKIP_NO_HOOFDSTUK
    if cells[12].strip().upper() not in ("V", "U", "O"):
        return SKIP_NO_SIDE
    if not cells[6].strip():
        return SKIP_NO_ARTIKEL
    if cells[13].strip().upper()[:1] not in ("J", "N"):
        return SKIP_NO_FLAG
    return None


def _numberlike(cell: str) -> bool:
    try:
        return thousands_comma_euros(cell) is not None
    except ValueError:
        return False


def _drop_repeats(
    rows: list[_Row], year: int,
) -> tuple[list[_Row], list[RepeatedRow], list[Conflict], list[RowIssue]]:
    """Rows read once: a row with the labels and amounts of an earlier row is a repeat. Rows
    with the same labels in one block are told apart by occurrence; across blocks of a
    hoofdstuk, same labels with other amounts is a conflict."""
    kept: list[_Row] = []
    repeated: list[RepeatedRow] = []
    conflicts: list[Conflict] = []
    same_labels: list[RowIssue] = []
    seen: dict[tuple[object, ...], SourceRow] = {}  # labels + occurrence + amounts
    first_of: dict[BudgetLine, _Row] = {}  # line (with occurrence) -> first row read
    occurrences: dict[tuple[int, BudgetLine], list[_Row]] = defaultdict(list)
    for row in rows:
        earlier = occurrences[(row.block, row.line)]
        if any(e.amounts == row.amounts for e in earlier):
            match = next(e for e in earlier if e.amounts == row.amounts)
            repeated.append(RepeatedRow(source=row.source, repeats=match.source))
            continue
        if earlier:
            same_labels.append(RowIssue(source=row.source, reason=FOUND_SAME_LABELS))
        earlier.append(row)
        line = row.line.model_copy(update={"occurrence": len(earlier)}) if len(earlier) > 1 \
            else row.line
        row.line = line
        key = (line, row.amounts)
        if key in seen:
            repeated.append(RepeatedRow(source=row.source, repeats=seen[key]))
            continue
        seen[key] = row.source
        first = first_of.get(line)
        if first is None:
            first_of[line] = row
        else:
            for offset, (a, b) in enumerate(zip(first.amounts, row.amounts, strict=True)):
                if a is not None and b is not None and a[0] != b[0]:
                    column_year = year - 2 + offset
                    conflicts.append(Conflict(
                        subject=line.id, year=column_year,
                        stage=stage_of(DocumentKind.BEGROTING, year, column_year),
                        first_euros=a[0], first=first.source, second_euros=b[0],
                        second=row.source))
        kept.append(row)
    return kept, repeated, conflicts, same_labels


def _find_parts(rows: list[_Row]) -> None:
    """Give each row the rows below it: same block, hoofdstuk, artikel and side, its labels
    extended by at least one more."""
    groups: dict[tuple[int, str, str, Side], list[_Row]] = defaultdict(list)
    for row in rows:
        groups[(row.block, row.line.hoofdstuk, row.line.artikel, row.line.side)].append(row)
    for group in groups.values():
        for total in group:
            path = total.path
            depth = max((i for i, p in enumerate(path) if p), default=-1)
            for row in group:
                if row is total:
                    continue
                other = row.path
                if max((i for i, p in enumerate(other) if p), default=-1) <= depth:
                    continue
                if all(path[i] is None or path[i] == other[i] for i in range(depth + 1)):
                    total.parts.append(row)


def _check(total: _Row, money: list[_Row], offset: int, year: int, name: str) -> Mismatch | None:
    """The stated total against the money rows below it. Cells rounded to whole euros may
    differ by up to half a euro each, so that much is allowed, no more."""
    stated, rounded = total.amounts[offset]  # type: ignore[misc]
    found, slack = 0, int(rounded)
    for part in money:
        amount = part.amounts[offset]
        if amount is not None:
            found += amount[0]
            slack += int(amount[1])
    if abs(found - stated) <= (slack + 1) // 2:
        return None
    level = total.line.level
    return Mismatch(
        document=name, line=total.source.line,
        level=_ARTIKEL_LEVEL[total.line.side] if level is LineLevel.ARTIKEL
        else _LEVEL_OF_TOTAL[level],
        label=total.line.id, year=year, expected=stated, found=found,
    )
