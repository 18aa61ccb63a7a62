"""The Finance ministry's "Financiële instrumenten" (rijksfinancien.nl, per year since 2016):
every payment of the central government through a financial instrument, with its recipient.
Amounts x € 1.000. Not bundled: a user downloads the files and lists them in a manifest
(`bundled = true`, `dataset = "financiele instrumenten"`).

The published files differ between years in wording, punctuation and separator, so columns
are found by meaning (`COLUMNS`): the header is folded to letters and digits and matched
against the names each column has been given. A column no name fits, a column two headers
claim, or a required column missing is one InputError naming the file and the column.

Each row is a payment by the payer of its hoofdstuk through its budget line (hoofdstuk,
artikel, onderdeel, instrument, regeling), realisatie of its year. Where the budgettaire
tabellen have the same line (article, instrument and regeling alike), the payment takes the
tabellen's line, so both sit on one node; otherwise its own line. The article is the plain
number of 2016 ("14") or the third part of the dotted code of later years
("2021.13.02.00.05.15": year, hoofdstuk, artikel, ...). "X", "Overig", "Koersverschillen"
and "Geanonimiseerde ontvanger(s) van ..." name nobody: the recipient stays unknown, the row
keeps its instrument and regeling. Negative amounts (corrections, onttrekkingen) are kept as
written, and listed.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from geldstroom.errors import InputError
from geldstroom.loaders.actors.payers import Payers, bundled_payers
from geldstroom.loaders.documents.instruments import instrument_key, normalise
from geldstroom.loaders.opendata.csv_files import data_name, open_text
from geldstroom.loaders.opendata.staten import publications, tabellen_article_amounts
from geldstroom.model import (
    ArticleCoverage,
    BudgetLine,
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
    trusted_record,
)

DATASET = OpenDataset.FINANCIELE_INSTRUMENTEN
UNIT = 1000


@dataclass(frozen=True)
class Column:
    """A column by meaning: the header names it has had, folded (letters and digits only)."""

    field: str
    meaning: str
    names: tuple[str, ...]
    required: bool = True
    prefix: bool = False  # "Bedrag (x1000)", "Bedrag x € 1.000": any header starting so


COLUMNS = (
    Column("year", "the year (Begrotingsjaar)", ("begrotingsjaar", "jaar", "realisatiejaar")),
    Column("hoofdstuk", "the hoofdstuk (Begrotingshoofdstuk)",
           ("begrotingshoofdstuk", "hoofdstuk", "begrotingshoofdstuknummer")),
    Column("begroting", "the begroting's name (Begrotingsnaam)",
           ("begrotingsnaam", "naambegroting", "begroting", "hoofdstuknaam"), required=False),
    Column("artikel", "the article number (RIS/IBOS-nummer)",
           ("risibosnummer", "risibos", "artikelnummer", "risibosnr")),
    Column("artikel_name", "the article's name (Artikel)", ("artikel", "artikelnaam"),
           required=False),
    Column("onderdeel", "the sub-article (Artikelonderdeel)",
           ("artikelonderdeel", "onderdeel", "artikelonderdeelnaam"), required=False),
    Column("instrument", "the financial instrument (Instrument)",
           ("instrument", "financieelinstrument", "instrumentnaam")),
    Column("detail", "the instrument's detail (Detail)", ("detail", "detailinstrument"),
           required=False),
    Column("regeling", "the regeling (Regeling)", ("regeling", "regelingnaam")),
    Column("recipient", "the recipient (Ontvanger)", ("ontvanger", "naamontvanger",
                                                       "ontvangernaam")),
    Column("amount", "the amount x € 1.000 (Bedrag)", ("bedrag",), prefix=True),
    Column("kvk", "the KvK number (KvK-nummer)", ("kvknummer", "kvk", "kvknr"), required=False),
    Column("legal_form", "the legal form (Rechtsvorm)", ("rechtsvorm",), required=False),
    Column("id_number", "an other id (ID-nummer)", ("idnummer",), required=False),
    Column("register_id", "a register id (Register-ID-nummer)",
           ("registeridnummer", "registerid"), required=False),
    Column("place", "the place (Plaats)", ("plaats", "vestigingsplaats", "woonplaats"),
           required=False),
)

SKIP_EMPTY = "empty row"
SKIP_YEAR = "no year, or not a year"
SKIP_HOOFDSTUK = "no hoofdstuk"
SKIP_AMOUNT = "no amount, or not a number"
FOUND_NEGATIVE = "a negative amount (a correction or onttrekking): kept as written"
FOUND_ROUNDED = "an amount with fractions of a euro: rounded to whole euros"
FOUND_NO_ARTICLE = "no article number, or not one: tied to the hoofdstuk"
FOUND_UNKNOWN_PAYER = "a hoofdstuk payers.toml does not list: its payer is not known"
FOUND_NAME_DIFFERS = "the begroting's name belongs to another hoofdstuk than its code"
FOUND_OTHER_YEAR = "the row's year differs from the manifest's year for the file"
FOUND_DOTTED_YEAR = "the dotted article code starts with another year than the row's"

# "X", "Overig(en)", "Geanonimiseerde ontvanger(s) van ..." and an empty cell name nobody.
_UNNAMED = re.compile(
    r"^(?:x|overig(?:en|e)?|koersverschillen|geanonimiseerde\s+ontvanger.*)$", re.IGNORECASE)
_UNNAMED_STARTS = frozenset("xokg")  # what _UNNAMED's words start with (case aside)
_DOTTED = re.compile(r"^(\d{4})\.(\d+)\.(\d+)(?:\.\d+)*$")
_PLAIN = re.compile(r"^(\d+)$")
_WHOLE = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def is_unnamed(recipient: str) -> bool:
    first = recipient.lstrip()[:1]
    if first.isascii() and first.lower() not in _UNNAMED_STARTS:
        return not first  # no name the pattern knows starts so (700 000 rows: skip it)
    return not recipient.strip() or bool(_UNNAMED.match(" ".join(recipient.split())))


def _fold(header: str) -> str:
    text = unicodedata.normalize("NFKD", header.replace("\ufeff", "")).casefold()
    return "".join(c for c in text if c.isalnum() and c.isascii())


def find_columns(header: list[str], file: str) -> dict[str, int]:
    """Field -> column index, by meaning. InputError (file, line 1) names what does not fit."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        folded = _fold(cell)
        if not folded:
            if index == len(header) - 1:
                continue  # a separator at the end of the line
            raise InputError(f"column {index + 1} of the header is empty; expected a name "
                             "such as Ontvanger or Bedrag", file, 1)
        column = next((c for c in COLUMNS if folded in c.names
                       or (c.prefix and folded.startswith(c.names))), None)
        if column is None:
            raise InputError(f"column {index + 1} of the header is {cell.strip()!r}: not a "
                             "column of the Financiële instrumenten this loader knows", file, 1)
        if column.field in found:
            raise InputError(f"column {index + 1} of the header is {cell.strip()!r}, and "
                             f"column {found[column.field] + 1} is already {column.meaning}",
                             file, 1)
        found[column.field] = index
    missing = [c.meaning for c in COLUMNS if c.required and c.field not in found]
    if missing:
        raise InputError(f"no column for {missing[0]}; the header has "
                         f"{', '.join(repr(h.strip()) for h in header if h.strip())}", file, 1)
    return found


