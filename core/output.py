"""Writing what a command makes to an `-o` path, whatever is at that path.

- a regular file (or nothing yet) is written to a temporary file beside it and renamed over
  it, so a reader never sees half a file and a failed write leaves the old one;
- a symlink is written through to its target, the same way (the link stays a link);
- a character device, a FIFO or a socket, and `-` (standard output), is written as a stream:
  replacing /dev/full or a named pipe by a regular file would lose the output.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from geldstroom.errors import OutputError

STDOUT = Path("-")


def is_stdout(path: Path) -> bool:
    return str(path) == "-"


def shown(path: Path) -> str:
    """The path for messages: '-' is standard output."""
    return "standard output" if is_stdout(path) else str(path)


def _target(path: Path) -> Path:
    """The path a write lands on: a symlink's final target, else the path itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


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
    """Fail before any work is done when the target cannot be written."""
    if _is_stream(path):
        if not is_stdout(path) and not os.access(path, os.W_OK):
            raise OutputError(path, "permission denied")
        return
    target = _target(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(path, f"folder {parent} does not exist")
    if target.is_dir():
        raise OutputError(path, "it is a folder")
    if not os.access(parent, os.W_OK):
        raise OutputError(path, f"folder {parent} is not writable")


def write_outputs(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every (path, data): streams as streams, files whole or not at all (all files are
    written to temporary files first and moved into place together)."""
    if any(is_stdout(path) for path, _ in files) and len(files) > 1:
        raise OutputError(STDOUT, f"this output is {len(files)} files; give -o a file name")
    temps: list[tuple[str, Path]] = []
    for path, data in files:
        if _is_stream(path):
            _write_stream(path, data)
            continue
        target = _target(path)
        try:
            fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".tmp")
            temps.append((temp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(temp, 0o644)  # mkstemp makes 0600; outputs are for sharing
        except OSError as err:
            _discard(temps)
            raise OutputError(path, err.strerror or str(err)) from None
    try:
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as err:
        _discard(temps)
        raise OutputError(files[0][0], err.strerror or str(err)) from None


def _write_stream(path: Path, data: bytes) -> None:
    try:
        if is_stdout(path):
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            with open(path, "wb", buffering=0) as stream:
                view = memoryview(data)
                while view:
                    view = view[stream.write(view):]
    except BrokenPipeError:
        raise  # the reader left: main() ends quietly, as `cmd | head` expects
    except OSError as err:
        raise OutputError(path, err.strerror or str(err)) from None


def _discard(temps: Sequence[tuple[str, Path]]) -> None:
    for temp, _ in temps:
        with contextlib.suppress(OSError):
            os.unlink(temp)
