"""Finding and reading source documents: the bundled samples, a manifest, or plain paths."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geldstroom.errors import InputError
from geldstroom.loaders.budget_table import artikel_in, table_title_lines
from geldstroom.model import Document, DocumentForm, DocumentKind


def bundled_manifest() -> Path:
    return Path(str(resources.files("geldstroom") / "samples" / "manifest.toml"))


def read_toml_tables(path: Path, table: str, what: str) -> list[Any]:
    """The [[table]] entries of a TOML file; InputError names the file when it is not one."""
    raw = _read_bytes(path)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise InputError(f"{what} is not UTF-8 text", str(path)) from err
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"not a valid TOML {what} ({err})", str(path)) from err
    entries = data.get(table)
    if not isinstance(entries, list) or not entries:
        raise InputError(f"expected one or more [[{table}]] tables", str(path))
    return entries


def read_manifest(path: Path) -> list[Document]:
    """Documents listed in a TOML manifest; file paths are relative to the manifest."""
    entries = read_toml_tables(path, "document", "manifest")
    documents = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "file" not in entry:
            raise InputError(f"[[document]] number {number} has no 'file'", str(path))
        file = path.parent / entry["file"]
        fields = {k: v for k, v in entry.items() if k != "file"}
        try:
            documents.append(
                Document(id=Path(entry["file"]).name, path=str(file), **fields)
            )
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"[[document]] number {number}: {field}: {first['msg']}", str(path)
            ) from err
    return documents


def bundled_documents() -> list[Document]:
    return read_manifest(bundled_manifest())


_PDF_FOOTER_YEAR = re.compile(r"vergaderjaar\s+(\d{4})\s*[–-]\s*\d{4},\s*[\d ]+\s+([IVXLC]+)\b")
_YEAR_CELL = re.compile(r"^\s*(\d{4})\s*$")


def document_from_path(
    path: Path,
    kind: DocumentKind | None = None,
    year: int | None = None,
    hoofdstuk: str | None = None,
    artikel: str | None = None,
) -> Document:
    """Describe a document given only its path, reading what the text itself says.

    A begroting's year is the third column of its table (N-2, N-1, N, ...); a jaarverslag
    page's year and hoofdstuk come from its Tweede Kamer footer. Anything the text does not
    say must be passed in.
    """
    lines = read_lines(path)
    text = "\n".join(lines)
    footer = _PDF_FOOTER_YEAR.search(text)
    titles = table_title_lines(lines)
    table_at = titles[0] - 1 if titles else None
    if kind is None:
        if table_at is not None:
            kind = DocumentKind.BEGROTING
        elif footer:
            kind = DocumentKind.JAARVERSLAG
        else:
            raise InputError(
                "cannot tell whether this is a begroting or a jaarverslag: "
                "no 'Budgettaire gevolgen van beleid' table and no Tweede Kamer footer; "
                "pass --kind and --document-year",
                str(path),
            )
    if year is None:
        if kind is DocumentKind.BEGROTING and table_at is not None:
            years = [
                int(m[1]) for line in lines[table_at + 1 : table_at + 40]
                if (m := _YEAR_CELL.match(line))
            ]
            if len(years) >= 3:
                year = years[2]
        elif kind is DocumentKind.JAARVERSLAG and footer:
            year = int(footer[1])
    if year is None:
        raise InputError(
            f"cannot tell the year of this {kind.value}; pass --document-year", str(path)
        )
    if hoofdstuk is None:
        hoofdstuk = footer[2] if footer else "?"
    if artikel is None and table_at is not None:
        artikel = artikel_in(lines[table_at])
    return Document(
        id=path.name,
        path=str(path),
        title=path.name,
        kind=kind,
        hoofdstuk=hoofdstuk,
        year=year,
        artikel=artikel,
        form=DocumentForm.PDF if footer and table_at is None else DocumentForm.WEB,
        source=str(path),
    )


def _read_bytes(path: Path) -> bytes:
    try:
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
    raw = _read_bytes(path)
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