def _separator(first_line: str) -> str:
    """';' or ',' or a tab: whichever the header line has most of."""
    return max((";", ",", "\t"), key=first_line.count)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, int], list[str]]]:
    """(line the row starts on, columns, cells) of each data row, whatever the separator."""
    name = str(path)
    with open_text(path) as handle:
        try:
            first = handle.readline()
            if not first.strip():
                raise InputError("the file is empty; expected a header row", name, 1)
            delimiter = _separator(first)
            header = next(csv.reader([first], delimiter=delimiter))
            columns = find_columns(header, name)
            reader = csv.reader(handle, delimiter=delimiter)
            end = 1
            for cells in reader:
                start, end = end + 1, reader.line_num + 1
                yield start, columns, cells
        except UnicodeDecodeError as err:
            raise InputError("not UTF-8 text", name) from err
        except (csv.Error, EOFError, OSError) as err:
            raise InputError(f"not a readable CSV file ({err})", name) from err


def thousands_to_euros(cell: str) -> tuple[int, bool] | None:
    """Euros from x € 1.000: "9039", "-30", "12,5", "12.5"; None when not a number.
    The bool says fractions of a euro were rounded (half up)."""
    text = cell.strip()
    if _WHOLE.match(text):
        return int(text) * UNIT, False
    if not _DECIMAL.match(text):
        return None
    value = Decimal(text.replace(",", ".")) * UNIT
    whole = int(value.to_integral_value(rounding="ROUND_HALF_UP"))
    return whole, whole != value


