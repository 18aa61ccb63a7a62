"""The money flows, the tables' totals and the actors' names, read from an embedded store.

flows_from_store(store) equals select_flows(graph) on the graph the store was loaded from
(tests/test_store_flows.py holds them equal on the seeds and on 10 000 edges): one query
for all the flows, no round trip per row. The summary (queries/summary.py) then works on
flows alike, whether they come from a graph in memory or from the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from geldstroom.errors import NoMoneyInCorpus, UnknownName, UnknownRecipient
from geldstroom.graph.flows import Flow, NothingNamed, PassedOn, flow_order
from geldstroom.graph.schema import UNATTRIBUTED
from geldstroom.kinds import PAYER_KINDS
from geldstroom.loaders.actors.names import identity_key

if TYPE_CHECKING:
    from geldstroom.graph.store import Store

_PAYER_KIND_VALUES = sorted(kind.value for kind in PAYER_KINDS)

# The chosen figure of each line and year, then the line's PAYS of that year (matched after
# WITH: Ladybug 0.22 answers the two-hop match with a predicate on the recipient wrongly,
# docs/decisions.md). Filters are written in only when given: the engine cannot type a bare
# null parameter.
_FLOWS = """
MATCH (payer:Actor)-[a:ALLOCATES]->(l:BudgetLine)
WHERE a.chosen = true{year}
WITH payer, a, l
MATCH (l)-[p:PAYS]->(r:Actor)
WHERE p.year = a.year{recipient}
RETURN l.id, a.year, a.euros, a.stage, l.instrument, l.label, l.hoofdstuk, l.artikel,
       payer.id, a.document, a.source_line, r.id, p.recipients, p.unnamed_others, p.euros,
       {stated}
"""


def _properties(store: Store, table: str) -> set[str]:
    return {row.get("name") for row in store.run(f"CALL table_info('{table}') RETURN *")
            .records()}


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
    cypher = _FLOWS.format(
        year=" AND a.year = $year" if year is not None else "",
        recipient=" AND r.id = $recipient" if recipient is not None else "",
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


def article_totals(store: Store) -> dict[tuple[str, str, int], int]:
    """The tables' own Uitgaven per (hoofdstuk, artikel, year), as graph.graph['uitgaven']."""
    rows = store.run("MATCH (t:ArticleTotal) RETURN t.hoofdstuk, t.artikel, t.year, t.euros")
    return {(h, a, y): e for h, a, y, e in rows.rows}


def actor_names(store: Store, ids: Iterable[str]) -> dict[str, str]:
    """The name of each actor id (an id the store does not hold names itself)."""
    wanted = sorted(set(ids))
    rows = store.run("MATCH (a:Actor) WHERE a.id IN $ids RETURN a.id, a.name",
                     {"ids": wanted}).rows if wanted else []
    found = {actor: name for actor, name in rows}
    return {actor: found.get(actor) or actor for actor in wanted}


def find_actor_in_store(store: Store, name: str) -> str:
    """The id of the recipient a user means: by id, name or alias in any case and spacing,
    or by its identity key (loaders/actors/names.identity_key: 'Stichting CAOP' is the CAOP).
    Payers are not recipients. UnknownRecipient names similar actors, or the ambiguity."""
    form = " ".join(name.split()).casefold()
    key = identity_key(name)
    rows = store.run(
        "MATCH (k:ActorKey) WHERE k.key = $key OR k.actor = $form WITH DISTINCT k.actor AS id "
        "MATCH (a:Actor) WHERE a.id = id AND NOT a.kind IN $payers "
        "RETURN a.id, a.name, a.aliases", {"key": key, "form": form,
                                            "payers": _PAYER_KIND_VALUES}).rows
    same_form = [actor for actor, actor_name, aliases in rows
                 if form in (" ".join(f.split()).casefold()
                             for f in (actor, actor_name or "", *(aliases or ())))]
    if len(same_form) == 1:
        return same_form[0]
    if len(rows) == 1:
        return rows[0][0]
    if rows:  # one key, several organisations the register keeps apart
        raise UnknownRecipient(name, sorted(r[0] for r in rows),
                               "the store as one organisation (the name fits several)")
    registered_without_money(name)
    similar = store.run(
        "MATCH (k:ActorKey) WHERE k.key CONTAINS $key WITH DISTINCT k.actor AS id "
        "MATCH (a:Actor) WHERE a.id = id AND NOT a.kind IN $payers "
        "RETURN a.id ORDER BY a.id LIMIT 10", {"key": key, "payers": _PAYER_KIND_VALUES}).rows
    found = [r[0] for r in similar] or closest_in_store(store, name)
    raise UnknownName(name, found, "the store")


