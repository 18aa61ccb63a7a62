"""What one recipient received, per year, counted once: the total, split by payer (as people
say it: "VWS (XVI)"), by source and by stage, with every row behind it citing file:line.

Counted: a line it is paid alone (a document or the line's own label names it), a stated
amount on a line (a subsidy, a bijdrage, a Financiële instrumenten row), and an amount stated
for it on no known line (the agency's turnover, a subsidy tied only to an article): money that
recipient received. Not added, and said why: a line it shares with others (the split is not
published; the whole line is shown), and a line that shows money already counted as a stated
amount (graph/same_money.py, the one rule). Front ends render `Received`; nothing here
prints.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from geldstroom.graph.flows import Flow, UnplacedPayment
from geldstroom.graph.same_money import (  # the sources as a reader names them
    BIJDRAGE as BIJDRAGE,
)
from geldstroom.graph.same_money import (
    DOCUMENT_LINE as DOCUMENT_LINE,
)
from geldstroom.graph.same_money import (
    INSTRUMENT_ROW as INSTRUMENT_ROW,
)
from geldstroom.graph.same_money import (
    SUBSIDY as SUBSIDY,
)
from geldstroom.graph.same_money import (
    TABLE_LINE as TABLE_LINE,
)
from geldstroom.graph.same_money import (
    TURNOVER as TURNOVER,
)
from geldstroom.graph.same_money import (
    counted_once,
    money_kind_of_file,
    source_of,
)
from geldstroom.graph.shared_names import UNNAMED_OTHERS
from geldstroom.kinds import OpenDataset
from geldstroom.loaders.actors.payers import payer_label

COUNTED = "counted"
SHARED = "shared: not added"
SEEN_TWICE = "same money as a stated amount: not added"


@dataclass(frozen=True)
class ReceivedRow:
    """One row behind a total: counted, or shown apart and why; with where it stands
    (file:line) and the source's own words."""

    year: int
    payer: str  # as people say it: "VWS (XVI)"
    source: str  # DOCUMENT_LINE, TABLE_LINE, SUBSIDY, BIJDRAGE, TURNOVER, INSTRUMENT_ROW
    stage: str
    euros: int
    status: str  # COUNTED, SHARED, SEEN_TWICE
    label: str  # the budget line, or the place a stated amount is tied to
    document: str
    line: int
    shared_with: int = 0  # others on a shared line
    quote: str = ""  # the source row's words: the line's label, the recipient as written
    instrument: str = ""  # the budget line's instrument (of the node an amount on no line
    # is tied to: "Subsidies", or "" where that is an artikel or hoofdstuk)
    line_id: str = ""  # the budget line (or "artikel X, line not known") it stands on
    shared_names: tuple[str, ...] = ()  # the others on a shared line, by name
    hoofdstuk: str = ""  # the payer's code (XVI), or the payer as the file writes it

    @property
    def where(self) -> str:
        return f"{self.document}:{self.line}"


@dataclass(frozen=True)
class YearReceived:
    year: int
    total_euros: int  # counted
    by_payer: dict[str, int]
    by_source: dict[str, int]
    by_stage: dict[str, int]
    shared_euros: int  # whole amounts of the lines it shares: never added
    shared_lines: int
    not_added_euros: int  # lines showing money already counted as stated


# One flat table of a recipient's answer (CSV; JSON nests the same): `row_kind` says what a
# row is. Per year: TOTAL (what it received, counted once), BY_PAYER / BY_SOURCE / BY_STAGE
# (the total split three ways), SHARED_TOTAL (whole amounts of the lines it shares, never
# added) and NOT_ADDED_TOTAL (lines showing money already counted as stated); then the rows
# behind them: DETAIL (counted), SHARED_LINE and SAME_MONEY (shown, not added). The DETAIL
# rows of a year add up to its TOTAL; each kind's rows add up to the total they split.
TOTAL, BY_PAYER, BY_SOURCE, BY_STAGE = "total", "by_payer", "by_source", "by_stage"
SHARED_TOTAL, NOT_ADDED_TOTAL = "shared_total", "not_added_total"
DETAIL, SHARED_LINE, SAME_MONEY = "detail", "shared_line", "same_money"
ROW_KIND_OF_STATUS = {COUNTED: DETAIL, SHARED: SHARED_LINE, SEEN_TWICE: SAME_MONEY}
ANSWER_COLUMNS = ("row_kind", "recipient", "name", "year", "payer", "source", "stage",
                  "instrument", "status", "euros", "shared_euros", "count", "shared_with",
                  "label", "quote", "where", "line_id")