def article_of(code: str) -> tuple[str | None, int | None]:
    """(artikel, year in the code) from "14" or "2021.13.02.00.05.15"; None where neither."""
    text = code.strip()
    if plain := _PLAIN.match(text):
        return str(int(plain[1])), None
    if dotted := _DOTTED.match(text):
        return str(int(dotted[3])), int(dotted[1])
    return None, None


@lru_cache(maxsize=1 << 16)
def _clean(cell: str) -> str | None:
    text = " ".join(cell.split())
    return text or None


def _kvk(cell: str) -> str | None:
    digits = cell if cell.isdigit() else "".join(c for c in cell if c.isdigit())
    return digits.zfill(8) if digits and int(digits) else None


# Amounts repeat across rows (a few thousand distinct among 700 000: one int for each, not
# one per row); instrument_key and normalise keep theirs too.
_euros = lru_cache(maxsize=1 << 16)(thousands_to_euros)


class _Lines:
    """The budgettaire tabellen's uitgaven lines by article, instrument and regeling, and
    which hoofdstuk of a payer has an article (the 2016 file writes IX for IXA and IXB)."""

    def __init__(self, tabellen: OpenData, payers: Payers) -> None:
        self.payers = payers
        self.by_key: dict[tuple[str, str, str, str], set[BudgetLine]] = defaultdict(set)
        self.articles: set[tuple[str, str]] = set()
        for figure in tabellen.figures:
            line = figure.line
            self.articles.add((line.hoofdstuk, line.artikel))
            if line.side is Side.UITGAVEN and line.instrument and line.line:
                key = (line.hoofdstuk, line.artikel, instrument_key(line.instrument),
                       normalise(line.line))
                self.by_key[key].add(BudgetLine(
                    hoofdstuk=line.hoofdstuk, artikel=line.artikel, side=line.side,
                    onderdeel=line.onderdeel, instrument=line.instrument, line=line.line))
        self.articles |= {(t.line.hoofdstuk, t.line.artikel) for t in tabellen.totals}
        self._sibling: dict[tuple[str, str], str] = {}
        # A row's own line, one record per distinct line: 700 000 rows name some 80 000
        # lines (each year's rows the same ones), and a record per row was a quarter of
        # the records' memory.
        self._own: dict[tuple[str, str, str, str | None, str | None, str | None],
                        BudgetLine] = {}

    def hoofdstuk(self, code: str, artikel: str | None) -> str:
        """The tabellen's hoofdstuk of the payer of `code` that has `artikel`, if just one;
        else the code as written."""
        if artikel is None or (code, artikel) in self.articles:
            return code
        found = self._sibling.get((code, artikel))
        if found is None:  # once per code and article, not per row
            payer = self.payers.by_hoofdstuk.get(code)
            siblings = [h for h, p in self.payers.by_hoofdstuk.items()
                        if p == payer and (h, artikel) in self.articles]
            found = self._sibling[(code, artikel)] = siblings[0] if len(siblings) == 1 else code
        return found

    def joined(self) -> set[int]:
        """The ids of the line records a payment takes when it joins a tabellen line."""
        return {id(line) for found in self.by_key.values() for line in found}

    def own(self, hoofdstuk: str, artikel: str, instrument: str, regeling: str | None,
            onderdeel: str | None, detail: str | None) -> BudgetLine:
        """The row's own line (no tabellen line is its): the same record for the same
        parts."""
        key = (hoofdstuk, artikel, instrument, regeling, onderdeel, detail)
        found = self._own.get(key)
        if found is None:
            found = self._own[key] = trusted_record(BudgetLine, _OWN_LINE_FIELDS, {
                "hoofdstuk": hoofdstuk, "artikel": artikel, "side": Side.UITGAVEN,
                "onderdeel": onderdeel, "instrument": instrument, "line": regeling,
                "detail": detail, "occurrence": 1})
        return found

    def line(self, hoofdstuk: str, artikel: str, instrument: str, regeling: str,
             ) -> BudgetLine | None:
        found = self.by_key.get((hoofdstuk, artikel, instrument_key(instrument),
                                 normalise(regeling)), set())
        return next(iter(found)) if len(found) == 1 else None


