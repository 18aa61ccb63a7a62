"""Recipients ranked by what they received, counted once: the total `summary NAME` gives per
year (queries/received.py: amounts stated for it, lines paying it alone; lines it shares
apart, never added; a line showing money already counted as stated not added again), summed
over the year asked (or every year), largest first.

Filters narrow the rows behind each total, never the rule: the counted-once rule is applied
to all of a recipient's money first, then only the rows of the payers, sources and
instruments asked count. An actor kind leaves whole recipients out. The named query
`top_recipients` (queries/top_recipients.cypher) gives the same ranking for the same
filters, summed by the engine over the rule's stored marks; on the store the ranking is
that query's (ranked_in_store), on a graph in memory the rule applied to every row
(ranked_by_rows). tests/test_ranking.py holds them equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from geldstroom.errors import InputError
from geldstroom.graph.flows import Flow, FlowSource, UnplacedPayment
from geldstroom.graph.same_money import SOURCES
from geldstroom.graph.shared_names import UNATTRIBUTED, UNNAMED_OTHERS
from geldstroom.graph.store_flows import StoreFlows
from geldstroom.kinds import PAYER_KINDS, ActorKind
from geldstroom.loaders.actors.payers import bundled_payers, payer_label
from geldstroom.queries.named import named_query
from geldstroom.queries.received import (
    BIJDRAGE,
    COUNTED,
    DOCUMENT_LINE,
    INSTRUMENT_ROW,
    SHARED,
    SUBSIDY,
    TABLE_LINE,
    TURNOVER,
    ReceivedRow,
    received,
)

if TYPE_CHECKING:
    from geldstroom.graph.store import Store

# What people type for a source, folded (lower case, '-' and '_' as spaces).
_SOURCE_WORDS = {
    "document": DOCUMENT_LINE, "documents": DOCUMENT_LINE, "document line": DOCUMENT_LINE,
    "table": TABLE_LINE, "budget table": TABLE_LINE, "budget table line": TABLE_LINE,
    "tabellen": TABLE_LINE, "budgettaire tabellen": TABLE_LINE,
    "subsidy": SUBSIDY, "subsidies": SUBSIDY,
    "bijdrage": BIJDRAGE, "bijdragen": BIJDRAGE, "medeoverheid": BIJDRAGE,
    "medeoverheden": BIJDRAGE, "bijdrage medeoverheid": BIJDRAGE,
    "turnover": TURNOVER, "agency turnover": TURNOVER, "omzet": TURNOVER,
    "instrument": INSTRUMENT_ROW, "financieel instrument": INSTRUMENT_ROW,
    "financiele instrumenten": INSTRUMENT_ROW, "fi": INSTRUMENT_ROW,
}
# The kinds a recipient can have (payers are no recipients), and their plurals.
RECIPIENT_KINDS = tuple(k.value for k in ActorKind
                        if k not in PAYER_KINDS and k is not ActorKind.UNATTRIBUTED)
_KIND_PLURALS = {"agentschappen": "agentschap", "stichtingen": "stichting",
                 "gemeenten": "gemeente", "gemeentes": "gemeente", "provincies": "provincie",
                 "waterschappen": "waterschap", "medeoverheden": "medeoverheid",
                 "koepels": "koepel", "universiteiten": "universiteit", "zbos": "ZBO",
                 "rwts": "RWT", "companies": "company", "internationals": "international"}


@dataclass(frozen=True)
class RankingFilters:
    """Which rows count: payers by hoofdstuk code (or as the file writes an unnumbered payer),
    sources (SOURCES), an instrument's text (contained, any case); which recipients are left
    out by kind. None: no filter."""

    hoofdstukken: frozenset[str] | None = None
    sources: frozenset[str] | None = None
    instrument: str | None = None
    exclude_kinds: frozenset[str] = frozenset()

    def admits(self, row: ReceivedRow) -> bool:
        return ((self.hoofdstukken is None or row.hoofdstuk in self.hoofdstukken)
                and (self.sources is None or row.source in self.sources)
                and (self.instrument is None
                     or self.instrument.lower() in row.instrument.lower()))

    def to_json(self) -> dict[str, Any]:
        return {"hoofdstukken": sorted(self.hoofdstukken) if self.hoofdstukken else None,
                "sources": sorted(self.sources) if self.sources else None,
                "instrument": self.instrument, "exclude_kinds": sorted(self.exclude_kinds)}

    def query_parameters(self) -> dict[str, str]:
        """The same filters as `query top_recipients` parameters (comma lists)."""
        out = {}
        if self.hoofdstukken is not None:
            out["hoofdstuk"] = ",".join(sorted(self.hoofdstukken))
        if self.sources is not None:
            out["source"] = ",".join(sorted(self.sources))
        if self.instrument is not None:
            out["instrument"] = self.instrument
        if self.exclude_kinds:
            out["exclude_kinds"] = ",".join(sorted(self.exclude_kinds))
        return out

    @property
    def fit_query_parameters(self) -> bool:
        """Whether query_parameters says these filters exactly: its lists are joined by
        commas, so a payer or kind whose own text holds one would be split."""
        return not any("," in item for item in (*(self.hoofdstukken or ()),
                                                 *(self.sources or ()), *self.exclude_kinds))

    @property
    def any(self) -> bool:
        return (self.hoofdstukken is not None or self.sources is not None
                or self.instrument is not None or bool(self.exclude_kinds))


NO_FILTERS = RankingFilters()


def _fold(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").split()).casefold()


def _items(values: Iterable[str]) -> list[str]:
    """'a,b' and repeated options alike: every non-empty item, stripped."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def parse_sources(values: Iterable[str]) -> frozenset[str] | None:
    """Source names as people type them ('subsidy', 'turnover', 'budget-table-line');
    InputError naming the sources there are for one that is none of them."""
    items = _items(values)
    if not items:
        return None
    out = set()
    for item in items:
        folded = _fold(item)
        found = _SOURCE_WORDS.get(folded) or next((s for s in SOURCES if _fold(s) == folded),
                                                  None)
        if found is None:
            raise InputError(f"no source {item!r}: the sources are {', '.join(SOURCES)} "
                             "(or subsidy, table, document, bijdrage, turnover, instrument)")
        out.add(found)
    return frozenset(out)


