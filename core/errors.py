"""Errors a user can fix: they name the file, the line and what was expected."""

from __future__ import annotations

from geldstroom.dutch import years_text


class InputError(Exception):
    """Bad input. The CLI prints it on one line and exits non-zero, with no traceback."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or ""
        if self.file and self.line is not None:
            where = f"{self.file}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class OutputError(InputError):
    """An output path that cannot be written: `reason` is the system's word for it."""

    def __init__(self, path: object, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        target = "standard output" if self.path == "-" else self.path
        super().__init__(f"cannot write {target}: {reason}")


class Interrupted(BaseException):
    """Ctrl-C. A BaseException, as KeyboardInterrupt is, so that no `except Exception`
    swallows it; its own type so that the command line can end with one line and 130
    instead of the framework's "Aborted!"."""


class NotReadOnly(InputError):
    """A statement for a read-only run that would write or reach outside the store."""

    def __init__(self, clause: str, reason: str) -> None:
        self.clause = clause
        self.reason = reason
        super().__init__(f"{clause} {reason}: refused, the statement runs read-only")


class UnknownRecipient(InputError):
    """A recipient name that matches no actor among `known` (their ids)."""

    def __init__(self, name: str, known: list[str], where: str = "these documents") -> None:
        self.name = name
        self.known = known
        super().__init__(f"no recipient {name!r} in {where}; known: {', '.join(known)}")


class UnknownName(UnknownRecipient):
    """A name the store holds no actor for; `similar` are ids of actors whose names contain
    it (a few, for a store of thousands of actors, not all of them)."""

    def __init__(self, name: str, similar: list[str], where: str = "the store") -> None:
        super().__init__(name, similar, where)
        like = f"names like it: {', '.join(similar)}" if similar else "no name is like it"
        self.message = f"no recipient {name!r} in {where}; {like}"
        self.args = (self.message,)


class NoMoneyInCorpus(UnknownRecipient):
    """An organisation a register knows (`actor`: its id, `known_as`: its name and where the
    register names it) that no source of the corpus pays: found, and told so."""

    def __init__(self, name: str, actor: str, known_as: str) -> None:
        super().__init__(name, [actor], "the corpus")
        self.message = (f"no money in the corpus for {name!r}: {known_as} is known ({actor}), "
                        "but no budget line, subsidy, bijdrage or agency figure names it")
        self.args = (self.message,)


class UnknownYear(InputError):
    """A year the data holds no amounts for; `years` are those it does."""

    def __init__(self, year: int, years: list[int], where: str = "the documents") -> None:
        self.year = year
        self.years = years
        cover = "cover" if where.endswith("s") else "covers"  # the documents, the store
        span = years_text(sorted(years)) or "no years"
        super().__init__(f"no amounts for {year}; {where} {cover} {span}")


class MissingParameter(InputError):
    """A statement's $parameters that were given no value."""

    def __init__(self, missing: list[str], given: list[str]) -> None:
        self.missing = missing
        self.given = given
        names = ", ".join(f"${m}" for m in missing)
        super().__init__(f"the statement uses {names} but no value was given for it")


class UnusedParameter(InputError):
    """Values given for parameters the statement does not use (a typo, most likely)."""

    def __init__(self, unused: list[str], used: list[str]) -> None:
        self.unused = unused
        self.used = used
        uses = ", ".join(f"${u}" for u in used) or "no parameters"
        super().__init__(f"the statement does not use {', '.join(unused)}; it uses {uses}")


class UnknownKind(InputError):
    """A document whose text does not say whether it is a begroting or a jaarverslag."""

    def __init__(self, file: str) -> None:
        super().__init__("cannot tell whether this is a begroting or a jaarverslag: no "
                         "'Budgettaire gevolgen van beleid' table and no Tweede Kamer footer",
                         file)


class UnknownDocumentYear(InputError):
    """A document whose text does not say which year it is for."""

    def __init__(self, kind: str, file: str) -> None:
        self.kind = kind
        super().__init__(f"cannot tell the year of this {kind}", file)


class ImpossibleYear(InputError):
    """A document year outside the years such documents exist for."""

    def __init__(self, year: int, earliest: int, latest: int, file: str | None = None) -> None:
        self.year, self.earliest, self.latest = year, earliest, latest
        super().__init__(f"document year {year} cannot be: budget documents in this form "
                         f"cover {earliest} to {latest}", file)


class StoreError(InputError):
    """The embedded store's file: `problem` says what is wrong with `path`."""

    FOLDER = "is a directory, not a database file"
    NOT_A_STORE = "is not a geldstroom graph store; refusing to replace it"
    NO_FOLDER = "the folder for the database does not exist"
    MISSING = "no graph store here"
    NOT_A_FILE = "is not a regular file (a pipe, device or socket); refusing to use it"
    NOT_A_STORE_TO_READ = "is not a geldstroom graph store"
    NOT_WRITTEN = "the store could not be written, the previous one is left as it was"
    OTHER_TABLES = ("was loaded from {inputs} by another version of geldstroom, whose tables "
                    "differ from those this one reads: load those inputs again with "
                    "`geldstroom load` (--file or --manifest, and --db)")

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(problem, self.path)


class StoreDamaged(StoreError):
    """A store the engine cannot read (corrupted, cut short): it is rebuilt, not repaired."""

    DAMAGED = "damaged"

    def __init__(self, path: object, detail: str) -> None:
        super().__init__(path, self.DAMAGED)
        self.detail = detail
        self.message = (f"the store at {self.path} is damaged ({detail}): run "
                        "`geldstroom load` to rebuild it")
        self.file = None
        self.args = (self.message,)


class NoPassword(InputError):
    """A Neo4j connection without a password."""

    def __init__(self) -> None:
        super().__init__("no Neo4j password")


class LoginRefused(InputError):
    """Neo4j refused the user and password."""

    def __init__(self, where: str, user: str, detail: str = "") -> None:
        self.where, self.user, self.detail = where, user, detail
        super().__init__(f"Neo4j at {where} refused user {user!r}"
                         + (f": {detail}" if detail else ""))


class BadParameterText(InputError):
    """A parameter written without the '=' between its name and value."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(f"a parameter is NAME=VALUE, got {text!r}")
