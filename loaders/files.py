"""Reading input files, from a path or from standard input: bytes (a stream read once is
kept for the second reader), UTF-8 lines, and the [[tables]] of a TOML file. Every reader
of documents, open data and the actor register reads through here."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

from geldstroom.errors import InputError
from geldstroom.inputs import (
    MAX_DOCUMENT_BYTES,
    MAX_NESTING,
    nesting_depth,
    read_limited,
    read_stream_limited,
)

_streams: dict[str, bytes] = {}


def is_standard_input(path: Path | str) -> bool:
    return str(path) in ("-", "/dev/stdin")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, at most MAX_DOCUMENT_BYTES of them. Standard input ('-',
    /dev/stdin) and named pipes (a FIFO, <(...)) can be read only once: their bytes are kept
    for the second reader. A device or anything else that is not a file is refused
    (geldstroom.inputs)."""
    key = "-" if is_standard_input(path) else str(path)
    if key in _streams:
        return _streams[key]
    if is_standard_input(path):
        _streams[key] = read_stream_limited(sys.stdin.buffer, "standard input",
                                            MAX_DOCUMENT_BYTES, "file")
        return _streams[key]
    data = read_limited(path, MAX_DOCUMENT_BYTES, "file")
    if not path.is_file():  # a named pipe
        _streams[key] = data
    return data


def read_lines(path: Path | str) -> list[str]:
    """The document's lines (line N of the file is index N-1), strictly UTF-8."""
    path = Path(path)
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[err.start]:02x}); save the document as UTF-8",
            str(path),
            line,
        ) from err
    return text.removeprefix("\ufeff").splitlines()


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A TOML file's top-level table; InputError names the file when it is not TOML."""
    raw = read_bytes(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"{what} is not UTF-8 text", str(path)) from err
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"not a valid TOML {what} ({err})", str(path)) from err
    except RecursionError:
        data = {"": [[]] * (MAX_NESTING + 1)}  # deeper than Python goes: refused below
    if nesting_depth(data) > MAX_NESTING:
        raise InputError(f"lists or tables nested more than {MAX_NESTING} deep", str(path))
    return data


def read_toml_tables(path: Path, table: str, what: str) -> list[Any]:
    """The [[table]] entries of a TOML file; InputError names the file when it is not one."""
    entries = read_toml(path, what).get(table)
    if not isinstance(entries, list) or not entries:
        raise InputError(f"expected one or more [[{table}]] tables", str(path))
    return entries


def listed_file(value: object, entry: str, manifest: Path) -> str:
    """A manifest's `file = "..."`: a path as text, one the system can use."""
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{entry}: file: expected a path in quotes, got {value!r}",
                         str(manifest))
    if "\0" in value:
        raise InputError(f"{entry}: file: the path has a NUL byte", str(manifest))
    return value
