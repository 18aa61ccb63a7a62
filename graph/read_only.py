"""Which Cypher statements `geldstroom cypher` runs: those that only read the store.

The engine is the first guarantee: the embedded store opens read-only and refuses every
write (CREATE, MERGE, SET, DELETE, DROP, ALTER, IMPORT, ATTACH), and Neo4j runs the
statement in a read transaction. But a read-only Ladybug database still runs COPY ... TO
and EXPORT DATABASE (they write files), LOAD FROM (reads any file), INSTALL (downloads),
and CHECKPOINT (writes beside the store, then crashes); Neo4j reads server files with LOAD
CSV in a read transaction. So clauses are refused by keyword before the engine sees them,
and CALL only reaches procedures known to read the store. Tokens inside strings, comments,
`quoted` names and after `.`, `$` or `:` are names, not clauses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from geldstroom.errors import InputError, MissingParameter, NotReadOnly, UnusedParameter

# Keyword -> why it is refused.
WRITES = "writes"
OUTSIDE = "reaches outside the store"
REFUSED: dict[str, str] = {
    **dict.fromkeys(("CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "ALTER", "FOREACH",
                     "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "TRUNCATE"), WRITES),
    **dict.fromkeys(("COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL", "UNINSTALL",
                     "LOAD", "USE"), OUTSIDE),
}

# Procedures that only describe the store (Ladybug's, then Neo4j's), in lower case.
READ_PROCEDURES = frozenset({
    "show_tables", "table_info", "show_connection", "db_version", "show_functions",
    "show_indexes", "current_setting", "show_warnings",
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "dbms.components",
})

_TOKEN = re.compile(r"""
    (?P<skip>//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`|\s+)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def _tokens(statement: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(statement) if m.lastgroup != "skip"]


def check_read_only(statement: str) -> None:
    """NotReadOnly for the first clause that writes or reaches outside the store, or a CALL
    of a procedure not known to only read."""
    tokens = _tokens(statement)
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if before in (".", "$", ":") or after == ":" or not token[0].isalpha():
            continue
        keyword = token.upper()
        if keyword in REFUSED:
            raise NotReadOnly(keyword, REFUSED[keyword])
        if keyword == "CALL" and after not in ("{", "("):
            name = _dotted_name(tokens, i + 1)
            if name.lower() not in READ_PROCEDURES:
                raise NotReadOnly(f"CALL {name}", "is not a procedure known to only read")


def check_single_statement(statement: str) -> None:
    """InputError for more than one statement: Ladybug runs each (and answers a list), Neo4j
    refuses the text; a trailing `;` is fine."""
    tokens = _tokens(statement)
    if ";" in tokens and any(t != ";" for t in tokens[tokens.index(";"):]):
        raise InputError("more than one statement (separated by ';'): "
                         "run one at a time")


def _dotted_name(tokens: list[str], start: int) -> str:
    parts: list[str] = []
    i = start
    while i < len(tokens) and (tokens[i][0].isalpha() or tokens[i][0] == "_"):
        parts.append(tokens[i])
        if i + 1 < len(tokens) and tokens[i + 1] == ".":
            i += 2
            continue
        break
    return ".".join(parts)


def statement_parameters(statement: str) -> list[str]:
    """The $names a statement uses (not those inside strings or comments), sorted."""
    tokens = _tokens(statement)
    return sorted({tokens[i + 1] for i, token in enumerate(tokens[:-1])
                   if token == "$" and tokens[i + 1][0].isalpha()})


def check_parameters(statement: str, given: Iterable[str]) -> None:
    """MissingParameter when a $name has no value (the engine would read it as null and
    answer "no rows"); UnusedParameter for a value the statement never reads."""
    used = statement_parameters(statement)
    given = sorted(given)
    missing = [name for name in used if name not in given]
    if missing:
        raise MissingParameter(missing, given)
    unused = [name for name in given if name not in used]
    if unused:
        raise UnusedParameter(unused, used)
