"""Dataset 1, the begrotingsstaten 2013-2017: per hoofdstuk and article the amounts of the
ontwerpbegroting, the vastgestelde begroting, the 1st and 2nd suppletoire begroting and the
realisatie, in x € 1.000; and their reconciliation with the budgettaire tabellen.

The two number their articles differently. The budgettaire tabellen use the numbers of the
begroting itself ("Artikel nummer zoals in het witte stuk"); the begrotingsstaten put a
prefix before the article number in some hoofdstukken. Found by setting the article names
of both files side by side for every year (docs/decisions.md, "Open data: article numbers"):

| hoofdstuk | begrotingsstaten | budgettaire tabellen | years |
|---|---|---|---|
| V Buitenlandse Zaken | 41 ... 47 | 1 ... 7 | 2014-2017 (before: other articles 1 ... 11) |
| VII Binnenlandse Zaken | 61, 62, 66, 67 / 71 ... 74 | 1, 2, 6, 7 / 11 ... 14 | 2013-2017 |
| IXA Nationale Schuld | 1, 2 | 11, 12 | 2013-2017 |
| IXB Financiën | 21 (Centraal Apparaat) | 8 | 2013-2015, 2017 (2016 uses 8) |
| XVII Buitenlandse Handel/OS | 41 ... 45 | 1 ... 5 | 2014-2017 (2013: other articles 1 ... 8) |
| XVIII Wonen en Rijksdienst | 11, 12, 13, 16 | 1, 2, 3, 6 | 2013-2017 |
| all others | n | n | |

Two blocks of the 2015 file carry another hoofdstuk's code: BZK's articles (61 ... 74,
"Openbaar bestuur en democratie" ...) under VI, and the articles of De Koning (I) a second
time under J (Deltafonds). Their names say which hoofdstuk they belong to; they are read
under that hoofdstuk and every such row is reported.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from geldstroom.loaders.opendata.csv_files import data_name, read_csv, thousands_comma_euros
from geldstroom.model import (
    BudgetLine,
    Comparison,
    Conflict,
    LineLevel,
    OpenData,
    OpenDataset,
    Reconciliation,
    RepeatedRow,
    RowIssue,
    Side,
    SourceReport,
    SourceRow,
    Stage,
    StatedTotal,
)

DATASET = OpenDataset.BEGROTINGSSTATEN
COLUMNS = {0: "Begrotingsjaar", 1: "Uitgaven (U)", 2: "Begrotingsstaat", 4: "Onderdeel",
           6: "ontwerpbegroting", 7: "vastgestelde begroting", 8: "1ste suppletoire",
           9: "2de suppletoire", 10: "Realisatie"}
STAGES = {6: Stage.ONTWERPBEGROTING, 7: Stage.VASTGESTELDE_BEGROTING,
          8: Stage.EERSTE_SUPPLETOIRE, 9: Stage.TWEEDE_SUPPLETOIRE, 10: Stage.REALISATIE}

# begrotingsstaat onderdeel -> begroting article number, per hoofdstuk (see the table above)
RENUMBER: dict[str, dict[str, str]] = {
    "V": {f"4{n}": str(n) for n in range(1, 8)},
    "VII": {"61": "1", "62": "2", "66": "6", "67": "7",
            "71": "11", "72": "12", "73": "13", "74": "14"},
    "IXA": {"1": "11", "2": "12"},
    "IXB": {"21": "8"},
    "XVII": {f"4{n}": str(n) for n in range(1, 6)},
    "XVIII": {"11": "1", "12": "2", "13": "3", "16": "6"},
}
# (year, hoofdstuk in the file, onderdelen) -> the hoofdstuk the article names belong to
WRONG_HOOFDSTUK: dict[tuple[int, str], tuple[str, frozenset[str]]] = {
    (2015, "VI"): ("VII", frozenset({"61", "62", "66", "67", "71", "72", "73", "74"})),
    (2015, "J"): ("I", frozenset({"1", "2", "3"})),
}

# The stages both datasets state: an OWB's t column and its t-2 column.
COMPARABLE = frozenset({Stage.ONTWERPBEGROTING, Stage.REALISATIE})

# Before 2014, V and XVII had another set of articles, numbered 1 ... 11 and 1 ... 8: the
# same numbers as some of today's, other articles. The 2014 file lists V's old ones beside
# the new 41 ... 47 (all zero). They are kept under their own name, never matched.
OLD_STRUCTURE = {("V", 2013), ("V", 2014), ("XVII", 2013)}
OLD_SUFFIX = " (oude indeling)"

SKIP_EMPTY = "empty row"
SKIP_NO_KEY = "no year, hoofdstuk, onderdeel or U/V/O"
SKIP_BAD_SIDE = "the U/V/O cell is not U, V or O"
FOUND_UNREADABLE = "an amount cell is not a number (that stage not read)"
FOUND_NOT_YET = "stage not in the file yet (empty cell)"
FOUND_WRONG_HOOFDSTUK = "the file's hoofdstuk code is not the one the article names belong to"
FOUND_OLD_STRUCTURE = "an article of the structure before 2014: no counterpart in the tabellen"


def begroting_article(year: int, staat: str, onderdeel: str) -> tuple[str, str, bool]:
    """(hoofdstuk, article as the begroting numbers it, whether the file's hoofdstuk code
    was another) for an onderdeel of a begrotingsstaat."""
    wrong = WRONG_HOOFDSTUK.get((year, staat))
    moved = wrong is not None and onderdeel in wrong[1]
    hoofdstuk = wrong[0] if wrong is not None and moved else staat
    if (hoofdstuk, year) in OLD_STRUCTURE and onderdeel.isdigit() and int(onderdeel) < 41:
        return hoofdstuk, onderdeel + OLD_SUFFIX, moved
    return hoofdstuk, RENUMBER.get(hoofdstuk, {}).get(onderdeel, onderdeel), moved


def load_begrotingsstaten(path: Path) -> OpenData:
    """Each article's stated totals per year and stage, with the begroting's numbering."""
    name = data_name(path)
    skipped: list[RowIssue] = []
    findings: list[RowIssue] = []
    totals: list[StatedTotal] = []
    repeated: list[RepeatedRow] = []
    conflicts: list[Conflict] = []
    first: dict[tuple[BudgetLine, int, Stage], StatedTotal] = {}
    first_row: dict[tuple[BudgetLine, int], SourceRow] = {}
    rows_read = 0
    for number, raw in read_csv(path, COLUMNS):
        rows_read += 1
        source = SourceRow(dataset=DATASET, file=name, line=number)
        cells = raw + [""] * (11 - len(raw))
        if not any(c.strip() for c in cells):
            skipped.append(RowIssue(source=source, reason=SKIP_EMPTY))
            continue
        year_text, side, staat, onderdeel = (cells[i].strip() for i in (0, 1, 2, 4))
        if not (year_text.isdigit() and staat and onderdeel and side):
            skipped.append(RowIssue(source=source, reason=SKIP_NO_KEY))
            continue
        if side.upper() not in ("U", "V", "O"):
            skipped.append(RowIssue(source=source, reason=SKIP_BAD_SIDE))
            continue
        year = int(year_text)
        hoofdstuk, artikel, moved = begroting_article(year, staat, onderdeel)
        if moved:
            findings.append(RowIssue(source=source, reason=FOUND_WRONG_HOOFDSTUK))
        if artikel.endswith(OLD_SUFFIX):
            findings.append(RowIssue(source=source, reason=FOUND_OLD_STRUCTURE))
        line = BudgetLine(hoofdstuk=hoofdstuk, artikel=artikel, side=Side(side.upper()))
        new_in_row: list[StatedTotal] = []
        for index, stage in STAGES.items():
            try:
                amount = thousands_comma_euros(cells[index])
            except ValueError:
                findings.append(RowIssue(source=source, reason=FOUND_UNREADABLE))
                continue
            if amount is None:
                findings.append(RowIssue(source=source, reason=FOUND_NOT_YET))
                continue
            total = StatedTotal(line=line, year=year, stage=stage, euros=amount[0],
                                source=source, rounded=amount[1])
            earlier = first.get((line, year, stage))
            if earlier is None:
                first[(line, year, stage)] = total
                new_in_row.append(total)
            elif earlier.euros != total.euros:
                conflicts.append(Conflict(subject=f"{hoofdstuk} artikel {artikel} {side}",
                                          year=year, stage=stage, first_euros=earlier.euros,
                                          first=earlier.source, second_euros=total.euros,
                                          second=source))
                new_in_row.append(total)
        if not new_in_row and (line, year) in first_row:
            repeated.append(RepeatedRow(source=source, repeats=first_row[(line, year)]))
        first_row.setdefault((line, year), source)
        totals += new_in_row
    report = SourceReport(dataset=DATASET, files=(name,), rows_read=rows_read,
                          skipped=tuple(skipped), findings=tuple(findings),
                          repeated=tuple(repeated), conflicts=tuple(conflicts))
    return OpenData(totals=tuple(totals), reports=(report,))


def tabellen_article_amounts(
    tabellen: OpenData,
) -> dict[tuple[str, str, Side, int, Stage], list[tuple[int, SourceRow, bool]]]:
    """Each article's amount per year and stage in the budgettaire tabellen, per file: the
    article's own row (stated total, or money where it has no rows below it), else the sum
    of the article's money rows (marked computed)."""
    own: dict[tuple[str, str, Side, int, Stage], list[tuple[int, SourceRow, bool]]] = \
        defaultdict(list)
    files_with_own: set[tuple[str, str, str, Side, int]] = set()
    for item in (*tabellen.totals, *tabellen.figures):
        line = item.line
        if line.level is LineLevel.ARTIKEL:
            own[(line.hoofdstuk, line.artikel, line.side, item.year, item.stage)].append(
                (item.euros, item.source, False))
            files_with_own.add((item.source.file, line.hoofdstuk, line.artikel, line.side,
                                item.year))
    summed: dict[tuple[str, str, str, Side, int, Stage], tuple[int, SourceRow]] = {}
    for figure in tabellen.figures:
        line = figure.line
        if (figure.source.file, line.hoofdstuk, line.artikel, line.side,
                figure.year) in files_with_own:
            continue
        key = (figure.source.file, line.hoofdstuk, line.artikel, line.side, figure.year,
               figure.stage)
        euros, source = summed.get(key, (0, figure.source))
        summed[key] = (euros + figure.euros, min(source, figure.source, key=lambda s: s.line))
    for (_file, h, a, side, year, stage), (euros, source) in summed.items():
        own[(h, a, side, year, stage)].append((euros, source, True))
    return own


