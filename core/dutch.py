"""Dutch number notation: `1.084` is one thousand and eighty-four; `1,2` is one point two."""

from __future__ import annotations

import re

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

