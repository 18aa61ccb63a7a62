"""The graph schema, written once: NetworkX attributes, the embedded store's tables, Neo4j
constraints and docs/schema.md all come from these models."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any, NamedTuple, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict

# The names every layer shares, re-exported: written once in shared_names.py
from geldstroom.graph.shared_names import ALLOCATES as ALLOCATES
from geldstroom.graph.shared_names import BUDGET_LINE_KIND as BUDGET_LINE_KIND
from geldstroom.graph.shared_names import INSTRUMENT_LINK as INSTRUMENT_LINK
from geldstroom.graph.shared_names import OVERIG as OVERIG
from geldstroom.graph.shared_names import PART_OF as PART_OF
from geldstroom.graph.shared_names import PASSES_ON as PASSES_ON
from geldstroom.graph.shared_names import PAYS as PAYS
from geldstroom.graph.shared_names import UNATTRIBUTED as UNATTRIBUTED
from geldstroom.graph.shared_names import UNNAMED_OTHERS as UNNAMED_OTHERS
from geldstroom.graph.shared_names import share_count as share_count

if TYPE_CHECKING:
    import networkx as nx


class GraphRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActorNode(GraphRecord):
    """An organisation that pays or receives: the minister, a recipient, or 'unattributed'."""

    id: str
    name: str
    kind: str
    aliases: list[str]
    part_of: str | None
    # as a source gives them (Financiële instrumenten): a KvK number joins names
    kvk: list[str] = []
    legal_form: str | None = None
    place: str | None = None


class BudgetLineNode(GraphRecord):
    """A budget line (regeling) of a begroting table or of the open budgettaire tabellen.
    A document's line is identified by its whole path; an open-data line by its source keys
    (hoofdstuk, artikel, onderdeel, instrument, line, detail, occurrence); a line both hold
    (loaders/line_join.py) is one node. `scope` says what the node stands for: "line", a
    budget line with figures (ALLOCATES); "instrument", "artikel" or "hoofdstuk", the place
    of payments the sources tie only that far ("artikel 7, line not known"): such a node
    has no ALLOCATES, its money is inside the ministry's figures already and is never
    counted again (see graph/build.unplaced_payments)."""

    id: str
    hoofdstuk: str
    artikel: str
    path: list[str]
    label: str
    instrument: str
    document: str
    scope: str


class AllocatesRel(GraphRecord):
    """Payer -> budget line: one figure of the line in one year, from one document and stage.
    The line's amount lives here, once. `chosen` marks the figure every query uses by default:
    the realisatie where there is one, otherwise the newest budget figure (per hoofdstuk,
    artikel and year one source, a document's table or an open-data file, counts, so a
    renamed regeling is never counted twice). `stated_euros` is the part of the line-year's
    figure that sources state per recipient (the sum of the line-year's PAYS with euros; 0
    when none): the rest, euros - stated_euros, is what the PAYS without euros share."""

    id: str  # stable identity: a second push or load MERGEs onto it
    year: int
    euros: int
    stage: str
    document: str
    source_line: int
    chosen: bool
    stated_euros: int
    source_kind: str  # the figure's source as a reader names it (graph/same_money.source_of)


class PaysRel(GraphRecord):
    """Budget line -> recipient in one year. Two kinds, told apart by `euros`:
    - euros set: that recipient's own amount, as one source row states it (a subsidy, a
      bijdrage aan een medeoverheid, an agency's turnover): one edge per payment row, with
      the row in document/source_line and `evidence` "file:line: the name as written". A row
      that does not name its recipient ("X") pays 'unattributed': unknown stays unknown.
    - euros null: the recipients the documents name for the line (or 'unattributed' when
      they name nobody) share the REST of the line-year, the chosen ALLOCATES' euros minus
      its stated_euros, as one group: no amount is copied here. share_count counts the named
      recipients, +1 for others not named ("o.a."); the rest is shared when it is over 1.
      Every chosen line-year with money has such a group, so every euro has a place.
    The amount of a PAYS flow is coalesce(p.euros, a.euros - a.stated_euros); it is shared
    only when p.euros is null and p.share_count > 1. `same_money` marks a rest group that
    pays its one recipient money already counted as an amount stated for it (agency
    turnover and its "Bijdrage aan agentschappen: <agency>" line): never added to what that
    recipient received (graph/same_money.py, the one rule)."""

    id: str
    year: int
    recipients: list[str]
    share_count: int
    unnamed_others: bool
    evidence: list[str]
    euros: int | None
    stage: str | None  # of a stated amount; null on the rest group (the ALLOCATES' stage)
    document: str | None  # the file of a stated amount
    source_line: int | None
    source_kind: str | None  # a stated amount's source (subsidy, agency turnover, ...)
    same_money: bool


class PartOfRel(GraphRecord):
    """KOOP is part of Logius."""

    id: str


class PassesOnRel(GraphRecord):
    """A recipient passes money on (ICTU -> IPSE); the amount is not published."""

    id: str
    years: list[int]
    path: list[str]
    evidence: list[str]


class InstrumentLinkRel(GraphRecord):
    """Payer -> actor named for a whole instrument (budget-flexibility text), no amount."""

    id: str
    instrument: str
    years: list[int]
    evidence: list[str]


NODES: dict[str, type[GraphRecord]] = {"Actor": ActorNode, "BudgetLine": BudgetLineNode}


class Relationship(NamedTuple):
    model: type[GraphRecord]
    kind: str  # the NetworkX edge kind
    source: str  # FROM node label
    target: str  # TO node label


RELATIONSHIPS: dict[str, Relationship] = {
    "ALLOCATES": Relationship(AllocatesRel, ALLOCATES, "Actor", "BudgetLine"),
    "PAYS": Relationship(PaysRel, PAYS, "BudgetLine", "Actor"),
    "PART_OF": Relationship(PartOfRel, PART_OF, "Actor", "Actor"),
    "PASSES_ON": Relationship(PassesOnRel, PASSES_ON, "Actor", "Actor"),
    "INSTRUMENT_LINK": Relationship(InstrumentLinkRel, INSTRUMENT_LINK, "Actor", "Actor"),
}
REL_OF_KIND = {rel.kind: name for name, rel in RELATIONSHIPS.items()}


def node_label(data: dict[str, Any]) -> str:
    """The label of a NetworkX node from its attributes."""
    return "BudgetLine" if data.get("kind") == BUDGET_LINE_KIND else "Actor"


def relationship_id(source: str, target: str, key: str) -> str:
    """A relationship's stable id: its endpoints and its NetworkX key. The key alone is unique
    only between two given actors (one sentence can pass money on to two of them), while
    Neo4j's uniqueness constraint holds across the whole graph."""
    return f"{source}->{target}|{key}"