@dataclass
class Received:
    recipient: str
    name: str
    years: list[YearReceived] = field(default_factory=list)
    rows: list[ReceivedRow] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"recipient": self.recipient, "name": self.name,
                "years": [asdict(y) for y in self.years],
                "rows": [{**asdict(r), "where": r.where} for r in self.rows]}

    def to_rows(self) -> list[dict[str, object]]:
        """The same as to_json, flat: per year its totals, then the rows behind them
        (ANSWER_COLUMNS, `row_kind` as above). Nothing of to_json is left out."""
        out: list[dict[str, object]] = []
        for y in self.years:
            rows = [r for r in self.rows if r.year == y.year]
            counted = [r for r in rows if r.status == COUNTED]
            out.append(self._record(TOTAL, y.year, euros=y.total_euros, count=len(counted)))
            for kind, parts, field_name in ((BY_PAYER, y.by_payer, "payer"),
                                            (BY_SOURCE, y.by_source, "source"),
                                            (BY_STAGE, y.by_stage, "stage")):
                for key, euros in parts.items():
                    behind = sum(getattr(r, field_name) == key for r in counted)
                    out.append(self._record(kind, y.year, euros=euros, count=behind,
                                            **{field_name: key}))
            if y.shared_lines:
                out.append(self._record(SHARED_TOTAL, y.year, euros=y.shared_euros,
                                        count=y.shared_lines))
            if y.not_added_euros:
                out.append(self._record(NOT_ADDED_TOTAL, y.year, euros=y.not_added_euros,
                                        count=sum(r.status == SEEN_TWICE for r in rows)))
            for r in rows:
                out.append(self._record(
                    ROW_KIND_OF_STATUS[r.status], r.year, payer=r.payer, source=r.source,
                    stage=r.stage, instrument=r.instrument, status=r.status, euros=r.euros,
                    count=r.shared_with if r.status == SHARED else None,
                    shared_with=list(r.shared_names), label=r.label, quote=r.quote,
                    where=r.where, line_id=r.line_id))
        return out

    def _record(self, kind: str, year: int, **values: object) -> dict[str, object]:
        record: dict[str, object] = dict.fromkeys(ANSWER_COLUMNS)
        record.update(row_kind=kind, recipient=self.recipient, name=self.name, year=year,
                      **values)
        return record


def received(recipient: str, name: str, flows: Iterable[Flow],
             stated: Iterable[UnplacedPayment],
             kind_of_file: Callable[[str], OpenDataset | None] = money_kind_of_file,
             names: Mapping[str, str] | None = None) -> Received:
    """The recipient's money per year: its flows (from the graph or the store) and the
    amounts stated for it on no chosen line, under the one rule of graph/same_money.py.
    `names`: actor id -> name, for the others on a shared line."""
    mine = [f for f in flows if recipient in f.recipients]
    result = counted_once(recipient, mine, list(stated), kind_of_file)
    seen_twice = {id(f) for same in result.same_money for f in same.not_added}
    named = names or {}
    rows: list[ReceivedRow] = []
    for flow in mine:
        shared = flow.shared or len(flow.recipients) > 1
        status = SHARED if shared else SEEN_TWICE if id(flow) in seen_twice else COUNTED
        others = [named.get(r, r) for r in flow.recipients if r != recipient]
        if shared and flow.unnamed_others:
            others.append(UNNAMED_OTHERS)
        rows.append(ReceivedRow(
            year=flow.year, payer=payer_label(flow.hoofdstuk),
            source=source_of(flow.document, flow.stated, kind_of_file), stage=flow.stage,
            euros=flow.euros,
            status=status, label=flow.line, document=flow.document, line=flow.source_line,
            shared_with=len(flow.recipients) - 1 + flow.unnamed_others if shared else 0,
            quote=flow.line, instrument=flow.instrument, line_id=flow.line_id,
            shared_names=tuple(others) if shared else (), hoofdstuk=flow.hoofdstuk))
    for item in result.stated:
        rows.append(ReceivedRow(
            year=item.year, payer=payer_label(item.hoofdstuk),
            source=source_of(item.document, True, kind_of_file),
            stage=item.stage, euros=item.euros, status=COUNTED, label=item.label,
            document=item.document, line=item.source_line,
            quote=_written(item.evidence), line_id=item.line_id, hoofdstuk=item.hoofdstuk,
            instrument=item.instrument))
    rows.sort(key=lambda r: (r.year, r.status != COUNTED, -r.euros, r.document, r.line))
    return Received(recipient, name, _years(rows), rows)


def _written(evidence: Sequence[str]) -> str:
    """The recipient's name as the source row writes it (evidence "file:line: name"); when
    several rows stand behind one amount, each with its own file:line."""
    if len(evidence) == 1:
        where, _, words = evidence[0].partition(": ")
        return words or where
    return "; ".join(evidence)


def _years(rows: Sequence[ReceivedRow]) -> list[YearReceived]:
    out = []
    for year in sorted({r.year for r in rows}):
        of_year = [r for r in rows if r.year == year]
        counted = [r for r in of_year if r.status == COUNTED]
        by: dict[str, dict[str, int]] = {k: defaultdict(int) for k in ("payer", "source",
                                                                        "stage")}
        for r in counted:
            by["payer"][r.payer] += r.euros
            by["source"][r.source] += r.euros
            by["stage"][r.stage] += r.euros
        shared = [r for r in of_year if r.status == SHARED]
        out.append(YearReceived(
            year=year, total_euros=sum(r.euros for r in counted),
            by_payer=_largest_first(by["payer"]), by_source=_largest_first(by["source"]),
            by_stage=_largest_first(by["stage"]),
            shared_euros=sum(r.euros for r in shared), shared_lines=len(shared),
            not_added_euros=sum(r.euros for r in of_year if r.status == SEEN_TWICE)))
    return out


def _largest_first(parts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(parts.items(), key=lambda kv: (-kv[1], kv[0])))
