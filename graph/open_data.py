"""The Finance ministry's open data in the money-flow graph: the budgettaire tabellen's lines
and figures beside the documents' (one rule chooses among them all), and the stated payments
of the subsidies, medeoverheden and agentschappen files as PAYS edges with their own euros.

Open-data budget lines get ids from their source keys (hoofdstuk, artikel, onderdeel,
instrument, line, detail, occurrence), in the manner of followthemoney's make_entity_id: the
same keys always give the same id, and keys that differ never share one. A line that
loaders/line_join.py joins with a document's line (same article, same instrument, same name)
takes the document's line id, so both sources' figures sit on one node.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from geldstroom.loaders.actors.names import split_name
from geldstroom.loaders.actors.open_data_claims import payment_claims
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.documents.instruments import instrument_key, normalise
from geldstroom.loaders.line_join import line_join_key
from geldstroom.model import (
    UNNAMED_MINISTRIES,
    BudgetLine,
    BudgetTable,
    Figure,
    LineMatch,
    Payment,
    PaymentKind,
    RowLevel,
    Side,
    line_id,
)

if TYPE_CHECKING:

    from geldstroom.loaders.actors.claims import NameClaim
    from geldstroom.loaders.opendata.corpus import OpenCorpus

# Where payments sit that the sources tie no further than this (BudgetLineNode.scope).
SCOPE_LINE = "line"
SCOPE_INSTRUMENT = "instrument"
SCOPE_ARTIKEL = "artikel"
SCOPE_HOOFDSTUK = "hoofdstuk"
# A line only a payment row names (Financiële instrumenten: hoofdstuk, artikel, onderdeel,
# instrument, regeling), that no chosen budget table has for the year: its own node.
SCOPE_REGELING = "regeling"
# The payer node of money from ministries the data does not name (agencies' turnover).
UNNAMED_MINISTRIES_ID = "overige-departementen"


def open_line_id(line: BudgetLine) -> str:
    """A stable id from an open-data line's source keys: readable hoofdstuk and artikel, then
    a digest of every key (an empty key counts as empty, so keys never shift into another's
    place)."""
    keys = (line.hoofdstuk, line.artikel, line.onderdeel, line.instrument, line.line,
            line.detail, str(line.occurrence))
    digest = hashlib.sha1("\x1f".join(k or "" for k in keys).encode("utf-8")).hexdigest()
    return f"{line.hoofdstuk} > artikel {line.artikel} > {digest[:16]}"


def regeling_line_id(line: BudgetLine) -> str:
    """The readable id of a line only payment rows name: every part in its place ('-' for
    a part not given), so two lines never share one."""
    parts = (line.hoofdstuk, f"artikel {line.artikel}", line.onderdeel or "-",
             line.instrument or "-", line.line or "-", line.detail or "-")
    return " > ".join(parts)


def open_line_path(line: BudgetLine) -> list[str]:
    return [p for p in (line.onderdeel, line.instrument, line.line, line.detail) if p]


def scope_id(hoofdstuk: str, artikel: str | None = None, onderdeel: str | None = None,
             instrument: str | None = None) -> str:
    """The node of payments tied only to an instrument, an article or a hoofdstuk."""
    if artikel is None:
        return f"{hoofdstuk} > (artikel niet bekend)"
    if instrument is None:
        return f"{hoofdstuk} > artikel {artikel} > (regel niet bekend)"
    return (f"{hoofdstuk} > artikel {artikel} > {onderdeel or '-'} > {instrument}"
            " > (regel niet bekend)")


def joined_line_ids(tables: Sequence[BudgetTable],
                    figures: Iterable[Figure]) -> dict[str, str]:
    """Open-data line id -> document line id, for the lines loaders/line_join.py joins (same
    article, instrument and name). A name that two open-data lines of one file share is not
    joined: one node would then hold two figures of one source."""
    documents: dict[tuple[str, ...], tuple[int, str]] = {}
    years = {t.document: 0 for t in tables}
    for table in tables:
        for row in table.rows():
            if row.level is not RowLevel.REGELING or len(row.path) < 2:
                continue
            key = line_join_key(table.hoofdstuk, table.artikel, row.path[-2], row.label)
            newest = max(a.year for a in row.amounts) if row.amounts else years[table.document]
            found = documents.get(key)
            if found is None or newest > found[0]:
                documents[key] = (newest, line_id(table.hoofdstuk, table.artikel, row.path))
    per_file: dict[tuple[str, ...], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for figure in figures:
        line = figure.line
        if line.side is not Side.UITGAVEN or not line.instrument or not line.line:
            continue
        key = line_join_key(line.hoofdstuk, line.artikel, line.instrument, line.line)
        if key in documents:
            per_file[key][figure.source.file].add(open_line_id(line))
    out: dict[str, str] = {}
    for key, files in per_file.items():
        if all(len(ids) == 1 for ids in files.values()):
            for ids in files.values():
                out[next(iter(ids))] = documents[key][1]
    return out


class PlacedPayment(NamedTuple):  # one per payment: a frozen dataclass's __init__ was 2x
    """A payment with the node it is paid from and the actor it is paid to."""

    payment: Payment
    node: str
    scope: str
    hoofdstuk: str
    artikel: str
    path: tuple[str, ...]
    label: str
    instrument: str
    recipient: str  # an actor id, or 'unattributed'


@dataclass
class OpenDataReport:
    """What putting the open data into the graph counted, found and left out: nothing is
    dropped in silence. Read it with build.open_data_report(graph)."""

    figures_by_side: dict[str, int] = field(default_factory=dict)
    figures_zero: int = 0  # chosen or not, a figure of 0 has no ALLOCATES (no money)
    joined_lines: int = 0
    payments_by_scope: dict[str, int] = field(default_factory=dict)
    unresolved_recipients: list[str] = field(default_factory=list)  # "file:line: name"
    unknown_payers: list[str] = field(default_factory=list)  # "file:line: payer as written"
    # uitgaven figures of a hoofdstuk no payer is listed for, per "code (file)": left out
    unknown_hoofdstukken: dict[str, int] = field(default_factory=dict)
    computed_uitgaven: list[tuple[str, str, int]] = field(default_factory=list)
    # (hoofdstuk, artikel, year) -> "file:line" of the stated article total in uitgaven
    uitgaven_sources: dict[tuple[str, str, int], str] = field(default_factory=dict)


def place_payments(
    payments: Iterable[Payment],
    line_ids_by_keys: dict[tuple[str, ...], set[str]],
    register: ActorRegister,
    known_hoofdstukken: set[str],
    report: OpenDataReport,
    unattributed: str,
) -> list[PlacedPayment]:
    """Each payment on the node it is paid from: the budget line where its keys tell exactly
    one line of the chosen tables for its year, else the instrument, the article or the
    hoofdstuk it is tied to."""
    placed = []
    # 700 000 payments name far fewer recipients and lines: each is resolved once.
    resolved: dict[str, str | None] = {}
    # (node, scope, path) per line record (by id: the records are alive in the payments, and
    # hashing a BudgetLine hashes every field), year and kind of payment
    line_places: dict[tuple[int, int, PaymentKind], tuple[str, str, tuple[str, ...]]] = {}
    for payment in payments:
        if payment.recipient is None:
            recipient = unattributed
        else:
            found = resolved.get(payment.recipient, "")
            if found == "":
                found = resolved[payment.recipient] = register.resolve(
                    payment.recipient) or register.resolve(
                    split_name(payment.recipient)[0] or payment.recipient)
            if found is None:  # two organisations share the name: it stays unknown
                report.unresolved_recipients.append(f"{payment.source}: {payment.recipient}")
                recipient = unattributed
            else:
                recipient = found
        hoofdstuk = payment.payer
        if hoofdstuk != UNNAMED_MINISTRIES and hoofdstuk not in known_hoofdstukken:
            report.unknown_payers.append(f"{payment.source}: {hoofdstuk}")
        line = payment.line
        artikel = payment.artikel
        if payment.match is LineMatch.LINE and line is not None:
            place_key = (id(line), payment.year, payment.kind)
            place = line_places.get(place_key)
            if place is None:
                place = line_places[place_key] = _line_place(
                    line, payment.year, payment.kind, line_ids_by_keys)
            node, scope, path = place
            placed.append(PlacedPayment(
                payment=payment, node=node, scope=scope, hoofdstuk=line.hoofdstuk,
                artikel=line.artikel, path=path, label=path[-1] if path else "",
                instrument=line.instrument or "(geen instrument)", recipient=recipient))
        elif payment.match is not LineMatch.NONE and artikel is not None:
            placed.append(PlacedPayment(
                payment=payment, node=scope_id(hoofdstuk, artikel), scope=SCOPE_ARTIKEL,
                hoofdstuk=hoofdstuk, artikel=artikel, path=(),
                label=f"artikel {artikel} (regel niet bekend)",
                instrument="(niet bekend)", recipient=recipient))
        else:
            placed.append(PlacedPayment(
                payment=payment, node=scope_id(hoofdstuk), scope=SCOPE_HOOFDSTUK,
                hoofdstuk=hoofdstuk, artikel="", path=(), label="(artikel niet bekend)",
                instrument="(niet bekend)", recipient=recipient))
    for item in placed:
        report.payments_by_scope[item.scope] = report.payments_by_scope.get(item.scope, 0) + 1
    return placed


def _line_place(line: BudgetLine, year: int, kind: PaymentKind,
                line_ids_by_keys: dict[tuple[str, ...], set[str]]
                ) -> tuple[str, str, tuple[str, ...]]:
    """The node, scope and path of a payment of `year` on `line`: the budget line where
    its keys tell exactly one line of the chosen tables, else its regeling (Financiële
    instrumenten) or its instrument."""
    ids = line_ids_by_keys.get(_payment_keys(line, year), set())
    if len(ids) == 1:
        return next(iter(ids)), SCOPE_LINE, tuple(open_line_path(line))
    if kind is PaymentKind.FINANCIEEL_INSTRUMENT and line.line:
        return regeling_line_id(line), SCOPE_REGELING, tuple(open_line_path(line))
    return (scope_id(line.hoofdstuk, line.artikel, line.onderdeel,
                     line.instrument or "(geen instrument)"), SCOPE_INSTRUMENT,
            tuple(p for p in (line.onderdeel, line.instrument) if p))


def _payment_keys(line: BudgetLine, year: int) -> tuple[str, ...]:
    return (line.hoofdstuk, line.artikel, str(year), line.onderdeel or "",
            instrument_key(line.instrument or ""), normalise(line.line or ""),
            normalise(line.detail or ""))


def line_keys(line: BudgetLine, year: int) -> list[tuple[str, ...]]:
    """The keys a payment of `year` may give to reach this line: the whole line, and its
    instrument (subsidies name only artikel, onderdeel and instrument)."""
    whole = _payment_keys(line, year)
    return [whole, (*whole[:5], "", "")]


def open_payments(open_data: OpenCorpus) -> list[Payment]:
    return [p for part in (open_data.subsidies, open_data.medeoverheden,
                           open_data.agentschappen, open_data.instrumenten)
            for p in part.payments]


def open_data_claims(open_data: OpenCorpus) -> list[NameClaim]:
    """Every recipient the open data names, as a claim for the register (file and line)."""
    return payment_claims(open_payments(open_data))


def open_register(open_data: OpenCorpus, base: ActorRegister | None = None) -> ActorRegister:
    """The actor register with every recipient the open data names (as core/cli_actors
    does for `actors --open-data`): "Stichting CAOP" becomes the begroting's CAOP."""
    return (base or ActorRegister.load()).with_claims(open_data_claims(open_data))
