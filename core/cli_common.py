"""What every command shares: document selection options, one-line errors, output formats."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from geldstroom.dutch import format_euros
from geldstroom.errors import InputError
from geldstroom.model import Corpus, Document, DocumentKind

err_console = Console(stderr=True)

if TYPE_CHECKING:
    import networkx as nx


P = ParamSpec("P")
R = TypeVar("R")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


Files = Annotated[
    list[Path] | None,
    typer.Option("--file", "-i", help="A document text file (repeatable). "
                 "Default: the bundled sample documents.", show_default=False),
]
ManifestOpt = Annotated[
    Path | None,
    typer.Option("--manifest", help="A TOML manifest listing the documents and what they are."),
]
KindOpt = Annotated[
    DocumentKind | None,
    typer.Option("--kind", help="What the --file documents are, when their text does not say."),
]
DocYearOpt = Annotated[
    int | None,
    typer.Option("--document-year",
                 help="The year the --file documents are for (begroting N / jaarverslag N)."),
]
HoofdstukOpt = Annotated[
    str | None,
    typer.Option("--hoofdstuk", help="Begroting hoofdstuk of the --file documents, e.g. VII."),
]
ArtikelOpt = Annotated[
    str | None, typer.Option("--artikel", help="Artikel the --file documents are about, e.g. 7.")
]
FormatOpt = Annotated[
    Format,
    typer.Option("--format", "-f", help="table for people; csv or json on stdout for scripts."),
]


def user_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Bad input ends in one line on stderr and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except InputError as err:
            err_console.print(Text.assemble(("error:", "bold red"), " ", str(err)),
                              highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def select_documents(
    files: Sequence[Path] | None,
    manifest: Path | None,
    kind: DocumentKind | None,
    document_year: int | None,
    hoofdstuk: str | None,
    artikel: str | None,
) -> list[Document]:
    from geldstroom.loaders.documents import (
        bundled_documents,
        document_from_path,
        read_manifest,
    )

    if files and manifest:
        raise InputError("give either --file or --manifest, not both")
    if manifest:
        return read_manifest(manifest)
    if files:
        return [document_from_path(f, kind, document_year, hoofdstuk, artikel) for f in files]
    return bundled_documents()


def load(files: Sequence[Path] | None, manifest: Path | None, kind: DocumentKind | None,
         document_year: int | None, hoofdstuk: str | None, artikel: str | None) -> Corpus:
    from geldstroom.loaders.corpus import load_corpus

    documents = select_documents(files, manifest, kind, document_year, hoofdstuk, artikel)
    if not sys.stderr.isatty():
        return load_corpus(documents)
    with err_console.status("reading documents") as status:
        return load_corpus(documents, progress=status.update)


def emit(rows: list[dict[str, Any]], fmt: Format, title: str = "",
         money: Sequence[str] = ()) -> None:
    """Print rows: a table for people, CSV or JSON (raw integers) for scripts."""
    if fmt is Format.JSON:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    columns = list(rows[0]) if rows else []
    if fmt is Format.CSV:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _flat(v) for k, v in row.items()})
        return
    table = Table(title=title or None, show_lines=False, title_justify="left")
    for column in columns:
        table.add_column(column, justify="right" if column in money else "left",
                         overflow="fold", min_width=60 if column == "evidence" else None)
    for row in rows:
        table.add_row(*(
            format_euros(v) if k in money and isinstance(v, int) else _flat(v)
            for k, v in row.items()
        ))
    wide_console().print(table)


def wide_console() -> Console:
    """Tables of amounts and evidence need room, also when piped to a file."""
    return Console(width=max(Console().width, 160))


def _flat(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def years_text(years: Sequence[int]) -> str:
    if not years:
        return ""
    if list(years) == list(range(years[0], years[-1] + 1)) and len(years) > 1:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)


def load_graph(files: Sequence[Path] | None, manifest: Path | None,
               kind: DocumentKind | None, document_year: int | None, hoofdstuk: str | None,
               artikel: str | None) -> nx.MultiDiGraph:
    from geldstroom.graph.build import build_graph

    return build_graph(load(files, manifest, kind, document_year, hoofdstuk, artikel))


def resolve_recipient(graph: nx.MultiDiGraph, recipient: str) -> str:
    """An actor id from an id, name or alias; the one-line error lists who is known."""
    from geldstroom.graph.build import UNATTRIBUTED

    wanted = recipient.strip().casefold()
    if wanted == UNATTRIBUTED:
        return UNATTRIBUTED
    for node, data in graph.nodes(data=True):
        forms = [node, data.get("name") or "", *(data.get("aliases") or [])]
        if data.get("kind") != "minister" and wanted in (f.casefold() for f in forms):
            return node
    from geldstroom.loaders.actors import ActorRegister

    found = ActorRegister.load().resolve(recipient)  # the register knows more forms
    if found in graph:
        return found
    known = ", ".join(sorted(n for n in graph if graph.nodes[n].get("kind") != "minister"))
    raise InputError(f"no recipient {recipient!r} in these documents; known: {known}")


def check_year(graph: nx.MultiDiGraph, year: int | None) -> None:
    years = graph.graph.get("years", [])
    if year is not None and year not in years:
        raise InputError(f"no amounts for {year}; the documents cover {years_text(years)}")