def parse_kinds(values: Iterable[str]) -> frozenset[str]:
    """Actor kinds ('agentschap', 'gemeenten', 'ZBO/RWT'); InputError listing the kinds."""
    out = set()
    by_fold = {k.casefold(): k for k in RECIPIENT_KINDS}
    for item in _items(values):
        folded = item.casefold()
        found = by_fold.get(folded) or _KIND_PLURALS.get(folded)
        if found is None:
            raise InputError(f"no actor kind {item!r}: the kinds are "
                             f"{', '.join(RECIPIENT_KINDS)}")
        out.add(found)
    return frozenset(out)


def parse_payers(values: Iterable[str], present: Iterable[str] = ()) -> frozenset[str] | None:
    """Hoofdstuk codes from payers as people name them: a code (XVI, b), the short name
    (VWS), the label ('VWS (XVI)'), a payer's id, name or alias (minister-vws, Gemeentefonds,
    'Ministerie van VWS'); `present` adds payers the data writes without a code ('Ministerie
    van Buitenlandse Zaken'), matched as written. InputError listing the payers for none."""
    items = _items(values)
    if not items:
        return None
    payers = bundled_payers()
    written = set(present) - set(payers.by_hoofdstuk)
    out: set[str] = set()
    for item in items:
        folded = " ".join(item.split()).casefold()
        # a payer the file writes out without a code counts where its name is what was
        # asked: 'BZ' takes "Ministerie van Buitenlandse Zaken" (V or XVII: no code is
        # guessed), never BZK's "... en Wonen en Rijksdienst" (VII or XVIII)
        codes = {code for code in (*payers.by_hoofdstuk, *written)
                 if code.casefold() == folded or _fold(payer_label(code)) == _fold(item)}
        for actor in payers.actors:
            forms = (actor.id, actor.name, *actor.aliases)
            short = [payer_label(actor.id).split(" (")[0]]  # 'VWS' of 'VWS (XVI)'
            if any(" ".join(f.split()).casefold() == folded for f in (*forms, *short)):
                codes |= {c for c, who in payers.by_hoofdstuk.items() if who == actor.id}
        if not codes:
            known = ", ".join([*(payer_label(c) for c in payers.by_hoofdstuk),
                               *(f"{payer_label(w)} (as the data writes it, no hoofdstuk)"
                                 for w in sorted(written))])
            raise InputError(f"no payer {item!r}: give a hoofdstuk, a payer's short name or "
                             f"its id: {known}")
        out |= codes
    return frozenset(out)


