"""Every statement geldstroom sends to Neo4j, checked offline against Neo4j's own Cypher
grammar and semantic analysis (tools/cypher-lint: @neo4j-cypher/language-support)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from geldstroom.graph import neo4j_store as store
from geldstroom.graph.build import build_graph
from geldstroom.graph.schema import NODES, RELATIONSHIPS
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents

ROOT = Path(__file__).resolve().parent.parent
LINT = ROOT / "tools" / "cypher-lint"

pytestmark = [
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
    pytest.mark.skipif(not (LINT / "node_modules").is_dir(),
                       reason="tools/cypher-lint is not installed "
                       "(npm ci --prefix tools/cypher-lint)"),
]


def lint(statements: dict[str, str]) -> list[dict[str, object]]:
    payload = json.dumps([{"name": n, "statement": s} for n, s in statements.items()])
    done = subprocess.run(["node", str(LINT / "lint.mjs")], input=payload, text=True,
                          capture_output=True, check=True, timeout=300)
    return json.loads(done.stdout)


def test_the_linter_catches_a_broken_statement() -> None:
    """Without this, an empty answer below could mean the linter reads nothing."""
    problems = lint({"broken": 'UNWIND [{id: "a\\"}] AS row MERGE (n:Actor {id: row.id})',
                     "fine": store.node_statement("Actor")})
    assert [p["name"] for p in problems] == ["broken"]


def test_store_statements_and_constraints() -> None:
    statements = {f"store {i}": s for i, s in enumerate(store.statements())}
    # constraints, MERGE per label and type, stale PART_OF removal, counts
    assert len(statements) == 7 + 7 + 1 + 7
    assert lint(statements) == []


def test_cypher_export_statements() -> None:
    """The first batch of every label and type, rows inlined, evidence sentences and all;
    and hard strings inlined as the export writes them."""
    graph = build_graph(load_corpus(bundled_documents()))
    script = store.cypher_script(graph, batch_size=25)
    lines = script.splitlines()
    sample = {line: line for line in lines if line.startswith("CREATE CONSTRAINT")}
    for pattern in [*(f"MERGE (n:{label} " for label in NODES),
                    *(f"MERGE (a)-[r:{rel} " for rel in RELATIONSHIPS)]:
        sample[pattern] = next(line for line in lines if pattern in line)
    assert len(sample) == 7 + 2 + 5
    hard = ['zei "ja"; nee', "C:\\pad\\", "regel\nvolgende // geen commentaar", "it's",
            "/* geen */", "\x00\x1f\u2028", "`backtick`"]
    sample |= {f"literal {i}": f"RETURN {store.cypher_literal(t)} AS s"
               for i, t in enumerate(hard)}
    assert lint(sample) == []


def test_named_queries() -> None:
    files = sorted((ROOT / "queries").glob("*.cypher"))
    if not files:
        pytest.skip("no queries/*.cypher files")
    assert lint({f.name: f.read_text(encoding="utf-8") for f in files}) == []
