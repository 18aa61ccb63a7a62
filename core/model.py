"""The typed records every loader produces and every backend stores. One concept, one place."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from pydantic import Field

from geldstroom.kinds import PAYER_KINDS as PAYER_KINDS  # re-exported: the model's word
from geldstroom.kinds import UNNAMED_MINISTRIES as UNNAMED_MINISTRIES  # re-exported
from geldstroom.kinds import ActorKind as ActorKind  # re-exported
from geldstroom.kinds import DocumentKind, OpenDataset
from geldstroom.kinds import Origin as Origin  # re-exported
from geldstroom.listed import Actor as Actor  # re-exported: every record is the model's
from geldstroom.listed import OpenSource as OpenSource  # re-exported
from geldstroom.listed import Record

RecordT = TypeVar("RecordT", bound=Record)
_new_object, _set_slot = object.__new__, object.__setattr__


def trusted_record(cls: type[RecordT], fields_set: set[str], values: dict[str, Any]
                   ) -> RecordT:
    """What `cls.model_construct(fields_set, **values)` makes (the same __dict__, fields
    set, no extra, no private attributes) where `values` give every field of `cls` in its
    order, each of its type: a loader's records at 700 000 rows, whose every value it made
    itself. A third of model_construct's cost, which walks every field's aliases and
    defaults in Python (and is slower than validating). tests/test_names_speed.py checks
    both give one record."""
    record = _new_object(cls)
    _set_slot(record, "__dict__", values)
    _set_slot(record, "__pydantic_fields_set__", fields_set)
    _set_slot(record, "__pydantic_extra__", None)
    _set_slot(record, "__pydantic_private__", None)
    return record


class Stage(StrEnum):
    REALISATIE = "realisatie"
    # Also the open data's t-1 column, which for most articles equals none of the
    # begrotingsstaten's stages; the sources do not say what else it is (docs/decisions.md).
    VASTGESTELDE_BEGROTING = "vastgestelde begroting"
    ONTWERPBEGROTING = "ontwerpbegroting"
    RAMING = "raming"
    # The begrotingsstaten give the budget after each supplementary budget of the year.
    EERSTE_SUPPLETOIRE = "1e suppletoire begroting"
    TWEEDE_SUPPLETOIRE = "2e suppletoire begroting"


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


class DocumentForm(StrEnum):
    """How the text was taken: it decides how paragraphs and tables are told apart."""

    WEB = "web"  # from a web page: one table cell per line
    PDF = "pdf"  # pulled from a PDF: running text, hyphenated line breaks, page footers


class Document(Record):
    """One source document, as named in a manifest or on the command line."""

    id: str  # hoofdstuk/kind-year/file name (loaders.documents.document_id); provenance cites it
    path: str
    title: str
    kind: DocumentKind
    hoofdstuk: str
    year: int
    artikel: str | None = None
    form: DocumentForm = DocumentForm.WEB
    source: str = ""

    @property
    def file(self) -> str:
        """The file as the user gave it, for error messages: the id is no path."""
        return "standard input" if self.path in ("-", "/dev/stdin") else self.path


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
    TOTAAL = "totaal"  # a total of an agency's balance sheet or turnover (open data)


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
        # depth first in document order, without a closure calling itself (a reference
        # cycle the build's frozen collector never frees: csv_files.kept_out_of_gc_passes)
        leaves: list[tuple[BudgetRow, str | None]] = []
        stack: list[tuple[BudgetRow, str | None]] = [(self.uitgaven, None)]
        while stack:
            row, instrument = stack.pop()
            if row.level is RowLevel.INSTRUMENT:
                instrument = row.label
            if not row.children:
                leaves.append((row, instrument))
            stack.extend((child, instrument) for child in reversed(row.children))
        return leaves

    def rows(self) -> list[BudgetRow]:
        """Every row in document order."""
        out: list[BudgetRow] = []
        if self.verplichtingen:
            out.append(self.verplichtingen)
        # depth first, as budget_lines_with_instrument
        stack = [self.ontvangsten, self.uitgaven] if self.ontvangsten else [self.uitgaven]
        while stack:
            row = stack.pop()
            out.append(row)
            stack.extend(reversed(row.children))
        return out


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


# --- Open budget data (the Finance ministry's datasets) ---------------------------------


class SourceRow(Record):
    """Where a figure comes from: one row of a published data file. The open-data
    counterpart of Provenance, which cites a sentence of a document."""

    dataset: OpenDataset
    file: str
    line: int  # physical line of the row in the file, header = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Side(StrEnum):
    VERPLICHTINGEN = "V"
    UITGAVEN = "U"
    ONTVANGSTEN = "O"


class LineLevel(StrEnum):
    ARTIKEL = "artikel"
    ONDERDEEL = "onderdeel"
    INSTRUMENT = "instrument"
    LINE = "line"


class BudgetLine(Record):
    """A budget line of one ministry or fund: hoofdstuk, artikel, onderdeel, instrument and
    uitsplitsing, for verplichtingen, uitgaven or ontvangsten. Parts the file leaves empty
    are None; `occurrence` tells apart rows the file gives the same labels (2nd, 3rd, ...)."""

    hoofdstuk: str  # "VII", "IXB", or a fund: "A", "B", "C", ...
    artikel: str
    side: Side
    onderdeel: str | None = None  # "1", or the clustering's name where no number is given
    instrument: str | None = None
    line: str | None = None  # the uitsplitsing
    detail: str | None = None  # "nadere omschrijving"
    occurrence: int = 1

    @property
    def level(self) -> LineLevel:
        if self.line or self.detail:
            return LineLevel.LINE
        if self.instrument:
            return LineLevel.INSTRUMENT
        if self.onderdeel:
            return LineLevel.ONDERDEEL
        return LineLevel.ARTIKEL

    @property
    def id(self) -> str:
        parts = [self.hoofdstuk, f"artikel {self.artikel}", self.side.value]
        parts += [p for p in (self.onderdeel, self.instrument, self.line, self.detail) if p]
        text = " > ".join(parts)
        return text if self.occurrence == 1 else f"{text} #{self.occurrence}"


class Figure(Record):
    """One amount for one budget line, year and stage, from one source row. Money."""

    line: BudgetLine
    year: int
    stage: Stage
    euros: int
    source: SourceRow
    rounded: bool = False  # the cell had fractions of a euro (x € 1.000 with >3 decimals)


class StatedTotal(Record):
    """A total the source states for a line's parts (or an article's). Checked, never money."""

    line: BudgetLine
    year: int
    stage: Stage
    euros: int
    source: SourceRow
    rounded: bool = False


class Conflict(Record):
    """Two sources give different amounts for the same figure; reported, never settled."""

    subject: str  # the line or article, as the report shows it
    year: int
    stage: Stage
    first_euros: int
    first: SourceRow | Provenance  # Provenance: a document's table row
    second_euros: int
    second: SourceRow | Provenance

    @property
    def difference(self) -> int:
        return self.second_euros - self.first_euros


class PaymentKind(StrEnum):
    SUBSIDIE = "subsidie"
    BIJDRAGE_MEDEOVERHEID = "bijdrage aan medeoverheid"
    AGENTSCHAP_MOEDER = "omzet moederdepartement"
    AGENTSCHAP_OVERIGE = "omzet overige departementen"
    FINANCIEEL_INSTRUMENT = "financieel instrument"  # a row of Financiële instrumenten


class LineMatch(StrEnum):
    """How closely a payment is tied to the budget: the line, or only its article."""

    LINE = "line"  # artikel, onderdeel and instrument identify one line
    ARTIKEL = "artikel"  # the article is known, the line within it cannot be told
    NONE = "none"  # the source gives no article that the budget tables know


class Payment(Record):
    """Money from a ministry (or fund) to a named recipient, as one source row states it."""

    kind: PaymentKind
    payer: str  # the hoofdstuk ("VII", "B"), or UNNAMED_MINISTRIES
    recipient: str | None  # None where the source does not name the recipient
    recipient_as_written: str
    year: int
    stage: Stage
    euros: int
    source: SourceRow
    artikel: str | None = None
    line: BudgetLine | None = None  # the budget line it is paid through, where known
    match: LineMatch = LineMatch.NONE
    scheme: str = ""  # the regeling or uitsplitsing the source names
    rounded: bool = False
    # What the source says of the recipient, where it says it (Financiële instrumenten).
    kvk: str | None = None  # the Chamber of Commerce number, digits only
    legal_form: str | None = None
    place: str | None = None


class RepeatedRow(Record):
    """A row whose content repeats an earlier row of the same file: read once, reported."""

    source: SourceRow
    repeats: SourceRow


class RowIssue(Record):
    """A row skipped, or read with something left out or read against its own flag."""

    source: SourceRow
    reason: str


class ArticleCoverage(Record):
    """Named payments of an article against the budget figure they should add up to."""

    hoofdstuk: str
    artikel: str
    year: int
    named_euros: int
    unnamed_euros: int  # rows the source gives without a recipient's name
    budget_euros: int | None  # None: the budget tables give no figure to compare with
    budget_source: SourceRow | None = None
    budget_stage: Stage = Stage.REALISATIE  # the stage of the budget figure compared with


class SourceReport(Record):
    """What a loader read, skipped and found, for `geldstroom validate`."""

    dataset: OpenDataset
    files: tuple[str, ...]
    rows_read: int
    skipped: tuple[RowIssue, ...] = ()  # rows not read
    findings: tuple[RowIssue, ...] = ()  # rows read, with something to say about them
    totals_checked: int = 0
    totals_unchecked: int = 0  # stated totals with no parts to check them against
    mismatches: tuple[Mismatch, ...] = ()
    repeated: tuple[RepeatedRow, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    coverage: tuple[ArticleCoverage, ...] = ()
    notes: tuple[str, ...] = ()

    def skipped_by_reason(self) -> dict[str, int]:
        return _count_reasons(self.skipped)

    def findings_by_reason(self) -> dict[str, int]:
        return _count_reasons(self.findings)


def _count_reasons(issues: tuple[RowIssue, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for issue in issues:
        counts[issue.reason] = counts.get(issue.reason, 0) + 1
    return counts


class OpenData(Record):
    """What loaders return from the open datasets: money, stated totals and payments kept
    apart, and a report per source."""

    figures: tuple[Figure, ...] = ()
    totals: tuple[StatedTotal, ...] = ()
    payments: tuple[Payment, ...] = ()
    reports: tuple[SourceReport, ...] = ()


class Comparison(Record):
    """One begrotingsstaat article figure set against the budgettaire tabellen's."""

    hoofdstuk: str
    artikel: str  # as the begroting numbers it
    side: Side
    year: int
    stage: Stage
    staten_euros: int
    staten: SourceRow
    tabellen_euros: int | None = None  # None: the tabellen give no figure to compare with
    tabellen: SourceRow | None = None
    tabellen_computed: bool = False  # the sum of the article's lines: no article row given
    # Several rows of the publication could be the article's figure and give other amounts:
    # not compared (tabellen_euros is None); each is listed with its euros.
    candidates: tuple[SourceRow, ...] = ()
    candidate_euros: tuple[int, ...] = ()

    @property
    def agrees(self) -> bool:
        """Equal; or the tabellen figure has fractions of a thousand (2015's decimals) and
        rounds to the begrotingsstaat's whole thousands."""
        found = self.tabellen_euros
        if found is None:
            return False
        if found == self.staten_euros:
            return True
        thousands = (abs(found) + 500) // 1000 * (1 if found >= 0 else -1)
        return found % 1000 != 0 and thousands * 1000 == self.staten_euros


