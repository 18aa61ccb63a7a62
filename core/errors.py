"""Errors a user can fix: they name the file, the line and what was expected."""

from __future__ import annotations


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
