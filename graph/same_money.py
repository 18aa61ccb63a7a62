"""THE rule of money seen by two sources: counted once, and which source counts.

One recipient's money from one payer in one year can reach geldstroom twice:
- an agency's turnover ("omzet moeder departement", "omzet overige departementen": the
  agentschappen file) and its ministry's "Bijdrage aan agentschappen: <agency>" lines;
- a bijdrage aan een medeoverheid stated per recipient and a medeoverheden line labelled with it;
- a subsidy row and a subsidies line that names its recipient.
(A document's line and the same line in a budget table are one line node already: see
graph/open_data.joined_line_ids, and one figure of it counts: graph/build._rank.)

The rule: **the amount stated for the recipient counts** (the recipient's own turnover, or
the payer's row naming it): it is what that recipient received, realised, from a row that
names it alone. A line that pays the recipient alone (its label or a document names it), of
the same payer (or, for "overige departementen", of any payer other than those the same
source names), year and kind of money, is the same money seen from the budget: kept in the
payer's totals, listed beside the recipient, never added to the recipient's total. The
difference between the two is a finding of `validate` (SameMoney.difference_euros), never
repaired. Shared lines are never added to a recipient's total in any case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from geldstroom.kinds import UNNAMED_MINISTRIES, OpenDataset
from geldstroom.loaders.documents.instruments import instrument_key
from geldstroom.loaders.opendata.csv_files import data_name

if TYPE_CHECKING:
    from geldstroom.model import Finding


class LineMoney(Protocol):
    """A flow of a budget line (graph/build.Flow, or the store's)."""

    year: int
    euros: int
    hoofdstuk: str
    instrument: str
    recipients: tuple[str, ...]
    stated: bool
    line_id: str
    document: str
    source_line: int

    @property
    def shared(self) -> bool: ...


class StatedMoney(Protocol):
    """An amount a source states for a recipient on no chosen line (UnplacedPayment)."""

    recipient: str
    year: int
    euros: int
    hoofdstuk: str  # the payer's hoofdstuk, or UNNAMED_MINISTRIES
    document: str
    source_line: int


@dataclass(frozen=True)
class SameMoney:
    """One recipient's money of one payer, year and kind, seen by a stated amount and by
    budget lines: the stated amount counts, the lines are not added."""

    recipient: str
    year: int
    payer: str  # hoofdstuk, or UNNAMED_MINISTRIES ("overige departementen")
    kind: OpenDataset
    counted: tuple[StatedMoney, ...]
    not_added: tuple[LineMoney, ...]

    @property
    def stated_euros(self) -> int:
        return sum(s.euros for s in self.counted)

    @property
    def line_euros(self) -> int:
        return sum(f.euros for f in self.not_added)

    @property
    def difference_euros(self) -> int:
        """Lines minus stated: what the budget shows more (positive) or less."""
        return self.line_euros - self.stated_euros


@dataclass(frozen=True)
class CountedOnce:
    """A recipient's money with the rule applied: what counts, and what is seen twice."""

    lines: tuple[LineMoney, ...]  # line flows that count (stated flows on a line included)
    stated: tuple[StatedMoney, ...]  # amounts stated on no chosen line: they count too
    same_money: tuple[SameMoney, ...]  # lines not added, each beside the amount that counts


def money_kind_of_instrument(instrument: str) -> OpenDataset | None:
    """The kind of stated money a line of this instrument may repeat."""
    key = instrument_key(instrument)
    if "agentschap" in key or "batenlasten" in key or "baten lasten" in key:
        return OpenDataset.AGENTSCHAPPEN
    if "medeoverheden" in key or "mede overheden" in key or "andere overheden" in key:
        return OpenDataset.MEDEOVERHEDEN
    if "subsidie" in key:
        return OpenDataset.SUBSIDIES
    return None


# Where an amount comes from, as a reader names it (`summary NAME`'s "by source", the
# ranking's --source, the store's source_kind).
DOCUMENT_LINE = "document line"
TABLE_LINE = "budget table line"
SUBSIDY = "subsidy"
BIJDRAGE = "bijdrage medeoverheid"
TURNOVER = "agency turnover"
INSTRUMENT_ROW = "financieel instrument"
SOURCES = (DOCUMENT_LINE, TABLE_LINE, SUBSIDY, BIJDRAGE, TURNOVER, INSTRUMENT_ROW)
_SOURCE_OF_KIND = {
    OpenDataset.SUBSIDIES: SUBSIDY, OpenDataset.MEDEOVERHEDEN: BIJDRAGE,
    OpenDataset.AGENTSCHAPPEN: TURNOVER, OpenDataset.BUDGETTAIRE_TABELLEN: TABLE_LINE,
}


def source_of(document: str, stated: bool,
              kind_of_file: Callable[[str], OpenDataset | None] | None = None) -> str:
    """The source of a line's figure (`stated` False) or of an amount stated for a
    recipient (True), from the file it stands in: a document's line, a budget table's line,
    a subsidy, a bijdrage, agency turnover; any other stated row a financieel instrument."""
    kind = (kind_of_file or money_kind_of_file)(document)
    if kind is None:
        return INSTRUMENT_ROW if stated else DOCUMENT_LINE
    return _SOURCE_OF_KIND.get(kind, INSTRUMENT_ROW)


@cache
def _bundled_kinds() -> dict[str, OpenDataset]:
    from geldstroom.loaders.opendata.sources import read_sources  # late: pydantic

    return {data_name(Path(s.path)): s.dataset for s in read_sources()}


def files_of_a_kind() -> frozenset[str]:
    """The files money_kind_of_file gives a kind."""
    return frozenset(_bundled_kinds())


def money_kind_of_file(file: str) -> OpenDataset | None:
    """The dataset a stated amount's file belongs to (the bundled sources manifest)."""
    return _bundled_kinds().get(file)


def counted_once(
    recipient: str,
    flows: Iterable[LineMoney],
    stated: Iterable[StatedMoney],
    kind_of_file: Callable[[str], OpenDataset | None] = money_kind_of_file,
) -> CountedOnce:
    """Apply the rule to one recipient's flows and the amounts stated for it on no line."""
    stated = tuple(s for s in stated if s.recipient == recipient)
    # (year, kind) -> payers the stated amounts name, and whether "overige departementen"
    named: dict[tuple[int, OpenDataset], set[str]] = defaultdict(set)
    for item in stated:
        kind = kind_of_file(item.document)
        if kind is not None:
            named[(item.year, kind)].add(item.hoofdstuk)
    seen: dict[tuple[int, str, OpenDataset], list[LineMoney]] = defaultdict(list)
    counted: list[LineMoney] = []
    for flow in flows:
        kind = money_kind_of_instrument(flow.instrument)
        payers = named.get((flow.year, kind), set()) if kind is not None else set()
        alone = not flow.stated and not flow.shared and flow.recipients == (recipient,)
        if alone and kind is not None and flow.hoofdstuk in payers:
            seen[(flow.year, flow.hoofdstuk, kind)].append(flow)
        elif alone and kind is not None and UNNAMED_MINISTRIES in payers:
            seen[(flow.year, UNNAMED_MINISTRIES, kind)].append(flow)
        else:
            counted.append(flow)
    same = []
    for (year, payer, kind), lines in sorted(seen.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        rows = tuple(s for s in stated if s.year == year and s.hoofdstuk == payer
                     and kind_of_file(s.document) is kind)
        same.append(SameMoney(recipient, year, payer, kind, rows, tuple(lines)))
    return CountedOnce(tuple(counted), stated, tuple(same))


def every_same_money(
    flows: Sequence[LineMoney],
    stated: Sequence[StatedMoney],
    kind_of_file: Callable[[str], OpenDataset | None] = money_kind_of_file,
) -> list[SameMoney]:
    """The rule applied to every recipient with a stated amount (for `validate`)."""
    by_recipient: dict[str, list[LineMoney]] = defaultdict(list)
    for flow in flows:
        if len(flow.recipients) == 1:
            by_recipient[flow.recipients[0]].append(flow)
    stated_for: dict[str, list[StatedMoney]] = defaultdict(list)
    for item in stated:
        stated_for[item.recipient].append(item)
    out: list[SameMoney] = []
    for recipient, items in sorted(stated_for.items()):
        out += counted_once(recipient, by_recipient.get(recipient, ()), items,
                            kind_of_file).same_money
    return out


def same_money_findings(items: Iterable[SameMoney]) -> list[Finding]:
    """`validate`'s rows: where a recipient's stated amount and the lines naming it differ.
    stated_euros: the stated amount (it counts); found_euros: the lines (not added)."""
    from geldstroom.model import Finding, FindingKind  # late: pydantic, as above

    out = []
    for item in items:
        if item.difference_euros == 0:
            continue
        first = item.counted[0]
        out.append(Finding(
            source=item.kind.value, file=first.document, line=first.source_line,
            finding=FindingKind.SAME_MONEY, subject=item.recipient,
            detail=f"paid by {item.payer}: the stated amount counts, "
            f"{len(item.not_added)} line(s) naming it are not added",
            year=item.year, stated_euros=item.stated_euros, found_euros=item.line_euros,
            other=" | ".join(f"{f.document}:{f.source_line}" for f in item.not_added)))
    return out