def publications(tabellen: OpenData) -> dict[str, int]:
    """The OWB year of each budgettaire tabellen file: the year of its ontwerpbegroting (t)."""
    years: dict[str, int] = {}
    for item in (*tabellen.totals, *tabellen.figures):
        if item.stage is Stage.ONTWERPBEGROTING:
            years.setdefault(item.source.file, item.year)
    return years


def publication_for(year: int, stage: Stage) -> int:
    """The OWB whose tabellen give a begrotingsstaat's figure: OWB N's t is the
    ontwerpbegroting N, OWB N+2's t-2 the realisatie N."""
    return year if stage is Stage.ONTWERPBEGROTING else year + 2


def reconcile(staten: OpenData, tabellen: OpenData) -> Reconciliation:
    """Every begrotingsstaat article figure of a comparable stage against the budgettaire
    tabellen's figure for the same hoofdstuk, article, V/U/O, year and stage, from the one
    publication that gives it: the ontwerpbegroting N from OWB N (its t), the realisatie N
    from OWB N+2 (its t-2). Where several rows of that publication could be the figure and
    give other amounts, nothing is compared and the rows are listed. The OWB's t-1 column
    matches none of the begrotingsstaten's vastgestelde, 1st or 2nd suppletoire begroting for
    most articles (docs/decisions.md), so those stages are not compared."""
    amounts = tabellen_article_amounts(tabellen)
    owb_of = publications(tabellen)
    comparisons: list[Comparison] = []
    for total in staten.totals:
        if total.stage not in COMPARABLE:
            continue
        line = total.line
        base = Comparison(hoofdstuk=line.hoofdstuk, artikel=line.artikel, side=line.side,
                          year=total.year, stage=total.stage, staten_euros=total.euros,
                          staten=total.source)
        wanted = publication_for(total.year, total.stage)
        found = sorted((f for f in amounts.get(
            (line.hoofdstuk, line.artikel, line.side, total.year, total.stage), [])
            if owb_of.get(f[1].file) == wanted), key=lambda f: (f[1].file, f[1].line))
        if not found:
            comparisons.append(base)
        elif len({euros for euros, _, _ in found}) > 1:
            comparisons.append(base.model_copy(update={
                "candidates": tuple(source for _, source, _ in found),
                "candidate_euros": tuple(euros for euros, _, _ in found)}))
        else:
            euros, source, computed = found[0]
            comparisons.append(base.model_copy(update={
                "tabellen_euros": euros, "tabellen": source, "tabellen_computed": computed}))
    return Reconciliation(comparisons=tuple(comparisons))
