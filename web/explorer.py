"""What the web explorer shows, read from one graph store opened read-only at start-up.

Every amount comes from the summary library (queries/summary.py, graph/store_flows.py);
this module picks the records a page needs and never adds euros up itself. The store is one
read-only connection behind a lock: requests run in a thread pool, the engine's connection
is not shared between threads.
"""

from __future__ import annotations

import gc
import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from geldstroom.errors import InputError, UnknownName, UnknownRecipient, UnknownYear
from geldstroom.graph.default_store import default_register
from geldstroom.graph.query_shapes import guard_statement
from geldstroom.graph.read_only import (
    check_parameters,
    check_read_only,
    check_single_statement,
)
from geldstroom.graph.store import BUNDLED, Store, read_store_info
from geldstroom.graph.store_flows import StoreFlows, stated_uitgaven
from geldstroom.kinds import PAYER_KINDS
from geldstroom.loaders.actors.explain import explain_actor
from geldstroom.loaders.actors.register import ActorRegister
from geldstroom.loaders.actors.resolve import find_recipient
from geldstroom.queries.diagram import SankeyData, load_drawing, render_sankey, sankey_of_flows
from geldstroom.queries.named import named_query
from geldstroom.queries.ranking import (
    NO_FILTERS,
    RankingFilters,
    parse_kinds,
    parse_payers,
    parse_sources,
)
from geldstroom.queries.summary import ROW_COLUMNS, RecipientSummary, summarise
from geldstroom.web.search import Suggestion, SuggestionIndex

T = TypeVar("T")

PAYER_KIND_VALUES = frozenset(kind.value for kind in PAYER_KINDS)
UNATTRIBUTED = "unattributed"
SANKEY_TOP = 15  # the payer page's Sankey keeps its 15 largest flows, as the README draws


class NotFound(Exception):
    """An id the store does not hold; `closest` are suggestions for what was meant."""

    def __init__(self, kind: str, wanted: str, closest: list[Any]) -> None:
        super().__init__(f"no {kind} {wanted!r} in the store")
        self.kind = kind
        self.wanted = wanted
        self.closest = closest


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    aliases: list[str]
    part_of: str | None

    @property
    def is_payer(self) -> bool:
        return self.kind in PAYER_KIND_VALUES


@dataclass(frozen=True)
class Line:
    id: str
    label: str
    hoofdstuk: str
    artikel: str
    instrument: str
    path: list[str]
    document: str
    scope: str