@dataclass(frozen=True)
class RankedRecipient:
    """One recipient's money in the years asked, counted once, of the rows the filters
    admit: `total_euros` (by stage; over several years the stages mix, so each is given),
    and the whole amounts of the lines it shares (`shared_euros`, never added)."""

    recipient: str
    name: str
    kind: str
    total_euros: int
    shared_euros: int
    realisatie_euros: int
    begroting_euros: int
    raming_euros: int
    years: list[int]
    rows: int  # the counted and shared rows behind it


RANKING_COLUMNS = ("recipient", "name", "kind", "total_euros", "shared_euros",
                   "realisatie_euros", "begroting_euros", "raming_euros", "years", "rows")
_BEGROTING = ("vastgestelde begroting", "ontwerpbegroting")


def ranked_record(r: RankedRecipient) -> dict[str, Any]:
    return {"recipient": r.recipient, "name": r.name, "kind": r.kind,
            "total_euros": r.total_euros, "shared_euros": r.shared_euros,
            "realisatie_euros": r.realisatie_euros, "begroting_euros": r.begroting_euros,
            "raming_euros": r.raming_euros, "years": r.years, "rows": r.rows}


@dataclass(frozen=True)
class Ranking:
    year: int | None
    years: list[int]  # the years of the rows it read (not the store's whole range)
    filters: RankingFilters
    recipients: list[RankedRecipient]  # the top ones
    ranked: int  # how many recipients had a row the filters admit


def _ranked(recipient: str, name: str, kind: str,
            rows: Sequence[ReceivedRow]) -> RankedRecipient:
    counted = [r for r in rows if r.status == COUNTED]
    return RankedRecipient(
        recipient=recipient, name=name, kind=kind,
        total_euros=sum(r.euros for r in counted),
        shared_euros=sum(r.euros for r in rows if r.status == SHARED),
        realisatie_euros=sum(r.euros for r in counted if r.stage == "realisatie"),
        begroting_euros=sum(r.euros for r in counted if r.stage in _BEGROTING),
        raming_euros=sum(r.euros for r in counted if r.stage == "raming"),
        years=sorted({r.year for r in rows}), rows=len(rows))


def rank_recipients(source: FlowSource, year: int | None = None,
                    filters: RankingFilters = NO_FILTERS, top: int = 20) -> Ranking:
    """The `top` recipients by total received in `year` (None: every year together), ties
    by the shared amounts and then by id; 'unattributed' is no recipient and not ranked.
    On the store the engine sums (`top_recipients`, per year); elsewhere every row is read
    (ranked_by_rows). tests/test_ranking.py holds the two equal."""
    if isinstance(source, StoreFlows) and filters.fit_query_parameters:
        out = ranked_in_store(source.store, year, filters)
    else:
        out = ranked_by_rows(source, year, filters)
    out.sort(key=lambda r: (-r.total_euros, -r.shared_euros, r.recipient))
    chosen = out[:max(top, 0)]
    names = source.names([r.recipient for r in chosen])
    chosen = [replace(r, name=names.get(r.recipient, r.recipient)) for r in chosen]
    years = sorted({y for r in out for y in r.years})
    return Ranking(year, years, filters, chosen, len(out))


