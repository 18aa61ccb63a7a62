"""Which Cypher statements `geldstroom cypher` runs: those that only read the store.

The engine is the first guarantee: the embedded store opens read-only and refuses every
write (CREATE, MERGE, SET, DELETE, DROP, ALTER, IMPORT, ATTACH), and Neo4j runs the
statement in a read transaction. But a read-only Ladybug database still runs COPY ... TO
and EXPORT DATABASE (they write files), LOAD FROM (reads any file), INSTALL (downloads),
and CHECKPOINT (writes beside the store, then crashes); Neo4j reads server files with LOAD
CSV in a read transaction and runs administration commands (SHOW USERS, TERMINATE
TRANSACTIONS) whatever the transaction. So a statement must start with a reading clause,
clauses are refused by keyword before the engine sees them, and CALL only reaches
procedures known to read the store. Tokens inside strings, comments, `quoted` names, after
`.`, `$`, `:` or AS are names, not clauses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from geldstroom.errors import InputError, MissingParameter, NotReadOnly, UnusedParameter

# Keyword -> why it is refused.
WRITES = "writes"
OUTSIDE = "reaches outside the store"
ADMINISTERS = "administers the server"
REFUSED: dict[str, str] = {
    **dict.fromkeys(("CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "ALTER", "FOREACH",
                     "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "TRUNCATE", "INSERT"), WRITES),
    **dict.fromkeys(("COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL", "UNINSTALL",
                     "LOAD", "USE"), OUTSIDE),
    # Neo4j's administration commands, which a read transaction does not stop.
    **dict.fromkeys(("TERMINATE", "SHOW", "START", "STOP", "GRANT", "DENY", "REVOKE", "ENABLE",
                     "DISABLE", "RENAME"), ADMINISTERS),
}

# A statement that only reads starts with one of these (anything else, e.g. Neo4j's SHOW
# USERS or a command the deny-list above does not know yet, is refused).
READING_STARTS = frozenset({"MATCH", "OPTIONAL", "WITH", "UNWIND", "RETURN", "CALL",
                            "EXPLAIN", "PROFILE"})

# Procedures that only describe the store (Ladybug's, then Neo4j's), in lower case.
READ_PROCEDURES = frozenset({
    "show_tables", "table_info", "show_connection", "db_version", "show_functions",
    "show_indexes", "current_setting", "show_warnings",
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "dbms.components",
})

# A `quoted` name stays one token, quotes and all: after CALL it is a procedure's name (the
# engine strips the quotes), after $ a parameter's. Digits stay together for $0.
_TOKEN = re.compile(r"""
    (?P<skip>//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\s+)
  | (?P<quoted>`[^`]*`)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def _tokens(statement: str) -> list[str]:
    return [m.group() for m in _TOKEN.finditer(statement) if m.lastgroup != "skip"]


def _name(token: str) -> str:
    return token[1:-1] if token.startswith("`") else token


def _is_name(token: str) -> bool:
    return token[0].isalpha() or token[0] in "_`"


def check_read_only(statement: str) -> None:
    """NotReadOnly for the first clause that writes, reaches outside the store or administers
    the server, a statement that does not start with a reading clause, or a CALL of a
    procedure not known to only read."""
    tokens = _tokens(statement)
    if tokens and _is_name(tokens[0]) and tokens[0].upper() not in READING_STARTS:
        first = tokens[0].upper()
        raise NotReadOnly(first, REFUSED.get(first, "does not start a statement that reads"))
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        # Names: after . $ : (property, parameter, label), before : (map key), after AS (alias).
        if (before in (".", "$", ":") or before.upper() == "AS" or after == ":"
                or not token[0].isalpha()):
            continue
        keyword = token.upper()
        if keyword in REFUSED:
            raise NotReadOnly(keyword, REFUSED[keyword])
        if keyword == "CALL":
            _check_call(tokens, i + 1)


def _check_call(tokens: list[str], start: int) -> None:
    """CALL { ... } and CALL (vars) { ... } are subqueries; anything else names a procedure,
    `quoted` or not, which must be one known to only read."""
    after = tokens[start] if start < len(tokens) else ""
    if after == "{":
        return
    if after == "(":
        close = tokens.index(")", start) if ")" in tokens[start:] else len(tokens)
        if close + 1 < len(tokens) and tokens[close + 1] == "{":
            return
        raise NotReadOnly("CALL (", "is neither a subquery nor a procedure known to only read")
    name = _dotted_name(tokens, start)
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
    while i < len(tokens) and _is_name(tokens[i]):
        parts.append(_name(tokens[i]))
        if i + 1 < len(tokens) and tokens[i + 1] == ".":
            i += 2
            continue
        break
    return ".".join(parts)


def statement_parameters(statement: str) -> list[str]:
    """The $names a statement uses (not those inside strings or comments), sorted."""
    tokens = _tokens(statement)
    return sorted({_name(tokens[i + 1]) for i, token in enumerate(tokens[:-1])
                   if token == "$" and (_is_name(tokens[i + 1]) or tokens[i + 1].isdigit())})


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
