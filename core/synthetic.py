"""Synthetic budget tables in the published web-text form, for property tests and benchmarks.

The generated amounts add up at every level, like a real table; render() writes them the way
the Rijksbegroting web pages flatten a table: one cell per line, blank lines between.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from geldstroom.dutch import format_whole

INSTRUMENT_NAMES = (
    "Subsidies (regelingen)",
    "Opdrachten",
    "Bijdrage aan ZBO's/RWT's",
    "Bijdrage aan medeoverheden",
    "Bijdrage aan (inter-)nationale organisaties",
    "Bijdrage aan agentschappen",
    "Bijdrage aan (andere) begrotingshoofdstukken",
)


@dataclass
class SyntheticRow:
    label: str
    amounts: list[int]  # in table units (x € 1.000)
    code: str | None = None
    children: list[SyntheticRow] = field(default_factory=list)


@dataclass
class SyntheticTable:
    artikel: int
    title: str
    years: list[int]
    uitgaven: SyntheticRow
    verplichtingen: list[int]
    ontvangsten: list[int]

    def regelingen(self) -> list[SyntheticRow]:
        return [r for o in self.uitgaven.children for i in o.children for r in i.children]


def _total(rows: list[SyntheticRow], width: int) -> list[int]:
    return [sum(r.amounts[y] for r in rows) for y in range(width)]


def make_table(
    rng: random.Random,
    artikel: int = 1,
    first_year: int = 2022,
    width: int = 7,
    onderdelen: int = 2,
    instruments: int = 3,
    regelingen: int = 4,
    max_amount: int = 50_000,
) -> SyntheticTable:
    """A table whose every level is the exact sum of its parts."""
    years = list(range(first_year, first_year + width))
    parts = []
    for o in range(1, onderdelen + 1):
        groups = []
        for name in rng.sample(INSTRUMENT_NAMES, k=min(instruments, len(INSTRUMENT_NAMES))):
            leaves = [
                SyntheticRow(
                    label=f"Regeling {artikel}.{o} {name.split()[0]} {n}",
                    amounts=[rng.choice((0, rng.randint(0, max_amount))) for _ in years],
                )
                for n in range(1, rng.randint(1, regelingen) + 1)
            ]
            groups.append(SyntheticRow(name, _total(leaves, width), children=leaves))
        parts.append(
            SyntheticRow(f"Onderdeel {o}", _total(groups, width), code=f"{artikel}.{o}",
                         children=groups)
        )
    uitgaven = SyntheticRow("Uitgaven", _total(parts, width), children=parts)
    return SyntheticTable(
        artikel=artikel,
        title=(
            f"Tabel {artikel} Budgettaire gevolgen van beleid art. {artikel} "
            f"Synthetisch artikel {artikel} (bedragen x € 1.000)"
        ),
        years=years,
        uitgaven=uitgaven,
        verplichtingen=[a + rng.randint(0, 1000) for a in uitgaven.amounts],
        ontvangsten=[rng.randint(0, 500) for _ in years],
    )


def render(table: SyntheticTable) -> list[str]:
    """The table as a web page's flattened text: one cell per line, blank lines between."""
    cells: list[str] = [table.title, " "]
    cells += [str(y) for y in table.years]
    cells.append("Art.")

    def row(label: str, amounts: list[int], code: str | None = None) -> None:
        if code:
            cells.append(code)
        cells.append(label)
        cells.extend(format_whole(a) for a in amounts)
        cells.append(" ")

    row("Verplichtingen", table.verplichtingen)
    row("Uitgaven", table.uitgaven.amounts)
    for onderdeel in table.uitgaven.children:
        row(onderdeel.label, onderdeel.amounts, onderdeel.code)
        for instrument in onderdeel.children:
            row(instrument.label, instrument.amounts)
            for regeling in instrument.children:
                row(regeling.label, regeling.amounts)
    row("Ontvangsten", table.ontvangsten)
    lines: list[str] = []
    for cell in cells:
        lines.extend((cell, ""))
    return lines