def registered_without_money(name: str) -> None:
    """NoMoneyInCorpus if the bundled register (curated list, ZBO/RWT/BZK registers) knows
    the name: the store holds only actors some source pays."""
    # The register (pydantic, the bundled registers) only when the store lacks a name.
    from geldstroom.loaders.actors.register import ActorRegister

    register = ActorRegister.load()
    actor_id = register.resolve(name)
    if actor_id is not None:
        actor = register.get(actor_id)
        raise NoMoneyInCorpus(name, actor_id, f"{actor.name} ({actor.kind.value})")


def closest_in_store(store: Store, name: str, limit: int = 5) -> list[str]:
    """The ids of the actors whose names are closest to a name nothing resolves (a typo:
    'Logus' -> logius), by rapidfuzz (loaders/actors/candidates.closest_names)."""
    from geldstroom.loaders.actors.candidates import closest_names  # rapidfuzz, on a miss

    rows = store.run("MATCH (a:Actor) WHERE NOT a.kind IN $payers RETURN a.id, a.name, "
                     "a.aliases", {"payers": _PAYER_KIND_VALUES}).rows
    owner: dict[str, str] = {}
    for actor_id, actor_name, aliases in rows:
        for form in (actor_name or "", *(aliases or ())):
            owner.setdefault(form, actor_id)
    return list(dict.fromkeys(owner[n] for n in closest_names(name, owner, limit=limit)))


def nothing_named_in_store(store: Store, recipient: str, year: int | None) -> NothingNamed:
    """queries/summary.nothing_named, from the store: what it does say about a recipient
    whose summary (for `year`) is empty."""
    named = store.run("MATCH (:BudgetLine)-[p:PAYS]->(r:Actor) WHERE r.id = $id "
                      "RETURN DISTINCT p.year ORDER BY p.year", {"id": recipient}).rows
    passed = store.run("MATCH (v:Actor)-[p:PASSES_ON]->(r:Actor) WHERE r.id = $id "
                       "RETURN v.id, p.years, p.evidence ORDER BY v.id", {"id": recipient}).rows
    part_of = store.run("MATCH (r:Actor) WHERE r.id = $id RETURN r.part_of",
                        {"id": recipient}).rows
    parts = store.run("MATCH (a:Actor) WHERE a.part_of = $id RETURN a.id ORDER BY a.id",
                      {"id": recipient}).rows
    return NothingNamed(
        recipient=recipient, year=year, named_years=[y for (y,) in named],
        passed_on=[PassedOn(via=v, years=list(ys or []), evidence=list(ev or []))
                   for v, ys, ev in passed],
        part_of=part_of[0][0] if part_of else None, parts=[p for (p,) in parts])


@dataclass(frozen=True)
class UnplacedPayment:
    """An amount a source states for a recipient whose budget line is not known (the
    source names only the article, or not even that): its money is inside the payer's
    figures already, so it is shown apart and never added to a total."""

    recipient: str
    year: int
    euros: int
    line_id: str  # the node standing for "artikel X, line not known" and the like
    label: str
    hoofdstuk: str
    artikel: str
    evidence: list[str]


def unplaced_from_store(store: Store, *, recipient: str | None = None,
                        year: int | None = None) -> list[UnplacedPayment]:
    """Stated payments (PAYS with euros) of a line and year with no chosen figure: tied only
    to an article or a hoofdstuk (a node no figure is allocated to), or to a line-year
    without one. flows_from_store does not count them."""
    where = "".join((" AND r.id = $recipient" if recipient is not None else "",
                     " AND p.year = $year" if year is not None else ""))
    parameters = {k: v for k, v in (("recipient", recipient), ("year", year)) if v is not None}
    rows = store.run(
        "MATCH (l:BudgetLine)-[p:PAYS]->(r:Actor) WHERE p.euros IS NOT NULL" + where +
        " AND NOT EXISTS { MATCH (:Actor)-[a:ALLOCATES]->(l) "
        "WHERE a.chosen = true AND a.year = p.year } "
        "RETURN r.id, p.year, p.euros, l.id, l.label, l.hoofdstuk, l.artikel, p.evidence "
        "ORDER BY r.id, p.year, l.id, p.euros", parameters).rows
    return [UnplacedPayment(who, y, euros, line, label, h, a, list(evidence or []))
            for who, y, euros, line, label, h, a, evidence in rows]
