"""Budgettaire tabellen: real values from the three bundled files, checked by hand against the
published CSVs (the quoted line is the file's own text)."""

from __future__ import annotations

from geldstroom.loaders.opendata.corpus import OpenCorpus
from geldstroom.model import BudgetLine, Figure, RowLevel, Side, SourceReport, Stage, StatedTotal

OWB_2015 = "budgettaire_tabellen_owb_2015_origineel.csv"
OWB_2016 = "budgettaire_tabellen_owb_2016_origineel.csv"
OWB_2017 = "budgettaire_tabellen_owb_2017_origineel.csv"


def _figures(corpus: OpenCorpus, file: str, line: int) -> dict[int, Figure]:
    return {f.year: f for f in corpus.tabellen.figures
            if f.source.file == file and f.source.line == line}


def _totals(corpus: OpenCorpus, file: str, line: int) -> dict[int, StatedTotal]:
    return {t.year: t for t in corpus.tabellen.totals
            if t.source.file == file and t.source.line == line}


def _report(corpus: OpenCorpus, file: str) -> SourceReport:
    return next(r for r in corpus.tabellen.reports if r.files == (file,))


def test_thousands_comma_row_of_2017(open_corpus: OpenCorpus) -> None:
    # OWB 2017 line 5: 2017,III,M. Rutte,Algemene Zaken,...,U,N,,,,Coördinatie van het
    # algemeen communicatie- en regeringsbeleid,,"1,652","2,160","4,271","4,287","4,288",
    # "4,294","4,957",
    found = _figures(open_corpus, OWB_2017, 5)
    assert {y: f.euros for y, f in found.items()} == {
        2015: 1_652_000, 2016: 2_160_000, 2017: 4_271_000, 2018: 4_287_000,
        2019: 4_288_000, 2020: 4_294_000, 2021: 4_957_000}
    assert [found[y].stage for y in (2015, 2016, 2017, 2018)] == [
        Stage.REALISATIE, Stage.VASTGESTELDE_BEGROTING, Stage.ONTWERPBEGROTING, Stage.RAMING]
    assert found[2017].line == BudgetLine(
        hoofdstuk="III", artikel="1", side=Side.UITGAVEN,
        line="Coördinatie van het algemeen communicatie- en regeringsbeleid")


def test_decimals_of_2015_are_rounded_to_whole_euros_and_marked(open_corpus: OpenCorpus) -> None:
    # OWB 2015 line 2: 2015,A,...,Infrastructuurfonds,F,OWB,12,95.0%,Hoofdwegennet,...,U,N,,
    # Apparaatskosten RWS,,,,381576,355572.7449,338632.9695,...
    found = _figures(open_corpus, OWB_2015, 2)
    assert (found[2013].euros, found[2013].rounded) == (381_576_000, False)
    assert (found[2014].euros, found[2014].rounded) == (355_572_745, True)  # 355.572.744,9
    assert (found[2015].euros, found[2015].rounded) == (338_632_970, True)  # 338.632.969,5
    assert found[2015].line.onderdeel == "Apparaatskosten RWS"


def test_j_rows_are_stated_totals_checked_never_money(open_corpus: OpenCorpus) -> None:
    # OWB 2017 line 712: ...,14,,Cultuur,...,U,J,,,Subsidies,,,"37,155","61,506",...
    # and lines 713-719 its seven Subsidies lines: 8.519 + 6.471 + 2.900 + 1.609 + 0 +
    # 1.575 + 16.081 = 37.155 (realisatie 2015).
    assert not _figures(open_corpus, OWB_2017, 712)
    total = _totals(open_corpus, OWB_2017, 712)[2015]
    assert total.euros == 37_155_000
    parts = [f for line in range(713, 720) for f in _figures(open_corpus, OWB_2017, line)
             .values() if f.year == 2015]
    assert sum(p.euros for p in parts) == 37_155_000
    mismatched = {m.line for m in _report(open_corpus, OWB_2017).mismatches}
    assert 712 not in mismatched


def test_n_row_with_rows_below_it_is_a_total_not_counted_twice(open_corpus: OpenCorpus) -> None:
    # OWB 2015 line 986: ...,7,...,Arbeidszaken overheid,...,U,N,1,Overheid als werkgever,
    # Opdrachten,,,4200,5870,... and below it lines 987-989 (Arbeidsmarktbeleid 3338,
    # Programma Veilige Publieke Taak 102, Zorg voor politieke ambtsdragers 760 = 4200).
    assert not _figures(open_corpus, OWB_2015, 986)
    assert _totals(open_corpus, OWB_2015, 986)[2013].euros == 4_200_000
    assert sum(_figures(open_corpus, OWB_2015, n)[2013].euros for n in (987, 988, 989)) \
        == 4_200_000
    reasons = {(i.source.line, i.reason) for i in _report(open_corpus, OWB_2015).findings}
    assert any(line == 986 and "marked N" in reason for line, reason in reasons)


