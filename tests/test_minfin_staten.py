"""Begrotingsstaten and their reconciliation with the budgettaire tabellen: real values from
the bundled files, checked by hand against the published CSVs."""

from __future__ import annotations

from pathlib import Path

import pytest

from geldstroom.loaders.minfin_corpus import OpenCorpus
from geldstroom.loaders.minfin_staten import begroting_article, load_begrotingsstaten
from geldstroom.model import Side, Stage

STATEN = "begrotingsstaten.csv"
HEADER = ("Begrotingsjaar,Uitgaven (U) Verplichtingen (V) Ontvangsten (O),Begrotingsstaat,"
          "Begrotingsstaat omschrijving,Onderdeel,Omschrijving,ontwerpbegroting,"
          "vastgestelde begroting,1ste suppletoire begroting,2de suppletoire begroting,"
          "Realisatie")


def _stated(corpus: OpenCorpus, line: int) -> dict[Stage, int]:
    return {t.stage: t.euros for t in corpus.staten.totals if t.source.line == line}


def test_each_stage_of_an_article(open_corpus: OpenCorpus) -> None:
    # begrotingsstaten.csv line 1218:
    # 2015,U,I,De Koning,1,Uitkering leden Koninklijk Huis,7659,7659,7659,7702,7741
    assert _stated(open_corpus, 1218) == {
        Stage.ONTWERPBEGROTING: 7_659_000, Stage.VASTGESTELDE_BEGROTING: 7_659_000,
        Stage.EERSTE_SUPPLETOIRE: 7_659_000, Stage.TWEEDE_SUPPLETOIRE: 7_702_000,
        Stage.REALISATIE: 7_741_000}


def test_stages_not_yet_in_the_file_are_no_figures(open_corpus: OpenCorpus) -> None:
    # line 1879: 2016,U,VII,Binnenlandse Zaken en Koninkrijksrelaties,67,Arbeidszaken overheid,
    # 32911,,,,
    assert _stated(open_corpus, 1879) == {Stage.ONTWERPBEGROTING: 32_911_000}
    (total,) = (t for t in open_corpus.staten.totals if t.source.line == 1879)
    assert (total.line.hoofdstuk, total.line.artikel) == ("VII", "7")  # onderdeel 67


@pytest.mark.parametrize(("year", "staat", "onderdeel", "expected"), [
    (2016, "VII", "67", ("VII", "7", False)),  # Arbeidszaken overheid
    (2016, "VII", "71", ("VII", "11", False)),  # Centraal apparaat
    (2015, "V", "43", ("V", "3", False)),  # Europese samenwerking
    (2013, "V", "3", ("V", "3 (oude indeling)", False)),  # another article, same number
    (2016, "IXA", "1", ("IXA", "11", False)),  # Financiering staatsschuld
    (2015, "IXB", "21", ("IXB", "8", False)),  # Centraal Apparaat
    (2016, "XVIII", "16", ("XVIII", "6", False)),  # Uitvoering rijksvastgoedbeleid
    (2015, "VI", "61", ("VII", "1", True)),  # BZK's article filed under VI in 2015
    (2015, "VI", "31", ("VI", "31", False)),  # Nationale Politie stays VI
    (2015, "J", "2", ("I", "2", True)),  # De Koning filed under J (Deltafonds) in 2015
    (2016, "J", "2", ("J", "2", False)),  # the Deltafonds itself
])
def test_article_numbers_map_to_the_begroting(
        year: int, staat: str, onderdeel: str, expected: tuple[str, str, bool]) -> None:
    assert begroting_article(year, staat, onderdeel) == expected


def test_a_block_filed_twice_is_read_once(open_corpus: OpenCorpus) -> None:
    # line 1317: 2015,U,J,Deltafonds,1,Uitkering leden Koninklijk Huis,7659,7659,7659,7702,7741
    # is line 1218 (hoofdstuk I) again.
    report = open_corpus.staten.reports[0]
    assert any(r.source.line == 1317 and r.repeats.line == 1218 for r in report.repeated)
    assert not _stated(open_corpus, 1317)
    assert not report.conflicts