def pays_key(year: int, document: str | None, source_line: int | None) -> str:
    """A PAYS edge's NetworkX key: its year, and the source row of a stated amount (a rest
    group has neither document nor line and is one per line and year)."""
    return str(year) if document is None else f"{year}|{document}:{source_line}"


def edge_attributes(record: GraphRecord, kind: str) -> dict[str, Any]:
    """NetworkX edge attributes: the record's fields plus the edge kind."""
    return {"kind": kind, **record.model_dump()}


def graph_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Rows per node label and relationship type, each with exactly the schema's fields.

    Relationship rows carry `source` and `target` node ids beside their properties. The
    values were validated when build_graph made them from the same models; at a million
    edges validating again would be most of the load's time.
    """
    return {
        name: [dict(zip(table, values, strict=True))
               for values in zip(*table.values(), strict=True)]
        for name, table in graph_columns(graph).items()
    }


def graph_columns(graph: nx.MultiDiGraph, *, store: bool = False,
                  ) -> dict[str, dict[str, list[Any]]]:
    """The same data as graph_rows, column by column: what bulk loaders read fastest.

    Relationship tables start with `source` and `target` columns; with `store`, each table
    has the embedded store's fields (store_fields).
    """
    columns: dict[str, dict[str, list[Any]]] = {}
    appenders: dict[str, list[tuple[str, Any]]] = {}
    for label, model in NODES.items():
        columns[label] = {name: [] for name in model.model_fields}
        appenders[label] = [(n, columns[label][n].append) for n in model.model_fields
                            if n != "id"]
    for node, data in graph.nodes(data=True):
        label = node_label(data)
        columns[label]["id"].append(node)
        for name, append in appenders[label]:
            append(data[name])
    for rel, spec in RELATIONSHIPS.items():
        fields = [f[0] for f in store_fields(spec.model)] if store else list(
            spec.model.model_fields)
        columns[rel] = {"source": [], "target": [], **{n: [] for n in fields}}
        appenders[rel] = [(n, columns[rel][n].append) for n in fields]
    for source, target, data in graph.edges(data=True):
        rel = REL_OF_KIND[data["kind"]]
        columns[rel]["source"].append(source)
        columns[rel]["target"].append(target)
        for name, append in appenders[rel]:
            append(data[name])
    return columns


def field_types(model: type[GraphRecord]) -> list[tuple[str, type, bool]]:
    """(name, scalar type, is a list) per field: what every backend's types derive from."""
    out = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if get_origin(annotation) in (Union, types.UnionType):
            (annotation,) = [a for a in get_args(annotation) if a is not type(None)]
        is_list = get_origin(annotation) is list
        out.append((name, get_args(annotation)[0] if is_list else annotation, is_list))
    return out