@dataclass
class Page:
    """What a page renders: `records` is its JSON (the CLI's -f json where the CLI has the
    same answer), `lists` every table on it by name (each downloads as CSV and JSON)."""

    records: dict[str, Any]
    lists: dict[str, tuple[list[str], list[dict[str, Any]]]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


class Explorer:
    """The store, its actors and lines, and the suggestion index, loaded once."""

    def __init__(self, path: Path) -> None:
        started = time.perf_counter()
        self.path = path
        self._lock = threading.Lock()  # the store's one connection
        self._caching = threading.Lock()  # one reader of every flow, however many ask
        self._store = Store(path)
        info = read_store_info(self._store)
        self.years: list[int] = list(info.years) if info else []
        # The register behind `actors explain` is the bundled corpus's: it says where a
        # store built from those inputs got its names; of another store's it would not.
        self.bundled = info is not None and info.inputs == BUNDLED
        self._register: ActorRegister | None = None
        self._explained: dict[str, dict[str, Any]] = {}
        self._registering = threading.Lock()
        self.actors: dict[str, Actor] = {
            a: Actor(a, name or a, kind or "", list(aliases or []), part_of)
            for a, name, kind, aliases, part_of in self._store.rows(
                "MATCH (a:Actor) RETURN a.id, a.name, a.kind, a.aliases, a.part_of")}
        self.lines: dict[str, Line] = {
            row[0]: Line(*row[:5], list(row[5] or []), row[6] or "", row[7] or "")
            for row in self._store.rows(
                "MATCH (l:BudgetLine) RETURN l.id, l.label, l.hoofdstuk, l.artikel, "
                "l.instrument, l.path, l.document, l.scope")}
        self.index = SuggestionIndex(self._entries())
        self.sources = _bundled_sources()
        load_drawing()  # matplotlib's font list: read (or written) now, by no request
        self._drawing = threading.Lock()  # matplotlib draws one figure at a time
        self._sankeys: dict[tuple[str, int, int], bytes] = {}
        self._flows: list[Any] | None = None
        self._national: dict[tuple[int | None, int, RankingFilters], Page] = {}
        self._closed = False
        self.startup_seconds = time.perf_counter() - started

    def warm(self) -> None:
        """Read every flow once (the national and payer pages select from them), the
        register behind `actors explain`, draw each payer's Sankey of its last year, and set
        what start-up made aside from the garbage collector's full passes: a quarter of a
        gigabyte of index and flows, walked on every full pass, made the odd request wait
        a third of a second. A stop (Ctrl-C) while it reads ends it quietly."""
        try:
            self.national(None, 20)
            self._all_flows()
            self.register()
            for actor in self.actors.values():  # each payer's Sankey as its page first shows
                if actor.is_payer:
                    page = self.payer(actor.id, None)
                    if page.extra["sankey"] is not None:
                        self.sankey_svg(page.extra["sankey"], actor.id, SANKEY_TOP)
        except Exception:
            if self._closed:  # the store closed under it: nothing to warm any more
                return
            raise
        gc.collect()
        gc.freeze()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._store.close()

    def _entries(self) -> Iterator[tuple[str, str, str, str, list[str]]]:
        for actor in self.actors.values():
            if actor.id == UNATTRIBUTED:
                continue
            kind = "payer" if actor.is_payer else "recipient"
            yield kind, actor.id, actor.name, actor.kind, [actor.id, *actor.aliases]
        for line in self.lines.values():
            place = f"{line.hoofdstuk} art. {line.artikel}" if line.artikel else line.hoofdstuk
            yield "line", line.id, line.label, f"{place}, {line.instrument}", []

    def _read(self, work: Callable[[Store], T]) -> T:
        with self._lock:
            return work(self._store)

    def suggestion(self, actor_id: str) -> Suggestion:
        """An actor as a search result: to link it from an error page."""
        actor = self.actors.get(actor_id)
        kind = "payer" if actor is not None and actor.is_payer else "recipient"
        name = actor.name if actor is not None else actor_id
        return Suggestion(kind, actor_id, name, actor.kind if actor else "", name)

    def name(self, actor_id: str) -> str:
        actor = self.actors.get(actor_id)
        return actor.name if actor else actor_id

    def check_year(self, year: int | None) -> None:
        if year is not None and year not in self.years:
            raise UnknownYear(year, self.years, "the store")

    # --- the national view --------------------------------------------------------------

    def _all_flows(self) -> list[Any]:
        """Every flow of the store, read once (a third of a second) and kept: the payer
        pages select from them."""

        with self._caching:
            if self._flows is None:
                self._flows = self._read(lambda s: StoreFlows(s).flows())
            return self._flows

    def uitgaven(self) -> dict[tuple[str, str, int], int]:
        return self._read(stated_uitgaven)

    def national(self, year: int | None, top: int,
                 filters: RankingFilters = NO_FILTERS) -> Page:
        """`summary [--year Y] [--top N] [filters] -f json`: the summary library's Overview
        (per payer and year the lines against the tables' Uitgaven, and the recipients
        ranked by total received), kept per year, --top and filters asked (the first read of
        every flow takes seconds)."""
        self.check_year(year)
        key = (year, top, filters)
        with self._caching:
            if key not in self._national:
                overview = self._read(lambda s: summarise(StoreFlows(s), None, year, top,
                                                          filters))
                records = overview.to_json()
                if len(self._national) > 64:  # a bounded cache: every year and a few --top
                    self._national.clear()
                self._national[key] = Page(records, {
                    "totals": (_TOTAL_COLUMNS, records["totals"]),
                    "top_recipients": (list(overview.columns), overview.to_rows())})
            return self._national[key]

    def ranking_filters(self, payer: list[str], source: list[str], instrument: str | None,
                        exclude_kind: list[str]) -> RankingFilters:
        """The filters of `summary --year` from a request's parameters, read as the command
        line reads them; InputError (a 400) naming the values there are."""
        present = {line.hoofdstuk for line in self.lines.values()}
        return RankingFilters(parse_payers(payer, present), parse_sources(source),
                              (instrument or "").strip() or None, parse_kinds(exclude_kind))

    # --- one recipient ------------------------------------------------------------------

    def find_recipient(self, wanted: str) -> str:
        """The actor id for an id, name or alias (the store's resolver); NotFound with the
        closest names otherwise."""

        actor = self.actors.get(wanted)
        if actor is not None and not actor.is_payer:
            return wanted
        try:
            return self._read(lambda s: find_recipient(wanted, StoreFlows(s).recipients()))
        except UnknownRecipient as err:
            if err.known and not isinstance(err, UnknownName):
                raise  # several fit: the page lists them for a person to choose
            raise NotFound("recipient", wanted, self.index.closest(wanted)) from None

    def register(self) -> ActorRegister | None:
        """The register the bundled store was built with (its open data and texts read
        once, some seconds: warm() reads it at start-up), None for any other store."""
        with self._registering:
            if self._register is None and self.bundled:
                self._register = default_register(self.path)
            return self._register

    def explain(self, actor_id: str) -> dict[str, Any] | None:
        """`actors explain ID --open-data --texts -f json`: the names and sources behind the
        actor; None where the register does not know it (a store of other inputs)."""
        register = self.register()
        if register is None or actor_id not in register:
            return None
        found = self._explained.get(actor_id)
        if found is None:  # the register does not change: each actor's record once
            if len(self._explained) > 4096:
                self._explained.clear()
            found = self._explained[actor_id] = explain_actor(register, actor_id)
        return found

    def recipient(self, actor_id: str, year: int | None) -> Page:
        """`summary NAME [--year Y] -f json`: the summary library's RecipientSummary, and
        the flows behind it with their sources."""
        self.check_year(year)
        summary = self._read(lambda s: summarise(StoreFlows(s), actor_id, year))
        if not isinstance(summary, RecipientSummary):  # summarise of a name gives one
            raise TypeError(f"summarise gave {type(summary).__name__} for a recipient")
        records = {**summary.to_json(), "actor": self.explain(actor_id)}
        flows = [self._flow_record(f) for f in summary.lines]
        lists = {"answer": (list(summary.columns), summary.to_rows()),  # as -f csv
                 "recipients": (list(ROW_COLUMNS), records["recipients"]),
                 "unplaced": (_UNPLACED_COLUMNS, records.get("unplaced", [])),
                 "flows": (_FLOW_COLUMNS, flows)}
        received = records.get("received")
        if received:  # the answers' records: per year counted once, and the rows behind
            lists["received_years"] = (_RECEIVED_YEAR_COLUMNS, received["years"])
            lists["received_rows"] = (_RECEIVED_ROW_COLUMNS, received["rows"])
        if records["actor"] is not None:
            lists["names"] = (_CLAIM_COLUMNS, records["actor"]["claims"])
        return Page(records, lists, {"empty": summary.nothing_named})

    def _flow_record(self, flow: Any) -> dict[str, Any]:
        return {"year": flow.year, "payer": flow.payer, "line_id": flow.line_id,
                "line": flow.line, "instrument": flow.instrument, "stage": flow.stage,
                "euros": flow.euros, "shared": flow.shared, "recipients": list(flow.recipients),
                "unnamed_others": flow.unnamed_others, "document": flow.document,
                "source_line": flow.source_line}

    # --- one payer ----------------------------------------------------------------------

    def find_payer(self, wanted: str) -> Actor:
        actor = self.actors.get(wanted)
        if actor is None or not actor.is_payer:
            payers = [s for s in self.index.closest(wanted, 10) if s.kind == "payer"]
            raise NotFound("payer", wanted, payers[:5] or self.index.closest(wanted))
        return actor

    def payer(self, payer_id: str, year: int | None, top: int = SANKEY_TOP) -> Page:
        """Per year the payer's lines (each line-year once) against the tables' Uitgaven,
        and for one year its articles, their Uitgaven and the lines and recipients under
        them, and the Sankey of that year (`diagram --payer ID --year Y --top N`'s data,
        queries/diagram.py, from the store's flows and names)."""

        self.check_year(year)
        own = [f for f in self._all_flows() if f.payer == payer_id]
        hoofdstukken = sorted({f.hoofdstuk for f in own})
        uitgaven = {k: e for k, e in self.uitgaven().items() if k[0] in hoofdstukken}
        # Its rows of the national summary's check: the library's, as `summary` shows them.
        totals = [t for t in self.national(None, 20).records["totals"]
                  if t.get("payer") == payer_id]
        years = sorted({f.year for f in own})
        shown = year if year is not None else (years[-1] if years else None)
        articles = [{"hoofdstuk": h, "artikel": a, "year": y, "uitgaven_euros": e}
                    for (h, a, y), e in sorted(uitgaven.items(), key=_article_order)
                    if y == shown]
        of_year = [f for f in own if f.year == shown]
        flows = [self._flow_record(f) for f in of_year]
        sankey = sankey_of_flows(of_year, self._forms, shown, top=top) if of_year else None
        links = _sankey_links(sankey) if sankey else []
        return Page({"payer": payer_id, "totals": totals, "year": shown,
                     "articles": articles, "flows": flows,
                     "sankey": _sankey_record(sankey, top) if sankey else None},
                    {"totals": (_TOTAL_COLUMNS, totals),
                     "articles": (_ARTICLE_COLUMNS, articles), "flows": (_FLOW_COLUMNS, flows),
                     "sankey": (_SANKEY_COLUMNS, links)},
                    {"years": years, "year": shown, "sankey": sankey, "top": top})

    def sankey_svg(self, data: SankeyData, payer_id: str, top: int) -> bytes:
        """The file `diagram --payer ID --year Y --top N -o x.svg` writes, byte for byte, in
        memory: drawn once per payer, year and top, then kept (a bounded number of them).
        The page embeds it by URL, so the page's HTML never waits for a drawing."""
        key = (payer_id, data.year, top)
        with self._drawing:
            if key not in self._sankeys:
                if len(self._sankeys) > 256:
                    self._sankeys.clear()
                self._sankeys[key] = render_sankey(data, "svg")
            return self._sankeys[key]

    def _forms(self, actor_id: str) -> tuple[str, list[str]]:
        actor = self.actors.get(actor_id)
        return (actor.name, actor.aliases) if actor is not None else (actor_id, [])

    # --- one budget line ----------------------------------------------------------------

    def find_line(self, wanted: str) -> Line:
        line = self.lines.get(wanted)
        if line is None:
            lines = [s for s in self.index.closest(wanted, 20) if s.kind == "line"]
            raise NotFound("budget line", wanted, lines[:5] or self.index.closest(wanted))
        return line

    def line(self, line_id: str) -> Page:
        """Every figure of one line (per year, stage and source; `chosen` the one that
        counts) and whom it pays, with the evidence."""

        def read(store: Store) -> tuple[list[list[Any]], list[list[Any]]]:
            figures = store.rows(
                "MATCH (p:Actor)-[a:ALLOCATES]->(l:BudgetLine) WHERE l.id = $id "
                "RETURN a.year, a.stage, a.euros, a.chosen, a.stated_euros, p.id, a.document, "
                "a.source_line ORDER BY a.year, a.chosen DESC, a.document, a.source_line",
                {"id": line_id})
            pays = store.rows(
                "MATCH (l:BudgetLine)-[p:PAYS]->(r:Actor) WHERE l.id = $id "
                "RETURN p.year, r.id, p.euros, p.stage, p.recipients, p.unnamed_others, "
                "p.evidence, p.document, p.source_line ORDER BY p.year, r.id, p.euros",
                {"id": line_id})
            return figures, pays

        figures, pays = self._read(read)
        figure_records = [
            {"year": y, "stage": stage, "euros": euros, "chosen": chosen,
             "stated_euros": stated, "payer": payer, "document": doc, "source_line": src}
            for y, stage, euros, chosen, stated, payer, doc, src in figures]
        pays_records = [
            {"year": y, "recipient": who, "euros": euros, "stage": stage,
             "recipients": list(together or []), "unnamed_others": bool(others),
             "evidence": list(evidence or []), "document": doc, "source_line": src}
            for y, who, euros, stage, together, others, evidence, doc, src in pays]
        line = self.lines[line_id]
        return Page({"line": asdict(line), "figures": figure_records, "pays": pays_records},
                    {"figures": (_FIGURE_COLUMNS, figure_records),
                     "pays": (_PAYS_COLUMNS, pays_records)})

    # --- Cypher ---------------------------------------------------------------------------

    def cypher(self, statement: str, values: dict[str, Any]) -> tuple[list[str], list[dict]]:
        """`geldstroom cypher`: the same guards (reads only, one statement, every $name
        given and no value unused, the engine's wrong shapes rewritten or refused:
        graph/query_shapes.py), on the read-only store."""

        if not statement.strip():
            raise InputError("the statement is empty")
        check_read_only(statement)
        check_single_statement(statement)
        check_parameters(statement, values)
        statement = guard_statement(statement)
        result = self._read(lambda s: s.run(statement, values))
        return result.columns, result.records()

    def named_query(self, name: str, given: dict[str, str]) -> tuple[list[str], list[dict]]:
        """`geldstroom query NAME --param k=v`: typed parameters with defaults, a recipient
        by any of its names, a year the store holds."""

        named = named_query(name)
        values = named.bind(given)
        if values.get("recipient") is not None:
            values["recipient"] = self.find_recipient(str(given["recipient"]))
        self.check_year(values.get("year"))
        guarded = guard_statement(named.cypher)
        result = self._read(lambda s: s.run(guarded, values))
        records = result.records()
        if "ORDER BY" not in named.cypher.upper():  # as the CLI: the engine's order is none
            records.sort(key=lambda record: json.dumps(record, sort_keys=True, default=str))
        return result.columns, records

    # --- sources ----------------------------------------------------------------------------

    def source(self, document: str, line: int, around: int = 3) -> list[tuple[int, str]]:
        """The lines around `line` of a bundled file, as (number, text); NotFound for a file
        geldstroom does not ship."""
        path = self.sources.get(Path(document).name)
        if path is None:
            raise NotFound("source file", document, [])
        opener = gzip.open if path.suffix == ".gz" else open
        first, last = max(1, line - around), line + around
        out: list[tuple[int, str]] = []
        with opener(path, "rt", encoding="utf-8", errors="replace") as text:
            for number, content in enumerate(text, start=1):
                if number > last:
                    break
                if number >= first:
                    out.append((number, content.rstrip("\n")))
        if not any(number == line for number, _ in out):
            raise InputError(f"{document} has no line {line}")
        return out


def _bundled_sources() -> dict[str, Path]:
    """The files the store's provenance names (documents and open data), by file name (an
    open-data file is cited without its .gz)."""
    package = Path(str(resources.files("geldstroom")))
    found: dict[str, Path] = {}
    for pattern in ("samples/*.txt", "data/*.toml", "data/minfin/*/*.csv.gz"):
        for path in sorted(package.glob(pattern)):
            found[path.name.removesuffix(".gz")] = path
    return found


def _sankey_record(data: SankeyData, top: int) -> dict[str, Any]:
    return {"title": data.title, "year": data.year, "stages": list(data.stages), "top": top,
            "total_euros": data.total_euros, "folded_flows": data.folded_flows,
            "nodes": [asdict(n) for n in data.nodes],
            "links": [asdict(link) for link in data.links]}


def _sankey_links(data: SankeyData) -> list[dict[str, Any]]:
    """Each band with the names of its ends: the Sankey as a list."""
    names = {n.id: n.name for n in data.nodes}
    return [{"source": names[link.source], "target": names[link.target], "euros": link.euros,
             "source_id": link.source, "target_id": link.target} for link in data.links]


def _article_order(item: tuple[tuple[str, str, int], int]) -> tuple[Any, ...]:
    (hoofdstuk, artikel, year), _ = item
    number = "".join(c for c in artikel if c.isdigit())
    return hoofdstuk, int(number) if number else 10**6, artikel, year


# The columns of the lists the summary library has no columns for (CSV downloads).
_UNPLACED_COLUMNS = ["recipient", "year", "euros", "line_id", "evidence"]
_TOTAL_COLUMNS = ["payer", "year", "alone_euros", "shared_euros", "unattributed_euros",
                  "total_euros", "uitgaven_euros", "difference_euros", "reconciles"]
_FLOW_COLUMNS = ["year", "payer", "line_id", "line", "instrument", "stage", "euros", "shared",
                 "recipients", "unnamed_others", "document", "source_line"]
_RECEIVED_YEAR_COLUMNS = ["year", "total_euros", "by_payer", "by_source", "by_stage",
                          "shared_euros", "shared_lines", "not_added_euros"]
_RECEIVED_ROW_COLUMNS = ["year", "payer", "source", "stage", "euros", "status", "label",
                         "quote", "document", "line", "where", "instrument", "line_id",
                         "shared_with", "shared_names"]
_CLAIM_COLUMNS = ["name", "aliases", "source", "origin", "kind", "ministry", "joined", "quote"]
_SANKEY_COLUMNS = ["source", "target", "euros", "source_id", "target_id"]
_ARTICLE_COLUMNS = ["hoofdstuk", "artikel", "year", "uitgaven_euros"]
_FIGURE_COLUMNS = ["year", "stage", "euros", "chosen", "stated_euros", "payer", "document",
                   "source_line"]
_PAYS_COLUMNS = ["year", "recipient", "euros", "stage", "recipients", "unnamed_others",
                 "evidence", "document", "source_line"]

