"""Dutch number notation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geldstroom.cells import join_list
from geldstroom.dutch import (
    counted,
    format_euros,
    format_euros_short,
    format_whole,
    parse_whole,
)


@given(st.integers(-10**15, 10**15))
def test_format_then_parse_is_identity(value: int) -> None:
    assert parse_whole(format_whole(value)) == value


@given(st.integers(1000, 10**12))
def test_thousands_are_grouped_by_dots(value: int) -> None:
    text = format_whole(value)
    groups = text.split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1.084", 1084), ("0", 0), ("86.189", 86189), ("−12", -12), ("- 3.356", -3356), ("7", 7)],
)
def test_cells_from_published_tables(cell: str, value: int) -> None:
    assert parse_whole(cell) == value


@pytest.mark.parametrize("cell", ["1,084", "1.08", "10.84.5", "1.2O1", "", "12%", "1.0845"])
def test_malformed_numbers_are_refused(cell: str) -> None:
    with pytest.raises(ValueError):
        parse_whole(cell)


def test_euro_labels() -> None:
    assert format_euros(1_201_000) == "€ 1.201.000"
    assert format_euros_short(1_201_000) == "€ 1,2 mln"
    assert format_euros_short(863_000) == "€ 863.000"  # not "dzd", which few readers know
    assert format_euros_short(-52_000) == "€ -52.000"
    assert format_euros_short(2_400_000_000) == "€ 2,4 mld"


def test_counted_and_joined() -> None:
    assert [counted(n, "regeling", "regelingen") for n in (0, 1, 2)] == [
        "0 regelingen", "1 regeling", "2 regelingen"]
    assert join_list(["ipo", "vng"]) == "ipo | vng"
