"""Which Cypher statements `geldstroom cypher` runs: reading queries, and nothing else.

An allow-list of what a statement may be, not a deny-list of what it may not: a statement is
a reading query (MATCH, OPTIONAL MATCH, UNWIND, WITH, RETURN, CALL of a procedure known to
only read, CALL { ... } subqueries of those, UNION of those), optionally after EXPLAIN or
PROFILE. Cypher starts a new clause only after an operand (a name, a literal, `)`, `]`,
`}`); a word in that place must be an operator or a part of a reading clause, so CREATE,
SET, COPY, LOAD, UPDATE, ANALYZE, COMMENT and whatever the engine adds next are refused
before the engine sees them. The engine is the second guarantee: the embedded store opens
read-only (graph/store.py, with no home folder for extensions), Neo4j runs a read
transaction.

The text is tokenised once, in linear time (possessive patterns: a `/*` that never closes
costs one scan, not one per `/*`). Tokens inside strings and comments are not words;
`quoted` names, and names after `.`, `$` or `:`, are names, not clauses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from geldstroom.errors import InputError, MissingParameter, NotReadOnly, UnusedParameter

# Why a word is refused, where we know (the message says it); any other word out of place
# "is not part of a reading query".
WRITES = "writes"
OUTSIDE = "reaches outside the store"
ADMINISTERS = "administers the server"
NOT_READING = "is not part of a reading query"
REASONS: dict[str, str] = {
    **dict.fromkeys(("CREATE", "MERGE", "SET", "DELETE", "REMOVE", "DROP", "ALTER", "FOREACH",
                     "CHECKPOINT", "BEGIN", "COMMIT", "ROLLBACK", "TRUNCATE", "INSERT",
                     "UPDATE", "ANALYZE", "COMMENT"), WRITES),
    **dict.fromkeys(("COPY", "EXPORT", "IMPORT", "ATTACH", "DETACH", "INSTALL", "UNINSTALL",
                     "LOAD", "USE"), OUTSIDE),
    **dict.fromkeys(("TERMINATE", "SHOW", "START", "STOP", "GRANT", "DENY", "REVOKE", "ENABLE",
                     "DISABLE", "RENAME", "DEALLOCATE"), ADMINISTERS),
}

# The clauses a reading query is made of, and what may stand before the first.
CLAUSE_STARTS = frozenset({"MATCH", "OPTIONAL", "UNWIND", "WITH", "RETURN", "CALL"})
PREFIXES = frozenset({"EXPLAIN", "PROFILE"})
# Words that may follow an operand: operators, and the parts and starts of reading clauses.
AFTER_OPERAND = CLAUSE_STARTS | frozenset({
    "AND", "OR", "XOR", "IN", "IS", "CONTAINS", "STARTS", "ENDS", "AS", "ASC", "DESC",
    "ASCENDING", "DESCENDING", "WHERE", "ORDER", "SKIP", "LIMIT", "UNION", "YIELD", "WHEN",
    "THEN", "ELSE", "END"})
# Words after which an operand has not ended (everything else that is a word ends one).
_OPERATOR_WORDS = frozenset({
    "AND", "OR", "XOR", "NOT", "IN", "IS", "CONTAINS", "STARTS", "ENDS", "AS", "WHERE",
    "ORDER", "BY", "SKIP", "LIMIT", "UNION", "YIELD", "WHEN", "THEN", "ELSE", "CASE",
    "DISTINCT"}) | CLAUSE_STARTS | PREFIXES
# `*` is an operand after these (RETURN *), else multiplication or a variable length.
_STAR_OPERAND_AFTER = frozenset({"RETURN", "WITH", "YIELD", "DISTINCT", "("})

# Procedures that only describe the store (Ladybug's, then Neo4j's), in lower case.
READ_PROCEDURES = frozenset({
    "show_tables", "table_info", "show_connection", "db_version", "show_functions",
    "show_indexes", "current_setting", "show_warnings",
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "dbms.components",
})

# A `quoted` name stays one token, quotes and all: after CALL it is a procedure's name (the
# engine strips the quotes), after $ a parameter's. Digits stay together for $0; a number
# keeps its exponent and suffix (1e5, 0x1F) so that no part of it reads as a word.
_TOKEN = re.compile(r"""
    (?P<skip>\s++|//[^\n]*+|/\*(?:[^*]|\*(?!/))*+\*/)
  | (?P<string>'(?:[^'\\]|\\.)*+'|"(?:[^"\\]|\\.)*+")
  | (?P<quoted>`[^`]*+`)
  | (?P<unclosed>/\*|['"`])
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*+)
  | (?P<number>[0-9][0-9A-Za-z_]*+(?:\.[0-9][0-9A-Za-z_]*+)?(?:(?<=[eE])[-+][0-9]++)?)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)
_UNCLOSED = {"/*": "a comment (/*) that is never closed", "'": "a string that is never closed",
             '"': "a string that is never closed", "`": "a `quoted` name that is never closed"}