def load_instrumenten(path: Path, tabellen: OpenData, year: int | None = None, *,
                      payers: Payers | None = None) -> OpenData:
    """Every row a payment through its budget line; coverage per article and year against
    the tabellen's uitgaven of that article and year. Rows without a recipient's name are
    counted in the report's notes (each keeps its own row as provenance)."""
    name = data_name(path)
    payers = payers or bundled_payers()
    lines = _Lines(tabellen, payers)
    # One row's keys -> (payer hoofdstuk, artikel, line, match, findings): rows repeat keys.
    placed: dict[tuple[str, ...], tuple[str, str | None, BudgetLine | None, LineMatch,
                                        tuple[str, ...]]] = {}
    skipped: list[RowIssue] = []
    findings: list[RowIssue] = []
    payments: list[Payment] = []
    rows_read = 0
    # 700 000 rows: the records are built without validation (trusted_record, as
    # model_construct makes them); every value is checked or made here, of the model's
    # types, every field given in the model's order.
    # Every record sets every field: one set of field names shared by all halves their size.
    payment_fields, source_fields = set(Payment.model_fields), set(SourceRow.model_fields)
    at = _Indices(width=1, **dict.fromkeys(_FIELDS, 0))
    last_columns: dict[str, int] = {}
    years: dict[str, int] = {}
    for number, columns, raw in read_rows(path):
        rows_read += 1
        source = trusted_record(SourceRow, source_fields,
                                {"dataset": DATASET, "file": name, "line": number})
        if columns is not last_columns:
            at, last_columns = _indices(columns), columns
        cells = raw + [""] * (at.width - len(raw))  # a short row's missing cells are empty
        if not "".join(raw).strip():  # no cell with more than spaces
            skipped.append(RowIssue(source=source, reason=SKIP_EMPTY))
            continue
        year_text, code = cells[at.year].strip(), cells[at.hoofdstuk].strip()
        if not year_text.isdigit() or len(year_text) != 4:
            skipped.append(RowIssue(source=source, reason=SKIP_YEAR))
            continue
        if not code:
            skipped.append(RowIssue(source=source, reason=SKIP_HOOFDSTUK))
            continue
        amount = _euros(cells[at.amount])
        if amount is None:
            skipped.append(RowIssue(source=source, reason=SKIP_AMOUNT))
            continue
        euros, rounded = amount
        row_year = years.get(year_text)
        if row_year is None:  # one int per year, not one per row
            row_year = years[year_text] = int(year_text)
        keys = (code, cells[at.begroting], cells[at.artikel], cells[at.instrument],
                cells[at.regeling], cells[at.onderdeel], cells[at.detail], year_text)
        found = placed.get(keys)
        if found is None:
            found = placed[keys] = _place(
                lines, code, cells[at.begroting].strip(), cells[at.artikel], row_year,
                _clean(cells[at.instrument]) or "(geen instrument)",
                _clean(cells[at.regeling]), _clean(cells[at.onderdeel]),
                _clean(cells[at.detail]))
        payer, artikel, line, match, remarks = found
        for reason in remarks:
            findings.append(RowIssue(source=source, reason=reason))
        if year is not None and row_year != year:
            findings.append(RowIssue(source=source, reason=FOUND_OTHER_YEAR))
        if euros < 0:
            findings.append(RowIssue(source=source, reason=FOUND_NEGATIVE))
        if rounded:
            findings.append(RowIssue(source=source, reason=FOUND_ROUNDED))
        written = " ".join(cells[at.recipient].split())
        named = not is_unnamed(written)
        payments.append(trusted_record(Payment, payment_fields, {
            "kind": PaymentKind.FINANCIEEL_INSTRUMENT, "payer": payer,
            "recipient": written if named else None, "recipient_as_written": written,
            "year": row_year, "stage": Stage.REALISATIE, "euros": euros, "source": source,
            "artikel": artikel, "line": line, "match": match,
            "scheme": _clean(cells[at.regeling]) or "", "rounded": rounded,
            "kvk": _kvk(cells[at.kvk]) if named else None,
            "legal_form": _clean(cells[at.legal_form]) if named else None,
            "place": _clean(cells[at.place]) if named else None}))
    report = SourceReport(dataset=DATASET, files=(name,), rows_read=rows_read,
                          skipped=tuple(skipped), findings=tuple(findings),
                          coverage=tuple(coverage(payments, tabellen)),
                          notes=(*_notes(name, payments),
                                 *line_comparisons(payments, tabellen, lines.joined())))
    return OpenData(payments=tuple(payments), reports=(report,))


