"""The narrative of a budget document: headings, paragraphs and sentences, each with its
1-based source line, and for every paragraph the budget line (or instrument) it is about.

Two text forms are read: web text (one table cell or paragraph per line, blank lines
between) and PDF text (running lines with words broken across lines and page footers).
Headings are matched against the budget tables of the same hoofdstuk and artikel; only
standard table words and instrument names are known here, never a document's own labels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from rapidfuzz import fuzz

from geldstroom.dutch import looks_numeric
from geldstroom.loaders.documents.instruments import is_instrument, normalise
from geldstroom.model import (
    BudgetRow,
    BudgetTable,
    Document,
    DocumentForm,
    LinkScope,
    RowLevel,
)


class HeadingKind(StrEnum):
    SECTION = "section"  # above the table structure (e.g. "Juridisch verplicht")
    ARTIKELONDERDEEL = "artikelonderdeel"
    INSTRUMENT = "instrument"
    REGELING = "regeling"  # names a budget line (resolved or not)
    TOPIC = "topic"  # a sub-topic under a regeling or instrument


@dataclass(frozen=True)
class Block:
    """A heading or paragraph as read; `starts` maps text offsets to source lines."""

    text: str
    line: int
    starts: tuple[tuple[int, int], ...] = ()
    single_line: bool = True

    def line_at(self, offset: int) -> int:
        line = self.line
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line


@dataclass(frozen=True)
class Sentence:
    text: str
    line: int


@dataclass(frozen=True)
class Heading:
    text: str
    line: int
    kind: HeadingKind
    path: tuple[str, ...] = ()  # the table path it resolves to; () if none


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int
    sentences: tuple[Sentence, ...]
    headings: tuple[str, ...]  # the headings above it, as written
    scope: LinkScope
    path: tuple[str, ...]  # budget-line path (LINE) or (instrument,) (INSTRUMENT) or ()


@dataclass(frozen=True)
class Narrative:
    document: Document
    headings: tuple[Heading, ...]
    paragraphs: tuple[Paragraph, ...]


# ---------------------------------------------------------------------------------------
# Labels


_PAREN = re.compile(r"\(([^()]*)\)")
MATCH_THRESHOLD = 90  # rapidfuzz ratio; below it "Duurzaam bedrijfsvoeringsbeleid" ≠ line


def label_key(label: str) -> str:
    """A label reduced to its words: case, dashes ("POK - X", "POK– X"), quotes and
    spacing vary between a table and its narrative."""
    key = normalise(label)
    key = re.sub(r"\(\s*", "(", key)
    key = re.sub(r"\s*\)", ")", key)
    return " ".join(key.split())


def label_variants(label: str) -> set[str]:
    """The ways a label may be written: with or without its parenthesised extras, and with
    a parenthesised name ("(O&P Rijk)", "(SAIP)") standing in for the long form."""
    key = label_key(label)
    extras = [part.strip() for part in _PAREN.findall(key)]
    named = [part.strip() for part in _PAREN.findall(label) if re.search(r"[A-Z]", part)]
    names = [label_key(part) for part in named]
    core = " ".join(_PAREN.sub(" ", key).split())
    variants = {key, core}
    for head in [core, *names]:
        rest = [extra for extra in extras if extra != head]
        for size in range(len(rest) + 1):
            for chosen in combinations(rest, size):
                variants.add(" ".join([head, *chosen]))
    return {variant for variant in variants if variant}


def label_score(heading: str, label: str) -> float:
    """How well a heading names a table label, 0..100."""
    return max(
        fuzz.ratio(a, b) for a in label_variants(heading) for b in label_variants(label)
    )


def best_matches(heading: str, rows: Sequence[BudgetRow]) -> list[BudgetRow]:
    """The rows the heading names best (ties kept), if any reach the threshold."""
    scored = [(label_score(heading, row.label), row) for row in rows]
    top = max((score for score, _ in scored), default=0.0)
    if top < MATCH_THRESHOLD:
        return []
    unique: dict[tuple[str, ...], BudgetRow] = {}
    for score, row in scored:
        if score == top:
            unique.setdefault(row.path, row)
    return list(unique.values())


# ---------------------------------------------------------------------------------------
# Blocks


_WEB_CHROME = {"Base description which applies to whole site", "Licence"}
_TABLE_TITLE = re.compile(r"^Tabel\s+\d+\b", re.IGNORECASE)
_PDF_FOOTER = re.compile(r"^\s*Tweede Kamer, vergaderjaar\s+\d{4}\s*[–-]\s*\d{4},")
_SENTENCE_END = (".", ":", ";", "!", "?")
_HEADING_MAX_CHARS = 120


def _is_table_label(text: str) -> bool:
    return (
        len(text.split()) <= 12
        and not text.endswith((":", ";"))
        and not _TABLE_TITLE.match(text)
    )


def _table_end(cells: list[tuple[int, str]], i: int) -> int:
    """Index of the first cell after the table whose title is cells[i].

    A flattened table is numbers and the row labels before them ("Art.", then
    "Verplichtingen", then amounts); the first cell that is neither ends it.
    """
    i += 1
    while i < len(cells):
        text = cells[i][1]
        if looks_numeric(text):
            i += 1
            continue
        ahead = [cell for _, cell in cells[i + 1 : i + 3]]
        is_row = _is_table_label(text) and (
            (len(ahead) > 0 and looks_numeric(ahead[0]))
            or (
                len(ahead) > 1
                and _is_table_label(ahead[0])
                and looks_numeric(ahead[1])
            )
        )
        if not is_row:
            return i
        i += 1
    return i


def web_blocks(lines: Sequence[str]) -> list[Block]:
    """One block per non-blank line, without site chrome and without table regions."""
    cells = [(n, s) for n, raw in enumerate(lines, start=1) if (s := raw.strip())]
    if cells and cells[0][1] in _WEB_CHROME:
        cells = cells[1:]
    if cells and cells[-1][1] in _WEB_CHROME:
        cells = cells[:-1]
    blocks: list[Block] = []
    i = 0
    while i < len(cells):
        number, text = cells[i]
        if _TABLE_TITLE.match(text):
            i = _table_end(cells, i)
            continue
        blocks.append(Block(text=text, line=number, starts=((0, number),)))
        i += 1
    return blocks


def pdf_blocks(lines: Sequence[str]) -> list[Block]:
    """Join PDF lines into blocks: a line ending in a space runs on with a space; a line
    ending in a letter followed by a lowercase start is a word broken across lines
    ("onder" + "steuning"); anything else ends the block. Page footers are dropped."""
    blocks: list[Block] = []
    text = ""
    starts: list[tuple[int, int]] = []
    open_end = False

    def flush() -> None:
        nonlocal text, starts
        if text.strip():
            blocks.append(
                Block(
                    text=text.strip(),
                    line=starts[0][1],
                    starts=tuple(starts),
                    single_line=len(starts) == 1,
                )
            )
        text, starts = "", []

    for number, raw in enumerate(lines, start=1):
        if _PDF_FOOTER.match(raw):
            continue  # a footer may fall mid-paragraph: keep joining across it
        body = raw.strip()
        if not body:
            flush()
            continue
        if text and open_end:
            text += " "
        elif text and not body[0].islower():
            flush()
        starts.append((len(text), number))
        text += body
        open_end = raw != raw.rstrip()
    flush()
    return blocks


def read_blocks(document: Document, lines: Sequence[str]) -> list[Block]:
    return pdf_blocks(lines) if document.form is DocumentForm.PDF else web_blocks(lines)


def is_heading(block: Block) -> bool:
    """Short, one line, not a sentence, not a bullet."""
    text = block.text
    return (
        block.single_line
        and len(text) <= _HEADING_MAX_CHARS
        and not text.endswith(_SENTENCE_END)
        and not text.startswith(("•", "-", "–", "*"))
    )


# ---------------------------------------------------------------------------------------
# Sentences


_ABBREVIATIONS = {
    "nr.", "nrs.", "art.", "artt.", "bijv.", "bv.", "ca.", "incl.", "excl.", "resp.", "jl.",
    "blz.", "p.", "pp.", "zgn.", "evt.", "vgl.", "mln.", "mld.", "min.", "max.", "kamerstukken",
}
_INITIALISM = re.compile(r"^(?:\w\.){2,}$")  # o.a., m.b.t., d.w.z., t.b.v.
_BOUNDARY = re.compile(r"[.!?]+[)\"'’»”]*\s+(?=[A-ZÀ-ÖØ-Þ«\"'‘“(])")


def _ends_abbreviation(text: str, end: int) -> bool:
    words = text[:end].split()
    token = words[-1].lower().lstrip("(") if words else ""
    return token in _ABBREVIATIONS or bool(_INITIALISM.match(token))


def split_sentences(block: Block) -> list[Sentence]:
    """Sentences of a block, each with the line it starts on; 'o.a.', 'nr. 842)' and
    similar abbreviations do not end a sentence."""
    text = block.text
    sentences: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        punct_end = match.start() + len(match.group().rstrip())
        if _ends_abbreviation(text, match.start() + 1):
            continue
        piece = text[start:punct_end].strip()
        if piece:
            sentences.append(Sentence(piece, block.line_at(_skip_space(text, start))))
        start = match.end()
    piece = text[start:].strip()
    if piece:
        sentences.append(Sentence(piece, block.line_at(_skip_space(text, start))))
    return sentences


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


# ---------------------------------------------------------------------------------------
# Headings against the tables


_ONDERDEEL = re.compile(r"^(\d+\.\d+)\.?\s+(\S.*)$")


def tables_for(document: Document, tables: Sequence[BudgetTable]) -> list[BudgetTable]:
    """The document's own tables, else those of the same hoofdstuk and artikel (a
    jaarverslag page is read against the begroting's table of that artikel)."""
    own = [table for table in tables if table.document == document.id]
    if own:
        return own
    return [
        table
        for table in tables
        if _same(table.hoofdstuk, document.hoofdstuk) and _same(table.artikel, document.artikel)
    ]


