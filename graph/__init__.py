"""The money-flow graph of actors and yearly funding edges."""

from geldstroom.graph.build import UNATTRIBUTED, Flow, build_graph, flows

__all__ = ["UNATTRIBUTED", "Flow", "build_graph", "flows"]
