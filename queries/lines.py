"""The budget lines of a graph with their chosen figures: what `lines` lists for the national
corpus (the documents' own tables are listed from the documents themselves)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from geldstroom.graph.schema import ALLOCATES


@dataclass(frozen=True)
class LineFigure:
    """The figure of one budget line in one year that counts (ALLOCATES chosen)."""

    line_id: str
    hoofdstuk: str
    artikel: str
    label: str
    instrument: str
    payer: str
    year: int
    euros: int
    stage: str
    document: str
    line: int


def chosen_figures(graph: nx.MultiDiGraph, year: int | None = None,
                   payer: str | None = None, top: int | None = None) -> list[LineFigure]:
    """Every line-year's chosen figure, largest first (then line id and year); `payer` an
    actor id; `top` the N largest."""
    out = []
    for source, line_key, data in graph.edges(data=True):
        if data.get("kind") != ALLOCATES or not data["chosen"]:
            continue
        if (year is not None and data["year"] != year) or (payer is not None
                                                           and source != payer):
            continue
        line = graph.nodes[line_key]
        out.append(LineFigure(
            line_id=line_key, hoofdstuk=line["hoofdstuk"], artikel=line["artikel"],
            label=line["label"], instrument=line["instrument"], payer=source,
            year=data["year"], euros=data["euros"], stage=data["stage"],
            document=data["document"], line=data["source_line"]))
    out.sort(key=lambda f: (-f.euros, f.line_id, f.year))
    return out if top is None else out[:top]
