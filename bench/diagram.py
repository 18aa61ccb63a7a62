"""Benchmark the flow diagram at scale (a script, not a test).

    python bench/diagram.py [--recipients 10000] [--top 50] [--year 2024]

Builds a synthetic corpus with one recipient per budget line (every 50th line shared by
three), through the real table reader and graph builder, then times:
  build     build_graph alone (the baseline every ratio is against)
  top-svg   sankey_data(--top N) + SVG, the README's kind of drawing
  top-png   the same as PNG
  full-html the whole year without --top, as HTML (the only format that takes every node)
and prints each time and its ratio to `build`. The aim: top-svg under 5 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from geldstroom.graph.build import build_graph
from geldstroom.loaders.documents.budget_table import read_budget_tables
from geldstroom.model import (
    Actor,
    ActorKind,
    Corpus,
    Document,
    DocumentKind,
    LinkScope,
    Provenance,
    RecipientLink,
    Role,
)
from geldstroom.queries.diagram import render_sankey, sankey_data

# The test data generators live with the tests: they are not part of the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from synthetic import make_table, render

T = TypeVar("T")


def synthetic_corpus(recipients: int, seed: int = 7) -> Corpus:
    """Tables of artikelen 1, 2, … until there are `recipients` budget lines, one actor each."""
    rng = random.Random(seed)
    documents, tables, links, actors = [], [], [], []
    line = 0
    artikel = 0
    while line < recipients:
        artikel += 1
        doc = Document(id=f"synthetic-{artikel}.txt", path="-", title="synthetic",
                       kind=DocumentKind.BEGROTING, hoofdstuk="XC", year=2024,
                       artikel=str(artikel))
        found = read_budget_tables(doc, render(make_table(
            rng, artikel=artikel, onderdelen=4, instruments=7, regelingen=70)))
        documents.append(doc)
        tables.extend(found)
        for table in found:
            for row in table.budget_lines():
                if line >= recipients:
                    break
                names = [f"ontvanger-{line}"]
                if line % 50 == 0:  # some lines shared, as in the real documents
                    names += [f"koepel-{line}-a", f"koepel-{line}-b"]
                for name in names:
                    actors.append(Actor(id=name, name=name.replace("-", " ").title(),
                                        kind=ActorKind.STICHTING))
                    links.append(RecipientLink(
                        actor=name, role=Role.RECIPIENT, scope=LinkScope.LINE,
                        hoofdstuk=table.hoofdstuk, artikel=table.artikel, path=row.path,
                        heading_path=(), years=table.years,
                        evidence=Provenance(document=doc.id, line=row.provenance.line)))
                line += 1
    actors.append(Actor(id="minister-xc", name="Minister (synthetisch)",
                        kind=ActorKind.MINISTER, hoofdstuk="XC"))
    return Corpus(documents=tuple(documents), tables=tuple(tables), links=tuple(links),
                  actors=tuple(actors))


def timed(func: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--top", type=int, default=50)
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()

    corpus, corpus_s = timed(lambda: synthetic_corpus(args.recipients))
    graph, build_s = timed(lambda: build_graph(corpus))
    people = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "stichting")
    print(f"synthetic corpus: {len(corpus.tables)} tables, {people} recipients, "
          f"{graph.number_of_edges()} edges ({corpus_s:.2f} s to generate and read)")
    # Import the plotting libraries before timing: a one-off cost of any first drawing.
    render_sankey(sankey_data(graph, args.year, top=3), "svg")

    rows = [("build", build_s)]
    top_data, data_s = timed(lambda: sankey_data(graph, args.year, top=args.top))
    _, svg_s = timed(lambda: render_sankey(top_data, "svg"))
    rows.append((f"top-svg (--top {args.top})", data_s + svg_s))
    _, png_s = timed(lambda: render_sankey(sankey_data(graph, args.year, top=args.top), "png"))
    rows.append((f"top-png (--top {args.top})", png_s))
    _, html_s = timed(lambda: render_sankey(sankey_data(graph, args.year), "html"))
    rows.append(("full-html (no --top)", html_s))

    print(f"{'step':28} {'seconds':>8} {'x build':>8}")
    for name, seconds in rows:
        print(f"{name:28} {seconds:8.2f} {seconds / build_s:8.2f}")
    top_s = data_s + svg_s
    verdict = "within" if top_s < 5 else "OVER"
    print(f"--top {args.top} SVG of {people} recipients: {top_s:.2f} s, {verdict} the 5 s aim; "
          f"{top_data.folded_flows} flows folded into 'overig'")
    if top_s >= 5:
        sys.exit(1)


if __name__ == "__main__":
    main()