@lru_cache(maxsize=8)  # the checks below each read the same statement's tokens
def _tokens(statement: str) -> tuple[str, ...]:
    tokens = []
    for match in _TOKEN.finditer(statement):
        kind = match.lastgroup
        if kind == "skip":
            continue
        if kind == "unclosed":
            raise InputError(f"the statement has {_UNCLOSED[match.group()]}")
        tokens.append(match.group())
    return tuple(tokens)


def _name(token: str) -> str:
    return token[1:-1] if token.startswith("`") else token


def _is_name(token: str) -> bool:
    return token[0].isalpha() or token[0] in "_`"


def _is_word(token: str) -> bool:
    return token[0].isalpha() or token[0] == "_"


def _closing(tokens: tuple[str, ...]) -> dict[int, int]:
    """Index of each opening bracket -> index of its closing one (len(tokens) if none)."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    closing: dict[int, int] = {}
    stack: list[int] = []
    for i, token in enumerate(tokens):
        if token in pairs:
            stack.append(i)
        elif token in (")", "]", "}"):
            while stack and pairs[tokens[stack[-1]]] != token:
                closing[stack.pop()] = i
            if stack:
                closing[stack.pop()] = i
    for i in stack:
        closing[i] = len(tokens)
    return closing


def _ends_operand(tokens: tuple[str, ...], i: int) -> bool:
    """Whether tokens[i] ends an operand: after it, a word starts a clause or is an
    operator."""
    token = tokens[i]
    before = tokens[i - 1] if i else ""
    if token in (")", "]", "}"):
        return True
    if token == "*":
        return before.upper() in _STAR_OPERAND_AFTER
    if before in (".", "$", ":") or before.upper() == "AS":
        return _is_name(token) or token[0].isdigit()
    if _is_word(token):
        return token.upper() not in _OPERATOR_WORDS
    return token[0] in "`0123456789'\""


def _refuse(word: str, reason: str | None = None) -> NotReadOnly:
    keyword = word.upper()
    return NotReadOnly(keyword, reason or REASONS.get(keyword, NOT_READING))


def check_read_only(statement: str) -> None:
    """NotReadOnly for the first word that is not part of a reading query (see the module's
    text), a CALL of a procedure not known to only read, or a statement that does not start
    with a reading clause; InputError for a string or comment that is never closed."""
    tokens = _tokens(statement)
    closing = _closing(tokens)
    expect_start = True  # at the start of a statement, of a subquery, after UNION
    for i, token in enumerate(tokens):
        if token == ";":
            expect_start = True
            continue
        before = tokens[i - 1] if i else ";"
        # A word after . $ : is a property, parameter or label; after AS an alias.
        is_name = before in (".", "$", ":") or before.upper() == "AS"
        word = token.upper() if _is_word(token) and not is_name else ""
        if expect_start:
            if word in PREFIXES and before == ";":
                continue
            if word not in CLAUSE_STARTS:
                raise _refuse(token, None if word in REASONS else
                              "does not start a statement that reads")
            expect_start = False
        elif token == "{":
            expect_start = _opens_subquery(tokens, i)
            continue
        elif word and _ends_operand(tokens, i - 1) and word not in AFTER_OPERAND:
            raise _refuse(token)
        if word in ("UNION", "OPTIONAL"):
            _check_next(tokens, i, word)
        elif word == "CALL":
            _check_call(tokens, i + 1, closing)


def _opens_subquery(tokens: tuple[str, ...], i: int) -> bool:
    """Whether the `{` at i opens a subquery (CALL { ... }, EXISTS { MATCH ... }) rather than
    a map ({id: 1}, {.name}, {}) or a pattern (COUNT { (a)-->() })."""
    after = tokens[i + 1] if i + 1 < len(tokens) else "}"
    if after in ("}", ".", "(", "*") or not _is_name(after):
        return False
    return not (i + 2 < len(tokens) and tokens[i + 2] == ":")


def _check_next(tokens: tuple[str, ...], i: int, word: str) -> None:
    """UNION [ALL] is followed by a reading query; OPTIONAL by MATCH or CALL."""
    j = i + 1
    if word == "UNION" and j < len(tokens) and tokens[j].upper() == "ALL":
        j += 1
    after = tokens[j] if j < len(tokens) else ""
    allowed = CLAUSE_STARTS if word == "UNION" else {"MATCH", "CALL"}
    if after and after.upper() not in allowed:
        raise _refuse(after, None if after.upper() in REASONS else
                      f"cannot follow {word}: refused, only a reading query can")


def _check_call(tokens: tuple[str, ...], start: int, closing: dict[int, int]) -> None:
    """CALL { ... } and CALL (vars) { ... } are subqueries; anything else names a procedure,
    `quoted` or not, which must be one known to only read."""
    after = tokens[start] if start < len(tokens) else ""
    if after == "{":
        return
    if after == "(":
        close = closing[start]
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
