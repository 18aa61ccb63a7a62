"""Generated Cypher over the real schema (docs/schema.md), for differential tests: the same
statement on the embedded store and on Neo4j must give the same multiset of rows.

Every query has a shape name built from what it is made of (hops, where its predicates sit,
whether a WITH splits the match, what it returns), so a mismatch is reported per shape, not
per statement. Parameter values come from the graph itself (real actor ids, years, chapters),
chosen by a seeded random generator: the same graph and seed give the same queries.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from geldstroom.graph.schema import BUDGET_LINE_KIND


@dataclass(frozen=True)
class ShapedQuery:
    shape: str
    cypher: str
    params: dict[str, Any] = field(default_factory=dict)
    ordered: bool = False  # ORDER BY over every returned column, then LIMIT: compare as lists


@dataclass(frozen=True)
class Values:
    """Real values of a graph to put in predicates."""

    recipients: list[str]  # actors that receive PAYS, 'unattributed' first
    payers: list[str]
    years: list[int]
    chapters: list[str]

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> Values:
        received = Counter(b for _, b, kind in graph.edges(data="kind") if kind == "pays")
        paid = Counter(a for a, _, kind in graph.edges(data="kind") if kind == "allocates")
        years = sorted({y for _, _, y in graph.edges(data="year") if isinstance(y, int)})
        chapters = sorted({d["hoofdstuk"] for _, d in graph.nodes(data=True)
                           if d.get("kind") == BUDGET_LINE_KIND and d.get("hoofdstuk")})
        # The busiest first: those are the ones whose lists cross the engine's vector size.
        return cls(recipients=[r for r, _ in received.most_common()],
                   payers=[p for p, _ in paid.most_common()], years=years, chapters=chapters)


# The patterns: hops over the schema, each with the variables it binds.
ONE_HOP_ALLOCATES = "(m:Actor)-[a:ALLOCATES]->(l:BudgetLine)"
ONE_HOP_PAYS = "(l:BudgetLine)-[p:PAYS]->(r:Actor)"
TWO_HOPS = "(m:Actor)-[a:ALLOCATES]->(l:BudgetLine)-[p:PAYS]->(r:Actor)"
TWO_HOPS_REVERSED = "(r:Actor)<-[p:PAYS]-(l:BudgetLine)<-[a:ALLOCATES]-(m:Actor)"
TWO_HOPS_SPLIT = ("(m:Actor)-[a:ALLOCATES]->(l:BudgetLine) WITH m, a, l "
                  "MATCH (l)-[p:PAYS]->(r:Actor)")
THREE_HOPS = ("(m:Actor)-[a:ALLOCATES]->(l:BudgetLine)-[p:PAYS]->(r:Actor)"
              "<-[q:PAYS]-(k:BudgetLine)")
THREE_HOPS_SPLIT = ("(m:Actor)-[a:ALLOCATES]->(l:BudgetLine) WITH m, a, l "
                    "MATCH (l)-[p:PAYS]->(r:Actor) WITH m, a, l, p, r "
                    "MATCH (r)<-[q:PAYS]-(k:BudgetLine)")
THREE_HOPS_LINK = ("(n:Actor)-[i:INSTRUMENT_LINK]->(r:Actor)<-[p:PAYS]-(l:BudgetLine)"
                   "<-[a:ALLOCATES]-(m:Actor)")

PATTERNS: dict[str, tuple[str, frozenset[str]]] = {
    "1hop-allocates": (ONE_HOP_ALLOCATES, frozenset("mal")),
    "1hop-pays": (ONE_HOP_PAYS, frozenset("lpr")),
    "2hop": (TWO_HOPS, frozenset("malpr")),
    "2hop-reversed": (TWO_HOPS_REVERSED, frozenset("malpr")),
    "2hop-with": (TWO_HOPS_SPLIT, frozenset("malpr")),
    "3hop": (THREE_HOPS, frozenset("malprqk")),
    "3hop-with": (THREE_HOPS_SPLIT, frozenset("malprqk")),
    "3hop-link": (THREE_HOPS_LINK, frozenset("malprni")),
}


def _predicates(values: Values, rng: random.Random, variables: frozenset[str],
                ) -> list[tuple[str, str, dict[str, Any]]]:
    """(where it sits, the predicate, its parameters) for each variable the pattern binds."""
    year = rng.choice(values.years)
    who = rng.choice(values.recipients[:3] + rng.sample(values.recipients,
                                                        min(3, len(values.recipients))))
    some = rng.sample(values.recipients[:20], min(3, len(values.recipients[:20])))
    options: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "m": [("m.kind = 'minister'", {}), ("m.id = $payer", {"payer": values.payers[0]})],
        "a": [("a.chosen = true", {}), ("a.year = $year", {"year": year}),
              ("a.year IN $years", {"years": [year, year + 1]}),
              ("a.euros > $min", {"min": 1_000_000})],
        "l": [("l.hoofdstuk = $chapter", {"chapter": rng.choice(values.chapters)}),
              ("l.scope = 'line'", {})],
        "p": [("p.year = a.year", {}) if "a" in variables else ("p.year = $year", {"year": year}),
              ("p.euros IS NULL", {}), ("p.year IN $years", {"years": [year, year - 1]}),
              ("coalesce(p.euros, 0) > 0", {})],
        "r": [("r.id = $who", {"who": who}), ("r.id IN $ids", {"ids": some}),
              ("r.kind <> 'x'", {}), ("r.id <> 'unattributed'", {})],
        "q": [("q.year = p.year", {})],
        "k": [("k.id <> l.id", {})],
        "n": [("n.kind = 'minister'", {})],
        "i": [("i.instrument <> ''", {})],
    }
    return [(var, *rng.choice(options[var])) for var in sorted(variables) if var in options]


def _identity(var: str) -> str:
    """What tells a node or relationship apart in a returned row: its id, but a PAYS' (p, q)
    the fields its id is made of beside its endpoints (the store keeps no PAYS id:
    schema.store_fields)."""
    return f"{var}.year, {var}.document, {var}.source_line" if var in "pq" else f"{var}.id"


def _returns(variables: frozenset[str], kind: str) -> tuple[str, bool]:
    """The RETURN part of a query and whether it is ordered (then compared as a list)."""
    ids = [_identity(v) for v in "malprqkni" if v in variables]
    year = "a.year" if "a" in variables else "p.year"
    amount = ("coalesce(p.euros, a.euros - a.stated_euros)" if {"a", "p"} <= variables
              else "a.euros" if "a" in variables else "coalesce(p.euros, 0)")
    group = "r.id" if "r" in variables else "l.id"
    if kind == "rows":
        return f"RETURN {', '.join(ids)}", False
    if kind == "distinct":
        return f"RETURN DISTINCT {group}, {year}", False
    if kind == "aggregate":
        return (f"RETURN {year} AS year, sum({amount}) AS euros, count(*) AS n, "
                f"count(DISTINCT l) AS lines", False)
    if kind == "order-limit":
        return (f"RETURN {group} AS key, sum({amount}) AS euros, count(*) AS n "
                "ORDER BY euros DESC, n DESC, key LIMIT 7", True)
    raise ValueError(kind)


RETURN_KINDS = ("rows", "distinct", "aggregate", "order-limit")


def _where_shape(placed: list[str]) -> str:
    return "pred[" + ",".join(sorted(set(placed))) + "]" if placed else "nopred"


def generate(graph: nx.MultiDiGraph, count: int, seed: int = 15,
             big: bool = False) -> list[ShapedQuery]:
    """`count` queries over the graph's own values. `big`: the graph is large, so no
    three-hop product through PAYS (billions of rows through 'unattributed') and row
    returns carry a predicate."""
    values = Values.of(graph)
    rng = random.Random(seed)
    queries: list[ShapedQuery] = []
    # On a large graph the engine's plans for three hops through PAYS take 10-80 s a query
    # (it expands from the minister's 20 000 lines): those run on the small graph only.
    names = [n for n in PATTERNS if not (big and n in ("3hop", "3hop-with"))]
    while len(queries) < count:
        name = names[len(queries) % len(names)]
        pattern, variables = PATTERNS[name]
        chosen = [p for p in _predicates(values, rng, variables) if rng.random() < 0.45]
        kind = rng.choice(RETURN_KINDS)
        if kind == "rows":  # tens of thousands of rows take the driver seconds: select
            chosen = [c for c in chosen if c[0] not in "ar"]
            chosen.append(("a" if "a" in variables else "p", "", {}))
            if "r" in variables:
                chosen.append(("r", "r.id IN $ids", {"ids": values.recipients[1:4]}))
            chosen = _with_year(chosen, rng.choice(values.years))
        inline = rng.random() < 0.3  # an equality as a property map in the pattern
        text, params, placed, where = pattern, {}, [], []
        for var, predicate, values_ in chosen:
            params.update(values_)
            placed.append(var)
            if inline and predicate.startswith(f"{var}.") and " = " in predicate \
                    and "." not in predicate.split(" = ")[1]:
                key, value = predicate.split(" = ")
                text = _inline(text, var, f"{key.split('.')[1]}: {value}")
            else:
                where.append(predicate)
        cypher = "MATCH " + text + (" WHERE " + " AND ".join(where) if where else "")
        returned, ordered = _returns(variables, kind)
        shape = f"{name}/{_where_shape(placed)}/{kind}"
        queries.append(ShapedQuery(shape, f"{cypher} {returned}", params, ordered))
        if len(queries) < count and rng.random() < 0.25:
            queries.append(_optional(values, rng, name))
    return queries


def _with_year(chosen: list[tuple[str, str, dict[str, Any]]], year: int,
               ) -> list[tuple[str, str, dict[str, Any]]]:
    """The empty predicate placed for a or p becomes a year."""
    return [(var, predicate or f"{var}.year = $year", {"year": year} if not predicate else v)
            for var, predicate, v in chosen]


def _inline(pattern: str, var: str, entry: str) -> str:
    """Put `key: value` in the pattern's map for `var` (its first appearance with a label)."""
    for opener, closer in (("(", ")"), ("[", "]")):
        start = pattern.find(f"{opener}{var}:")
        if start >= 0:
            end = pattern.index(closer, start)
            inside = pattern[start + 1:end]
            if "{" in inside:
                inside = inside.replace("}", f", {entry}}}")
            else:
                inside = f"{inside} {{{entry}}}"
            return pattern[:start + 1] + inside + pattern[end:]
    return pattern


