"""Opening what a user names as input: one place for the limits every reader keeps and for
the refusals that come before any reading.

- A path must name a regular file (or standard input): a FIFO, a device or a socket is
  refused at once rather than waited on or read forever (`--file /dev/zero`).
- A path the system cannot use (a NUL byte, a name too long, a link loop, no permission)
  is one line naming it, not a traceback.
- No file is read past its limit: MAX_DOCUMENT_BYTES for a document or manifest,
  MAX_DATA_BYTES for a data file as stored and again for what a .gz/.xz file unpacks to
  (a gzip bomb stops at the limit, not at the machine's memory), MAX_FIELD_CHARS for one
  CSV field. The message names the file and the limit.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import lzma
import os
import select
import stat
import zlib
from pathlib import Path
from typing import IO

from geldstroom.errors import InputError

MAX_DOCUMENT_BYTES = 32 << 20  # a document's text or a manifest: the bundled are < 1 MB
MAX_DATA_BYTES = 256 << 20  # a CSV data file, stored or unpacked: the bundled are < 3 MB
PIPE_WAIT_SECONDS = 10  # how long a named pipe may stay silent before it is given up
MAX_FIELD_CHARS = 1 << 20  # one CSV cell
MAX_NESTING = 32  # lists and tables inside each other in a --param value or a manifest

csv.field_size_limit(MAX_FIELD_CHARS)


def size_text(limit: int) -> str:
    return f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit} bytes"


def path_problem(err: OSError | ValueError) -> str:
    """The system's word for why a path cannot be used."""
    if isinstance(err, ValueError):  # os functions refuse an embedded NUL this way
        return "the path has a NUL byte"
    return err.strerror or str(err)


def _stat(path: Path, what: str) -> os.stat_result:
    try:
        return os.stat(path)
    except FileNotFoundError:
        raise InputError(f"no such {what}", str(path)) from None
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the {what}: {path_problem(err)}", str(path)) from None


def check_input_file(path: Path, what: str = "file", pipe: bool = False) -> int:
    """The size of the regular file at `path` (0 for a named pipe, where `pipe` allows
    one), or InputError naming it for anything else: missing, a folder, a device, a socket,
    an unusable path."""
    mode = _stat(path, what).st_mode
    if stat.S_ISDIR(mode):
        raise InputError(f"is a directory, expected a {what}", str(path))
    if pipe and stat.S_ISFIFO(mode):
        return 0
    if not stat.S_ISREG(mode):
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
        raise InputError(f"is {kind}, not a regular file: give the {what} itself",
                         str(path))
    return os.stat(path).st_size


def too_large(path: Path | str, what: str, limit: int) -> InputError:
    return InputError(f"the {what} is larger than the limit of {size_text(limit)}", str(path))


def read_limited(path: Path, limit: int, what: str = "file") -> bytes:
    """The bytes of a regular file or named pipe, at most `limit` of them (a sparse 2 GB
    file is refused by its size before anything is read; a pipe that stays silent for
    PIPE_WAIT_SECONDS is given up)."""
    if check_input_file(path, what, pipe=True) > limit:
        raise too_large(path, what, limit)
    try:
        if stat.S_ISFIFO(os.stat(path).st_mode):
            return _read_pipe(path, limit, what)
        with open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except PermissionError:
        raise InputError(f"cannot read the {what} (permission denied)", str(path)) from None
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the {what}: {path_problem(err)}", str(path)) from None
    if len(data) > limit:  # it grew while we read
        raise too_large(path, what, limit)
    return data


def _read_pipe(path: Path, limit: int, what: str) -> bytes:
    """A named pipe, read without blocking: Linux reports no end of a pipe before its first
    writer came, so waiting for data waits for a writer, up to PIPE_WAIT_SECONDS."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    chunks: list[bytes] = []
    total = 0
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], PIPE_WAIT_SECONDS)
            if not ready:
                raise InputError(f"nothing came through this named pipe for "
                                 f"{PIPE_WAIT_SECONDS} s: is anything writing to it?",
                                 str(path))
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > limit:
                raise too_large(path, what, limit)
            chunks.append(chunk)
    finally:
        os.close(fd)


def read_stream_limited(stream: IO[bytes], name: str, limit: int, what: str) -> bytes:
    """At most `limit` bytes of a stream (standard input), else InputError."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise too_large(name, what, limit)
    return data


class _Bounded(io.RawIOBase):
    """A binary stream that fails once more than `limit` bytes came out of it."""

    def __init__(self, inner: IO[bytes], path: Path, limit: int,
                 file: IO[bytes] | None = None) -> None:
        self._inner, self._path, self._limit, self._read = inner, path, limit, 0
        self._file = file  # the file under a decompressor, which does not close it

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._inner.readinto(buffer)  # type: ignore[attr-defined]
        self._read += count or 0
        if self._read > self._limit:
            raise too_large(self._path, "data file, unpacked,", self._limit)
        return count

    def close(self) -> None:
        self._inner.close()
        if self._file is not None:
            self._file.close()
        super().close()


def open_data_text(path: Path, limit: int = MAX_DATA_BYTES) -> IO[str]:
    """A data file as text, whether stored plain, .gz or .xz, that stops with InputError
    past `limit` bytes, as stored or as unpacked."""
    if check_input_file(path, "data file") > limit:
        raise too_large(path, "data file", limit)
    try:
        file: IO[bytes] = open(path, "rb")  # noqa: SIM115 - closed by the wrapper below
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read the data file: {path_problem(err)}", str(path)) from None
    unpacked: IO[bytes] | None = None
    if path.suffix == ".gz":
        unpacked = gzip.GzipFile(fileobj=file, mode="rb")
    elif path.suffix == ".xz":
        unpacked = lzma.LZMAFile(file, mode="rb")  # noqa: SIM115
    bounded = io.BufferedReader(_Bounded(unpacked or file, path, limit,
                                         file if unpacked else None))
    return io.TextIOWrapper(bounded, encoding="utf-8", newline="")


def not_utf8(path: Path) -> InputError:
    """"not UTF-8 text" naming the line of the first byte that is not (a text stream
    decodes ahead of the CSV reader, so the reader's own line number is not it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with open_data_text(path) as stream:
            for number, line in enumerate(stream.buffer, start=1):
                try:
                    decoder.decode(line)
                except UnicodeDecodeError as err:
                    return InputError(f"not UTF-8 text (byte 0x{line[err.start]:02x}); save the "
                                      "file as UTF-8", str(path), number)
    except (OSError, EOFError, zlib.error):
        pass
    return InputError("not UTF-8 text; save the file as UTF-8", str(path))


def nesting_depth(value: object) -> int:
    """How deep lists and dicts sit inside each other (0 for a plain value), counted
    without recursion, so that no depth ends in a RecursionError."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, list | tuple | dict):
            depth += 1
            deepest = max(deepest, depth)
            if depth > MAX_NESTING:
                return depth
            stack.extend((v, depth) for v in (item.values() if isinstance(item, dict) else item))
    return deepest
