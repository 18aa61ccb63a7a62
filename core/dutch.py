"""How numbers are written, in one place: Dutch notation (`1.084` is one thousand and
eighty-four; `1,2` is one point two), euros in full, short and in € 1.000, counts with their
noun and spans of years. Every command, page and message formats through here."""

from __future__ import annotations

import re
from collections.abc import Sequence

# Whole numbers with optional thousands dots in groups of three; a leading minus sign in
# any of the forms published tables use.
_WHOLE = re.compile(r"^(?P<sign>[-−–])?\s*(?P<digits>\d{1,3}(?:\.\d{3})*|\d+)$")
# A cell meant as a number: digits and separators, or a digit-led token with a typo in it
# ("1.2O1"); "2e Kamer" has a space and is a label.
_NUMBERISH = re.compile(r"^[-−–]?\s*[\d.,]+\s*%?$|^[-−–]?\d\S*$")


def looks_numeric(cell: str) -> bool:
    """True for anything a table cell might mean as a number, well formed or not."""
    return bool(_NUMBERISH.match(cell.strip()))


def parse_whole(cell: str) -> int:
    """Parse a Dutch whole number (`1.084`, `-12`, `0`); ValueError if it is not one."""
    match = _WHOLE.match(cell.strip())
    if not match:
        raise ValueError(f"not a whole number in Dutch notation: {cell.strip()!r}")
    value = int(match["digits"].replace(".", ""))
    return -value if match["sign"] else value


def format_whole(value: int) -> str:
    """The inverse of parse_whole: 1084 -> '1.084'."""
    text = f"{abs(value):,}".replace(",", ".")
    return f"-{text}" if value < 0 else text


def format_euros(euros: int) -> str:
    """Full amount, Dutch style: € 1.084.000."""
    return f"€ {format_whole(euros)}"


def format_euros_short(euros: int) -> str:
    """Amount for labels: € 863.000 below a million (whole thousands, as the tables give
    them), else rounded: € 1,2 mln, € 1,5 mld."""
    sign = "-" if euros < 0 else ""
    value = abs(euros)
    if value >= 1_000_000_000:
        text, unit = f"{value / 1e9:.1f}", "mld"
    elif value >= 1_000_000:
        text, unit = f"{value / 1e6:.1f}", "mln"
    else:
        return f"€ {sign}{format_whole(round(value, -3))}"
    return f"€ {sign}{text.replace('.', ',')} {unit}"


def counted(count: int, singular: str, plural: str) -> str:
    """1 regeling, 2 regelingen; 1 document, 0 documents."""
    return f"{count} {singular if count == 1 else plural}"


def format_thousands(euros: int) -> str:
    """In € 1.000 as the tables write them; whole euros (open data) keep their decimals:
    1_084_000 -> '1.084', 1_084_500 -> '1.084,5'."""
    whole, rest = divmod(abs(euros), 1000)
    text = format_whole(whole) + (f",{rest:03d}".rstrip("0") if rest else "")
    return f"-{text}" if euros < 0 else text


def years_text(years: Sequence[int]) -> str:
    """2022-2028 for consecutive years, else 2022, 2024 (in the order given); '' for none."""
    if not years:
        return ""
    if list(years) == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)
