"""graph/query_shapes.py on its own: which statements it rewrites, into what, and what it
refuses (in one line). Whether the rewrite answers right is tests/test_differential.py's."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from geldstroom.cli.app import app
from geldstroom.graph.query_shapes import ShapeRefused, guard_statement
from geldstroom.queries.named import named_queries

README = ("MATCH (:Actor)-[a:ALLOCATES {chosen: true}]->(:BudgetLine)-[p:PAYS]->"
          "(r:Actor {id: $who}) WHERE p.year = a.year RETURN a.year, sum(a.euros)")


def test_the_readme_example_becomes_one_match_per_relationship() -> None:
    assert guard_statement(README) == (
        "MATCH (_g1:Actor)-[a:ALLOCATES {chosen: true}]->(_g2:BudgetLine) WITH * "
        "MATCH (_g2)-[p:PAYS]->(r:Actor {id: $who}) WHERE (p.year = a.year) "
        " RETURN a.year, sum(a.euros)")


def test_conditions_go_to_the_first_match_that_binds_their_variables() -> None:
    rewritten = guard_statement(
        "MATCH (m:Actor)-[a:ALLOCATES]->(l:BudgetLine)-[p:PAYS]->(r:Actor)<-[q:PAYS]-(k) "
        "WHERE m.id = $m AND r.kind <> 'x' AND q.year = p.year RETURN count(*)")
    assert rewritten == (
        "MATCH (m:Actor)-[a:ALLOCATES]->(l:BudgetLine) WHERE (m.id = $m) WITH * "
        "MATCH (l)-[p:PAYS]->(r:Actor) WHERE (r.kind <> 'x') WITH * "
        "MATCH (r)<-[q:PAYS]-(k) WHERE (q.year = p.year) AND id(p) <> id(q)  RETURN count(*)")


def test_or_and_xor_keep_the_where_whole() -> None:
    """`a XOR b AND c` is `a XOR (b AND c)`: split at AND it would mean something else."""
    rewritten = guard_statement("MATCH (a)-[r:R]->(b)-[s:S]->(c) WHERE a.x XOR b.y AND c.z "
                                "RETURN a")
    assert "WHERE (a.x XOR b.y AND c.z)" in rewritten
    assert rewritten.count("WHERE") == 1


@pytest.mark.parametrize("statement", [
    "MATCH (a:Actor) RETURN a.id",
    "MATCH (l:BudgetLine)-[p:PAYS]->(r:Actor {id: 'caop'}) RETURN sum(p.euros)",
    "MATCH (a)-[r]->(b) WITH b MATCH (b)-[s]->(c) RETURN c.id",
    "RETURN 'MATCH (a)-[r]->(b)-[s]->(c)' AS text // MATCH (a)-->(b)-->(c)",
])
def test_one_relationship_per_match_is_left_as_written(statement: str) -> None:
    assert guard_statement(statement) == statement


def test_the_named_queries_pass_unchanged_but_the_paths() -> None:
    changed = [name for name, q in named_queries().items() if guard_statement(q.cypher) != q.cypher]
    assert changed == ["paths_to_recipient"]  # its UNION parts match two to six relationships


@pytest.mark.parametrize(("statement", "shape"), [
    ("MATCH (l:BudgetLine) OPTIONAL MATCH (m)-[a:ALLOCATES]->(l)-[p:PAYS]->(r) RETURN r.id",
     "OPTIONAL a MATCH over two or more relationships"),
    ("MATCH path = (m)-[a:ALLOCATES]->(l)-[p:PAYS]->(r) RETURN path",
     "a MATCH over two or more relationships bound to a path variable"),
    ("MATCH (m)-[:PASSES_ON*1..3]->(x)-[p:PAYS]->(r) RETURN r.id",
     "a MATCH over two or more relationships with a variable-length relationship"),
    ("MATCH (m)-[a:ALLOCATES]->(l)-[p:PAYS]->(r) RETURN *",
     "a MATCH over two or more relationships with RETURN * or WITH *"),
])
def test_a_shape_that_cannot_be_split_is_refused_in_one_line(statement: str,
                                                             shape: str) -> None:
    with pytest.raises(ShapeRefused) as refused:
        guard_statement(statement)
    message = str(refused.value)
    assert message.startswith(f"Ladybug 0.22 answers {shape} wrong, so it is refused: ")
    assert "\n" not in message and "MATCH" in message.split("refused: ")[1]


def test_the_refusal_is_one_line_and_exit_2_on_the_command_line(tmp_path) -> None:
    result = CliRunner().invoke(app, ["cypher", "MATCH p = (a)-[r]->(b)-[s]->(c) RETURN p",
                                      "--db", str(tmp_path / "none.lbug")])
    assert result.exit_code == 2
    assert result.output.startswith("error: Ladybug 0.22 answers a MATCH over two or more "
                                    "relationships bound to a path variable wrong")
    assert result.output.count("\n") == 1


def test_linear_time_on_unclosed_comments() -> None:
    statement = "RETURN 1 AS c " + "/* " * 40_000
    started = time.perf_counter()
    assert guard_statement(statement) == statement
    assert time.perf_counter() - started < 1.0


@given(st.text(alphabet="()[]{}-<>:*,=`'\" abcMATCHWERNIOPL$|.", max_size=80))
def test_any_text_is_returned_rewritten_or_refused_never_an_exception(text: str) -> None:
    with contextlib.suppress(ShapeRefused):
        assert isinstance(guard_statement(text), str)
