"""Reading input files, from a path or from standard input: bytes (a stream read once is
kept for the second reader), UTF-8 lines, and the [[tables]] of a TOML file. Every reader
of documents, open data and the actor register reads through here."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

from geldstroom.errors import InputError

_streams: dict[str, bytes] = {}


def is_standard_input(path: Path | str) -> bool:
    return str(path) in ("-", "/dev/stdin")


def read_bytes(path: Path) -> bytes:
    """The file's bytes. Standard input ('-', /dev/stdin) and other streams (a pipe, <(...))
    can be read only once: their bytes are kept for the second reader."""
    key = "-" if is_standard_input(path) else str(path)
    if key in _streams:
        return _streams[key]
    if is_standard_input(path):
        _streams[key] = sys.stdin.buffer.read()
        return _streams[key]
    try:
        if not path.is_file() and path.exists() and not path.is_dir():
            _streams[key] = path.read_bytes()
            return _streams[key]
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputError("no such file", str(path)) from err
    except IsADirectoryError as err:
        raise InputError("is a directory, expected a text file", str(path)) from err
    except PermissionError as err:
        raise InputError("cannot read the file (permission denied)", str(path)) from err


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
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"{what} is not UTF-8 text", str(path)) from err
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"not a valid TOML {what} ({err})", str(path)) from err


def read_toml_tables(path: Path, table: str, what: str) -> list[Any]:
    """The [[table]] entries of a TOML file; InputError names the file when it is not one."""
    entries = read_toml(path, what).get(table)
    if not isinstance(entries, list) or not entries:
        raise InputError(f"expected one or more [[{table}]] tables", str(path))
    return entries