class Reconciliation(Record):
    comparisons: tuple[Comparison, ...]

    def compared(self) -> list[Comparison]:
        return [c for c in self.comparisons if c.tabellen_euros is not None]

    def differing(self) -> list[Comparison]:
        return [c for c in self.compared() if not c.agrees]

    def unclear(self) -> list[Comparison]:
        """Not compared: several rows of the tabellen could be the figure, with other amounts."""
        return [c for c in self.comparisons if c.candidates]


class LineJoin(Record):
    """One budget line of an article that both a document and the open data hold: joined
    when both name it alike under the same instrument, else the side that has it alone."""

    hoofdstuk: str
    artikel: str
    instrument: str
    line: str
    document_line: Provenance | None = None  # the document's row, where it has the line
    document_years: tuple[int, ...] = ()
    open_line: SourceRow | None = None  # the first open-data row of the line
    open_years: tuple[int, ...] = ()

    @property
    def joined(self) -> bool:
        return self.document_line is not None and self.open_line is not None


class FindingKind(StrEnum):
    """What `geldstroom validate` reports about a row: each is reported, never repaired."""

    MISMATCH = "mismatch"  # a stated total that differs from the sum of its parts
    REPEATED_ROW = "repeated row"  # read once; `other` is the row it repeats
    SKIPPED_ROW = "skipped row"  # not read; `detail` says why
    REMARK = "read with a remark"  # read, with something to say (`detail`)
    CONFLICT = "conflict"  # two rows give the same figure different amounts
    RECONCILIATION_DIFFERENCE = "reconciliation difference"  # begrotingsstaat vs tabellen
    RECONCILIATION_CANDIDATES_DIFFER = "reconciliation candidates differ"  # no one row to compare
    KVK_NUMBERS_DIFFER = "kvk numbers differ"  # one organisation given two KvK numbers
    # a line's label names an abbreviation registered organisations share: `other` the candidates
    AMBIGUOUS_RECIPIENT = "recipient ambiguous"
    # a recipient's stated amount and lines naming it, the same money (graph/same_money.py)
    SAME_MONEY = "same money, two sources"


class Finding(Record):
    """One row of `validate --format csv|json`: what was found, where, and the euros where
    they apply (stated: the total, the first row, the begrotingsstaat; found: the parts, the
    second row, the budgettaire tabellen)."""

    source: str  # "document", or the open dataset
    file: str  # the document id, or the data file's name
    line: int
    finding: FindingKind
    subject: str = ""  # the row, budget line or article concerned
    detail: str = ""  # the reason, the level of a total
    year: int | None = None
    stage: Stage | None = None
    stated_euros: int | None = None
    found_euros: int | None = None
    other: str = ""  # the other row involved, file:line

    @property
    def difference_euros(self) -> int | None:
        if self.stated_euros is None or self.found_euros is None:
            return None
        return self.found_euros - self.stated_euros