def ranked_by_rows(source: FlowSource, year: int | None = None,
                   filters: RankingFilters = NO_FILTERS) -> list[RankedRecipient]:
    """Every recipient with a row the filters admit, the rule applied in Python to each
    one's flows and stated amounts (queries/received.py); unsorted, named by id."""
    return ranked_of_rows(received_rows(source, year), filters)


@dataclass(frozen=True)
class RecipientRows:
    """One recipient's rows that a ranking may count: counted, and shared (apart)."""

    recipient: str
    kind: str
    rows: list[ReceivedRow]


def received_rows(source: FlowSource, year: int | None = None) -> list[RecipientRows]:
    """What each recipient received in `year` (None: every year), counted once
    (queries/received.py), before any filter: the rows a ranking adds up."""
    found: list[Flow] = source.flows(year=year)
    stated: list[UnplacedPayment] = source.unplaced(year=year)
    flows_of: dict[str, list[Flow]] = defaultdict(list)
    stated_of: dict[str, list[UnplacedPayment]] = defaultdict(list)
    for flow in found:
        for who in flow.recipients:
            flows_of[who].append(flow)
    for item in stated:
        stated_of[item.recipient].append(item)
    ids = (set(flows_of) | set(stated_of)) - {UNATTRIBUTED, UNNAMED_OTHERS}
    kinds = source.kinds(ids)
    return [RecipientRows(who, kinds.get(who, ""), [
        r for r in received(who, who, flows_of.get(who, ()), stated_of.get(who, ())).rows
        if r.status in (COUNTED, SHARED)]) for who in ids]


def ranked_of_rows(every: Iterable[RecipientRows],
                   filters: RankingFilters = NO_FILTERS) -> list[RankedRecipient]:
    """The recipients the filters leave in, each with the sums of the rows they admit."""
    out: list[RankedRecipient] = []
    for each in every:
        if each.kind in filters.exclude_kinds:
            continue
        rows = [r for r in each.rows if filters.admits(r)]
        if rows:
            out.append(_ranked(each.recipient, each.recipient, each.kind, rows))
    return out


def ranked_in_store(store: Store, year: int | None = None,
                    filters: RankingFilters = NO_FILTERS) -> list[RankedRecipient]:
    """ranked_by_rows summed by the engine: the named query `top_recipients`, the rule over
    the stored `same_money` and `source_kind`, once per year (every year the store pays
    in, for None) so that each recipient's years are known; unsorted, named by id."""
    query = named_query("top_recipients")
    given = {**query.bind(filters.query_parameters()), "limit": _EVERY}
    years = [year] if year is not None else [y for (y,) in store.rows(
        "MATCH (:BudgetLine)-[p:PAYS]->(:Actor) RETURN DISTINCT p.year")]
    by_id: dict[str, RankedRecipient] = {}
    for each in years:
        # rows(), not run(): only the five sums need converting (Decimal), 0.15 s less
        # for the 49 000 recipients of a year at 700 000 FI rows
        for (who, _, kind, total, shared, realisatie, begroting, raming,
             rows) in store.rows(query.cypher, {**given, "year": each}):
            if who == UNNAMED_OTHERS:
                continue
            ranked = RankedRecipient(who, who, kind or "", int(total), int(shared),
                                     int(realisatie), int(begroting), int(raming), [each],
                                     rows)
            before = by_id.get(who)
            by_id[who] = ranked if before is None else _together(before, ranked)
    return list(by_id.values())


_EVERY = 2**62  # `top_recipients`'s limit that leaves no recipient out


def _together(a: RankedRecipient, b: RankedRecipient) -> RankedRecipient:
    """One recipient's ranking of some years and of others, added up."""
    return replace(a, total_euros=a.total_euros + b.total_euros,
                   shared_euros=a.shared_euros + b.shared_euros,
                   realisatie_euros=a.realisatie_euros + b.realisatie_euros,
                   begroting_euros=a.begroting_euros + b.begroting_euros,
                   raming_euros=a.raming_euros + b.raming_euros,
                   years=sorted({*a.years, *b.years}), rows=a.rows + b.rows)
