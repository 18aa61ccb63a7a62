"""The subsidieoverzichten of all ministries (openstate/datasets; bundled: 2015): per row the
ministry, the regeling, the recipient, `Beleid` (artikel or artikel.onderdeel), the realised
amount in whole euros (some with cents: rounded half up to whole euros and marked) and the
year (`Jaar`).

Each row is a payment by the ministry through a budget line: the Subsidies instrument of the
artikel and onderdeel `Beleid` names. Coverage is per article and per year the rows give,
against the budgettaire tabellen's Subsidies realisatie of that year (for 2015 the OWB 2017's
t-2 column). Where the tabellen do not tell one line (no onderdeel given and
subsidies on several onderdelen, or the ministry has two hoofdstukken with that article),
the payment is tied to the article and says so; where no article is known, to nothing.
Recipients the file does not name ("X", "Organisatie in provincie ...") stay unnamed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from geldstroom.loaders.opendata.csv_files import data_name, decimal_point_euros, read_csv
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

DATASET = OpenDataset.SUBSIDIES
COLUMNS = {0: "Overheid", 1: "Regeling", 2: "Ontvanger", 3: "Beleid", 4: "Realisatie", 5: "Jaar"}

# The ministries as the file names them, and the hoofdstukken they pay from.
HOOFDSTUKKEN: dict[str, tuple[str, ...]] = {
    "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties en Wonen en Rijksdienst":
        ("VII", "XVIII"),
    "Ministerie van Buitenlandse Zaken": ("V", "XVII"),
    "Ministerie van Defensie": ("X",),
    "Ministerie van Economische Zaken": ("XIII",),
    "Ministerie van Financien": ("IXB",),
    "Ministerie van Infrastructuur en Milieu": ("XII",),
    "Ministerie van Onderwijs, Cultuur en Wetenschap": ("VIII",),
    "Ministerie van Sociale Zaken en Werkgelegenheid": ("XV",),
    "Ministerie van Veiligheid en Justitie": ("VI",),
    "Ministerie van Volksgezondheid, Welzijn en Sport": ("XVI",),
}
_UNNAMED = re.compile(r"^(?:x|organisatie in provincie\b.*)$", re.IGNORECASE)
_BELEID = re.compile(r"^(\d+)(?:\.(\d+))?$")

SKIP_EMPTY = "empty row"
SKIP_MINISTRY = "a ministry the loader does not know"
SKIP_AMOUNT = "no amount, or not a number"
FOUND_NO_ARTICLE = "Beleid names no article ('overig' or empty): tied to no budget line"
FOUND_UNKNOWN_ARTICLE = "Beleid names an article the budgettaire tabellen do not have"
FOUND_TWO_HOOFDSTUKKEN = ("the ministry has two hoofdstukken with this article and the file "
                          "does not say which: tied to no budget line")
FOUND_ARTICLE_ONLY = "the budget line cannot be told: tied to the article"
FOUND_ROUNDED = "an amount with cents: rounded to whole euros"


def is_unnamed(recipient: str) -> bool:
    """'X' and 'Organisatie in provincie ...' stand for recipients the file does not name."""
    return not recipient.strip() or bool(_UNNAMED.match(recipient.strip()))


def _is_subsidies(instrument: str | None) -> bool:
    return bool(instrument) and "subsid" in instrument.casefold()  # type: ignore[union-attr]


def subsidy_lines(tabellen: OpenData, year: int | None,
                  ) -> dict[tuple[str, str], list[Figure]]:
    """The figures of each article's Subsidies lines by (hoofdstuk, artikel): the money rows
    under a Subsidies instrument, uitgaven; the realisatie of `year` only, unless None."""
    found: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    for figure in tabellen.figures:
        line = figure.line
        if year is not None and (figure.year != year or figure.stage is not Stage.REALISATIE):
            continue
        if line.side is Side.UITGAVEN and _is_subsidies(line.instrument):
            found[(line.hoofdstuk, line.artikel)].append(figure)
    return found


def _articles(tabellen: OpenData) -> set[tuple[str, str]]:
    return {(f.line.hoofdstuk, f.line.artikel) for f in tabellen.figures} | {
        (t.line.hoofdstuk, t.line.artikel) for t in tabellen.totals}


def _onderdeel_matches(onderdeel: str | None, artikel: str, wanted: str) -> bool:
    if not onderdeel:
        return False
    text = onderdeel.split()[0]
    return text in (wanted, f"{artikel}.{wanted}")


def _instrument_line(figure: Figure) -> BudgetLine:
    line = figure.line
    return BudgetLine(hoofdstuk=line.hoofdstuk, artikel=line.artikel, side=line.side,
                      onderdeel=line.onderdeel, instrument=line.instrument)


def load_subsidies(path: Path, tabellen: OpenData) -> OpenData:
    """Payments to named (and unnamed) recipients, tied to the budget lines of `tabellen`;
    coverage per article and year against the tabellen's Subsidies realisatie of the year."""
    name = data_name(path)
    lines: dict[tuple[str, str], set[BudgetLine]] = {  # any file's lines tell a line apart
        key: {_instrument_line(f) for f in figures}
        for key, figures in subsidy_lines(tabellen, year=None).items()}
    articles = _articles(tabellen)
    matches: dict[tuple[str, str], tuple[str | None, str | None, BudgetLine | None,
                                         LineMatch]] = {}
    skipped: list[RowIssue] = []
    findings: list[RowIssue] = []
    payments: list[Payment] = []
    rows_read = 0
    for number, raw in read_csv(path, COLUMNS):
        rows_read += 1
        source = SourceRow(dataset=DATASET, file=name, line=number)
        cells = [c.strip() for c in raw] + [""] * (6 - len(raw))
        ministry, scheme, recipient, beleid, amount_text, year_text = cells[:6]
        if not any(cells):
            skipped.append(RowIssue(source=source, reason=SKIP_EMPTY))
            continue
        if ministry not in HOOFDSTUKKEN:
            skipped.append(RowIssue(source=source, reason=SKIP_MINISTRY))
            continue
        try:
            amount = decimal_point_euros(amount_text)
        except ValueError:
            amount = None
        if amount is None or not year_text.isdigit():
            skipped.append(RowIssue(source=source, reason=SKIP_AMOUNT))
            continue
        euros, rounded = amount
        if rounded:
            findings.append(RowIssue(source=source, reason=FOUND_ROUNDED))
        if (ministry, beleid) not in matches:
            matches[(ministry, beleid)] = _match(HOOFDSTUKKEN[ministry], beleid, lines, articles)
        payer, artikel, line, match = matches[(ministry, beleid)]
        if match is LineMatch.NONE:
            findings.append(RowIssue(source=source, reason=_why_none(
                HOOFDSTUKKEN[ministry], beleid, articles)))
        elif match is LineMatch.ARTIKEL:
            findings.append(RowIssue(source=source, reason=FOUND_ARTICLE_ONLY))
        payments.append(Payment(
            kind=PaymentKind.SUBSIDIE, payer=payer or ministry,
            recipient=None if is_unnamed(recipient) else recipient,
            recipient_as_written=recipient, year=int(year_text), stage=Stage.REALISATIE,
            euros=euros, source=source, artikel=artikel, line=line, match=match,
            scheme=scheme, rounded=rounded))
    report = SourceReport(dataset=DATASET, files=(name,), rows_read=rows_read,
                          skipped=tuple(skipped), findings=tuple(findings),
                          coverage=tuple(coverage(payments, tabellen)))
    return OpenData(payments=tuple(payments), reports=(report,))


