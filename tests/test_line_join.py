"""Which lines of the Begroting 2024's artikel 7 the budgettaire tabellen 2015-2017 hold too.

Artikel 7 of hoofdstuk VII was "Arbeidszaken overheid" in the OWB files (2013-2021) and is
"Werkgevers- en bedrijfsvoeringsbeleid" in Begroting 2024 (2022-2028). Checked by hand:
owb_2015 line 991 'Subsidies,Diverse subsidies,,2634,...'; begroting line 171 'Diverse
subsidies'; owb_2015 line 993 'Subsidies,Subsidies Overlegstelsel'; begroting line 189
'Overlegstelsel'.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.instruments import instrument_key
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.loaders.line_join import join_lines
from geldstroom.loaders.opendata.corpus import OpenCorpus
from geldstroom.model import LineJoin


@pytest.fixture(scope="module")
def joins(open_corpus: OpenCorpus) -> dict[tuple[str, str], LineJoin]:
    found = join_lines(load_corpus(bundled_documents()).tables, open_corpus.tabellen.figures)
    assert len({(j.instrument, j.line) for j in found}) == len(found)
    return {(j.instrument, j.line): j for j in found}


def test_diverse_subsidies_is_one_line_from_2013_to_2028(
        joins: dict[tuple[str, str], LineJoin]) -> None:
    join = joins[("Subsidies (regelingen)", "Diverse subsidies")]
    assert join.joined
    assert (join.hoofdstuk, join.artikel) == ("VII", "7")
    assert join.document_years == tuple(range(2022, 2029))
    assert join.open_years == tuple(range(2013, 2022))
    assert (join.document_line.line, str(join.open_line)) == (
        171, "budgettaire_tabellen_owb_2015_origineel.csv:991")


def test_lines_named_otherwise_stay_apart_and_are_reported(
        joins: dict[tuple[str, str], LineJoin]) -> None:
    overleg = joins[("Subsidies (regelingen)", "Overlegstelsel")]
    subsidies_overleg = joins[("Subsidies", "Subsidies Overlegstelsel")]
    assert not overleg.joined and not subsidies_overleg.joined
    assert overleg.open_line is None and overleg.document_line.line == 189
    assert subsidies_overleg.document_line is None
    assert str(subsidies_overleg.open_line) == "budgettaire_tabellen_owb_2015_origineel.csv:993"
    assert sum(j.joined for j in joins.values()) == 1
    assert sum(j.open_line is not None and not j.joined for j in joins.values()) == 10
    assert sum(j.document_line is not None and not j.joined for j in joins.values()) == 42


def test_an_instrument_written_three_ways_is_one_instrument(
        joins: dict[tuple[str, str], LineJoin]) -> None:
    """SAIP's line: "Bijdrage aan ZBO's/RWT's" (2017), "Bijdragen aan ZBO's / RWT's" (2016),
    "Bijdragen aan ZBO’s /RWT’s" (2015): one line over 2013-2021."""
    saip = [j for j in joins.values() if j.line.endswith("overzeese gebiedsdelen (SAIP)")]
    assert len(saip) == 1 and saip[0].open_years == tuple(range(2013, 2022))
    pensions = [j for j in joins.values()
                if j.line == "Pensioenen en uitkeringen Politieke ambtsdragers"]
    assert len(pensions) == 1 and pensions[0].open_years == tuple(range(2013, 2022))


@given(st.sampled_from(["Subsidies (regelingen)", "Subsidies", "Bijdrage aan ZBO's/RWT's",
                        "Bijdragen aan ZBO’s /RWT’s", "Opdrachten", "Inkomensoverdracht"]),
       st.sampled_from(["", " ", "  "]), st.booleans())
def test_instrument_key_ignores_case_spacing_and_plural(name: str, pad: str,
                                                        upper: bool) -> None:
    written = pad + (name.upper() if upper else name) + pad
    assert instrument_key(written) == instrument_key(name)


@pytest.mark.parametrize(("one", "other"), [
    ("Inkomensoverdracht", "Inkomensoverdrachten"),
    ("Bijdragen aan ZBO’s /RWT’s", "Bijdrage aan ZBO's/RWT's"),
    ("Bijdragen aan ZBO's / RWT's", "Bijdrage aan ZBO's/RWT's"),
    ("Subsidies (regelingen)", "Subsidies"),
])
def test_instrument_key_joins_the_ways_the_tables_write_one_instrument(one: str,
                                                                       other: str) -> None:
    assert instrument_key(one) == instrument_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("Subsidies", "Opdrachten"), ("Inkomensoverdrachten", "Bijdrage aan ZBO's/RWT's"),
])
def test_instrument_key_keeps_instruments_apart(one: str, other: str) -> None:
    assert instrument_key(one) != instrument_key(other)


def test_validate_says_which_lines_could_not_be_joined() -> None:
    from typer.testing import CliRunner

    from geldstroom.cli.app import app

    result = CliRunner().invoke(app, ["validate"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "1 line joined; not joined: 42 of the documents, 10 of the open data" in result.stdout
    assert "Subsidies Overlegstelsel" in result.stdout