def test_arbeidszaken_overheid_reconciles_in_every_year(open_corpus: OpenCorpus) -> None:
    # VII artikel 7, uitgaven: begrotingsstaten (onderdeel 67) against the tabellen:
    #   2013 realisatie 40146 (staten line 264) = OWB 2015 line 1002 t-2 40146
    #   2014 realisatie 35396 (line 888) = OWB 2016 line 700 t-2 "35,396"
    #   2016 ontwerp 32911 (line 1879) = OWB 2016 line 700 t "32,911"
    #   2017 ontwerp 30340 (line 2353) = OWB 2017 line 2622 t "30,340"
    found = {(c.year, c.stage): (c.staten_euros, c.tabellen_euros, c.tabellen.line)
             for c in open_corpus.reconciliation.comparisons
             if (c.hoofdstuk, c.artikel, c.side) == ("VII", "7", Side.UITGAVEN) and c.tabellen}
    assert found[(2013, Stage.REALISATIE)] == (40_146_000, 40_146_000, 1002)
    assert found[(2014, Stage.REALISATIE)] == (35_396_000, 35_396_000, 700)
    assert found[(2016, Stage.ONTWERPBEGROTING)] == (32_911_000, 32_911_000, 700)
    assert found[(2017, Stage.ONTWERPBEGROTING)] == (30_340_000, 30_340_000, 2622)


# Wonen en Rijksdienst (XVIII) in every year and stage both datasets give: its articles
# (verplichtingen, uitgaven and ontvangsten) as the begrotingsstaten number them 11, 12, 13,
# 16 and the tabellen 1, 2, 3, 6.
@pytest.mark.parametrize(("year", "stage", "articles"), [
    (2013, Stage.REALISATIE, 11), (2014, Stage.REALISATIE, 11),
    (2015, Stage.REALISATIE, 12), (2015, Stage.ONTWERPBEGROTING, 11),
    (2016, Stage.ONTWERPBEGROTING, 11), (2017, Stage.ONTWERPBEGROTING, 12),
])
def test_a_whole_hoofdstuk_reconciles(
        open_corpus: OpenCorpus, year: int, stage: Stage, articles: int) -> None:
    group = [c for c in open_corpus.reconciliation.comparisons
             if c.hoofdstuk == "XVIII" and c.year == year and c.stage is stage]
    compared = [c for c in group if c.tabellen_euros is not None]
    assert len(compared) == articles
    assert all(c.agrees for c in compared), [c for c in compared if not c.agrees]


def test_the_reconciliation_reports_what_differs(open_corpus: OpenCorpus) -> None:
    # begrotingsstaten line 2248: 2017,U,IXA,Financiën,1,Financiering staatsschuld,45152957,,,,
    # OWB 2017 line 1015 (IXA artikel 11, U): the article in € mln, 46,911: not repaired.
    differs = next(c for c in open_corpus.reconciliation.differing()
                   if (c.hoofdstuk, c.artikel, c.side, c.year) ==
                   ("IXA", "11", Side.UITGAVEN, 2017))
    assert differs.staten_euros == 45_152_957_000
    assert differs.staten.line == 2248


@pytest.mark.parametrize("side", ["UV", "VO", "UVO", "X"])
def test_a_row_whose_side_is_not_u_v_or_o_is_skipped(tmp_path: Path, side: str) -> None:
    # line 1218 of the bundled file with its U/V/O cell changed
    staten = tmp_path / STATEN
    staten.write_text(f"{HEADER}\n2015,{side},I,De Koning,1,Uitkering leden Koninklijk Huis,"
                      "7659,7659,7659,7702,7741\n", encoding="utf-8")
    data = load_begrotingsstaten(staten)
    assert not data.totals
    (report,) = data.reports
    assert [(r.source.line, r.reason) for r in report.skipped] == [
        (2, "the U/V/O cell is not U, V or O")]


def test_a_row_whose_side_is_lower_case_is_read(tmp_path: Path) -> None:
    staten = tmp_path / STATEN
    staten.write_text(f"{HEADER}\n2015,u,I,De Koning,1,Uitkering leden Koninklijk Huis,"
                      "7659,7659,7659,7702,7741\n", encoding="utf-8")
    (total, *_) = load_begrotingsstaten(staten).totals
    assert (total.line.side, total.euros) == (Side.UITGAVEN, 7_659_000)