def _match(
    hoofdstukken: tuple[str, ...], beleid: str,
    lines: dict[tuple[str, str], set[BudgetLine]], articles: set[tuple[str, str]],
) -> tuple[str | None, str | None, BudgetLine | None, LineMatch]:
    """(payer hoofdstuk, artikel, line, how) for a row's Beleid. A ministry with two
    hoofdstukken that both have the article: the file does not say which, so neither."""
    only = hoofdstukken[0] if len(hoofdstukken) == 1 else None
    parsed = _BELEID.match(beleid)
    if not parsed:
        return only, None, None, LineMatch.NONE
    artikel, onderdeel = parsed[1], parsed[2]
    known = [h for h in hoofdstukken if (h, artikel) in articles]
    if len(known) != 1:
        return only, None, None, LineMatch.NONE
    hoofdstuk = known[0]
    candidates = lines.get((hoofdstuk, artikel), set())
    if onderdeel is not None:
        candidates = {c for c in candidates
                      if _onderdeel_matches(c.onderdeel, artikel, onderdeel)}
    if len(candidates) == 1:
        return hoofdstuk, artikel, next(iter(candidates)), LineMatch.LINE
    return hoofdstuk, artikel, None, LineMatch.ARTIKEL


def _why_none(hoofdstukken: tuple[str, ...], beleid: str,
              articles: set[tuple[str, str]]) -> str:
    parsed = _BELEID.match(beleid)
    if not parsed:
        return FOUND_NO_ARTICLE
    if sum((h, parsed[1]) in articles for h in hoofdstukken) > 1:
        return FOUND_TWO_HOOFDSTUKKEN
    return FOUND_UNKNOWN_ARTICLE


def coverage(payments: list[Payment], tabellen: OpenData) -> list[ArticleCoverage]:
    """Per article and year the rows give: the subsidies the file lists (named and unnamed
    recipients) against the article's Subsidies realisatie of that year in the tabellen."""
    named: dict[tuple[str, str, int], int] = defaultdict(int)
    unnamed: dict[tuple[str, str, int], int] = defaultdict(int)
    for p in payments:
        if p.artikel is None or p.payer not in _ALL_HOOFDSTUKKEN:
            continue
        bucket = named if p.recipient is not None else unnamed
        bucket[(p.payer, p.artikel, p.year)] += p.euros
    realised = {year: subsidy_lines(tabellen, year)
                for year in {key[2] for key in (*named, *unnamed)}}
    rows = []
    for key in sorted(set(named) | set(unnamed), key=_article_order):
        figures = realised[key[2]].get(key[:2], [])
        rows.append(ArticleCoverage(
            hoofdstuk=key[0], artikel=key[1], year=key[2], named_euros=named[key],
            unnamed_euros=unnamed[key],
            budget_euros=sum(f.euros for f in figures) if figures else None,
            budget_source=min((f.source for f in figures), key=lambda s: s.line)
            if figures else None))
    return rows


_ALL_HOOFDSTUKKEN = {h for hs in HOOFDSTUKKEN.values() for h in hs}


def _article_order(key: tuple[str, str, int]) -> tuple[str, int, str, int]:
    hoofdstuk, artikel, year = key
    return hoofdstuk, int(artikel) if artikel.isdigit() else 0, artikel, year