def store_fields(model: type[GraphRecord]) -> list[tuple[str, type, bool]]:
    """field_types() of the embedded store's table of `model`: PAYS without its `id`, which
    its endpoints and own fields give again (relationship_id with pays_key). The id is the
    MERGE key of a push (Neo4j), which the graph and graph_rows keep; a store is written
    whole by each load and never merged into, and at 700 000 payments the PAYS ids were half
    the store file and a third of its copy (docs/decisions.md)."""
    fields = field_types(model)
    if model is PaysRel:
        return [field for field in fields if field[0] != "id"]
    return fields


_KUZU_TYPES = {str: "STRING", int: "INT64", bool: "BOOLEAN"}
_DOC_TYPES = {str: "string", int: "integer", bool: "boolean"}


def kuzu_ddl() -> list[str]:
    """CREATE statements for the embedded store (Kùzu-family engines need typed tables)."""
    statements = []
    for label, model in NODES.items():
        columns = ", ".join(
            f"{name} {_KUZU_TYPES[base]}{'[]' if is_list else ''}"
            for name, base, is_list in field_types(model)
        )
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY(id))")
    for rel, spec in RELATIONSHIPS.items():
        columns = "".join(
            f", {name} {_KUZU_TYPES[base]}{'[]' if is_list else ''}"
            for name, base, is_list in store_fields(spec.model)
        )
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel}"
                          f"(FROM {spec.source} TO {spec.target}{columns})")
    return statements


def neo4j_constraints() -> list[str]:
    """Uniqueness constraints, created before any data is pushed."""
    statements = [
        f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
        for label in NODES
    ]
    statements += [
        f"CREATE CONSTRAINT {rel.lower()}_id IF NOT EXISTS "
        f"FOR ()-[r:{rel}]-() REQUIRE r.id IS UNIQUE"
        for rel in RELATIONSHIPS
    ]
    return statements


def schema_markdown() -> str:
    """docs/schema.md, generated: a test keeps the file equal to this."""
    out = [
        "# Graph schema",
        "",
        "Generated from `graph/schema.py` (`python -m geldstroom.graph.schema > docs/schema.md`);",
        "the same models define the NetworkX attributes, the embedded store's tables and the",
        "Neo4j constraints. Amounts are whole euros.",
        "",
    ]

    def fields(model: type[GraphRecord]) -> list[str]:
        rows = ["| property | type |", "|---|---|"]
        stored = {name for name, *_ in store_fields(model)}
        for name, base, is_list in field_types(model):
            kind = f"list of {_DOC_TYPES[base]}" if is_list else _DOC_TYPES[base]
            nullable = "None" in str(model.model_fields[name].annotation)
            optional = " (may be empty)" if nullable else ""
            where = "" if name in stored else " (NetworkX and Neo4j; not in the embedded store)"
            rows.append(f"| `{name}` | {kind}{optional}{where} |")
        return rows

    for label, model in NODES.items():
        out += [f"## (:{label})", "", (model.__doc__ or "").strip(), "", *fields(model), ""]
    for rel, spec in RELATIONSHIPS.items():
        out += [
            f"## (:{spec.source})-[:{rel}]->(:{spec.target})",
            "",
            (spec.model.__doc__ or "").strip(),
            f"In NetworkX: an edge with `kind = \"{spec.kind}\"`.",
            "",
            *fields(spec.model),
            "",
        ]
    return "\n".join(out)


if __name__ == "__main__":
    print(schema_markdown(), end="")
