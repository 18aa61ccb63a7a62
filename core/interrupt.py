"""The Ctrl-C guard: SIGINT becomes an Interrupted exception, and whether one came is
remembered. Its own small module so that the console script (geldstroom.cli.main) sets it
and the commands ask it, without one importing the other."""

from __future__ import annotations

import signal
from types import FrameType

from geldstroom.errors import Interrupted

_interrupts: list[int] = []


def _interrupt(signum: int, frame: FrameType | None) -> None:
    _interrupts.append(signum)
    while frame is not None:  # an exception out of a finaliser is only printed, never raised
        if frame.f_code.co_name == "__del__":
            return
        frame = frame.f_back
    raise Interrupted("interrupted")


def guard_interrupts() -> None:
    """From now on Ctrl-C raises Interrupted (and is remembered)."""
    signal.signal(signal.SIGINT, _interrupt)


def interrupted() -> bool:
    """Whether Ctrl-C came: native code (the store engine) may hand our Interrupted back
    wrapped in its own error, so the error's type alone does not tell."""
    return bool(_interrupts)
