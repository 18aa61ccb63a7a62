"""Subsidies, bijdragen aan medeoverheden and agentschappen: payments to named recipients,
real values from the bundled files checked by hand against the published CSVs."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from geldstroom.loaders.opendata.corpus import OpenCorpus, bundled_sources_manifest
from geldstroom.loaders.opendata.subsidies import load_subsidies
from geldstroom.model import (
    UNNAMED_MINISTRIES,
    LineMatch,
    OpenData,
    Payment,
    PaymentKind,
    RowLevel,
    Stage,
)


def _payments(data: OpenData, line: int) -> list[Payment]:
    return [p for p in data.payments if p.source.line == line]


def test_subsidy_through_its_budget_line(open_corpus: OpenCorpus) -> None:
    # subsidiesministeries2015.csv line 3: Ministerie van Binnenlandse Zaken en
    # Koninkrijksrelaties en Wonen en Rijksdienst,Overige niet onder regeling vallend,ACOM,7.1,
    # 5000,2015 -- only VII has an artikel 7, and its onderdeel 1 has one Subsidies instrument.
    (payment,) = _payments(open_corpus.subsidies, 3)
    assert (payment.payer, payment.recipient, payment.euros, payment.year) == (
        "VII", "ACOM", 5_000, 2015)
    assert payment.match is LineMatch.LINE
    assert payment.line is not None
    assert (payment.line.artikel, payment.line.onderdeel, payment.line.instrument) == (
        "7", "1", "Subsidies")
    assert payment.stage is Stage.REALISATIE


def test_subsidy_tied_to_the_article_when_the_line_cannot_be_told(
        open_corpus: OpenCorpus) -> None:
    # line 21123: "Ministerie van Volksgezondheid, Welzijn en Sport",Subsidieregeling
    # Stageplaatsen Zorg, Kenter Jeugdhulp,4,23838,2015 -- artikel 4 has Subsidies on more
    # than one onderdeel and Beleid gives none.
    (payment,) = _payments(open_corpus.subsidies, 21123)
    assert (payment.payer, payment.artikel, payment.line, payment.match) == (
        "XVI", "4", None, LineMatch.ARTIKEL)
    assert (payment.recipient, payment.euros) == ("Kenter Jeugdhulp", 23_838)
    report = open_corpus.subsidies.reports[0]
    assert any(i.source.line == 21123 and "tied to the article" in i.reason
               for i in report.findings)


def test_subsidy_cents_and_a_recipient_over_three_lines(open_corpus: OpenCorpus) -> None:
    # line 202: Ministerie van Buitenlandse Zaken,Subsidieregeling BZ 2006,ANNE FRANK STICHTING,
    # 1,135729.5,2015 -- V and XVII both have an artikel 1: the file does not say which.
    (payment,) = _payments(open_corpus.subsidies, 202)
    assert (payment.euros, payment.rounded, payment.match) == (135_730, True, LineMatch.NONE)
    assert payment.payer == "Ministerie van Buitenlandse Zaken"
    # lines 2412-2414: the recipient's quoted name runs over three lines; cited at its start.
    (tno,) = _payments(open_corpus.subsidies, 2412)
    assert tno.recipient == ("Nederlandse Organisatie voor Toegepast Natuurwetenschappelijk "
                             "Onderzoek, TNO Gezond Leven")
    assert tno.euros == 56_592  # 56592.32


def test_unnamed_recipients_stay_unnamed(open_corpus: OpenCorpus) -> None:
    unnamed = [p for p in open_corpus.subsidies.payments if p.recipient is None]
    assert {p.recipient_as_written for p in unnamed} >= {
        "X", "Organisatie in provincie Gelderland"}
    # One row writes the placeholder in lower case, "x"; it is no name either.
    assert all(p.recipient_as_written in ("X", "x") or p.recipient_as_written.startswith(
        "Organisatie in provincie") for p in unnamed)


def test_subsidy_coverage_of_cultuur(open_corpus: OpenCorpus) -> None:
    # The 146 OCW rows with Beleid 14 add up to 37.155.000 euros; the OWB 2017's Subsidies
    # lines of VIII artikel 14 (lines 713-719) realised 37.155 x € 1.000 in 2015.
    row = next(c for c in open_corpus.subsidies.reports[0].coverage
               if (c.hoofdstuk, c.artikel) == ("VIII", "14"))
    assert (row.named_euros, row.unnamed_euros, row.budget_euros) == (37_155_000, 0,
                                                                      37_155_000)


def test_subsidy_coverage_is_for_the_year_of_the_rows(
        open_corpus: OpenCorpus, tmp_path: Path) -> None:
    """Coverage was always reported for 2015, against the realisatie 2015, whatever the rows'
    Jaar. The same rows said to be of 2014 are set against the realisatie 2014: OWB 2016
    (t-2) lines 1059-1066, VIII artikel 14's Subsidies, 7,670 + 6,715 + 17,963 + 2,900 +
    2,940 + 2,016 + 1,475 + 16,448 = 58,127 x € 1.000 (the J row 1058 states 58,127)."""
    bundled = bundled_sources_manifest().parent / "subsidies-2015" / \
        "subsidiesministeries2015.csv.gz"
    with gzip.open(bundled, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert {r[5] for r in rows[1:]} == {"2015"}
    copy = tmp_path / "subsidiesministeries2014.csv"
    with copy.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], *([*r[:5], "2014"] for r in rows[1:])])
    report = load_subsidies(copy, open_corpus.tabellen).reports[0]
    assert {c.year for c in report.coverage} == {2014}
    row = next(c for c in report.coverage if (c.hoofdstuk, c.artikel) == ("VIII", "14"))
    assert (row.named_euros, row.budget_euros) == (37_155_000, 58_127_000)
    assert row.budget_source is not None
    assert (row.budget_source.file, row.budget_source.line) == (
        "budgettaire_tabellen_owb_2016_origineel.csv", 1059)


def test_a_row_without_an_amount_is_skipped_and_said(open_corpus: OpenCorpus) -> None:
    # line 20117: "Ministerie van Onderwijs, Cultuur en Wetenschap",Regeling
    # Onderwijsvoorzieningen jonggehandicapten,Uwv Amsterdam,1,,2015
    report = open_corpus.subsidies.reports[0]
    assert [(s.source.line, s.reason) for s in report.skipped] == [
        (20117, "no amount, or not a number")]
    assert report.rows_read == 25_163
    assert len(open_corpus.subsidies.payments) == 25_162


def test_medeoverheden_in_thousands(open_corpus: OpenCorpus) -> None:
    # bijdragen_aan_medeoverheden.csv line 2: "2014","B","Gemeentefonds","1","Gemeentefonds",
    # "Bijdrage aan medeoverheden","Algemene uitkering c.a. en aanvullende uitkering",
    # "Gemeenten","15615031,00"
    (fund,) = _payments(open_corpus.medeoverheden, 2)
    assert (fund.payer, fund.recipient, fund.euros, fund.year) == (
        "B", "Gemeenten", 15_615_031_000, 2014)
    assert fund.kind is PaymentKind.BIJDRAGE_MEDEOVERHEID
    # line 36: ...,"Onderwijs Achterstands Beleid","Gemeente Amsterdam","56863,00"
    (amsterdam,) = _payments(open_corpus.medeoverheden, 36)
    assert (amsterdam.payer, amsterdam.artikel, amsterdam.euros) == ("VIII", "1", 56_863_000)
    # line 628: ...,"Gemeente Dordrecht","2100,04": x € 1.000, so exactly € 2.100.040
    (dordrecht,) = _payments(open_corpus.medeoverheden, 628)
    assert (dordrecht.euros, dordrecht.rounded) == (2_100_040, False)


def test_medeoverheden_unit_is_checked_against_the_numbers(open_corpus: OpenCorpus) -> None:
    # C Provinciefonds 2014: the file's rows sum to 1.295.743 x € 1.000; begrotingsstaten.csv
    # line 672: 2014,U,C,Provinciefonds,1,Provinciefonds,...,1295743 (realisatie).
    notes = open_corpus.medeoverheden.reports[0].notes
    assert any(n.startswith("C artikel 1 2014") and "1.295.743.000" in n and "ratio 1.000" in n
               for n in notes)


def test_agency_turnover_from_its_own_and_unnamed_ministries(open_corpus: OpenCorpus) -> None:
    # agentschappen.csv line 2: "Algemene Zaken","III, Algemene Zaken","III",...,
    # "Dienst Publiek en Communicatie","DPC","2009",... Omzet moeder departement "7391",
    # Omzet overige departementen "49318"
    by_kind = {p.kind: p for p in _payments(open_corpus.agentschappen, 2)}
    own = by_kind[PaymentKind.AGENTSCHAP_MOEDER]
    other = by_kind[PaymentKind.AGENTSCHAP_OVERIGE]
    assert (own.payer, own.recipient, own.year, own.euros) == (
        "III", "Dienst Publiek en Communicatie", 2009, 7_391_000)
    assert (other.payer, other.euros) == (UNNAMED_MINISTRIES, 49_318_000)
    # line 3: CBI 2009, Omzet moeder departement "17040,686": decimal comma, x € 1.000
    cbi = {p.kind: p for p in _payments(open_corpus.agentschappen, 3)}
    assert cbi[PaymentKind.AGENTSCHAP_MOEDER].euros == 17_040_686


def test_agency_totals_that_do_not_add_up(open_corpus: OpenCorpus) -> None:
    # line 182: Rijksgebouwendienst 2013: Apparaats-uitgaven "68531" while Personele kosten
    # and Materiële kosten are both "0".
    found = {(m.line, m.label): (m.expected, m.found)
             for m in open_corpus.agentschappen.reports[0].mismatches}
    assert found[(182, "Rijksgebouwendienst: Apparaats-uitgaven")] == (68_531_000, 0)
    assert all(m.level is RowLevel.TOTAAL
               for m in open_corpus.agentschappen.reports[0].mismatches)
