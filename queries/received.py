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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache

from geldstroom.graph.flows import Flow, UnplacedPayment
from geldstroom.graph.same_money import counted_once, money_kind_of_file
from geldstroom.kinds import UNNAMED_MINISTRIES, OpenDataset

# Sources as a reader names them.
DOCUMENT_LINE = "document line"
TABLE_LINE = "budget table line"
SUBSIDY = "subsidy"
BIJDRAGE = "bijdrage medeoverheid"
TURNOVER = "agency turnover"
INSTRUMENT_ROW = "financieel instrument"
_SOURCE_OF_KIND = {
    OpenDataset.SUBSIDIES: SUBSIDY, OpenDataset.MEDEOVERHEDEN: BIJDRAGE,
    OpenDataset.AGENTSCHAPPEN: TURNOVER, OpenDataset.BUDGETTAIRE_TABELLEN: TABLE_LINE,
}

COUNTED = "counted"
SHARED = "shared: not added"
SEEN_TWICE = "same money as a stated amount: not added"


@dataclass(frozen=True)
class Stated:
    """An amount a source states for the recipient on no chosen line."""

    recipient: str
    year: int
    euros: int
    hoofdstuk: str  # the payer's hoofdstuk, or UNNAMED_MINISTRIES
    document: str
    source_line: int
    stage: str = "realisatie"
    label: str = ""


@dataclass(frozen=True)
class ReceivedRow:
    """One row behind a total: counted, or shown apart and why."""

    year: int
    payer: str  # as people say it: "VWS (XVI)"
    source: str  # DOCUMENT_LINE, TABLE_LINE, SUBSIDY, BIJDRAGE, TURNOVER, INSTRUMENT_ROW
    stage: str
    euros: int
    status: str  # COUNTED, SHARED, SEEN_TWICE
    label: str  # the budget line, or the row's own words
    document: str
    line: int
    shared_with: int = 0  # others on a shared line

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


@cache
def _payer_names() -> dict[str, str]:
    """hoofdstuk -> the payer's short name: 'VWS' from 'minister van VWS', else its name."""
    from geldstroom.loaders.actors.payers import bundled_payers  # late: pulls pydantic

    payers = bundled_payers()
    out = {}
    for actor in payers.actors:
        forms = (actor.name, *actor.aliases)
        short = [f.split(" van ", 1)[1] for f in forms
                 if f.lower().startswith(("minister van ", "minister voor "))
                 and " van " in f and f.split(" van ", 1)[1].isupper()]
        plain = actor.name.removeprefix("Minister van ").removeprefix("Minister voor ")
        for code, payer in payers.by_hoofdstuk.items():
            if payer == actor.id:
                out[code] = short[0] if short else plain
    return out


def payer_label(hoofdstuk: str) -> str:
    """'VWS (XVI)', 'Gemeentefonds (B)'; the agencies' other ministries as the file says."""
    if hoofdstuk == UNNAMED_MINISTRIES:
        return UNNAMED_MINISTRIES
    name = _payer_names().get(hoofdstuk)
    return f"{name} ({hoofdstuk})" if name else hoofdstuk


def _source_of_flow(flow: Flow, kind_of_file: Callable[[str], OpenDataset | None]) -> str:
    kind = kind_of_file(flow.document)
    if kind is None:
        return INSTRUMENT_ROW if flow.stated else DOCUMENT_LINE
    return _SOURCE_OF_KIND.get(kind, INSTRUMENT_ROW)


def received(recipient: str, name: str, flows: Iterable[Flow],
             stated: Iterable[Stated | UnplacedPayment],
             kind_of_file: Callable[[str], OpenDataset | None] = money_kind_of_file,
             ) -> Received:
    """The recipient's money per year: its flows (from the graph or the store) and the
    amounts stated for it on no chosen line, under the one rule of graph/same_money.py."""
    mine = [f for f in flows if recipient in f.recipients]
    result = counted_once(recipient, mine, list(stated), kind_of_file)
    seen_twice = {id(f) for same in result.same_money for f in same.not_added}
    rows: list[ReceivedRow] = []
    for flow in mine:
        shared = flow.shared or len(flow.recipients) > 1
        status = SHARED if shared else SEEN_TWICE if id(flow) in seen_twice else COUNTED
        rows.append(ReceivedRow(
            year=flow.year, payer=payer_label(flow.hoofdstuk),
            source=_source_of_flow(flow, kind_of_file), stage=flow.stage, euros=flow.euros,
            status=status, label=flow.line, document=flow.document, line=flow.source_line,
            shared_with=len(flow.recipients) - 1 + flow.unnamed_others if shared else 0))
    for item in result.stated:
        kind = kind_of_file(item.document)
        rows.append(ReceivedRow(
            year=item.year, payer=payer_label(item.hoofdstuk),
            source=_SOURCE_OF_KIND.get(kind, INSTRUMENT_ROW) if kind else INSTRUMENT_ROW,
            stage=item.stage, euros=item.euros, status=COUNTED, label=item.label,
            document=item.document, line=item.source_line))
    rows.sort(key=lambda r: (r.year, r.status != COUNTED, -r.euros, r.document, r.line))
    return Received(recipient, name, _years(rows), rows)


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


def stated_from_evidence(recipient: str, year: int, euros: int, hoofdstuk: str,
                         evidence: Sequence[str], label: str = "") -> Stated:
    """A store's stated amount (its evidence "file:line: name as written") as Stated."""
    where = evidence[0].split(": ", 1)[0] if evidence else ":0"
    document, _, line = where.rpartition(":")
    return Stated(recipient, year, euros, hoofdstuk, document, int(line or 0), label=label)
