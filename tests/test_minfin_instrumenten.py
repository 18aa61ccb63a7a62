"""Financiële instrumenten: the 1 000 real rows of 2016 (tests/data/financiele-instrumenten,
PROVENANCE.md) read beside the bundled open data, and the format's variants between years.
Expected values were counted by hand from the CSV (awk -F';' on the file) and the bundled
budgettaire tabellen."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.errors import InputError
from geldstroom.loaders.opendata.corpus import OpenCorpus, load_open_corpus, read_sources
from geldstroom.loaders.opendata.instrumenten import (
    FOUND_NEGATIVE,
    article_of,
    find_columns,
    is_unnamed,
    load_instrumenten,
    thousands_to_euros,
)
from geldstroom.model import LineMatch, OpenData, OpenDataset, PaymentKind, Stage

DATA = Path(__file__).parent / "data" / "financiele-instrumenten"
MANIFEST = DATA / "sources.toml"
SAMPLE = "financiele_instrumenten_2016_sample.csv"


@pytest.fixture(scope="module")
def corpus() -> OpenCorpus:
    return load_open_corpus(MANIFEST)


def test_a_bundled_manifest_extends_the_bundled_sources() -> None:
    bundled = read_sources()
    extended = read_sources(MANIFEST)
    assert extended[: len(bundled)] == bundled
    assert [s.dataset for s in extended[len(bundled):]] == [
        OpenDataset.FINANCIELE_INSTRUMENTEN]
    assert extended[-1].year == 2016


def test_a_manifest_without_bundled_replaces_them(tmp_path: Path) -> None:
    text = MANIFEST.read_text(encoding="utf-8").replace("bundled = true\n", "")
    (tmp_path / "sources.toml").write_text(text, encoding="utf-8")
    sources = read_sources(tmp_path / "sources.toml")
    assert [s.dataset for s in sources] == [OpenDataset.FINANCIELE_INSTRUMENTEN]


def test_bundled_must_be_true_or_false(tmp_path: Path) -> None:
    text = MANIFEST.read_text(encoding="utf-8").replace("bundled = true", 'bundled = "yes"')
    (tmp_path / "sources.toml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="expected true"):
        read_sources(tmp_path / "sources.toml")


def test_every_row_is_a_payment_of_2016(corpus: OpenCorpus) -> None:
    data = corpus.instrumenten
    report = data.reports[0]
    assert report.rows_read == 1000 and not report.skipped
    assert len(data.payments) == 1000
    assert {p.year for p in data.payments} == {2016}
    assert {p.kind for p in data.payments} == {PaymentKind.FINANCIEEL_INSTRUMENT}
    assert {p.stage for p in data.payments} == {Stage.REALISATIE}
    # The bundled sources are all still read beside it.
    assert corpus.tabellen.figures and corpus.subsidies.payments


def test_the_first_row(corpus: OpenCorpus) -> None:
    # line 2: 2016;A;Infrastructuurfonds;14;...;Bijdrage aan medeoverheden;;Realisatie reg/lok;
    #         METROPOOLREGIO ROTTERDAM DEN HAAG;9039
    first = corpus.instrumenten.payments[0]
    assert (first.source.file, first.source.line) == (SAMPLE, 2)
    assert first.recipient == "METROPOOLREGIO ROTTERDAM DEN HAAG"
    assert first.euros == 9_039_000
    assert (first.payer, first.artikel) == ("A", "14")
    assert first.line is not None and first.line.instrument == "Bijdrage aan medeoverheden"
    assert first.line.line == "Realisatie reg/lok" and first.scheme == "Realisatie reg/lok"


def test_one_recipients_sum(corpus: OpenCorpus) -> None:
    # awk: 11 rows to CLINGENDAEL (lines 151 ... 958), 5887 x € 1.000
    rows = [p for p in corpus.instrumenten.payments if p.recipient == "CLINGENDAEL"]
    assert len(rows) == 11
    assert sum(p.euros for p in rows) == 5_887_000
    assert rows[0].source.line == 151 and rows[-1].source.line == 958


def test_one_regelings_sum(corpus: OpenCorpus) -> None:
    # awk: 165 rows of regeling MATRA-programma's, 11238 x € 1.000
    rows = [p for p in corpus.instrumenten.payments if p.scheme == "MATRA-programma's"]
    assert len(rows) == 165
    assert sum(p.euros for p in rows) == 11_238_000


def test_unnamed_recipients_stay_unknown_with_their_line(corpus: OpenCorpus) -> None:
    # 95 X, 12 Overig, 1 KOERSVERSCHILLEN
    unnamed = [p for p in corpus.instrumenten.payments if p.recipient is None]
    assert len(unnamed) == 108
    assert {p.recipient_as_written for p in unnamed} == {"X", "Overig", "KOERSVERSCHILLEN"}
    assert all(p.line is not None and p.line.instrument and p.scheme for p in unnamed)
    assert "108 to no named recipient" in corpus.instrumenten.reports[0].notes[0]


def test_a_negative_amount_is_kept_and_reported(corpus: OpenCorpus) -> None:
    # line 68: ...;Bijzondere uitkering sociaal-economische initiatieven;KOERSVERSCHILLEN;-30
    negative = [p for p in corpus.instrumenten.payments if p.euros < 0]
    assert [(p.source.line, p.euros) for p in negative] == [(68, -30_000)]
    found = [i for i in corpus.instrumenten.reports[0].findings if i.reason == FOUND_NEGATIVE]
    assert [i.source.line for i in found] == [68]


def test_ix_is_the_hoofdstuk_of_the_tabellen_that_has_the_article(corpus: OpenCorpus) -> None:
    # The 2016 file writes IX for Financiën; the tabellen have its articles 1-6 under IXB.
    rows = [p for p in corpus.instrumenten.payments if 90 <= p.source.line <= 107]  # the IX rows
    assert len(rows) == 18
    assert {p.payer for p in rows} == {"IXB"}


def test_a_row_joins_the_tabellen_line_of_the_same_regeling(corpus: OpenCorpus) -> None:
    # line 85: IV artikel 5, Leningen, Schuldsanering, Curacao, 149929; the OWB 2017's line
    # 2525 is IV artikel 5 onderdeel 1, Leningen, Schuldsanering (t-1 = 2016: "149,929").
    curacao = next(p for p in corpus.instrumenten.payments if p.source.line == 85)
    assert curacao.euros == 149_929_000 and curacao.match is LineMatch.LINE
    figures = [f for f in corpus.tabellen.figures if f.line == curacao.line and f.year == 2016]
    assert figures and {f.euros for f in figures} == {149_929_000}
    assert curacao.line is not None and curacao.line.onderdeel == "1"


def test_coverage_per_article_and_year(corpus: OpenCorpus) -> None:
    # V artikel 2, 2016: awk gives 299697 to named recipients and 9293 to X/Overig; the
    # OWB 2017's line 43 (V, artikel 2, U, total) has t-1 = 2016: 301827.
    row = next(c for c in corpus.instrumenten.reports[0].coverage
               if (c.hoofdstuk, c.artikel, c.year) == ("V", "2", 2016))
    assert (row.named_euros, row.unnamed_euros) == (299_697_000, 9_293_000)
    assert row.budget_euros == 301_827_000
    assert row.budget_stage is Stage.VASTGESTELDE_BEGROTING
    assert row.budget_source is not None
    assert (row.budget_source.file, row.budget_source.line) == (
        "budgettaire_tabellen_owb_2017_origineel.csv", 43)


# -- the format's variants ---------------------------------------------------------------

LATER = (
    "Begrotingsjaar,Begrotingshoofdstuk,Begrotingsnaam,RIS/IBOS-nummer,Artikel,"
    "Artikelonderdeel,Instrument,Detail,Regeling,Ontvanger,Bedrag (x1000),KvK-nummer,"
    "Rechtsvorm,ID-nummer,Register-ID-nummer,Plaats\r\n"
    "2021,XIII,Economische Zaken en Klimaat,2021.13.02.00.05.15,Bedrijvenbeleid,Innovatie,"
    "Subsidies,,Regeling X,Stichting Voorbeeld,\"12,5\",123 45678,Stichting,,,Utrecht\r\n"
    "2021,XIII,Economische Zaken en Klimaat,2021.13.02.00.05.15,Bedrijvenbeleid,Innovatie,"
    "Subsidies,,Regeling X,Geanonimiseerde ontvanger(s) van Subsidies,-4,,,,,\r\n"
)


def test_a_later_years_wording_and_separator(tmp_path: Path) -> None:
    path = tmp_path / "fi_2021.csv"
    path.write_text(LATER, encoding="utf-8")
    data = load_instrumenten(path, OpenData(), 2021)
    named, anonymous = data.payments
    assert (named.payer, named.artikel, named.euros) == ("XIII", "2", 12_500)
    assert (named.kvk, named.legal_form, named.place) == ("12345678", "Stichting", "Utrecht")
    assert named.recipient == "Stichting Voorbeeld"
    assert anonymous.recipient is None and anonymous.euros == -4_000
    assert anonymous.kvk is None
    assert anonymous.line is not None and anonymous.line.instrument == "Subsidies"
    assert anonymous.line.line == "Regeling X"


def test_an_unknown_column_is_one_line_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "fi.csv"
    path.write_text(LATER.replace("Plaats", "Postcode"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_instrumenten(path, OpenData())
    message = str(caught.value)
    assert "fi.csv" in message and "column 16" in message and "'Postcode'" in message


def test_a_missing_column_names_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "fi.csv"
    path.write_text(LATER.replace("Ontvanger", "Omschrijving"), encoding="utf-8")
    with pytest.raises(InputError, match="'Omschrijving'"):
        load_instrumenten(path, OpenData())
    header = LATER.split("\r\n")[0]
    cut = ",".join(h for h in header.split(",") if h != "Ontvanger")
    path.write_text(cut + "\r\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column for the recipient"):
        load_instrumenten(path, OpenData())


def _spell(name: str, draw: st.DrawFn) -> str:
    """A header as a later year might write it: case, '_' '-' '/' ' ' between words."""
    out = []
    for char in name:
        if char == "_":
            out.append(draw(st.sampled_from(["_", "-", " ", "/", ""])))
        else:
            out.append(char.upper() if draw(st.booleans()) else char.lower())
    return "".join(out)


@st.composite
def headers(draw: st.DrawFn) -> tuple[list[str], dict[str, int]]:
    names = {"year": "Begrotingsjaar", "hoofdstuk": "Begrotings_hoofdstuk",
             "artikel": "RIS_IBOS_nummer", "instrument": "Instrument", "regeling": "Regeling",
             "recipient": "Ontvanger", "amount": "Bedrag", "kvk": "KvK_nummer",
             "place": "Plaats"}
    fields = draw(st.permutations(list(names)))
    header = [_spell(names[f], draw) for f in fields]
    if draw(st.booleans()):
        index = fields.index("amount")
        header[index] += draw(st.sampled_from([" (x1000)", " x € 1.000", " (x € 1000)"]))
    return header, {f: i for i, f in enumerate(fields)}


@settings(max_examples=60, deadline=None)
@given(headers())
def test_columns_are_found_by_meaning(case: tuple[list[str], dict[str, int]]) -> None:
    header, expected = case
    assert find_columns(header, "f.csv") == expected


def test_amounts_and_articles() -> None:
    assert thousands_to_euros("9039") == (9_039_000, False)
    assert thousands_to_euros("-30") == (-30_000, False)
    assert thousands_to_euros("0,0004") == (0, True)
    assert thousands_to_euros("1.000,5") is None  # thousands separators: not this format
    assert article_of("14") == ("14", None)
    assert article_of("2021.13.02.00.05.15") == ("2", 2021)
    assert article_of("overig") == (None, None)


@given(st.text(alphabet=string.ascii_letters + " ", min_size=3))
def test_only_the_placeholders_are_unnamed(name: str) -> None:
    placeholders = {"x", "overig", "overige", "overigen", "koersverschillen"}
    folded = " ".join(name.split()).casefold()
    expected = not folded or folded in placeholders or folded.startswith(
        "geanonimiseerde ontvanger")
    assert is_unnamed(name) is expected


def test_load_then_summary_shows_the_2016_total_beside_other_years(tmp_path: Path) -> None:
    """What issue 17 asks of a user's manifest: loaded beside the bundled corpus, a sample
    recipient's 2016 total (awk: 11 rows, 5887 x € 1.000) next to its 2015 subsidies."""
    runner = CliRunner()
    db = tmp_path / "fi.lbug"
    loaded = runner.invoke(app, ["load", "--manifest", str(MANIFEST), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    shown = runner.invoke(app, ["summary", "CLINGENDAEL", "--db", str(db), "-f", "json"])
    assert shown.exit_code == 0, shown.output
    answer = json.loads(shown.stdout)
    per_year: dict[int, int] = {}
    for row in answer["unplaced"]:
        per_year[row["year"]] = per_year.get(row["year"], 0) + row["euros"]
    assert per_year[2016] == 5_887_000
    assert 2015 in per_year  # the bundled subsidieoverzicht 2015 names it too
    sources = {e.split(":")[0] for row in answer["unplaced"] for e in row["evidence"]}
    assert sources == {SAMPLE, "subsidiesministeries2015.csv"}
    # read in memory (--manifest) it is the same answer, stated payments and all
    in_memory = runner.invoke(app, ["summary", "CLINGENDAEL", "--manifest", str(MANIFEST),
                                    "-f", "json"])
    assert in_memory.exit_code == 0, in_memory.output
    assert json.loads(in_memory.stdout) == answer


KVK_ROWS = (
    "Begrotingsjaar;Begrotingshoofdstuk;RIS_IBOS_nummer;Instrument;Regeling;Ontvanger;"
    "Bedrag;KvK_nummer;Rechtsvorm;Plaats\n"
    "2022;XIII;2;Subsidies;Regeling X;Stichting Voorbeeld Utrecht;5;41234567;Stichting;"
    "Utrecht\n"
    "2022;XIII;2;Subsidies;Regeling X;VOORBEELD STG;7;41234567;;\n"
    "2022;XIII;2;Subsidies;Regeling X;Dubbelnummer B.V.;1;51234567;;\n"
    "2022;XIII;2;Subsidies;Regeling X;Dubbelnummer B.V.;2;61234567;;\n"
)


def test_a_kvk_number_joins_names_and_two_numbers_for_one_name_are_reported(
        tmp_path: Path) -> None:
    from geldstroom.loaders.actors.open_data_claims import payment_claims
    from geldstroom.loaders.actors.register import ActorRegister

    path = tmp_path / "fi_2022.csv"
    path.write_text(KVK_ROWS, encoding="utf-8")
    data = load_instrumenten(path, OpenData())
    register = ActorRegister.load().with_claims(payment_claims(data.payments))
    one = register.resolve("Stichting Voorbeeld Utrecht")
    assert one is not None and register.resolve("VOORBEELD STG") == one
    actor = register.get(one)
    assert (actor.kvk, actor.legal_form, actor.place) == (("41234567",), "Stichting", "Utrecht")
    explained = dict((c.name, how) for c, how in register.explain(one).claims)
    assert "KvK number 41234567" in explained["VOORBEELD STG"]
    both = register.resolve("Dubbelnummer B.V.")
    assert both is not None and register.get(both).kvk == ("51234567", "61234567")
    assert [a.id for a in register.kvk_conflicts] == [both]


def test_a_joined_lines_payments_against_its_figure(corpus: OpenCorpus) -> None:
    # line 31: B artikel 1, Bijdrage aan (inter-)nationale organisaties, Bijdrage aan KING,
    # COOPERATIE KING, 7464 (the only row of that regeling); the OWB 2016's line 2337 has
    # the same line, t = 2016: "7,464".
    notes = corpus.instrumenten.reports[0].notes
    king = [n for n in notes if "Bijdrage aan KING" in n]
    assert king == [
        "B > artikel 1 > U > Bijdragen aan (inter-)nationale organisaties > Bijdrage aan "
        "KING 2016: payments 7.464.000 euros against the line's ontwerpbegroting 7.464.000 "
        "euros (budgettaire_tabellen_owb_2016_origineel.csv:2337): equal"]
    curacao = [n for n in notes if "Schuldsanering 2016" in n]
    assert curacao and curacao[0].endswith("(budgettaire_tabellen_owb_2017_origineel.csv:2525)"
                                           ": equal")


def test_validate_lists_an_organisation_given_two_kvk_numbers(tmp_path: Path) -> None:
    (tmp_path / "fi_2022.csv").write_text(KVK_ROWS, encoding="utf-8")
    manifest = MANIFEST.read_text(encoding="utf-8").replace(
        "financiele_instrumenten_2016_sample.csv", "fi_2022.csv").replace(
        "year = 2016", "year = 2022")
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    shown = runner_invoke(["validate", "--manifest", str(tmp_path / "sources.toml"),
                           "-f", "json"])
    rows = [r for r in json.loads(shown) if r["finding"] == "kvk numbers differ"]
    assert [(r["subject"], r["line"], r["other"]) for r in rows] == [
        ("Dubbelnummer B.V.", 4, "fi_2022.csv:5")]


def runner_invoke(args: list[str]) -> str:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_kvk_number_legal_form_and_place_are_on_the_actor_in_the_store(
        tmp_path: Path) -> None:
    from geldstroom.graph.store import Store

    (tmp_path / "fi_2022.csv").write_text(KVK_ROWS, encoding="utf-8")
    manifest = MANIFEST.read_text(encoding="utf-8").replace(
        "financiele_instrumenten_2016_sample.csv", "fi_2022.csv").replace(
        "year = 2016", "year = 2022")
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    db = tmp_path / "kvk.lbug"
    runner_invoke(["load", "--manifest", str(tmp_path / "sources.toml"), "--db", str(db)])
    with Store(db) as store:
        rows = store.run("MATCH (a:Actor) WHERE size(a.kvk) > 0 RETURN a.name, a.kvk, "
                         "a.legal_form, a.place ORDER BY a.name").rows
    # the rows as KVK_ROWS gives them: one number for the two spellings of the stichting,
    # two for the B.V. (reported by validate), legal form and place where given
    assert rows == [["Dubbelnummer B.V.", ["51234567", "61234567"], None, None],
                    ["Stichting Voorbeeld Utrecht", ["41234567"], "Stichting", "Utrecht"]]
