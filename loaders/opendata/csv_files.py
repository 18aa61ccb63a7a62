"""What the open-data loaders share: reading a (compressed) CSV file row by row with its line
numbers, and turning the files' amounts into integer euros.

The Finance ministry's files write numbers three ways:
- thousands with a comma and a decimal point, English style: "75,009", "355572.7449",
  "-7.27595761418343E-012" (budgettaire tabellen, begrotingsstaten);
- a decimal comma, no thousands separator: "15615031,00", "818,556" (medeoverheden,
  agentschappen);
- whole or cent amounts in euros with a decimal point: "135729.5" (subsidies).
Amounts in x € 1.000 become euros by exact decimal arithmetic; where the cell has more
decimals than whole euros allow (2015's "355572.7449" is € 355.572.744,90) the euros are
rounded half up to whole euros and the figure is marked `rounded`. Nothing else is made up.
"""

from __future__ import annotations

import csv
import gc
import gzip
import lzma
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from geldstroom.errors import InputError
from geldstroom.inputs import not_utf8, open_data_text

# "75,009", "1,760,839", "-976,900", "355572.7449", "-7.2E-012", "0"
_THOUSANDS_COMMA = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][-+]?\d+)?$")
# "15615031,00", "818,556", "-14,00", "159,5"
_DECIMAL_COMMA = re.compile(r"^-?\d+(?:,\d+)?$")
# "135729.5", "1000"
_DECIMAL_POINT = re.compile(r"^-?\d+(?:\.\d+)?$")
# Cells that say "no amount": pro memorie and a dash.
NO_AMOUNT = frozenset({"", "-", "pm", "p.m.", "–"})
_SPREADSHEET_ERROR = re.compile(r"^(?:#REF!|#NAME\?|#VALUE!|#N/A|#DIV/0!|#NULL!|#NUM!|Err:\d+)$")


def is_spreadsheet_error(cell: str) -> bool:
    """'Err:509', '#REF!': what a spreadsheet wrote where a formula broke."""
    return bool(_SPREADSHEET_ERROR.match(cell.strip()))


def _to_euros(value: Decimal, unit: int) -> tuple[int, bool]:
    euros = value * unit
    whole = euros.to_integral_value(rounding=ROUND_HALF_UP)
    return int(whole), whole != euros


def thousands_comma_euros(cell: str, unit: int = 1000) -> tuple[int, bool] | None:
    """Euros from "75,009" or "355572.7449" (x unit); None for an empty or 'pm' cell;
    ValueError for anything else. The bool says the euros were rounded."""
    text = cell.strip()
    if text.casefold() in NO_AMOUNT:
        return None
    if not _THOUSANDS_COMMA.match(text):
        raise ValueError(f"not an amount: {cell.strip()!r}")
    return _to_euros(Decimal(text.replace(",", "")), unit)


def decimal_comma_euros(cell: str, unit: int = 1000) -> tuple[int, bool] | None:
    """Euros from "15615031,00" or "818,556" (x unit, decimal comma); None when empty."""
    text = cell.strip()
    if text.casefold() in NO_AMOUNT:
        return None
    if not _DECIMAL_COMMA.match(text):
        raise ValueError(f"not an amount with a decimal comma: {cell.strip()!r}")
    return _to_euros(Decimal(text.replace(",", ".")), unit)


def decimal_point_euros(cell: str, unit: int = 1) -> tuple[int, bool] | None:
    """Euros from "135729.5" (x unit, decimal point); None when empty."""
    text = cell.strip()
    if text.casefold() in NO_AMOUNT:
        return None
    if not _DECIMAL_POINT.match(text):
        raise ValueError(f"not an amount: {cell.strip()!r}")
    try:
        return _to_euros(Decimal(text), unit)
    except InvalidOperation as err:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"not an amount: {cell.strip()!r}") from err


def open_text(path: Path) -> IO[str]:
    """A data file as text, whether stored plain, .gz or .xz, within the limits of
    geldstroom.inputs (a regular file; MAX_DATA_BYTES stored and unpacked)."""
    return open_data_text(path)


def data_name(path: Path) -> str:
    """The file name provenance cites: the published name, without a compression suffix."""
    return path.stem if path.suffix in (".gz", ".xz") else path.name


def read_csv(path: Path, expect: dict[int, str]) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each data row. `expect` maps column index to the text the
    header cell must start with; a file that differs is an InputError naming its line 1."""
    name = str(path)
    with open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError("the file is empty; expected a header row", name, 1)
            for index, start in expect.items():
                found = header[index].strip() if index < len(header) else "(missing)"
                if not found.startswith(start):
                    raise InputError(f"column {index + 1} of the header is {found[:40]!r}; "
                                     f"expected {start!r}", name, 1)
            end = reader.line_num
            for cells in reader:
                # A quoted cell may span lines: cite the line the row starts on.
                start, end = end + 1, reader.line_num
                yield start, cells
        except UnicodeDecodeError as err:
            raise not_utf8(path) from err
        except (csv.Error, EOFError, OSError, lzma.LZMAError, gzip.BadGzipFile,
                zlib.error) as err:
            raise InputError(f"not a readable CSV file ({err})", name,
                             reader.line_num or None) from err


def clean_label(cell: str) -> str | None:
    """A label as the identity of a line: spaces collapsed; empty is None."""
    text = " ".join(cell.split())
    return text or None


@contextmanager
def without_gc_passes() -> Iterator[None]:
    """Build millions of records without the cyclic collector: they form no cycles, and
    each of its passes would walk every record made so far again (a third of the time of
    reading 700 000 rows and building their graph). Reference counting still frees."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def kept_out_of_gc_passes(*, collect_first: bool = True) -> Iterator[None]:
    """without_gc_passes, and what was made inside stays out of every later pass too (the
    graph built here: each full pass over a 700 000-payment graph, its records and
    register, took 8 s, and the collector made three of them before the process ended,
    at exit the fourth). Reference counting still frees all of it. Cyclic garbage among
    it (a dropped networkx graph) goes when the next such block starts: it lets what
    earlier blocks froze back into the passes and makes one pass, so a process that
    builds again and again (the tests, the web server) does not hold on to its old
    graphs; a fresh process has nothing frozen and pays nothing. `collect_first=False`
    for a block right after one whose objects are still in use (the store load after the
    build)."""
    if collect_first and gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    with without_gc_passes():
        yield
        gc.freeze()