@dataclass(frozen=True)
class _Indices:
    """Each field's column; a field the file has no column for reads the empty cell that
    every row gets appended (index `width - 1`)."""

    width: int
    year: int
    hoofdstuk: int
    begroting: int
    artikel: int
    onderdeel: int
    instrument: int
    detail: int
    regeling: int
    recipient: int
    amount: int
    kvk: int
    legal_form: int
    place: int


_FIELDS = [f for f in _Indices.__dataclass_fields__ if f != "width"]


def _indices(columns: dict[str, int]) -> _Indices:
    width = max(columns.values()) + 2
    return _Indices(width=width, **{f: columns.get(f, width - 1) for f in _FIELDS})


# The fields a row's own line is given (as validation would count them set); each value is
# a str made here, or None. One set shared by every own line, as by every payment.
_OWN_LINE_FIELDS = {"hoofdstuk", "artikel", "side", "onderdeel", "instrument", "line", "detail"}


def _place(lines: _Lines, code: str, begroting: str, article_code: str, year: int,
           instrument: str, regeling: str | None, onderdeel: str | None, detail: str | None,
           ) -> tuple[str, str | None, BudgetLine | None, LineMatch, tuple[str, ...]]:
    remarks: list[str] = []
    if code not in lines.payers.by_hoofdstuk:
        remarks.append(FOUND_UNKNOWN_PAYER)
    elif begroting and (named := lines.payers.payer_of_begroting(begroting)) is not None \
            and named != lines.payers.by_hoofdstuk[code]:
        remarks.append(FOUND_NAME_DIFFERS)
    artikel, code_year = article_of(article_code)
    if code_year is not None and code_year != year:
        remarks.append(FOUND_DOTTED_YEAR)
    if artikel is None:
        remarks.append(FOUND_NO_ARTICLE)
        return code, None, None, LineMatch.NONE, tuple(remarks)
    hoofdstuk = lines.hoofdstuk(code, artikel)
    if regeling is not None:
        joined = lines.line(hoofdstuk, artikel, instrument, regeling)
        if joined is not None:
            return hoofdstuk, artikel, joined, LineMatch.LINE, tuple(remarks)
    own = lines.own(hoofdstuk, artikel, instrument, regeling, onderdeel, detail)
    return hoofdstuk, artikel, own, LineMatch.LINE, tuple(remarks)