def _same(known: str | None, other: str | None) -> bool:
    """Equal, or one side does not say ("?" or nothing): a page read with --file may not."""
    return known in (None, "?") or other in (None, "?") or known == other


@dataclass
class _Index:
    """What the tables say a heading can name."""

    onderdelen: dict[str, str]  # code -> path label ("7.1 Werkgevers- en ...")
    instruments: list[BudgetRow]
    regelingen: list[BudgetRow]

    @classmethod
    def of(cls, tables: Sequence[BudgetTable]) -> _Index:
        onderdelen: dict[str, str] = {}
        instruments: list[BudgetRow] = []
        regelingen: dict[tuple[str, ...], BudgetRow] = {}
        for table in tables:
            for row in table.rows():
                if row.level is RowLevel.ARTIKELONDERDEEL and row.code:
                    onderdelen.setdefault(row.code, row.path[0])
                elif row.level is RowLevel.INSTRUMENT:
                    instruments.append(row)
                elif row.level is RowLevel.REGELING and row.path:
                    regelingen.setdefault(row.path, row)
        return cls(onderdelen, instruments, list(regelingen.values()))


@dataclass
class _State:
    section: str | None = None
    onderdeel: tuple[str, str | None] | None = None  # (heading as written or None, label)
    instrument: tuple[str | None, str] | None = None  # (heading or None, table label)
    regeling: tuple[str, tuple[str, ...] | None] | None = None  # (heading, path or None)
    topic: str | None = None

    def heading_path(self) -> tuple[str, ...]:
        written = [
            self.section,
            self.onderdeel[0] if self.onderdeel else None,
            self.instrument[0] if self.instrument else None,
            self.regeling[0] if self.regeling else None,
            self.topic,
        ]
        return tuple(text for text in written if text)

    def onderdeel_label(self) -> str | None:
        return self.onderdeel[1] if self.onderdeel else None

    def scope(self) -> tuple[LinkScope, tuple[str, ...]]:
        if self.regeling is not None:
            path = self.regeling[1]
            return (LinkScope.LINE, path) if path else (LinkScope.UNRESOLVED, ())
        if self.instrument is not None and self.topic is None:
            return LinkScope.INSTRUMENT, (self.instrument[1],)
        return LinkScope.UNRESOLVED, ()


