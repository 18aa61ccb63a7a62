"""What every command shares: document selection options, one-line errors, output formats."""

from __future__ import annotations

import inspect
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec, TypeVar

import typer

from geldstroom.cells import csv_bytes, join_list
from geldstroom.dutch import format_euros
from geldstroom.errors import (
    BadParameterText,
    InputError,
    Interrupted,
    LoginRefused,
    MissingParameter,
    NoPassword,
    StoreError,
    UnknownDocumentYear,
    UnknownKind,
    UnknownYear,
)
from geldstroom.interrupt import interrupted
from geldstroom.kinds import PAYER_KINDS, DocumentKind

if TYPE_CHECKING:
    import networkx as nx
    from rich.console import Console, RenderableType

    from geldstroom.graph.store import Store
    from geldstroom.model import Corpus, Document


P = ParamSpec("P")
R = TypeVar("R")


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


Files = Annotated[
    list[Path] | None,
    typer.Option("--file", "-i", help="A document text file (repeatable). "
                 "Default: the bundled corpus (`geldstroom --help` says which).",
                 show_default=False),
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
            if interrupted():  # the engine's word for our Ctrl-C: no input error
                raise Interrupted("interrupted") from None
            from rich.text import Text  # late: rich, as err_console

            err_console().print(Text.assemble(("error:", "bold red"), " ", worded(err)),
                                highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper


def worded(err: InputError) -> str:
    """The message for a library error, with what to do about it on the command line."""
    if isinstance(err, MissingParameter):
        return f"{err}: give " + " ".join(f"--param {m}=VALUE" for m in err.missing)
    if isinstance(err, UnknownKind):
        return f"{err}; pass --kind and --document-year"
    if isinstance(err, UnknownDocumentYear):
        return f"{err}; pass --document-year"
    if isinstance(err, StoreError) and err.problem == StoreError.MISSING:
        return f"{err}: run `geldstroom load` first, or name the store with --db"
    if isinstance(err, StoreError) and err.problem == StoreError.FOLDER:
        return f"{err}; --db names the database file to write"
    if isinstance(err, NoPassword):
        return f"{err}: set NEO4J_PASSWORD or give --password"
    if isinstance(err, LoginRefused) and not err.detail:
        return f"{err}: check NEO4J_USER and NEO4J_PASSWORD"
    if isinstance(err, BadParameterText):
        return f"--param expects key=value, got {err.text!r}"
    return str(err)


def option_group(target: str, options: dict[str, tuple[Any, Any]],
                 make: Callable[..., Any]) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Give a command a group of options (name: (annotation, default)) and hand them to it
    as one argument, `target`, made by `make(**values)`: the options are declared once
    and every command that reads documents, or talks to Neo4j, says so in one line."""

    def decorate(func: Callable[..., R]) -> Callable[..., R]:
        # Typer reads the signature; eval_str resolves the modules' postponed annotations.
        signature = inspect.signature(func, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != target]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                              annotation=annotation)
            for name, (annotation, default) in options.items()
        ]

        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> R:
            values = {name: kwargs.pop(name, options[name][1]) for name in options}
            return func(*args, **{target: make(**values)}, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=[*own, *added])  # type: ignore[attr-defined]
        return wrapper

    return decorate


@dataclass(frozen=True)
class DocumentChoice:
    """Which documents a command reads: --file paths (with what their text does not say),
    a --manifest, or else the bundled samples."""

    files: tuple[Path, ...] = ()
    manifest: Path | None = None
    kind: DocumentKind | None = None
    document_year: int | None = None
    hoofdstuk: str | None = None
    artikel: str | None = None

    @classmethod
    def of(cls, files: Sequence[Path] | None = None, **rest: Any) -> DocumentChoice:
        return cls(files=tuple(files or ()), **rest)

    def documents(self) -> list[Document]:
        # late: pulls pydantic, networkx or the store engine, which --help must not load
        from geldstroom.loaders.documents.manifest import (
            bundled_documents,
            describe_document,
            read_manifest,
        )

        if self.files and self.manifest:
            raise InputError("give either --file or --manifest, not both")
        if self.sources_manifest is not None:
            return bundled_documents()  # open data: read beside the bundled documents
        if self.manifest:
            return read_manifest(self.manifest)
        if self.files:
            documents = []
            for file in dict.fromkeys(self.files):  # `--file - --file -` reads stdin once
                document, contradictions = describe_document(
                    file, self.kind, self.document_year, self.hoofdstuk, self.artikel)
                for c in contradictions:
                    err_console().print(
                        f"warning: {c.path}: --{c.option.replace('_', '-')} {c.given}, but its "
                        f"text says {c.text_says}; going by --{c.option.replace('_', '-')}",
                        highlight=False, soft_wrap=True, style="yellow")
                documents.append(document)
            return documents
        return bundled_documents()

    def corpus(self) -> Corpus:
        # late: pulls pydantic, networkx or the store engine, which --help must not load
        from geldstroom.loaders.documents.corpus import load_corpus

        documents = self.documents()
        if not sys.stderr.isatty():
            return load_corpus(documents)
        with err_console().status("reading documents") as status:
            return load_corpus(documents, progress=status.update)

    @property
    def sources_manifest(self) -> Path | None:
        """The --manifest where it lists open-data [[source]] tables rather than documents:
        then every command reads the bundled documents with those sources."""
        # late: pulls pydantic, networkx or the store engine, which --help must not load
        from geldstroom.loaders.opendata.sources import is_sources_manifest

        if self.manifest is not None and is_sources_manifest(self.manifest):
            return self.manifest
        return None

    def graph(self) -> nx.MultiDiGraph:
        # late: pulls pydantic, networkx or the store engine, which --help must not load
        from geldstroom.graph.build import build_graph
        from geldstroom.loaders.actors.payers import UnknownHoofdstuk

        if self.sources_manifest is not None:
            # late: pulls pydantic, networkx or the store engine, which --help must not load
            from geldstroom.graph.default_store import default_graph

            return default_graph(open_manifest=self.sources_manifest)
        if not self.files and not self.manifest:  # the national corpus, as summary reads
            # late: pulls pydantic, networkx or the store engine, which --help must not load
            from geldstroom.graph.default_store import cached_default_graph

            if not sys.stderr.isatty():
                return cached_default_graph()
            with err_console().status("reading the national corpus"):
                return cached_default_graph()
        try:
            return build_graph(self.corpus())
        except UnknownHoofdstuk as err:
            if err.hoofdstuk != "?":
                raise
            raise InputError("a --file document does not say its hoofdstuk, so nobody is known "
                             "to pay its lines: pass --hoofdstuk (e.g. VII)") from None


reads_documents = option_group("documents", {
    "files": (Files, None),
    "manifest": (ManifestOpt, None),
    "kind": (KindOpt, None),
    "document_year": (DocYearOpt, None),
    "hoofdstuk": (HoofdstukOpt, None),
    "artikel": (ArtikelOpt, None),
}, DocumentChoice.of)


def emit(rows: list[dict[str, Any]], fmt: Format, title: str = "",
         money: Sequence[str] = (), columns: Sequence[str] | None = None) -> None:
    """Print rows: a table for people, CSV or JSON (raw integers) for scripts. `columns`
    names them also when there are no rows (a CSV keeps its header)."""
    if fmt is Format.JSON:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    columns = list(columns if columns is not None else rows[0] if rows else [])
    if fmt is Format.CSV:
        sys.stdout.write(csv_bytes(columns, ([_flat(row.get(c), table=False) for c in columns]
                                             for row in rows)).decode("utf-8"))
        return
    cells = [[format_euros(row.get(k)) if k in money and isinstance(row.get(k), int)
              else _flat(row.get(k)) for k in columns] for row in rows]
    console = wide_console()
    if _too_narrow(columns, cells, console.width):
        _stacked(console, title, columns, cells)
        return
    from rich.table import Table  # late: rich, as wide_console

    table = Table(title=title or None, show_lines=False, title_justify="left")
    for number, column in enumerate(columns):
        # A number is never cut or folded, at any width: the words around it give way.
        numeric = bool(rows) and all(isinstance(row.get(column), int) or row.get(column) is None
                                     for row in rows)
        widest = max((len(line[number]) for line in cells), default=0)
        table.add_column(column, justify="right" if column in money else "left",
                         overflow="fold", no_wrap=numeric,
                         min_width=60 if column == "evidence" else
                         max(widest, len(column)) if numeric else None)
    for line in cells:
        table.add_row(*line)
    console.print(table)


_NARROWEST_TEXT = 12  # a text column narrower than this reads as letters, not words


def _too_narrow(columns: Sequence[str], cells: list[list[str]], width: int) -> bool:
    """Whether a table of these cells would squeeze a text column below _NARROWEST_TEXT
    (each column takes its widest cell, its header, and 3 for borders and padding)."""
    needed = 1
    for number, column in enumerate(columns):
        widest = max([len(column), *(len(line[number]) for line in cells)])
        needed += min(widest, max(_NARROWEST_TEXT, len(column))) + 3
    return needed > width


def _stacked(console: Console, title: str, columns: Sequence[str],
             cells: list[list[str]]) -> None:
    """The narrow layout: one block per row, one 'column: value' line per cell, so nothing
    is cut or folded letter by letter (COLUMNS=60, a pipe at 80)."""
    for line in textwrap.wrap(title, width=max(console.width, 20)):  # folded, never past
        console.print(line, highlight=False, markup=False, soft_wrap=True)  # the width
    label = max((len(c) for c in columns), default=0)
    width = max(console.width, label + 20)
    for number, line in enumerate(cells):
        if number:
            console.print()
        for column, value in zip(columns, line, strict=True):
            # wrapped at the width, under the value; an amount never splits from its €
            text = textwrap.fill(value.replace("€ ", "€\u00a0"), width=width,
                                 initial_indent=f"{column:>{label}}: ",
                                 subsequent_indent=" " * (label + 2),
                                 break_long_words=True, break_on_hyphens=False)
            console.print(text or f"{column:>{label}}:", highlight=False, markup=False,
                          soft_wrap=True)


def fitted_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                 text: Sequence[str], width: int | None = None) -> RenderableType:
    """A table whose numbers and years are never cut or folded: each such column is as wide
    as its widest cell (markup not counted); only the `text` columns give way, folding, to
    no less than _NARROWEST_TEXT. Where even that does not fit `width` (the terminal's, 80
    when piped), one block per row of 'column: value' lines instead (the narrow layout)."""
    # late: rich, as wide_console
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    widths = [_NARROWEST_TEXT if column in text else
              max([Text.from_markup(column.split("\n")[-1]).cell_len,
                   *(Text.from_markup(r[i]).cell_len for r in rows)])
              for i, column in enumerate(columns)]
    if sum(widths) + 2 * len(columns) > (width or Console().width):
        return _stacked_rows(title, columns, rows)
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for i, column in enumerate(columns):
        if column in text:
            table.add_column(column, justify="left", overflow="fold", min_width=12)
        else:
            table.add_column(column, justify="right", no_wrap=True, min_width=max(widths[i], 1))
    for row in rows:
        table.add_row(*row)
    return table


def _stacked_rows(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                  ) -> RenderableType:
    """fitted_table's narrow layout: the title, then per row its cells as 'column: value'."""
    # late: rich, as wide_console
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    names = [" ".join(c.split()) for c in columns]
    # a grid: a long value (a payer's whole name) folds under itself, not under the labels
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    for number, row in enumerate(rows):
        if number:
            grid.add_row("", "")
        for name, value in zip(names, row, strict=True):
            grid.add_row(f"{name}:", Text.from_markup(value))
    return Group(Text(title), Text(""), grid)


@cache
def err_console() -> Console:
    """Standard error as rich writes it (colour on a terminal), made when first asked: rich
    takes 0.02-0.03 s to import, which an answer in csv or json need not spend."""
    from rich.console import Console  # late: rich, as said

    return Console(stderr=True)


def wide_console() -> Console:
    """The terminal's width (COLUMNS, or 80 when piped): a table wider than the screen
    wraps every row. For the whole of a wide table, use --format csv."""
    from rich.console import Console  # late: rich, as err_console

    return Console()


def _flat(value: Any, table: bool = True) -> str:
    if isinstance(value, bool):  # words for people; as JSON writes them for scripts
        return ("yes" if value else "no") if table else ("true" if value else "false")
    if isinstance(value, list | tuple):
        return join_list(value)
    return "" if value is None else str(value)


DbOpt = Annotated[Path | None, typer.Option(
    "--db", help="The embedded graph store (one file). Default: $GELDSTROOM_DB, else "
    "($XDG_CACHE_HOME or ~/.cache)/geldstroom/geldstroom.lbug.", show_default=False)]


def current_store(db: Path | None) -> Path:
    """The store to read (--db, GELDSTROOM_DB or the cache), built first when it is missing
    or was built from other bundled inputs, saying so on stderr. A store loaded from
    --file/--manifest documents is read as it is."""
    path, store = _current(db)
    if store is not None:
        store.close()
    return path


def open_current_store(db: Path | None) -> Store:
    """current_store(db), open: the connection that checked the store is the one handed
    back (the caller closes it), so a command opens the store once."""
    # late: pulls the store engine, which --help must not load
    from geldstroom.graph.store import Store

    path, store = _current(db)
    return store if store is not None else Store(path)


def _current(db: Path | None) -> tuple[Path, Store | None]:
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.default_store import (
        Freshness,
        build_default_store,
        cache_store_path,
        default_store_path,
        open_checked,
    )

    path = default_store_path(db)
    if not path.parent.exists() and path != cache_store_path():
        raise StoreError(path, StoreError.NO_FOLDER)  # before saying it builds one there
    check, store = open_checked(path)
    if check.freshness is Freshness.OTHER_TABLES:
        raise StoreError(path, StoreError.OTHER_TABLES.format(
            inputs=check.inputs.removeprefix("given: ")))
    if check.freshness is Freshness.MISSING:
        err_console().print(f"no store at {path}: building it", highlight=False, soft_wrap=True)
    elif check.freshness is Freshness.STALE:
        about = f" (about {max(1, round(check.previous_seconds))} s)" \
            if check.previous_seconds else ""
        err_console().print(f"the store at {path} was built from other inputs: rebuilding{about}",
                            highlight=False, soft_wrap=True)
    if check.needs_build:
        if sys.stderr.isatty():
            with err_console().status("building the graph store") as status:
                build_default_store(path, digest=check.digest, progress=status.update)
        else:
            build_default_store(path, digest=check.digest)
    return path, store


def resolve_recipient(graph: nx.MultiDiGraph, recipient: str) -> str:
    """An actor id from an id, name or alias (the one resolver, on the graph's recipients);
    the one-line error lists who is known."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.flows import GraphFlows
    from geldstroom.loaders.actors.resolve import find_recipient

    return find_recipient(recipient, GraphFlows(graph).recipients())


def resolve_payer(graph: nx.MultiDiGraph, payer: str) -> str:
    """A payer's actor id from a hoofdstuk code (XVI, B), a payer as people say it (VWS:
    one of its names ends in it) or a payer's id, name or alias in any case; the one-line
    error lists the hoofdstukken the graph holds."""
    # late: pulls pydantic, networkx or the store engine, which --help must not load
    from geldstroom.graph.flows import flows

    by_code: dict[str, str] = {}
    for flow in flows(graph):
        by_code.setdefault(flow.hoofdstuk, flow.payer)
    code = payer.strip().upper()
    if code in by_code:
        return by_code[code]
    wanted = " ".join(payer.split()).casefold()
    kinds = {kind.value for kind in PAYER_KINDS}
    named, ending = set(), set()
    for node, data in graph.nodes(data=True):
        if data.get("kind") not in kinds:
            continue
        forms = (node, data.get("name") or "", *(data.get("aliases") or ()))
        if any(" ".join(f.split()).casefold() == wanted for f in forms):
            named.add(node)
        if any(f.upper().split()[-1:] == [code] for f in forms):
            ending.add(node)
    for found in (named, ending):
        if len(found) == 1:
            return found.pop()
    raise InputError(f"no payer {payer!r}: give a hoofdstuk ({', '.join(sorted(by_code))}) "
                     "or a minister's or fund's name")


def check_year(graph: nx.MultiDiGraph, year: int | None) -> None:
    years = graph.graph.get("years", [])
    if year is not None and year not in years:
        raise UnknownYear(year, years)


