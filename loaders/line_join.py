"""Which budget lines of the documents are the open data's lines too.

A begroting's article and the same article in the budgettaire tabellen cover different years
(Begroting 2024: 2022-2028; the OWB 2017 file: 2015-2021). A line is one line across both
when they name it alike (budget_table.normalise: case, quotes, dashes, spacing) under the same
instrument (budget_table.instrument_key: 'Subsidies (regelingen)' is 'Subsidies'). Nothing
looser: 'Overlegstelsel' and 'Subsidies Overlegstelsel' stay two lines, and are reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from geldstroom.loaders.documents.instruments import instrument_key, normalise
from geldstroom.model import BudgetTable, Figure, LineJoin, RowLevel, Side, SourceRow


def line_join_key(hoofdstuk: str, artikel: str, instrument: str,
                  label: str) -> tuple[str, str, str, str]:
    """THE key of a line across the documents and the open data: its article, its
    instrument as instrument_key folds it and its name as normalise folds it. validate
    (join_lines) and the graph (graph/open_data.joined_line_ids) join on it alike."""
    return (hoofdstuk, artikel, instrument_key(instrument), normalise(label))


def join_lines(tables: Sequence[BudgetTable], figures: Iterable[Figure]) -> list[LineJoin]:
    """Every regeling line of the documents' articles that the open data also holds, and
    every open-data line of those articles: joined, or on one side only."""
    articles = {(t.hoofdstuk, t.artikel) for t in tables}
    open_lines: dict[tuple[str, str, str, str], tuple[str, str, SourceRow, set[int]]] = {}
    for figure in figures:
        line = figure.line
        if ((line.hoofdstuk, line.artikel) not in articles or line.side is not Side.UITGAVEN
                or not line.instrument or not line.line):
            continue
        key = line_join_key(line.hoofdstuk, line.artikel, line.instrument, line.line)
        found = open_lines.setdefault(key, (line.instrument, line.line, figure.source, set()))
        found[3].add(figure.year)
    documents: dict[tuple[str, str, str, str], tuple[str, str, LineJoin]] = {}
    document_years: dict[tuple[str, str, str, str], set[int]] = defaultdict(set)
    for table in tables:
        if not any(key[:2] == (table.hoofdstuk, table.artikel) for key in open_lines):
            continue
        for row in table.rows():
            if row.level is not RowLevel.REGELING or len(row.path) < 2:
                continue
            instrument = row.path[-2]
            key = line_join_key(table.hoofdstuk, table.artikel, instrument, row.label)
            document_years[key].update(a.year for a in row.amounts)
            documents.setdefault(key, (instrument, row.label, LineJoin(
                hoofdstuk=table.hoofdstuk, artikel=table.artikel, instrument=instrument,
                line=row.label, document_line=row.provenance)))
    joins = []
    for key in sorted(set(documents) | set(open_lines)):
        if key in documents:
            join = documents[key][2].model_copy(
                update={"document_years": tuple(sorted(document_years[key]))})
        else:
            instrument, label, _, _ = open_lines[key]
            join = LineJoin(hoofdstuk=key[0], artikel=key[1], instrument=instrument,
                            line=label)
        if key in open_lines:
            _, _, source, years = open_lines[key]
            join = join.model_copy(update={"open_line": source,
                                           "open_years": tuple(sorted(years))})
        joins.append(join)
    return joins