def _optional(values: Values, rng: random.Random, after: str) -> ShapedQuery:
    """OPTIONAL MATCH of a line's recipients (some lines have none of the ones named)."""
    chapter = rng.choice(values.chapters)
    ids = rng.sample(values.recipients[:10], min(2, len(values.recipients)))
    if rng.random() < 0.5:
        return ShapedQuery(
            "optional-1hop/pred[l,r]/rows",
            "MATCH (l:BudgetLine) WHERE l.hoofdstuk = $chapter "
            "OPTIONAL MATCH (l)-[p:PAYS]->(r:Actor) WHERE r.id IN $ids "
            f"RETURN l.id, {_identity('p')}, r.id", {"chapter": chapter, "ids": ids})
    return ShapedQuery(
        "optional-2hop/pred[a,r]/aggregate",
        "MATCH (m:Actor)-[a:ALLOCATES {chosen: true}]->(l:BudgetLine) WHERE l.hoofdstuk = $chapter "
        "OPTIONAL MATCH (l)-[p:PAYS]->(r:Actor) WHERE r.id IN $ids AND p.year = a.year "
        "RETURN a.year AS year, count(p) AS paid, sum(coalesce(p.euros, 0)) AS euros, "
        "count(*) AS n", {"chapter": chapter, "ids": ids})


def normalised(rows: list[list[Any]], ordered: bool) -> list[tuple[Any, ...]]:
    """Rows as comparable tuples: as they come when ordered, else sorted (a multiset)."""
    as_tuples = [tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows]
    return as_tuples if ordered else sorted(as_tuples, key=repr)


def national_sample(graph: nx.MultiDiGraph, chapters: set[str]) -> nx.MultiDiGraph:
    """The national graph cut to the budget lines of some chapters and every actor they touch
    (and the actor-to-actor edges between those): real data, small enough to push."""
    lines = {n for n, d in graph.nodes(data=True)
             if d.get("kind") == BUDGET_LINE_KIND and d.get("hoofdstuk") in chapters}
    actors = {n for line in lines for n in (*graph.predecessors(line), *graph.successors(line))}
    actors |= {n for a in list(actors) for n in graph.successors(a)
               if graph.nodes[n].get("kind") != BUDGET_LINE_KIND}
    sample = graph.subgraph(lines | actors).copy()
    sample.graph = dict(graph.graph)
    return sample
