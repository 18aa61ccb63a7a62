"""One schema for every backend."""

from __future__ import annotations

from pathlib import Path

from geldstroom.graph import build_graph
from geldstroom.graph.schema import graph_rows, kuzu_ddl, neo4j_constraints, schema_markdown
from geldstroom.loaders.corpus import load_corpus
from geldstroom.loaders.documents import bundled_documents

DOCS = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def test_docs_schema_is_generated_from_the_models() -> None:
    assert DOCS.read_text(encoding="utf-8") == schema_markdown()


def test_seed_graph_fits_the_schema() -> None:
    rows = graph_rows(build_graph(load_corpus(bundled_documents())))
    assert {"minister-bzk", "unattributed", "ictu", "logius"} <= {r["id"] for r in rows["Actor"]}
    assert len(rows["BudgetLine"]) == 43
    funds_2024 = [r for r in rows["FUNDS"] if r["year"] == 2024]
    # Each (line, year) once per recipient; counted once it is the table's Uitgaven 2024.
    assert sum({r["line_id"]: r["euros"] for r in funds_2024}.values()) == 86_189_000
    assert len({r["id"] for r in rows["FUNDS"]}) == len(rows["FUNDS"])
    assert [(r["source"], r["target"]) for r in rows["PASSES_ON"]] == [("ictu", "ipse")]
    assert [(r["source"], r["target"]) for r in rows["PART_OF"]] == [("koop", "logius")]


def test_ddl_and_constraints_cover_every_table() -> None:
    ddl = "\n".join(kuzu_ddl())
    for name in ("NODE TABLE IF NOT EXISTS Actor(", "BudgetLine(", "REL TABLE IF NOT EXISTS FUNDS(",
                 "PART_OF(", "PASSES_ON(", "INSTRUMENT_LINK("):
        assert name in ddl
    assert "euros INT64" in ddl and "shared_with STRING[]" in ddl
    assert len(neo4j_constraints()) == 6
