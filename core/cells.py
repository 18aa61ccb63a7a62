"""How values become cells of text: one way to join a list, one way to write CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

LIST_SEPARATOR = " | "  # evidence sentences hold commas and semicolons, never " | "


def join_list(values: Iterable[Any]) -> str:
    """A list in one cell (CSV, tables, graph exports)."""
    return LIST_SEPARATOR.join(str(v) for v in values)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a header line, "\\n" line ends, quoting only where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")