def _notes(name: str, payments: list[Payment]) -> tuple[str, ...]:
    if not payments:
        return ()
    negative = [p for p in payments if p.euros < 0]
    unnamed = sum(1 for p in payments if p.recipient is None)
    return (f"{name}: {len(payments)} payments, {unnamed} to no named recipient, "
            f"{len(negative)} negative (sum {sum(p.euros for p in negative)} euros)",)


def line_comparisons(payments: list[Payment], tabellen: OpenData,
                     joined: set[int]) -> list[str]:
    """Per budget line of the tabellen that payments join, and year: what the payments
    state (named and unnamed recipients) against the line's figure that year, at the stage
    coverage() uses. One line of text each, for `validate`. `joined`: the ids of the
    tabellen's line records payments took (_Lines.joined)."""
    stated: dict[tuple[BudgetLine, int], int] = defaultdict(int)
    for p in payments:
        if p.line is not None and id(p.line) in joined:
            stated[(p.line, p.year)] += p.euros
    figures: dict[tuple[BudgetLine, int], dict[Stage, list[tuple[int, SourceRow]]]] = {}
    wanted = {line for line, _ in stated}
    owb = publications(tabellen)
    for figure in tabellen.figures:
        if figure.line in wanted and (figure.line, figure.year) in stated:
            figures.setdefault((figure.line, figure.year), {}).setdefault(
                figure.stage, []).append((figure.euros, figure.source))
    out = []
    for (line, year), by_stage in sorted(figures.items(), key=lambda x: (x[0][0].id, x[0][1])):
        stage = next(s for s in _STAGE_ORDER if s in by_stage)
        euros, source = max(by_stage[stage], key=lambda f: owb.get(f[1].file, 0))
        paid = stated[(line, year)]
        verdict = "equal" if paid == euros else f"difference {paid - euros:+,} euros".replace(
            ",", ".")
        out.append(f"{line.id} {year}: payments {paid:,} euros against the line's "
                   f"{stage.value} {euros:,} euros ({source}): {verdict}".replace(",", "."))
    return out


# Which budget figure a year's payments are compared with: the realisatie where the tabellen
# give it, else the stage closest to it.
_STAGE_ORDER = (Stage.REALISATIE, Stage.VASTGESTELDE_BEGROTING, Stage.ONTWERPBEGROTING,
                Stage.RAMING)


def coverage(payments: list[Payment], tabellen: OpenData) -> list[ArticleCoverage]:
    """Per article and year the rows give: their euros (named and unnamed recipients)
    against the article's uitgaven that year in the tabellen: the realisatie where given,
    else the vastgestelde begroting, ontwerpbegroting or raming of the newest publication."""
    named: dict[tuple[str, str, int], int] = defaultdict(int)
    unnamed: dict[tuple[str, str, int], int] = defaultdict(int)
    for p in payments:
        if p.artikel is None:
            continue
        bucket = named if p.recipient is not None else unnamed
        bucket[(p.payer, p.artikel, p.year)] += p.euros
    amounts = tabellen_article_amounts(tabellen)
    owb = publications(tabellen)
    rows = []
    for key in sorted(set(named) | set(unnamed), key=_article_order):
        hoofdstuk, artikel, year = key
        figure = None
        for stage in _STAGE_ORDER:
            found = amounts.get((hoofdstuk, artikel, Side.UITGAVEN, year, stage), [])
            if found:
                euros, source, _ = max(found, key=lambda f: owb.get(f[1].file, 0))
                figure = (euros, source, stage)
                break
        rows.append(ArticleCoverage(
            hoofdstuk=hoofdstuk, artikel=artikel, year=year, named_euros=named[key],
            unnamed_euros=unnamed[key], budget_euros=figure[0] if figure else None,
            budget_source=figure[1] if figure else None,
            budget_stage=figure[2] if figure else Stage.REALISATIE))
    return rows


def _article_order(key: tuple[str, str, int]) -> tuple[str, int, str, int]:
    hoofdstuk, artikel, year = key
    return hoofdstuk, int(artikel) if artikel.isdigit() else 0, artikel, year
