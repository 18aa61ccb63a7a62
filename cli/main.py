"""The `geldstroom` console script: the command line, with its edges made clean.

Kept tiny and importing nothing heavy, so that Ctrl-C is handled from the first moment
(also while the command modules and their libraries load), and so that a failure to write
standard output (a full disk, `> /dev/full`) ends in one line instead of a traceback.
"""

from __future__ import annotations

import errno
import gc
import os
import signal
import sys

from geldstroom.errors import Interrupted
from geldstroom.interrupt import guard_interrupts, interrupted

INTERRUPTED_EXIT = 130  # 128 + SIGINT, what shells report for Ctrl-C
BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE
OUTPUT_ERROR_EXIT = 2
_OUTPUT_ERRNOS = {errno.ENOSPC, errno.EIO, errno.EDQUOT, errno.EFBIG, errno.EROFS}


def _say(text: str) -> None:
    try:
        sys.stderr.write(f"{text}\n")
        sys.stderr.flush()
    except OSError:
        pass


def _silence_stdout() -> None:
    """After a failed write, nothing more goes to stdout (not even at interpreter exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    guard_interrupts()
    code: int | str | None = 0
    try:
        # After the guard is set: loading the commands takes a moment, Ctrl-C included.
        from geldstroom.cli.app import app

        app(prog_name="geldstroom")
    except SystemExit as stop:
        code = stop.code
    except Interrupted as stop:
        _say(str(stop) or "interrupted")
        code = INTERRUPTED_EXIT
    except BrokenPipeError:
        _silence_stdout()
        code = BROKEN_PIPE_EXIT
    except OSError as err:
        if interrupted():
            _say("interrupted")
            code = INTERRUPTED_EXIT
        elif err.errno not in _OUTPUT_ERRNOS or err.filename is not None:
            raise
        else:
            _silence_stdout()
            _say(f"error: cannot write standard output: {err.strerror}")
            code = OUTPUT_ERROR_EXIT
    except Exception:
        if not interrupted():
            raise
        _say("interrupted")
        code = INTERRUPTED_EXIT
    try:
        sys.stdout.flush()  # block-buffered output to a file fails here, not at print()
    except BrokenPipeError:
        _silence_stdout()
        code = BROKEN_PIPE_EXIT
    except OSError as err:
        _silence_stdout()
        _say(f"error: cannot write standard output: {err.strerror}")
        code = OUTPUT_ERROR_EXIT
    except Interrupted:
        _say("interrupted")
        code = INTERRUPTED_EXIT
    # The work is done and reported: a Ctrl-C now would only kill the process mid-exit.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # And the cyclic collector's passes at exit would walk every object still alive (the
    # libraries' modules: pydantic's above all), 0.05 s of a 0.4 s `summary NAME`: the
    # process ends here and the system takes its memory back whole. Reference counting
    # still frees what it frees; stdout is flushed above, the store closed by its command.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
