"""The money-flow graph of actors and yearly funding edges."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geldstroom.graph.build import UNATTRIBUTED, Flow, build_graph, flows

__all__ = ["UNATTRIBUTED", "Flow", "build_graph", "flows"]


def __getattr__(name: str) -> Any:
    # Late, so that `geldstroom.graph.store` and the command line's start do not load
    # networkx (and numpy) through this package.
    if name in __all__:
        from geldstroom.graph import build

        return getattr(build, name)
    raise AttributeError(name)
