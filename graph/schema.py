"""The graph schema, written once: NetworkX attributes, the embedded store's tables, Neo4j
constraints and docs/schema.md all come from these models."""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

import networkx as nx
from pydantic import BaseModel, ConfigDict


class GraphRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ActorNode(GraphRecord):
    """An organisation that pays or receives: the minister, a recipient, or 'unattributed'."""

    id: str
    name: str
    kind: str
    aliases: list[str]
    part_of: str | None


class BudgetLineNode(GraphRecord):
    """A budget line (regeling) of a begroting table, identified by its whole path."""

    id: str
    hoofdstuk: str
    artikel: str
    path: list[str]
    label: str
    instrument: str
    document: str


class FundsRel(GraphRecord):
    """Payer -> recipient: one budget line in one year. A shared line gives each recipient
    a FUNDS with the whole amount; count each (line_id, year) once."""

    id: str  # stable identity: a second push or load MERGEs onto it
    year: int
    euros: int
    stage: str
    instrument: str
    line_id: str
    line: str
    path: list[str]
    hoofdstuk: str
    artikel: str
    document: str
    source_line: int
    recipients: list[str]
    shared_with: list[str]
    share_count: int
    unnamed_others: bool
    evidence: list[str]


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
# Relationship type -> (properties, NetworkX edge kind). Every relationship runs Actor -> Actor.
RELATIONSHIPS: dict[str, tuple[type[GraphRecord], str]] = {
    "FUNDS": (FundsRel, "funds"),
    "PART_OF": (PartOfRel, "part_of"),
    "PASSES_ON": (PassesOnRel, "passes_on"),
    "INSTRUMENT_LINK": (InstrumentLinkRel, "instrument_link"),
}
REL_OF_KIND = {kind: rel for rel, (_, kind) in RELATIONSHIPS.items()}


def edge_attributes(record: GraphRecord, kind: str) -> dict[str, Any]:
    """NetworkX edge attributes: the record's fields plus the edge kind."""
    return {"kind": kind, **record.model_dump()}


def graph_rows(graph: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    """Rows per node label and relationship type, validated against the schema.

    Relationship rows carry `source` and `target` actor ids beside their properties.
    """
    rows: dict[str, list[dict[str, Any]]] = {label: [] for label in (*NODES, *RELATIONSHIPS)}
    for node, data in graph.nodes(data=True):
        rows["Actor"].append(ActorNode(id=node, **data).model_dump())
    for line in graph.graph.get("budget_lines", []):
        rows["BudgetLine"].append(BudgetLineNode(**line).model_dump())
    for source, target, data in graph.edges(data=True):
        rel = REL_OF_KIND[data["kind"]]
        model = RELATIONSHIPS[rel][0]
        props = model(**{k: v for k, v in data.items() if k != "kind"}).model_dump()
        rows[rel].append({"source": source, "target": target, **props})
    return rows


def _type_name(annotation: Any, names: dict[type, str], list_form: str) -> str:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(annotation) if a is not type(None)]
        return _type_name(inner, names, list_form)
    if origin is list:
        (inner,) = get_args(annotation)
        return list_form.format(_type_name(inner, names, list_form))
    return names[annotation]


_KUZU_TYPES = {str: "STRING", int: "INT64", bool: "BOOLEAN"}
_DOC_TYPES = {str: "string", int: "integer", bool: "boolean"}


def kuzu_ddl() -> list[str]:
    """CREATE statements for the embedded store (Kùzu-family engines need typed tables)."""
    statements = []
    for label, model in NODES.items():
        columns = ", ".join(
            f"{name} {_type_name(field.annotation, _KUZU_TYPES, '{}[]')}"
            for name, field in model.model_fields.items()
        )
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns}, PRIMARY KEY(id))")
    for rel, (model, _) in RELATIONSHIPS.items():
        columns = "".join(
            f", {name} {_type_name(field.annotation, _KUZU_TYPES, '{}[]')}"
            for name, field in model.model_fields.items()
        )
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel}(FROM Actor TO Actor{columns})")
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
        for name, field in model.model_fields.items():
            kind = _type_name(field.annotation, _DOC_TYPES, "list of {}")
            optional = " (may be empty)" if "None" in str(field.annotation) else ""
            rows.append(f"| `{name}` | {kind}{optional} |")
        return rows

    for label, model in NODES.items():
        out += [f"## (:{label})", "", (model.__doc__ or "").strip(), "", *fields(model), ""]
    for rel, (model, kind) in RELATIONSHIPS.items():
        out += [
            f"## (:Actor)-[:{rel}]->(:Actor)",
            "",
            (model.__doc__ or "").strip(),
            f"In NetworkX: an edge with `kind = \"{kind}\"`.",
            "",
            *fields(model),
            "",
        ]
    return "\n".join(out)


if __name__ == "__main__":
    print(schema_markdown(), end="")
