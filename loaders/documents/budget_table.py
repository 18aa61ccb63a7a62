"""Read 'Budgettaire gevolgen van beleid' tables from web text (one table cell per line).

The reader knows only the standard table words (Verplichtingen, Uitgaven, Ontvangsten, the
artikelonderdeel code) and the standard instrument names; everything else is a regeling.
Where that is not enough, the tables' own totals decide the hierarchy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from geldstroom.dutch import format_whole, looks_numeric, parse_whole
from geldstroom.errors import InputError
from geldstroom.loaders.documents.instruments import INSTRUMENT_KEYS, normalise
from geldstroom.model import (
    MAX_EUROS,
    Amount,
    BudgetRow,
    BudgetTable,
    Document,
    FlexibilityShare,
    Mismatch,
    Provenance,
    RowLevel,
    stage_of,
)

TABLE_TITLE = re.compile(r"budgettaire gevolgen van beleid", re.IGNORECASE)
_NUMBERED_TABLE = re.compile(r"^tabel\s+\d+", re.IGNORECASE)
FLEXIBILITY_TITLE = re.compile(r"^tabel\s+\d+\s+geschatte budgetflexibiliteit", re.IGNORECASE)
_ARTIKEL = re.compile(r"\bart(?:ikel|\.)\s*(\d+)", re.IGNORECASE)
_UNIT = re.compile(r"x\s*€\s*(1\.000\.000|1\.000|1 mln|1 miljoen|1)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(19|20)\d\d$")
_CODE = re.compile(r"^\d{1,2}\.\d{1,2}$")
_PERCENT = re.compile(r"^(\d{1,3})\s*%$")

@dataclass
class _Row:
    """A row as read, before the hierarchy is known."""

    label: str
    code: str | None
    line: int
    amounts: list[int]
    amount_lines: list[int]
    level: RowLevel
    children: list[_Row] = field(default_factory=list)


@dataclass(frozen=True)
class _Cell:
    line: int
    text: str


def _cells(lines: Sequence[str]) -> list[_Cell]:
    return [_Cell(n, s) for n, raw in enumerate(lines, start=1) if (s := raw.strip())]


def _is_title(cells: Sequence[_Cell], i: int) -> bool:
    """A table's title: "Tabel N Budgettaire gevolgen van beleid …", or that phrase with the
    year columns right after it; a sentence that mentions the phrase is not one."""
    if not TABLE_TITLE.search(cells[i].text):
        return False
    followed_by_year = i + 1 < len(cells) and bool(_YEAR.match(cells[i + 1].text))
    return followed_by_year or bool(_NUMBERED_TABLE.match(cells[i].text))


def artikel_in(title: str) -> str | None:
    """The artikel number a table title names ("… art. 7 …")."""
    match = _ARTIKEL.search(title)
    return match[1] if match else None


def table_title_lines(lines: Sequence[str]) -> list[int]:
    """The 1-based lines where budget tables start."""
    cells = _cells(lines)
    return [cells[i].line for i in range(len(cells)) if _is_title(cells, i)]


def read_budget_tables(document: Document, lines: Sequence[str]) -> list[BudgetTable]:
    """Every budget table in the document, reconciled; InputError on malformed tables."""
    cells = _cells(lines)
    tables = []
    starts = [i for i in range(len(cells)) if _is_title(cells, i)]
    for start in starts:
        table, end = _read_table(document, cells, start)
        flexibility = _read_flexibility(document, cells, end, table.artikel)
        tables.append(table.model_copy(update={"flexibility": tuple(flexibility)}))
    return tables


def _read_table(document: Document, cells: list[_Cell], start: int) -> tuple[BudgetTable, int]:
    title = cells[start]
    unit = _unit(title.text)
    artikel = artikel_in(title.text) or document.artikel or "?"
    i = start + 1
    years: list[int] = []
    while i < len(cells) and _YEAR.match(cells[i].text):
        years.append(int(cells[i].text))
        i += 1
    if len(years) < 2 or years != list(range(years[0], years[0] + len(years))):
        raise InputError(
            "expected the table's year columns (consecutive years) after its title",
            document.file,
            title.line,
        )
    # Header cells such as "Art." before the first row.
    while i < len(cells) and not looks_numeric(cells[i].text) and not _is_row_start(cells, i):
        i += 1
    rows, end = _read_rows(document, cells, i, len(years), unit)
    if not rows:
        raise InputError("table has no rows", document.file, title.line)
    table = _build_table(document, title, artikel, years, unit, rows)
    return table, end


def _unit(title: str) -> int:
    match = _UNIT.search(title)
    if not match:
        return 1000  # Budget tables are in thousands unless they say otherwise.
    return {"1.000.000": 1_000_000, "1 mln": 1_000_000, "1 miljoen": 1_000_000, "1": 1}.get(
        match[1].lower(), 1000
    )


def _is_row_start(cells: list[_Cell], i: int) -> bool:
    """A label (optionally after an artikelonderdeel code) followed by an amount."""
    j = i + 1 if _CODE.match(cells[i].text) else i
    return (
        j + 1 < len(cells)
        and not looks_numeric(cells[j].text)
        and not _NUMBERED_TABLE.match(cells[j].text)  # the next table's title and years
        and looks_numeric(cells[j + 1].text)
    )


def _level_of(label: str, code: str | None) -> RowLevel:
    key = normalise(label)
    if key == "verplichtingen":
        return RowLevel.VERPLICHTINGEN
    if key == "uitgaven":
        return RowLevel.UITGAVEN
    if key == "ontvangsten":
        return RowLevel.ONTVANGSTEN
    if code:
        return RowLevel.ARTIKELONDERDEEL
    if key in INSTRUMENT_KEYS:
        return RowLevel.INSTRUMENT
    return RowLevel.REGELING


def _read_rows(
    document: Document, cells: list[_Cell], i: int, width: int, unit: int
) -> tuple[list[_Row], int]:
    rows: list[_Row] = []
    seen_ontvangsten = False
    while i < len(cells):
        code = None
        if _CODE.match(cells[i].text) and i + 1 < len(cells) and not looks_numeric(
            cells[i + 1].text
        ):
            code = cells[i].text
            i += 1
        label = cells[i]
        if looks_numeric(label.text):
            raise InputError(
                f"expected a row label, found the number {label.text!r}: "
                f"a row above has more than {width} amounts",
                document.file,
                label.line,
            )
        j = i + 1
        amounts: list[int] = []
        amount_lines: list[int] = []
        while j < len(cells) and len(amounts) < width and looks_numeric(cells[j].text):
            try:
                amounts.append(parse_whole(cells[j].text))
            except ValueError:
                raise InputError(
                    f"broken number {cells[j].text!r} in row {label.text!r}: expected a whole "
                    "number in Dutch notation such as 1.084",
                    document.file,
                    cells[j].line,
                ) from None
            if abs(amounts[-1]) * unit > MAX_EUROS:
                raise InputError(
                    f"amount {cells[j].text!r} (x € {format_whole(unit)}) in row "
                    f"{label.text!r} is beyond € {format_whole(MAX_EUROS)}, the largest amount "
                    "a 64-bit whole number holds",
                    document.file,
                    cells[j].line,
                )
            amount_lines.append(cells[j].line)
            j += 1
        if not amounts and code is None:
            # A label with no amounts: the table has ended, unless rows still follow.
            if rows and not seen_ontvangsten and _is_row_start(cells, j):
                raise InputError(
                    f"row {label.text!r} has no amounts: expected {width}",
                    document.file,
                    label.line,
                )
            return rows, i
        if len(amounts) < width:
            raise InputError(
                f"row {label.text!r} has {len(amounts)} amounts: expected {width}, one per year",
                document.file,
                label.line,
            )
        level = _level_of(label.text, code)
        seen_ontvangsten = seen_ontvangsten or level is RowLevel.ONTVANGSTEN
        rows.append(_Row(label.text, code, label.line, amounts, amount_lines, level))
        i = j
    return rows, i


def _sums(rows: Sequence[_Row], width: int) -> list[int]:
    return [sum(row.amounts[y] for row in rows) for y in range(width)]


def _nest_by_sums(parent: _Row, children: list[_Row], width: int) -> list[_Row]:
    """Flat siblings unless the totals show a row is the subtotal of those right after it."""
    if _sums(children, width) == parent.amounts:
        return children
    for k, head in enumerate(children):
        for end in range(k + 2, len(children) + 1):
            run = children[k + 1 : end]
            if _sums(run, width) != head.amounts or not any(head.amounts):
                continue
            kept = children[: k + 1] + children[end:]
            if _sums(kept, width) == parent.amounts:
                head.children = run
                return kept
    return children


def _group(rows: list[_Row], width: int) -> tuple[_Row | None, _Row, _Row | None]:
    """Arrange the flat rows into Verplichtingen, the Uitgaven tree and Ontvangsten."""
    verplichtingen = next((r for r in rows if r.level is RowLevel.VERPLICHTINGEN), None)
    uitgaven = next((r for r in rows if r.level is RowLevel.UITGAVEN), None)
    if uitgaven is None:
        raise ValueError("no Uitgaven row")
    ontvangsten = next((r for r in rows if r.level is RowLevel.ONTVANGSTEN), None)
    start = rows.index(uitgaven) + 1
    stop = rows.index(ontvangsten) if ontvangsten else len(rows)
    direct: list[_Row] = []  # rows of a table without artikelonderdelen
    onderdelen: list[tuple[_Row, list[_Row]]] = []
    for row in rows[start:stop]:
        if row.level is RowLevel.ARTIKELONDERDEEL:
            onderdelen.append((row, []))
        elif onderdelen:
            onderdelen[-1][1].append(row)
        else:
            direct.append(row)
    for onderdeel, members in onderdelen:
        _arrange(onderdeel, members, width)
    _arrange(uitgaven, direct, width)
    uitgaven.children += [onderdeel for onderdeel, _ in onderdelen]
    if ontvangsten:
        ontvangsten.children = rows[stop + 1 :]
    return verplichtingen, uitgaven, ontvangsten


def _label_groups(rows: list[_Row]) -> list[_Row]:
    """Group by the labels alone: each standard instrument heads the rows after it."""
    top: list[_Row] = []
    instrument: _Row | None = None
    for row in rows:
        if row.level is RowLevel.INSTRUMENT:
            instrument = row
            instrument.children = []
            top.append(row)
        elif instrument is not None:
            instrument.children.append(row)
        else:
            top.append(row)
    return top


def _sum_groups(rows: list[_Row], width: int) -> list[_Row] | None:
    """Group by the totals: consecutive runs of a head row and the rows that add up to it.

    A standard instrument always heads a run; any other row may, which is how an instrument
    with a label we do not know is found. None when no such split exists.
    """
    n = len(rows)

    @cache
    def split_from(i: int) -> tuple[tuple[int, int], ...] | None:
        if i == n:
            return ()
        for j in range(n, i + 1, -1):  # longest run first: trailing zero rows stay inside
            children = rows[i + 1 : j]
            if any(r.level is RowLevel.INSTRUMENT for r in children):
                continue
            if _sums(children, width) != rows[i].amounts:
                continue
            rest = split_from(j)
            if rest is not None:
                return ((i, j), *rest)
        return None

    runs = split_from(0)
    if runs is None:
        return None
    heads = []
    for i, j in runs:
        head = rows[i]
        head.level = RowLevel.INSTRUMENT
        head.children = rows[i + 1 : j]
        heads.append(head)
    return heads


def _arrange(parent: _Row, rows: list[_Row], width: int) -> None:
    """Put an artikelonderdeel's rows in place: instruments with their regelingen.

    The labels decide when their groups add up. When they do not (an instrument with a
    label we do not know, or rows before the first instrument), the totals decide; when
    the totals decide nothing either, the label grouping stands and its mismatches are
    reported.
    """
    groups = _label_groups(rows)
    instruments = [g for g in groups if g.level is RowLevel.INSTRUMENT]
    stray = len(instruments) not in (0, len(groups))
    if stray or any(_sums(g.children, width) != g.amounts for g in instruments):
        groups = _sum_groups(rows, width) or _label_groups(rows)
    for group in groups:
        if group.level is RowLevel.INSTRUMENT:
            group.children = _nest_by_sums(group, group.children, width)
    parent.children = groups


def _build_table(
    document: Document,
    title: _Cell,
    artikel: str,
    years: list[int],
    unit: int,
    rows: list[_Row],
) -> BudgetTable:
    width = len(years)
    try:
        verplichtingen, uitgaven, ontvangsten = _group(rows, width)
    except ValueError:
        raise InputError(
            "expected an 'Uitgaven' row in the budget table", document.file, title.line
        ) from None
    mismatches: list[Mismatch] = []

    def freeze(row: _Row, parent_path: tuple[str, ...]) -> BudgetRow:
        name = f"{row.code} {row.label}" if row.code else row.label
        path = parent_path if row.level in _TOTAL_LEVELS else (*parent_path, name)
        children = tuple(freeze(child, path) for child in row.children)
        if row.children:
            found = _sums(row.children, width)
            for y, year in enumerate(years):
                if found[y] != row.amounts[y]:
                    mismatches.append(
                        Mismatch(
                            document=document.id,
                            line=row.amount_lines[y],
                            level=row.level,
                            label=name,
                            year=year,
                            expected=row.amounts[y] * unit,
                            found=found[y] * unit,
                        )
                    )
        return BudgetRow(
            level=row.level,
            label=row.label,
            code=row.code,
            path=path,
            amounts=tuple(
                Amount(
                    year=year,
                    euros=row.amounts[y] * unit,
                    stage=stage_of(document.kind, document.year, year),
                    line=row.amount_lines[y],
                )
                for y, year in enumerate(years)
            ),
            provenance=Provenance(document=document.id, line=row.line, quote=name),
            children=children,
        )

    return BudgetTable(
        document=document.id,
        hoofdstuk=document.hoofdstuk,
        artikel=artikel,
        title=title.text,
        years=tuple(years),
        unit_euros=unit,
        verplichtingen=freeze(verplichtingen, ()) if verplichtingen else None,
        uitgaven=freeze(uitgaven, ()),
        ontvangsten=freeze(ontvangsten, ()) if ontvangsten else None,
        mismatches=tuple(mismatches),
        provenance=Provenance(document=document.id, line=title.line, quote=title.text),
    )


_TOTAL_LEVELS = (RowLevel.VERPLICHTINGEN, RowLevel.UITGAVEN, RowLevel.ONTVANGSTEN)


def _read_flexibility(
    document: Document, cells: list[_Cell], start: int, artikel: str
) -> list[FlexibilityShare]:
    """Tabel 'Geschatte budgetflexibiliteit' right after a budget table: label, percentage."""
    title_at = next(
        (i for i in range(start, min(start + 5, len(cells)))
         if FLEXIBILITY_TITLE.match(cells[i].text)),
        None,
    )
    if title_at is None:
        return []
    i = title_at + 1
    years = []
    while i < len(cells) and _YEAR.match(cells[i].text):
        years.append(int(cells[i].text))
        i += 1
    if not years:
        return []
    shares = []
    while i + len(years) < len(cells):
        label = cells[i]
        values = cells[i + 1 : i + 1 + len(years)]
        matches = [_PERCENT.match(v.text) for v in values]
        if not all(matches):
            break
        for year, value, match in zip(years, values, matches, strict=True):
            assert match is not None
            shares.append(
                FlexibilityShare(
                    label=label.text,
                    year=year,
                    percent=int(match[1]),
                    provenance=Provenance(document=document.id, line=value.line, quote=label.text),
                )
            )
        i += 1 + len(years)
    return shares
