"""Finding and reading source documents: the bundled samples, a manifest, or plain paths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from geldstroom.errors import ImpossibleYear, InputError, UnknownDocumentYear, UnknownKind
from geldstroom.loaders.documents.budget_table import (
    artikel_in,
    table_title_lines,
)
from geldstroom.loaders.files import (
    is_standard_input,
    listed_file,
    read_lines,
    read_toml_tables,
)
from geldstroom.model import Document, DocumentForm, DocumentKind


def bundled_manifest() -> Path:
    return Path(str(resources.files("geldstroom") / "samples" / "manifest.toml"))


def read_manifest(path: Path) -> list[Document]:
    """Documents listed in a TOML manifest; file paths are relative to the manifest."""
    entries = read_toml_tables(path, "document", "manifest")
    documents = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "file" not in entry:
            raise InputError(f"[[document]] number {number} has no 'file'", str(path))
        file = path.parent / listed_file(entry["file"], f"[[document]] number {number}", path)
        if "id" in entry:
            raise InputError(f"[[document]] number {number}: id: not a manifest field; a "
                             "document's id is made of its hoofdstuk, kind, year and file",
                             str(path))
        fields = {k: v for k, v in entry.items() if k != "file"}
        try:
            documents.append(_document(file=file, name=Path(entry["file"]).name, **fields))
        except ValidationError as err:
            first = err.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise InputError(
                f"[[document]] number {number}: {field}: {first['msg']}", str(path)
            ) from err
        if not possible_year(documents[-1].year):
            raise ImpossibleYear(documents[-1].year, EARLIEST_YEAR, date.today().year + 1,
                                 str(path))
    return documents


def bundled_documents() -> list[Document]:
    return read_manifest(bundled_manifest())


_PDF_FOOTER_YEAR = re.compile(r"vergaderjaar\s+(\d{4})\s*[–-]\s*\d{4},\s*[\d ]+\s+([IVXLC]+)\b")
_YEAR_CELL = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True)
class TextSays:
    """What a document's own text says it is; None where it does not say."""

    kind: DocumentKind | None
    year: int | None
    hoofdstuk: str | None
    artikel: str | None
    table_line: int | None  # the line of its first budget table's title


@dataclass(frozen=True)
class Contradiction:
    """An option given for a document that differs from what its text says."""

    path: str
    option: str  # "kind" or "document_year"
    given: str
    text_says: str


def what_the_text_says(lines: list[str]) -> TextSays:
    """A begroting has a budget table whose third year column is its year (N-2, N-1, N, ...);
    a jaarverslag page has a Tweede Kamer footer with its year and hoofdstuk."""
    text = "\n".join(lines)
    footer = _PDF_FOOTER_YEAR.search(text)
    titles = table_title_lines(lines)
    table_at = titles[0] - 1 if titles else None
    kind = year = None
    if table_at is not None:
        kind = DocumentKind.BEGROTING
        years = [int(m[1]) for line in lines[table_at + 1 : table_at + 40]
                 if (m := _YEAR_CELL.match(line))]
        year = years[2] if len(years) >= 3 else None
    elif footer:
        kind, year = DocumentKind.JAARVERSLAG, int(footer[1])
    return TextSays(kind=kind, year=year, hoofdstuk=footer[2] if footer else None,
                    artikel=artikel_in(lines[table_at]) if table_at is not None else None,
                    table_line=titles[0] if titles else None)


def possible_year(year: int) -> bool:
    """A document year that can be: the budget tables in this form (VBTB) begin with the
    jaarverslagen over 1999; a begroting for N appears in September of N-1."""
    return EARLIEST_YEAR <= year <= date.today().year + 1


EARLIEST_YEAR = 1999


def describe_document(
    path: Path,
    kind: DocumentKind | None = None,
    year: int | None = None,
    hoofdstuk: str | None = None,
    artikel: str | None = None,
) -> tuple[Document, list[Contradiction]]:
    """Describe a document given only its path, reading what the text itself says; what is
    given wins, and each given value the text contradicts is returned with it."""
    lines = read_lines(path)
    says = what_the_text_says(lines)
    contradictions = []
    if kind is not None and says.kind is not None and kind is not says.kind:
        contradictions.append(Contradiction(str(path), "kind", kind.value, says.kind.value))
    if year is not None and says.year is not None and year != says.year and (
            kind is None or kind is says.kind):
        contradictions.append(Contradiction(str(path), "document_year", str(year),
                                            str(says.year)))
    if year is not None and not possible_year(year):
        raise ImpossibleYear(year, EARLIEST_YEAR, date.today().year + 1, str(path))
    kind = kind or says.kind
    if kind is None:
        raise UnknownKind(str(path))
    if year is None and kind is says.kind:
        year = says.year
    if year is None:
        raise UnknownDocumentYear(kind.value, str(path))
    return _document(
        file=path,
        name="stdin" if is_standard_input(path) else path.name,
        title=path.name,
        kind=kind,
        hoofdstuk=hoofdstuk or says.hoofdstuk or "?",
        year=year,
        artikel=artikel or says.artikel,
        form=DocumentForm.PDF if says.hoofdstuk and says.table_line is None else DocumentForm.WEB,
        source=str(path),
    ), contradictions


def document_id(hoofdstuk: str, kind: DocumentKind, year: int, name: str) -> str:
    """What tells documents apart, as provenance cites them: hoofdstuk, kind and year, then the
    file name ("VII/begroting-2024/001_1ef586f7da9213de.txt"). Two ministries' files may share
    a name; the file name alone is no identity."""
    return f"{hoofdstuk}/{kind.value}-{year}/{name}"


def _document(*, file: Path, name: str, **fields: Any) -> Document:
    """The one place a Document is made, so that its id always follows document_id.
    ValidationError when a field is missing or of the wrong kind."""
    document = Document.model_validate({**fields, "id": name, "path": str(file)})
    return document.model_copy(update={"id": document_id(
        document.hoofdstuk, document.kind, document.year, name)})


def document_from_path(
    path: Path,
    kind: DocumentKind | None = None,
    year: int | None = None,
    hoofdstuk: str | None = None,
    artikel: str | None = None,
) -> Document:
    """describe_document without the contradictions."""
    return describe_document(path, kind, year, hoofdstuk, artikel)[0]
