"""The typed records every loader produces and every backend stores. One concept, one place."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from geldstroom.kinds import DocumentKind


class Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Stage(StrEnum):
    REALISATIE = "realisatie"
    VASTGESTELDE_BEGROTING = "vastgestelde begroting"
    ONTWERPBEGROTING = "ontwerpbegroting"
    RAMING = "raming"


def stage_of(kind: DocumentKind, document_year: int, column_year: int) -> Stage:
    """A begroting for year N shows N-2 realised, N-1 adopted, N draft and later estimates."""
    if kind is DocumentKind.JAARVERSLAG:
        return Stage.REALISATIE
    if column_year <= document_year - 2:
        return Stage.REALISATIE
    if column_year == document_year - 1:
        return Stage.VASTGESTELDE_BEGROTING
    if column_year == document_year:
        return Stage.ONTWERPBEGROTING
    return Stage.RAMING


class Document(Record):
    """One source document, as named in a manifest or on the command line."""

    id: str  # file name; provenance points here
    path: str
    title: str
    kind: DocumentKind
    hoofdstuk: str
    year: int
    artikel: str | None = None
    form: str = "web"  # "web" (one cell per line) or "pdf" (running text)
    source: str = ""


class Provenance(Record):
    document: str
    line: int
    quote: str = ""


def line_id(hoofdstuk: str, artikel: str | None, path: tuple[str, ...]) -> str:
    """A budget line's identity: its whole path, since names repeat across instruments."""
    return " > ".join((hoofdstuk, f"artikel {artikel or '?'}", *path))


class RowLevel(StrEnum):
    VERPLICHTINGEN = "verplichtingen"
    UITGAVEN = "uitgaven"
    ARTIKELONDERDEEL = "artikelonderdeel"
    INSTRUMENT = "instrument"
    REGELING = "regeling"
    ONTVANGSTEN = "ontvangsten"


# Every store and exchange format holds amounts as signed 64-bit integers.
MAX_EUROS = 2**63 - 1


class Amount(Record):
    year: int
    euros: int  # table unit (x € 1.000) already multiplied out
    stage: Stage
    line: int  # line of this cell in the document


class BudgetRow(Record):
    """One row of a 'Budgettaire gevolgen van beleid' table with its yearly amounts."""

    level: RowLevel
    label: str
    code: str | None = None  # "7.1" for an artikelonderdeel
    path: tuple[str, ...]  # labels from the artikel down to this row, the row's identity
    amounts: tuple[Amount, ...]
    provenance: Provenance
    children: tuple[BudgetRow, ...] = ()

    def euros(self, year: int) -> int:
        for amount in self.amounts:
            if amount.year == year:
                return amount.euros
        raise KeyError(f"{self.label}: no amount for {year}")


class Mismatch(Record):
    """A total that differs from the sum of its parts; reported, never fixed."""

    document: str
    line: int
    level: RowLevel
    label: str
    year: int
    expected: int  # the stated total, euros
    found: int  # the sum of its parts, euros

    @property
    def difference(self) -> int:
        return self.found - self.expected


class FlexibilityShare(Record):
    label: str
    year: int
    percent: int
    provenance: Provenance


class BudgetTable(Record):
    document: str
    hoofdstuk: str
    artikel: str
    title: str
    years: tuple[int, ...]
    unit_euros: int = 1000
    verplichtingen: BudgetRow | None = None
    uitgaven: BudgetRow
    ontvangsten: BudgetRow | None = None
    flexibility: tuple[FlexibilityShare, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()
    provenance: Provenance

    def budget_lines(self) -> list[BudgetRow]:
        """The leaves under Uitgaven: the rows money is actually budgeted on."""
        return [row for row, _ in self.budget_lines_with_instrument()]

    def budget_lines_with_instrument(self) -> list[tuple[BudgetRow, str | None]]:
        """Each budget line with the label of the instrument it sits under (if any)."""
        leaves: list[tuple[BudgetRow, str | None]] = []

        def walk(row: BudgetRow, instrument: str | None) -> None:
            if row.level is RowLevel.INSTRUMENT:
                instrument = row.label
            if not row.children:
                leaves.append((row, instrument))
            for child in row.children:
                walk(child, instrument)

        walk(self.uitgaven, None)
        return leaves

    def rows(self) -> list[BudgetRow]:
        """Every row in document order."""
        out: list[BudgetRow] = []

        def walk(row: BudgetRow) -> None:
            out.append(row)
            for child in row.children:
                walk(child)

        if self.verplichtingen:
            out.append(self.verplichtingen)
        walk(self.uitgaven)
        if self.ontvangsten:
            walk(self.ontvangsten)
        return out


class ActorKind(StrEnum):
    MINISTER = "minister"
    ZBO_RWT = "ZBO/RWT"
    AGENTSCHAP = "agentschap"
    MEDEOVERHEID = "medeoverheid"
    KOEPEL = "koepel"
    STICHTING = "stichting"
    UNIVERSITEIT = "universiteit"
    INTERNATIONAL = "international"
    COMPANY = "company"
    UNKNOWN = "unknown"


class Actor(Record):
    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    part_of: str | None = None
    hoofdstuk: str | None = None  # for a minister: the begroting hoofdstuk it pays from
    note: str = ""


class Role(StrEnum):
    RECIPIENT = "recipient"  # paid on a budget line (or an instrument, when only that is named)
    PASSED_ON = "passed on"  # receives money from a recipient, not from the minister
    MENTION = "mention"  # named near a line, but the text does not say it is paid


class LinkScope(StrEnum):
    LINE = "line"  # one budget line
    INSTRUMENT = "instrument"  # an instrument of the artikel, no line named (flexibility text)
    UNRESOLVED = "unresolved"  # the heading path does not identify a line


class RecipientLink(Record):
    """An actor tied to a budget line (or instrument) by a sentence of a document."""

    actor: str
    role: Role
    scope: LinkScope
    hoofdstuk: str
    artikel: str | None
    path: tuple[str, ...]  # budget-line path for LINE scope; (instrument,) for INSTRUMENT
    heading_path: tuple[str, ...]  # the headings above the sentence, as written
    years: tuple[int, ...]  # the years this evidence speaks for
    via: str | None = None  # for PASSED_ON: the actor that passes the money on
    # "o.a. aan de VOM en het EIPA": the text names some recipients of the line, not all.
    non_exhaustive: bool = False
    evidence: Provenance


class Corpus(Record):
    """Everything read from a set of documents."""

    documents: tuple[Document, ...]
    tables: tuple[BudgetTable, ...]
    links: tuple[RecipientLink, ...]
    actors: tuple[Actor, ...] = Field(default=())

    def actor(self, actor_id: str) -> Actor:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)
