"""Property tests: the number formats of the open data, and repeated rows in a budgettaire
tabellen file."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geldstroom.errors import InputError
from geldstroom.loaders.opendata.csv_files import (
    decimal_comma_euros,
    decimal_point_euros,
    thousands_comma_euros,
)
from geldstroom.loaders.opendata.tabellen import load_budgettaire_tabellen

AMOUNTS = st.integers(min_value=-10**12, max_value=10**12)


@given(AMOUNTS)
def test_thousands_written_with_a_comma_or_bare_read_the_same(value: int) -> None:
    with_comma = f"{value:,}"  # "75,009", "-1,760,839"
    assert thousands_comma_euros(with_comma) == (value * 1000, False)
    assert thousands_comma_euros(str(value)) == (value * 1000, False)
    assert thousands_comma_euros(f" {with_comma} ") == (value * 1000, False)


@given(AMOUNTS, st.integers(min_value=0, max_value=10**10 - 1),
       st.integers(min_value=1, max_value=10))
def test_decimals_round_to_whole_euros_half_up(whole: int, fraction: int, digits: int) -> None:
    fraction %= 10**digits
    text = f"{whole}.{fraction:0{digits}d}"
    exact = Decimal(text) * 1000
    euros, rounded = thousands_comma_euros(text)  # type: ignore[misc]
    assert abs(Decimal(euros) - exact) <= Decimal("0.5")
    assert rounded == (exact != exact.to_integral_value())
    # Never more than the cell says: up to three decimals are exact euros.
    if digits <= 3:
        assert not rounded and euros == exact


@given(AMOUNTS, st.integers(min_value=0, max_value=99))
def test_decimal_comma(whole: int, cents: int) -> None:
    text = f"{whole},{cents:02d}"
    sign = -1 if text.startswith("-") else 1
    assert decimal_comma_euros(text) == (whole * 1000 + sign * cents * 10, False)
    euros, rounded = decimal_comma_euros(text, unit=1)  # type: ignore[misc]
    in_cents = whole * 100 + sign * cents
    assert abs(euros * 100 - in_cents) <= 50 and rounded == (cents != 0)


@pytest.mark.parametrize(("cell", "expected"), [
    ("0,50", (1, True)), ("0,49", (0, True)), ("0,51", (1, True)), ("2,50", (3, True)),
    ("-0,50", (-1, True)),  # half away from zero, both ways
    ("-0,49", (0, True)), ("-2,51", (-3, True)), ("0,00", (0, False)),
    ("15615031,00", (15_615_031, False)),
])
def test_decimal_comma_in_whole_euros_rounds_half_away_from_zero(
        cell: str, expected: tuple[int, bool]) -> None:
    assert decimal_comma_euros(cell, unit=1) == expected


@given(st.sampled_from(["", " ", "pm", " pm ", "-", " -   "]))
def test_cells_without_an_amount(cell: str) -> None:
    assert thousands_comma_euros(cell) is None
    assert decimal_comma_euros(cell) is None
    assert decimal_point_euros(cell) is None


@given(st.sampled_from(["````", "88%", "Err:509", "1.234.567", "12,34", "1,2345", "o",
                        "waarvan SMP-Griekenland", "1,000.5.2"]))
def test_what_is_not_an_amount_is_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        thousands_comma_euros(cell)


HEADER = ["Begrotingsjaar", "Begrotings hoofdstuk", "Verantwoordelijke minister",
          "Naam Begroting", "Type", "Begrotingsfase", "Artikel nummer zoals in het witte stuk",
          "% Juridisch verplicht", "Omschrijving artikel", "Type Artikel", "Indicatie grote",
          "Programma of Apparaat", "V/U/O (Verplichtingen/Uitgaven/Ontvangsten)",
          "Indicatie totaal regel J/N", "Nr. onderverdeling zoals in de witte stukken",
          "Beleidsmatige clustering", "Financieel instrument/Apparaat", "Uitsplitsing",
          "Nadere omschrijving", "Bedrag t-2", "Bedrag t-1", "Bedrag t", "Bedrag t+1",
          "Bedrag t+2", "Bedrag t+3", "Bedrag t+4"]


def _row(hoofdstuk: str, artikel: str, label: str, amounts: list[int]) -> list[str]:
    return ["2016", hoofdstuk, "M", "Naam", "B", "OWB", artikel, "", "Artikel", "Beleidsartikel",
            "N", "Programma", "U", "N", "1", "Onderdeel", "Subsidies", label, "",
            *(f"{a:,}" for a in amounts)]


LINES = st.lists(
    st.tuples(st.sampled_from(["VII", "XVI"]), st.sampled_from(["1", "2"]),
              st.text("abcdefgh ", min_size=1, max_size=6).map(str.strip).filter(bool),
              st.lists(st.integers(-10**6, 10**6), min_size=7, max_size=7)),
    min_size=1, max_size=12,
    unique_by=lambda r: (r[0], r[1], r[2]),
)


@settings(max_examples=40, deadline=None)
@given(LINES, st.data())
def test_repeated_rows_are_found_and_read_once(
        tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, str, str, list[int]]],
        data: st.DataObject) -> None:
    rows = [_row(*line) for line in sorted(lines)]
    # A second pass over the file repeats some of its rows, as the OWB 2016 file does.
    repeats = data.draw(st.lists(st.sampled_from(range(len(rows))), unique=True))
    folder = tmp_path_factory.mktemp("owb")
    once, twice = folder / "once_owb_2016.csv", folder / "twice_owb_2016.csv"
    for path, content in ((once, rows), (twice, rows + [rows[i] for i in sorted(repeats)])):
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([HEADER, *content])
    read_once, read_twice = (load_budgettaire_tabellen(p) for p in (once, twice))
    report = read_twice.reports[0]
    assert sorted(r.source.line for r in report.repeated) == [
        len(rows) + 2 + k for k in range(len(repeats))]
    assert sorted(r.repeats.line for r in report.repeated) == sorted(i + 2 for i in repeats)
    assert [(f.line, f.year, f.euros) for f in read_twice.figures] == [
        (f.line, f.year, f.euros) for f in read_once.figures]
    assert not report.conflicts


def test_a_file_in_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "begroting_owb_2016.csv"
    path.write_text("Jaar,Hoofdstuk\n2016,VII\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"owb_2016.csv:1: column 1 of the header"):
        load_budgettaire_tabellen(path)
