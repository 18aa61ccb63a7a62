"""Statement shapes the embedded engine answers wrong, rewritten to a form it answers right,
or refused in one line that names the shape and the form that works.

Ladybug 0.22 (docs/engine-bugs.md) loses rows in a MATCH over two or more relationships when
the lists it expands cross its 2048-row vectors (the README's own `(:Actor)-[a:ALLOCATES]->
(:BudgetLine)-[p:PAYS]->(r {id: $who})` summed € 108 million too little for 2014), and it
lets two relationships of one MATCH be the same relationship, where Cypher (and Neo4j)
never does. One hop per MATCH, joined by `WITH *`, is answered right (tests/
test_differential.py runs both forms against Neo4j). So a MATCH over n relationships
becomes n MATCHes of one relationship each, every WHERE condition placed after the first
MATCH that binds all its variables, and relationships that could be the same one kept apart
by `id(r1) <> id(r2)`. Names the split needs for anonymous nodes and relationships are
`_g1`, `_g2`, ...; a statement that would show them (`RETURN *`, `WITH *`) is refused, as
are OPTIONAL MATCH, path variables and variable-length relationships over two or more
relationships (a split changes what they mean).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from geldstroom.errors import InputError

ENGINE = "Ladybug 0.22"

# Strings, comments (an unclosed one runs to the end: linear time on any input), `names`.
_TOKEN = re.compile(r"""
    (?P<space>\s+|//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?)
  | (?P<string>'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?)
  | (?P<name>`[^`]*`?|[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

# Words that end a MATCH's pattern or its WHERE.
_CLAUSES = frozenset({"WHERE", "WITH", "RETURN", "MATCH", "OPTIONAL", "UNWIND", "ORDER", "SKIP",
                      "LIMIT", "UNION", "CALL", "CREATE", "MERGE", "SET", "DELETE", "DETACH",
                      "REMOVE", "FOREACH", "LOAD"})
_OPEN, _CLOSE = "([{", ")]}"


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.text.upper() if self.kind == "name" else ""


@dataclass
class _Element:
    """A node `( … )` or a relationship `-[ … ]->` of a pattern, as written."""

    text: str
    name: str  # "" when anonymous
    is_node: bool
    types: frozenset[str] = frozenset()  # a relationship's types; empty: any
    variable_length: bool = False


class ShapeRefused(InputError):
    """A statement of a shape the engine answers wrong and that cannot be rewritten."""

    def __init__(self, shape: str, works: str) -> None:
        super().__init__(f"{ENGINE} answers {shape} wrong, so it is refused: {works}")


def guard_statement(statement: str) -> str:
    """The statement, or an equivalent the engine answers right; ShapeRefused when none."""
    tokens = [t for t in _tokens(statement) if t.kind != "space"]
    edits: list[tuple[int, int, str]] = []
    names = _Names(statement)
    i = 0
    while i < len(tokens):
        if tokens[i].word == "MATCH":
            end, replacement = _match_clause(statement, tokens, i, names)
            if replacement is not None:
                start = tokens[i - 1].start if i and tokens[i - 1].word == "OPTIONAL" \
                    else tokens[i].start
                edits.append((start, tokens[end - 1].end, replacement))
            i = end
            continue
        i += 1
    if edits and _shows_everything(tokens):
        raise ShapeRefused("a MATCH over two or more relationships with RETURN * or WITH *",
                           "name what to return, or split the match: MATCH (a)-[r]->(b) "
                           "WITH * MATCH (b)-[s]->(c)")
    for start, end, replacement in reversed(edits):
        statement = statement[:start] + replacement + statement[end:]
    return statement


def _tokens(statement: str) -> list[_Token]:
    return [_Token(m.lastgroup or "other", m.group(), m.start(), m.end())
            for m in _TOKEN.finditer(statement)]


class _Names:
    """Fresh names for anonymous nodes and relationships: _g1, _g2, … not used already."""

    def __init__(self, statement: str) -> None:
        self.used = set(re.findall(r"_g[0-9]+", statement))
        self.count = 0

    def fresh(self) -> str:
        while True:
            self.count += 1
            name = f"_g{self.count}"
            if name not in self.used:
                return name


def _shows_everything(tokens: list[_Token]) -> bool:
    for before, token in itertools.pairwise(tokens):
        if token.text == "*" and before.word in ("RETURN", "WITH", "DISTINCT"):
            return True
    return False


def _match_clause(statement: str, tokens: list[_Token], at: int,
                  names: _Names) -> tuple[int, str | None]:
    """(index after the clause and its WHERE, the rewritten text or None to keep it)."""
    optional = at > 0 and tokens[at - 1].word == "OPTIONAL"
    pattern_end = _clause_end(tokens, at + 1)
    end = pattern_end
    where: list[list[_Token]] = []
    if pattern_end < len(tokens) and tokens[pattern_end].word == "WHERE":
        end = _clause_end(tokens, pattern_end + 1)
        where = _conjuncts(tokens[pattern_end + 1:end])
    parts = _split(tokens[at + 1:pattern_end], ",")
    paths = [_elements(statement, part) for part in parts]
    relationships = [e for path in paths for e in path if not e.is_node]
    if len(relationships) < 2:
        return end, None
    shape = "a MATCH over two or more relationships"
    if optional:
        raise ShapeRefused(f"OPTIONAL {shape}", "MATCH the path first and OPTIONAL MATCH one "
                           "relationship from a bound node: MATCH (a)-[r]->(b) OPTIONAL "
                           "MATCH (b)-[s]->(c)")
    if any(_is_path_variable(part) for part in parts):
        raise ShapeRefused(f"{shape} bound to a path variable",
                           "return the nodes and relationships instead of the path: MATCH "
                           "(a)-[r]->(b) WITH * MATCH (b)-[s]->(c) RETURN a, r, b, s, c")
    if any(e.variable_length for e in relationships):
        raise ShapeRefused(f"{shape} with a variable-length relationship",
                           "match the variable-length relationship alone: MATCH (a)-[r]->(b) "
                           "WITH * MATCH (b)-[*1..3]->(c)")
    for path in paths:
        for element in path:
            if not element.name:
                element.name = names.fresh()
                element.text = _named(element)
    return end, _rewrite(statement, paths, where)


def _clause_end(tokens: list[_Token], start: int) -> int:
    depth = 0
    for i in range(start, len(tokens)):
        text = tokens[i].text
        if text in _OPEN:
            depth += 1
        elif text in _CLOSE:
            if depth == 0:
                return i
            depth -= 1
        elif depth == 0 and (tokens[i].word in _CLAUSES or text == ";"):
            return i
    return len(tokens)


def _split(tokens: list[_Token], separator: str) -> list[list[_Token]]:
    """Split at `separator` (a symbol, or a word such as AND) outside brackets."""
    parts: list[list[_Token]] = [[]]
    depth = 0
    for token in tokens:
        if token.text in _OPEN:
            depth += 1
        elif token.text in _CLOSE:
            depth -= 1
        if depth == 0 and (token.text == separator or token.word == separator):
            parts.append([])
        else:
            parts[-1].append(token)
    return [p for p in parts if p]


def _conjuncts(tokens: list[_Token]) -> list[list[_Token]]:
    """The WHERE's parts joined by AND; one part when OR or XOR stands beside them (they
    bind looser than AND: `a XOR b AND c` is `a XOR (b AND c)`)."""
    if len(_split(tokens, "OR")) > 1 or len(_split(tokens, "XOR")) > 1:
        return [tokens]
    return _split(tokens, "AND")


def _is_path_variable(part: list[_Token]) -> bool:
    return len(part) > 1 and part[1].text == "="


def _elements(statement: str, part: list[_Token]) -> list[_Element]:
    """The nodes and relationships of one comma-separated pattern, in order."""
    elements: list[_Element] = []
    i = 0
    while i < len(part):
        token = part[i]
        if token.text == "(":
            close = _closing(part, i)
            inside = part[i + 1:close]
            elements.append(_Element(statement[token.start:part[close].end], _first_name(inside),
                                     is_node=True))
            i = close + 1
        elif token.text in "<-":
            start = i
            inside: list[_Token] = []
            while i < len(part) and part[i].text in "<->":
                i += 1
            if i < len(part) and part[i].text == "[":
                close = _closing(part, i)
                inside = part[i + 1:close]
                i = close + 1
                while i < len(part) and part[i].text in "->":
                    i += 1
            types = frozenset(t.text for j, t in enumerate(inside)
                              if t.kind == "name" and j and inside[j - 1].text in (":", "|"))
            elements.append(_Element(statement[part[start].start:part[i - 1].end],
                                     _first_name(inside), is_node=False, types=types,
                                     variable_length=any(t.text == "*" for t in inside)))
        else:
            i += 1
    return elements


def _closing(tokens: list[_Token], at: int) -> int:
    depth = 0
    for i in range(at, len(tokens)):
        if tokens[i].text in _OPEN:
            depth += 1
        elif tokens[i].text in _CLOSE:
            depth -= 1
            if depth == 0:
                return i
    return len(tokens) - 1


def _first_name(inside: list[_Token]) -> str:
    return inside[0].text if inside and inside[0].kind == "name" else ""


def _named(element: _Element) -> str:
    text = element.text
    if element.is_node:
        return f"({element.name}{text[1:]}"
    if "[" in text:
        at = text.index("[")
        return f"{text[:at + 1]}{element.name}{text[at + 1:]}"
    left = "<-" if text.startswith("<") else "-"
    right = "->" if text.endswith(">") else "-"
    return f"{left}[{element.name}]{right}"


def _rewrite(statement: str, paths: list[list[_Element]], where: list[list[_Token]]) -> str:
    """One MATCH per relationship, WITH * between, each condition as early as it can go."""
    hops: list[str] = []
    bound_after: list[set[str]] = []
    seen: set[str] = set()
    for path in paths:
        written: set[str] = set()
        if len(path) == 1:
            hops.append(path[0].text)
        for k in range(1, len(path) - 1, 2):
            left, rel, right = path[k - 1], path[k], path[k + 1]
            left_text = f"({left.name})" if left.name in written else left.text
            right_text = f"({right.name})" if right.name in written else right.text
            written |= {left.name, right.name}
            hops.append(f"{left_text}{rel.text}{right_text}")
            seen |= {left.name, rel.name, right.name}
            bound_after.append(set(seen))
        if len(path) == 1:
            seen.add(path[0].name)
            bound_after.append(set(seen))
    conditions: list[list[str]] = [[] for _ in hops]
    for conjunct in where:
        used = {t.text for t in conjunct if t.kind == "name"}
        place = next((k for k, names in enumerate(bound_after)
                      if used & _all_names(paths) <= names), len(hops) - 1)
        conditions[place].append(f"({statement[conjunct[0].start:conjunct[-1].end]})")
    relationships = [e for path in paths for e in path if not e.is_node]
    for k, rel in enumerate(relationships):
        for other in relationships[:k]:
            if not rel.types or not other.types or rel.types & other.types:
                place = next(i for i, names in enumerate(bound_after)
                             if {rel.name, other.name} <= names)
                conditions[place].append(f"id({other.name}) <> id({rel.name})")
    clauses = []
    for hop, where_here in zip(hops, conditions, strict=True):
        clauses.append(f"MATCH {hop}" + (f" WHERE {' AND '.join(where_here)}"
                                         if where_here else ""))
    return " WITH * ".join(clauses) + " "


def _all_names(paths: list[list[_Element]]) -> set[str]:
    return {e.name for path in paths for e in path}
