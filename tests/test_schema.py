"""One schema for every backend."""

from __future__ import annotations

from pathlib import Path

from geldstroom.graph.build import build_graph
from geldstroom.graph.schema import graph_rows, kuzu_ddl, neo4j_constraints, schema_markdown
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents

DOCS = Path(__file__).resolve().parent.parent / "docs" / "schema.md"


def test_docs_schema_is_generated_from_the_models() -> None:
    assert DOCS.read_text(encoding="utf-8") == schema_markdown()


def test_seed_graph_fits_the_schema() -> None:
    rows = graph_rows(build_graph(load_corpus(bundled_documents())))
    assert {"minister-bzk", "unattributed", "ictu", "logius"} <= {r["id"] for r in rows["Actor"]}
    assert len(rows["BudgetLine"]) == 43
    # The amount lives once, on the line's ALLOCATES: the chosen 2024 figures add up to the
    # table's Uitgaven 2024 with no de-duplication at all.
    assert sum(r["euros"] for r in rows["ALLOCATES"]
               if r["year"] == 2024 and r["chosen"]) == 86_189_000
    assert all(r["euros"] is None for r in rows["PAYS"])  # the tables state no own amounts
    lines = {r["id"] for r in rows["BudgetLine"]}
    assert {r["target"] for r in rows["ALLOCATES"]} <= lines
    assert {r["source"] for r in rows["PAYS"]} <= lines
    for rel in ("ALLOCATES", "PAYS"):
        ids = [r["id"] for r in rows[rel]]
        assert len(set(ids)) == len(ids)
        assert all(i.startswith(f"{r['source']}->{r['target']}|") for i, r in zip(
            ids, rows[rel], strict=True))  # the endpoints are in the id
    assert [(r["source"], r["target"]) for r in rows["PASSES_ON"]] == [("ictu", "ipse")]
    assert [(r["source"], r["target"]) for r in rows["PART_OF"]] == [("koop", "logius")]


def test_ddl_and_constraints_cover_every_table() -> None:
    ddl = "\n".join(kuzu_ddl())
    for name in ("NODE TABLE IF NOT EXISTS Actor(", "BudgetLine(",
                 "REL TABLE IF NOT EXISTS ALLOCATES(FROM Actor TO BudgetLine, ",
                 "REL TABLE IF NOT EXISTS PAYS(FROM BudgetLine TO Actor, ",
                 "PART_OF(FROM Actor TO Actor", "PASSES_ON(FROM Actor TO Actor",
                 "INSTRUMENT_LINK(FROM Actor TO Actor"):
        assert name in ddl
    assert "euros INT64" in ddl and "recipients STRING[]" in ddl and "chosen BOOLEAN" in ddl
    assert len(neo4j_constraints()) == 7