def test_a_total_that_does_not_add_up_is_reported_with_file_and_line(
        open_corpus: OpenCorpus) -> None:
    # OWB 2017 lines 4-8, artikel 1 of III, 2015:
    #   4  U,J ... "56,962"                       the article's stated total
    #   5  U,N ... Coördinatie ...  "1,652"       money
    #   6  U,N ... Bijdrage aan de lange termijn beleidsontwikkeling 583
    #   7  U,J ... Apparaat "30,004"              marked J: a total, so never money
    #   8  U,N ... Dienst Publiek en Communicatie "24,723"
    # The money rows give 26.958; the published total counts the Apparaat row as well.
    mismatch = next(m for m in _report(open_corpus, OWB_2017).mismatches
                    if m.line == 4 and m.year == 2015)
    assert mismatch.document == OWB_2017
    assert mismatch.level is RowLevel.UITGAVEN
    assert (mismatch.expected, mismatch.found) == (56_962_000, 26_958_000)
    assert any(i.source.line == 7 and "no money rows below it" in i.reason
               for i in _report(open_corpus, OWB_2017).findings)


def test_the_2016_file_repeats_its_tables_and_each_repeat_is_reported_once(
        open_corpus: OpenCorpus) -> None:
    report = _report(open_corpus, OWB_2016)
    # Line 2401 (2016,I,M. Rutte,De Koning,...,1,...,V,J,...,7592,7702,7804,...) repeats line 2.
    assert any(r.source.line == 2401 and r.repeats.line == 2 for r in report.repeated)
    assert len({r.source.line for r in report.repeated}) == len(report.repeated)
    # Read once: no line of the second pass adds a figure that the first pass has.
    assert not _figures(open_corpus, OWB_2016, 2401)
    # Lines 5614-6025 say Begrotingsjaar 2015 in the OWB 2016 file: skipped, counted.
    assert report.skipped_by_reason()["Begrotingsjaar 2015 in the OWB 2016 file"] == 412
    # ... and all but one of them give the amounts of a row the file has for 2016.
    assert report.notes == ("of the 412 rows skipped for another Begrotingsjaar, 411 give the "
                            "hoofdstuk, artikel, V/U/O and seven amounts of a row read from "
                            "this file",)


def test_a_second_version_with_other_amounts_is_a_conflict_not_settled(
        open_corpus: OpenCorpus) -> None:
    # Line 3651: 2016,IXB,...,Belastingen,...,O,J,,,,Belastingontvangsten,,"114,549,910",...
    # Line 5455: 2016,IXB,...,Financien en Nationale Schuld,...,O,N,,,,Belastingontvangsten,,
    # "115,402,186","114,525,846",...
    conflict = next(c for c in _report(open_corpus, OWB_2016).conflicts
                    if c.first.line == 3651 and c.year == 2014)
    assert (conflict.first_euros, conflict.second_euros) == (114_549_910_000, 115_402_186_000)
    assert conflict.second.line == 5455
    assert {t.euros for t in _totals(open_corpus, OWB_2016, 3651).values() if t.year == 2014} \
        == {114_549_910_000}
    assert _figures(open_corpus, OWB_2016, 5455)[2014].euros == 115_402_186_000


def test_spreadsheet_errors_in_labels_are_reported(open_corpus: OpenCorpus) -> None:
    # Line 1201: 2016,X,...,Defensie,...,1,...,Inzet,...,U,N,,,Opdrachten,Err:509,,1939,3126,...
    report = _report(open_corpus, OWB_2016)
    assert any(i.source.line == 1201 and "spreadsheet error" in i.reason
               for i in report.findings)
    figure = _figures(open_corpus, OWB_2016, 1201)[2014]
    assert (figure.euros, figure.line.instrument, figure.line.line) == (1_939_000, "Opdrachten",
                                                                       None)


def test_nothing_is_dropped_in_silence(open_corpus: OpenCorpus) -> None:
    for report in open_corpus.tabellen.reports:
        read = {f.source.line for f in open_corpus.tabellen.figures
                if f.source.file == report.files[0]}
        read |= {t.source.line for t in open_corpus.tabellen.totals
                 if t.source.file == report.files[0]}
        accounted = read | {s.source.line for s in report.skipped} | {
            r.source.line for r in report.repeated} | {
            i.source.line for i in report.findings if "waarvan" in i.reason}
        assert accounted == set(range(2, report.rows_read + 2)), report.files
