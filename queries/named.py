"""Named Cypher queries: the `queries/*.cypher` files, each with a header saying what it
answers and which parameters it takes.

Header lines, before the query:
    // What the query answers (one or more lines).
    // param NAME: TYPE = DEFAULT -- what it means
TYPE is string, integer or boolean; DEFAULT is a literal or null. The same file runs on the
embedded store and on Neo4j: queries keep to the Cypher both engines read (optional filters
as `x = coalesce($p, x)`, since the embedded engine cannot type a bare null parameter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from geldstroom.errors import BadParameterText, InputError

_PARAM = re.compile(
    r"^//\s*param\s+(?P<name>\w+)\s*:\s*(?P<type>string|integer|boolean)"
    r"\s*(?:=\s*(?P<default>[^-]+?))?\s*(?:--\s*(?P<help>.*))?$"
)


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    help: str = ""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    cypher: str
    parameters: dict[str, Parameter] = field(default_factory=dict)

    def bind(self, given: dict[str, str]) -> dict[str, Any]:
        """Parameter values from text (`--param year=2024`), typed, with the defaults."""
        unknown = sorted(set(given) - set(self.parameters))
        if unknown:
            known = ", ".join(self.parameters) or "none"
            raise InputError(f"query {self.name!r} has no parameter {unknown[0]!r}; "
                             f"its parameters: {known}")
        return {
            name: _typed(self.name, p, given[name]) if name in given else p.default
            for name, p in self.parameters.items()
        }


def _literal(text: str | None) -> Any:
    if text is None or text.strip() == "null":
        return None
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text.strip("'\"")


def _typed(query: str, parameter: Parameter, text: str) -> Any:
    if text == "null":
        return None
    if parameter.type == "integer":
        # Years and limits: whole numbers both engines hold (64-bit), never negative.
        if not re.fullmatch(r"\d{1,18}", text.strip()):
            raise InputError(f"query {query!r}: parameter {parameter.name!r} expects a whole "
                             f"number from 0 up, got {text!r}")
        return int(text)
    if parameter.type == "boolean":
        if text not in ("true", "false"):
            raise InputError(f"query {query!r}: parameter {parameter.name!r} expects true or "
                             f"false, got {text!r}")
        return text == "true"
    return text


def parse(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    parameters: dict[str, Parameter] = {}
    body: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if body or not stripped.startswith("//"):
            body.append(line)
            continue
        match = _PARAM.match(stripped)
        if match:
            parameters[match["name"]] = Parameter(
                match["name"], match["type"], _literal(match["default"]),
                (match["help"] or "").strip(),
            )
        else:
            description.append(stripped.removeprefix("//").strip())
    return NamedQuery(name, " ".join(description), "\n".join(body).strip(), parameters)


def named_queries() -> dict[str, NamedQuery]:
    """Every bundled named query, by file name without .cypher."""
    folder = resources.files("geldstroom.queries")
    return {
        entry.name.removesuffix(".cypher"): parse(entry.name.removesuffix(".cypher"),
                                                  entry.read_text(encoding="utf-8"))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".cypher")
    }


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise InputError(f"no named query {name!r}; the queries are: {', '.join(queries)}")
    return queries[name]


def parse_param_options(pairs: list[str]) -> dict[str, str]:
    """NAME=VALUE texts into a dict; BadParameterText for one without '='."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadParameterText(pair)
        if key.strip() in out:  # keeping the last would hide a typo or a mistake
            raise InputError(f"--param {key.strip()} is given twice ({out[key.strip()]!r} and "
                             f"{value!r}): give each parameter once")
        out[key.strip()] = value
    return out
