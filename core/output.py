"""Writing what a command makes to an `-o` path, whatever is at that path.

- a regular file (or nothing yet) is written to a temporary file beside it and renamed over
  it, so a reader never sees half a file and a failed write leaves the old one; it keeps the
  old file's mode (a new one gets 0666 less the umask);
- a symlink is written through to its target, the same way (the link stays a link); a link
  loop is refused;
- a character device, a FIFO or a socket, and `-` (standard output), is written as a stream:
  replacing /dev/full or a named pipe by a regular file would lose the output.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from geldstroom.errors import OutputError

STDOUT = Path("-")


def is_stdout(path: Path) -> bool:
    return str(path) == "-"


def shown(path: Path) -> str:
    """The path for messages: '-' is standard output."""
    return "standard output" if is_stdout(path) else str(path)


def link_target(path: Path) -> Path:
    """The path a write lands on: a symlink's final target, else the path itself. A link loop
    cannot be written (writing beside it would replace the link by a file): OutputError."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return Path(os.path.realpath(path))  # a dangling link: the write makes its target
    except OSError as err:  # ELOOP
        raise OutputError(path, err.strerror or str(err)) from None


def _file_mode(target: Path) -> int:
    """The mode a written file gets: the old file's, else what open() would give a new one."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)  # the only way to read it
        os.umask(umask)
        return 0o666 & ~umask


def _is_stream(path: Path) -> bool:
    """Standard output, or an existing path that is not a regular file (device, FIFO)."""
    if is_stdout(path):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def check_writable(path: Path) -> None:
    """Fail before any work is done when the target cannot be written: also a file the
    plain write would be refused (mode 0444), which writing beside and renaming would
    otherwise replace."""
    if _is_stream(path):
        if not is_stdout(path) and not os.access(path, os.W_OK):
            raise OutputError(path, "permission denied")
        return
    target = link_target(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(path, f"folder {parent} does not exist")
    if target.is_dir():
        raise OutputError(path, "it is a folder")
    if not os.access(parent, os.W_OK):
        raise OutputError(path, f"folder {parent} is not writable")
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError(path, "permission denied")


def write_outputs(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every (path, data): streams as streams, files whole or not at all. All files are
    written to temporary files first, then the streams, and only then are the files moved into
    place; on any error no file is replaced and no temporary file is left."""
    if any(is_stdout(path) for path, _ in files) and len(files) > 1:
        raise OutputError(STDOUT, f"this output is {len(files)} files; give -o a file name")
    streams = [(path, data) for path, data in files if _is_stream(path)]
    regular = [(path, data) for path, data in files if not _is_stream(path)]
    for path, _ in regular:  # every target before any is written: all files or none
        check_writable(path)
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in regular:
            target = link_target(path)
            try:
                fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                            suffix=".tmp")
                temps.append((temp, target))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(temp, _file_mode(target))  # mkstemp makes 0600
            except OSError as err:
                raise OutputError(path, err.strerror or str(err)) from None
        for path, data in streams:
            _write_stream(path, data)
        while temps:
            temp, target = temps[0]
            try:
                os.replace(temp, target)
            except OSError as err:
                raise OutputError(target, err.strerror or str(err)) from None
            temps.pop(0)
    finally:
        _discard(temps)


def _write_stream(path: Path, data: bytes) -> None:
    try:
        if is_stdout(path):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            with os.fdopen(_open_pipe_end(path), "wb", buffering=0) as stream:
                view = memoryview(data)
                while view:
                    view = view[stream.write(view):]
    except BrokenPipeError:
        raise  # the reader left: main() ends quietly, as `cmd | head` expects
    except OSError as err:
        raise OutputError(path, err.strerror or str(err)) from None


PIPE_WAIT_SECONDS = 10  # how long a named pipe may go without a reader


def _open_pipe_end(path: Path) -> int:
    """A device or named pipe opened to write; a pipe that no one reads within
    PIPE_WAIT_SECONDS is an error instead of a silent wait."""
    deadline = time.monotonic() + PIPE_WAIT_SECONDS
    while True:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as err:
            if err.errno != errno.ENXIO:  # ENXIO: a pipe with no reader yet
                raise
            if time.monotonic() > deadline:
                raise OutputError(path, f"no one read this named pipe for "
                                  f"{PIPE_WAIT_SECONDS} s") from None
            time.sleep(0.05)
            continue
        os.set_blocking(fd, True)
        return fd


def _discard(temps: Sequence[tuple[str, Path]]) -> None:
    for temp, _ in temps:
        with contextlib.suppress(OSError):
            os.unlink(temp)