def _instrument_label(text: str, state: _State, index: _Index) -> str:
    """The instrument as the table writes it, preferring the current artikelonderdeel."""
    key = normalise(text)
    rows = [row for row in index.instruments if normalise(row.label) == key]
    here = [row for row in rows if row.path[0] == state.onderdeel_label()]
    chosen = here or rows
    return chosen[0].label if chosen else text


def _regeling_candidates(state: _State, index: _Index) -> list[BudgetRow]:
    rows = index.regelingen
    if state.onderdeel_label():
        rows = [row for row in rows if row.path[0] == state.onderdeel_label()]
    if state.instrument:
        key = normalise(state.instrument[1])
        rows = [row for row in rows if len(row.path) >= 3 and normalise(row.path[-2]) == key]
    return rows


def _apply_heading(text: str, line: int, state: _State, index: _Index, artikel: str | None
                   ) -> Heading:
    """Classify a heading and move the state to it."""
    onderdeel = _ONDERDEEL.match(text)
    if onderdeel and (
        onderdeel[1] in index.onderdelen
        or (not index.onderdelen and artikel and onderdeel[1].split(".")[0] == artikel)
    ):
        label = index.onderdelen.get(onderdeel[1], text)
        state.section, state.onderdeel = None, (text, label)
        state.instrument = state.regeling = state.topic = None
        return Heading(text, line, HeadingKind.ARTIKELONDERDEEL, (label,))
    if is_instrument(text):
        label = _instrument_label(text, state, index)
        state.instrument, state.regeling, state.topic = (text, label), None, None
        return Heading(text, line, HeadingKind.INSTRUMENT, (label,))
    matches = best_matches(text, _regeling_candidates(state, index))
    if matches:
        path = matches[0].path if len(matches) == 1 else None
        if path:
            # The line's place in the table fills in what the headings did not say.
            if state.onderdeel is None or state.onderdeel[1] != path[0]:
                state.onderdeel = (None, path[0])
            if state.instrument is None:
                state.instrument = (None, path[-2])
        state.regeling, state.topic = (text, path), None
        return Heading(text, line, HeadingKind.REGELING, path or ())
    if state.regeling is not None or state.instrument is not None:
        state.topic = text
        return Heading(text, line, HeadingKind.TOPIC)
    state.section, state.onderdeel = text, None
    return Heading(text, line, HeadingKind.SECTION)


def read_narrative(
    document: Document, lines: Sequence[str], tables: Sequence[BudgetTable] = ()
) -> Narrative:
    """Headings and paragraphs of a document, each paragraph placed under a budget line,
    an instrument, or nothing (UNRESOLVED) by the headings above it."""
    index = _Index.of(tables_for(document, tables))
    state = _State()
    headings: list[Heading] = []
    paragraphs: list[Paragraph] = []
    for block in read_blocks(document, lines):
        if is_heading(block):
            headings.append(_apply_heading(block.text, block.line, state, index, document.artikel))
            continue
        scope, path = state.scope()
        paragraphs.append(
            Paragraph(
                text=block.text,
                line=block.line,
                sentences=tuple(split_sentences(block)),
                headings=state.heading_path(),
                scope=scope,
                path=path,
            )
        )
    return Narrative(document, tuple(headings), tuple(paragraphs))
