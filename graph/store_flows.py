"""The money flows, the tables' totals and the actors' names, read from an embedded store.

flows_from_store(store) equals select_flows(graph) on the graph the store was loaded from
(tests/test_store_flows.py holds them equal on the seeds and on 10 000 edges): one query
for all the flows, no round trip per row. The summary (queries/summary.py) then works on
flows alike, whether they come from a graph in memory or from the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from geldstroom.errors import InputError
from geldstroom.graph.flows import Flow, NothingNamed, PassedOn, UnplacedPayment, flow_order
from geldstroom.graph.shared_names import UNATTRIBUTED
from geldstroom.graph.store import read_store_info
from geldstroom.kinds import PAYER_KINDS
from geldstroom.loaders.actors.resolve import Candidate, find_recipient, named_forms

if TYPE_CHECKING:
    from geldstroom.graph.store import Store

_PAYER_KIND_VALUES = sorted(kind.value for kind in PAYER_KINDS)

_FLOW_COLUMNS = """
RETURN l.id, a.year, a.euros, a.stage, l.instrument, l.label, l.hoofdstuk, l.artikel,
       payer.id, a.document, a.source_line, r.id, p.recipients, p.unnamed_others, p.euros,
       {stated}
"""
# The chosen figure of each line and year, then the line's PAYS of that year (matched after
# WITH: Ladybug 0.22 answers the two-hop match with a predicate on the recipient wrongly,
# docs/decisions.md). Filters are written in only when given: the engine cannot type a bare
# null parameter.
_FLOWS = """
MATCH (payer:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true{year}
WITH payer, a, l
MATCH (l)-[p:PAYS]->(r:Actor)
WHERE p.year = a.year
""" + _FLOW_COLUMNS
# One recipient's: its own PAYS first, then each one's line-year's chosen figure (not every
# chosen figure joined with its PAYS and the recipient's picked out after: 0.07 s against
# 0.01 s at 700 000 FI rows). Matched after WITH, as above.
_FLOWS_OF_RECIPIENT = """
MATCH (l:BudgetLine)-[p:PAYS]->(r:Actor)
WHERE r.id = $recipient{year}
WITH l, p, r
MATCH (payer:Actor)-[a:ALLOCATES]->(l)
WHERE a.chosen = true AND a.year = p.year
""" + _FLOW_COLUMNS


def _properties(store: Store, table: str) -> set[str]:
    return store.kept(f"properties of {table}", lambda: {
        row.get("name") for row in store.run(f"CALL table_info('{table}') RETURN *").records()})


def flows_from_store(store: Store, *, recipient: str | None = None,
                     year: int | None = None) -> list[Flow]:
    """Flows (each line and year once, and each stated payment once) as select_flows gives
    them: largest first, ties by line id and year. `recipient` is an actor id (or
    'unattributed'); `year` one year."""
    # A PAYS with euros set is a recipient's own stated amount, with its own stage and
    # source row; the PAYS without euros share the rest of the line-year, figure -
    # stated_euros (graph/schema.py PaysRel). A store whose tables lack these properties
    # (one built before amounts were stated) states none: the rest is the whole figure.
    allocates, pays = _properties(store, "ALLOCATES"), _properties(store, "PAYS")
    own = [f"p.{name}" if name in pays else fallback for name, fallback in
           (("stage", "a.stage"), ("document", "a.document"), ("source_line", "a.source_line"))]
    cypher = (_FLOWS if recipient is None else _FLOWS_OF_RECIPIENT).format(
        year=" AND a.year = $year" if recipient is None and year is not None
        else " AND p.year = $year" if year is not None else "",
        stated=", ".join(["a.stated_euros" if "stated_euros" in allocates else "0", *own]))
    parameters: dict[str, Any] = {}
    if year is not None:
        parameters["year"] = year
    if recipient is not None:
        parameters["recipient"] = recipient
    flow_fields = {f.name for f in fields(Flow)}
    out: list[Flow] = []
    grouped: set[tuple[str, int]] = set()
    for (line_id, flow_year, euros, stage, instrument, label, hoofdstuk, artikel, payer,
         document, source_line, target, recipients, unnamed_others, paid,
         stated_euros, paid_stage, paid_document, paid_line) in store.rows(cypher, parameters):
        common = dict(line_id=line_id, year=flow_year, instrument=instrument, line=label,
                      hoofdstuk=hoofdstuk, artikel=artikel, payer=payer)
        if paid is not None:  # one recipient's own stated amount: a flow of its own
            extra = {"stated": True} if "stated" in flow_fields else {}
            out.append(Flow(**common, euros=paid, stage=paid_stage or stage,
                            recipients=() if target == UNATTRIBUTED else (target,),
                            unnamed_others=False, document=paid_document or document,
                            source_line=paid_line or source_line, **extra))
            continue
        if (line_id, flow_year) in grouped:  # the rest is one flow, however many share it
            continue
        grouped.add((line_id, flow_year))
        out.append(Flow(**common, euros=euros - (stated_euros or 0), stage=stage,
                        recipients=tuple(recipients or ()),
                        unnamed_others=bool(unnamed_others), document=document,
                        source_line=source_line))
    return sorted(out, key=flow_order)


def stated_uitgaven(store: Store) -> dict[tuple[str, str, int], int]:
    """The tables' own Uitgaven per (hoofdstuk, artikel, year), as graph.graph['uitgaven']."""
    rows = store.run("MATCH (t:ArticleTotal) RETURN t.hoofdstuk, t.artikel, t.year, t.euros")
    return {(h, a, y): e for h, a, y, e in rows.rows}


def actor_names(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """The name of each actor id (an id the store does not hold names itself)."""
    wanted = sorted(set(ids))
    # one primary-key lookup per id (as actor_kinds): `a.id IN $ids` compares every actor
    # with every id (1.4 s for 300 ids among 389 000 actors, against 1 ms)
    rows = store.rows("UNWIND $ids AS wanted MATCH (a:Actor) WHERE a.id = wanted "
                      "RETURN a.id, a.name", {"ids": wanted}) if wanted else []
    found = {actor: name for actor, name in rows}
    return {actor: found.get(actor) or actor for actor in wanted}


def line_hoofdstukken(store: Store) -> list[str]:
    """Every hoofdstuk the lines stand under: the codes, and payers a file writes out
    without one ("Ministerie van Buitenlandse Zaken")."""
    return sorted(h for (h,) in store.run("MATCH (l:BudgetLine) RETURN DISTINCT l.hoofdstuk")
                  .rows if h)


def actor_kinds(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """The kind of each actor id ('' for an id the store does not hold)."""
    wanted = sorted(set(ids))
    rows = store.rows("UNWIND $ids AS wanted MATCH (a:Actor) WHERE a.id = wanted "
                      "RETURN a.id, a.kind", {"ids": wanted}) if wanted else []
    found = {actor: kind for actor, kind in rows}
    return {actor: found.get(actor) or "" for actor in wanted}


class StoreActors:
    """The resolver's ActorDirectory over the store: its ActorKey index (every name's
    lookup_key, written at load) and ActorForm index (every name as written), payers left
    out (they are not recipients)."""

    where = "the store"

    def __init__(self, store: Store) -> None:
        self.store = store

    def matching(self, keys: Sequence[str], form: str) -> list[Candidate]:
        return [(a, n, aliases) for a, n, aliases in self.store.run(
            "MATCH (k:ActorKey) WHERE k.key IN $keys OR k.actor = $form "
            "WITH DISTINCT k.actor AS id MATCH (a:Actor) WHERE a.id = id "
            "AND NOT a.kind IN $payers RETURN a.id, a.name, a.aliases ORDER BY a.id",
            {"keys": list(keys), "form": form, "payers": _PAYER_KIND_VALUES}).rows]

    def written(self, form: str) -> list[Candidate] | None:
        try:
            rows = self.store.rows(
                "MATCH (f:ActorForm) WHERE f.form = $form UNWIND f.actors AS id "
                "MATCH (a:Actor) WHERE a.id = id AND NOT a.kind IN $payers "
                "RETURN a.id, a.name, a.aliases ORDER BY a.id",
                {"form": form, "payers": _PAYER_KIND_VALUES})
        except InputError as err:
            if "ActorForm does not exist" in err.message:
                return None  # a store of given inputs loaded before the index: keys decide
            raise
        return [(a, n, aliases) for a, n, aliases in rows]

    def size(self) -> int:
        return self.store.run("MATCH (a:Actor) WHERE NOT a.kind IN $payers RETURN count(a)",
                              {"payers": _PAYER_KIND_VALUES}).rows[0][0]

    def all_ids(self) -> list[str]:
        return [a for (a,) in self.store.run(
            "MATCH (a:Actor) WHERE NOT a.kind IN $payers RETURN a.id ORDER BY a.id",
            {"payers": _PAYER_KIND_VALUES}).rows]

    def similar(self, key: str, limit: int) -> list[str]:
        return [a for (a,) in self.store.run(
            "MATCH (k:ActorKey) WHERE k.key CONTAINS $key WITH DISTINCT k.actor AS id "
            "MATCH (a:Actor) WHERE a.id = id AND NOT a.kind IN $payers "
            f"RETURN a.id ORDER BY a.id LIMIT {int(limit)}",
            {"key": key, "payers": _PAYER_KIND_VALUES}).rows]

    def named(self) -> dict[str, str]:
        return named_forms(self.store.run(
            "MATCH (a:Actor) WHERE NOT a.kind IN $payers RETURN a.id, a.name, a.aliases",
            {"payers": _PAYER_KIND_VALUES}).rows)


def find_actor_in_store(store: Store, name: str) -> str:
    """The recipient a user means, in the store (resolve.find_recipient on StoreActors)."""
    return find_recipient(name, StoreActors(store))


def unplaced_from_store(store: Store, *, recipient: str | None = None,
                        year: int | None = None) -> list[UnplacedPayment]:
    """Stated payments (PAYS with euros) of a line and year with no chosen figure: tied only
    to an article or a hoofdstuk (a node no figure is allocated to), or to a line-year
    without one. flows_from_store does not count them."""
    where = "".join((" AND r.id = $recipient" if recipient is not None else "",
                     " AND p.year = $year" if year is not None else ""))
    parameters = {k: v for k, v in (("recipient", recipient), ("year", year)) if v is not None}
    # A store built before payments carried their own row and lines their scope has none.
    pays, lines = _properties(store, "PAYS"), _properties(store, "BudgetLine")
    own = ", ".join(f"p.{name}" if name in pays else "null"
                    for name in ("stage", "document", "source_line"))
    scope = "l.scope" if "scope" in lines else "'line'"
    # Ties (one line's payments of one amount) in the order of their rows, the same in
    # every store built from the same inputs.
    rows_order = "".join(f", p.{name}" for name in ("document", "source_line") if name in pays)
    # rows(), not run(): no sum here, so no Decimal to convert in 78 000 rows a year
    rows = store.rows(
        "MATCH (l:BudgetLine)-[p:PAYS]->(r:Actor) WHERE p.euros IS NOT NULL" + where +
        " AND NOT EXISTS { MATCH (:Actor)-[a:ALLOCATES]->(l) "
        "WHERE a.chosen = true AND a.year = p.year } "
        f"RETURN r.id, p.year, p.euros, l.id, l.label, {scope}, l.hoofdstuk, l.artikel, "
        f"{own}, p.evidence, l.instrument "
        f"ORDER BY r.id, p.year, l.id, p.euros{rows_order}", parameters)
    return [UnplacedPayment(who, y, euros, line, label, line_scope, h, a, stage or "",
                            document or "", source_line or 0, list(evidence or []),
                            instrument or "")
            for who, y, euros, line, label, line_scope, h, a, stage, document, source_line,
            evidence, instrument in rows]


class StoreFlows:
    """A FlowSource over the embedded store: the national corpus, read with one query per
    question, never a graph in memory."""

    where = "the store"
    national = True

    def __init__(self, store: Store) -> None:
        self.store = store

    def years(self) -> list[int]:
        info = read_store_info(self.store)
        return info.years if info else []

    def flows(self, *, recipient: str | None = None, year: int | None = None) -> list[Flow]:
        return flows_from_store(self.store, recipient=recipient, year=year)

    def stated_uitgaven(self) -> dict[tuple[str, str, int], int]:
        return stated_uitgaven(self.store)

    def unplaced(self, *, recipient: str | None = None,
                 year: int | None = None) -> list[UnplacedPayment]:
        return unplaced_from_store(self.store, recipient=recipient, year=year)

    def names(self, ids: Iterable[str]) -> dict[str, str]:
        return actor_names(self.store, ids)

    def kinds(self, ids: Iterable[str]) -> dict[str, str]:
        return actor_kinds(self.store, ids)

    def nothing_named(self, recipient: str, year: int | None) -> NothingNamed:
        """What the store does say about a recipient whose summary (for `year`) is empty."""
        store = self.store
        named = store.run("MATCH (:BudgetLine)-[p:PAYS]->(r:Actor) WHERE r.id = $id "
                          "RETURN DISTINCT p.year ORDER BY p.year", {"id": recipient}).rows
        passed = store.run("MATCH (v:Actor)-[p:PASSES_ON]->(r:Actor) WHERE r.id = $id "
                           "RETURN v.id, p.years, p.evidence ORDER BY v.id",
                           {"id": recipient}).rows
        part_of = store.run("MATCH (r:Actor) WHERE r.id = $id RETURN r.part_of",
                            {"id": recipient}).rows
        parts = store.run("MATCH (a:Actor) WHERE a.part_of = $id RETURN a.id ORDER BY a.id",
                          {"id": recipient}).rows
        return NothingNamed(
            recipient=recipient, year=year, named_years=[y for (y,) in named],
            passed_on=[PassedOn(via=v, years=list(ys or []), evidence=list(ev or []))
                       for v, ys, ev in passed],
            part_of=part_of[0][0] if part_of else None, parts=[p for (p,) in parts])

    def recipients(self) -> StoreActors:
        return StoreActors(self.store)
