"""Sankey and per-recipient chart on the bundled documents: real amounts, each line once."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pytest
from svg_text import overlapping, text_boxes, view_box

from geldstroom.graph.build import build_graph
from geldstroom.graph.schema import UNATTRIBUTED
from geldstroom.loaders.documents.corpus import load_corpus
from geldstroom.loaders.documents.manifest import bundled_documents
from geldstroom.queries import diagram
from geldstroom.queries.diagram import (
    NOT_NAMED,
    OVERIG,
    PLANNED,
    REALISATIE,
    chart_data,
    chart_series,
    default_year,
    render_chart,
    render_sankey,
    sankey_data,
)
from geldstroom.queries.summary import recipient_summary, year_totals

SHARED = "r:ipo+vng+waterschapshuis"
UNATTRIBUTED_2024 = 60_204_000
TOTAL_2024 = 86_189_000


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph(load_corpus(bundled_documents()))


def _summary_by_node(graph: nx.MultiDiGraph, year: int) -> dict[str, int]:
    """What the recipient summary says each Sankey recipient node must receive."""
    out: dict[str, int] = defaultdict(int)
    for row in recipient_summary(graph, year=year):
        out[f"r:{row.recipient}"] += row.alone_euros
    return dict(out)


def test_sankey_recipients_add_up_to_the_summary(graph: nx.MultiDiGraph) -> None:
    data = sankey_data(graph, 2024)
    assert "2024" in data.title and "ontwerpbegroting" in data.title
    received = {n.id: data.inflow(n.id) for n in data.nodes if n.level == 3}
    expected = _summary_by_node(graph, 2024)
    for node_id, euros in expected.items():
        if euros:
            assert received[node_id] == euros, node_id
    assert received[f"r:{UNATTRIBUTED}"] == UNATTRIBUTED_2024
    assert sum(received.values()) == TOTAL_2024 == data.total_euros
    total = next(t for t in year_totals(graph) if t.year == 2024)
    assert total.total_euros == TOTAL_2024


def test_shared_line_is_drawn_once_into_one_named_node(graph: nx.MultiDiGraph) -> None:
    data = sankey_data(graph, 2024)
    shared = data.node(SHARED)
    assert shared.name == "VNG + IPO + Waterschapshuis (gedeeld)" or (
        "(gedeeld)" in shared.name and "VNG" in shared.name and "IPO" in shared.name)
    into = [link for link in data.links if link.target == SHARED]
    assert [link.euros for link in into] == [863_000]
    # No recipient node of its own for the co-recipients: the amount is never split.
    assert not any(n.id in ("r:vng", "r:ipo", "r:waterschapshuis") for n in data.nodes)


def test_top_folds_the_rest_into_overig_with_its_total(graph: nx.MultiDiGraph) -> None:
    full = sankey_data(graph, 2024)
    top = sankey_data(graph, 2024, top=5)
    recipients = [n for n in top.nodes if n.level == 3]
    assert len([n for n in top.nodes if n.level == 2]) == 6  # 5 lines + overig
    assert top.node(f"r:{OVERIG}").euros == TOTAL_2024 - sum(
        link.euros for link in top.links
        if link.target != f"r:{OVERIG}" and link.source.startswith("l:"))
    assert sum(top.inflow(n.id) for n in recipients) == TOTAL_2024
    assert top.folded_flows == len([n for n in full.nodes if n.level == 2]) - 5
    # Instrument widths stay true: folding happens below them.
    for node in full.nodes:
        if node.level <= 1:
            assert top.node(node.id).euros == node.euros


def test_recipient_and_article_filters(graph: nx.MultiDiGraph) -> None:
    data = sankey_data(graph, 2024, recipient="ictu", article="7")
    assert data.total_euros == 4_702_000
    assert {n.id for n in data.nodes if n.level == 3} == {"r:ictu"}


def test_svg_carries_exact_amounts_and_adds_up(graph: nx.MultiDiGraph) -> None:
    data = sankey_data(graph, 2024)
    svg = render_sankey(data, "svg")
    root = ET.fromstring(svg)
    ns = {"svg": "http://www.w3.org/2000/svg"}
    bands = [g for g in root.iterfind(".//svg:g", ns) if g.get("class") == "flow"]
    assert len(bands) == len(data.links)
    into_recipients = [g for g in bands if g.get("data-target", "").startswith("r:")]
    assert sum(int(g.get("data-euros")) for g in into_recipients) == TOTAL_2024
    shared = [g for g in into_recipients if g.get("data-target") == SHARED]
    assert [g.get("data-euros") for g in shared] == ["863000"]
    text = svg.decode()
    assert "€ 60,2 mln" in text and "ontwerpbegroting" in text


def test_outputs_are_deterministic_and_offline(graph: nx.MultiDiGraph) -> None:
    data = sankey_data(graph, 2024, top=10)
    for fmt in ("svg", "png", "html"):
        assert render_sankey(data, fmt) == render_sankey(data, fmt), fmt
    html = render_sankey(data, "html").decode()
    assert 'id="geldstroom-diagram"' in html
    assert '<script src="http' not in html  # plotly.js is inline: works offline
    assert render_sankey(data, "png").startswith(b"\x89PNG")


def test_default_year_is_the_latest_realisatie(graph: nx.MultiDiGraph) -> None:
    assert default_year(graph) == 2022
    assert "realisatie" in sankey_data(graph, 2022).title


def test_chart_per_year_matches_summary_and_sets_realisatie_apart(
    graph: nx.MultiDiGraph,
) -> None:
    bars = chart_data(graph, "ictu")
    per_year: dict[int, int] = defaultdict(int)
    for bar in bars:
        per_year[bar.year] += bar.euros
    for row in recipient_summary(graph, recipient="ictu"):
        per_year[row.year] -= row.alone_euros + row.shared_euros
    assert all(v == 0 for v in per_year.values())
    assert {b.year for b in bars} == {r.year for r in recipient_summary(graph, recipient="ictu")}
    assert {b.group for b in bars if b.year == 2022} == {REALISATIE}
    assert {b.group for b in bars if b.year > 2022} == {PLANNED}
    assert next(b.euros for b in bars if b.year == 2024) == 4_702_000
    # A shared line counts whole for each co-recipient (no invented split).
    vng = {b.year: b.euros for b in chart_data(graph, "vng")}
    assert vng[2024] == 863_000
    svg = render_chart(graph, "ictu", "svg")
    ET.fromstring(svg)
    assert b"jaren met realisatie" in svg and b"begroting en ramingen" in svg
    assert render_chart(graph, "ictu", "html") == render_chart(graph, "ictu", "html")


@pytest.mark.parametrize("top", [1, 3, 5, 10, 20])
def test_top_never_shows_part_of_a_recipient(graph: nx.MultiDiGraph, top: int) -> None:
    # RODI gets O&P Rijk (€ 4.240.000) and POK - Ambtelijk Vakmanschap (€ 319.000) in 2024;
    # with --top 5 the second line is folded, but RODI's node must still hold € 4.559.000.
    data = sankey_data(graph, 2024, top=top)
    expected = _summary_by_node(graph, 2024)
    # The two shared lines of 2024, whole: each is its co-recipients' only shared line.
    shared = {row.recipient: row.shared_euros for row in recipient_summary(graph, year=2024)}
    assert shared["vng"] == 863_000
    expected[SHARED] = shared["vng"]
    expected["r:eipa+vom+others"] = shared["vom"]
    shown = [n for n in data.nodes if n.level == 3 and n.kind != OVERIG]
    for node in shown:
        assert node.euros == data.inflow(node.id) == expected[node.id], node.id
    assert sum(data.inflow(n.id) for n in data.nodes if n.level == 3) == TOTAL_2024
    if top == 5:
        assert data.node("r:rodi").label == "RODI: € 4,6 mln"
        assert data.node("r:rodi").euros == 4_559_000


@pytest.mark.parametrize(("year", "top", "recipient"), [
    (2024, None, None), (2024, 5, None), (2024, None, UNATTRIBUTED), (2022, None, None),
    (2026, 10, None), (2024, 3, "ictu"),
])
def test_no_two_labels_overlap(graph: nx.MultiDiGraph, year: int, top: int | None,
                               recipient: str | None) -> None:
    # `diagram --year 2024 --top 5` printed the three smallest instrument labels on top of
    # each other, `--recipient unattributed --year 2024` about ten line labels.
    svg = render_sankey(sankey_data(graph, year, recipient=recipient, top=top), "svg")
    boxes = text_boxes(svg)
    assert len(boxes) > 8
    assert overlapping(boxes) == []
    width, height = view_box(svg)
    outside = [b.text for b in boxes if b.x0 < 0 or b.y0 < 0 or b.x1 > width or b.y1 > height]
    assert outside == []


def test_lines_of_the_same_name_are_told_apart(graph: nx.MultiDiGraph) -> None:
    names = [n.name for n in sankey_data(graph, 2024).nodes if n.level == 2]
    assert len(names) == len(set(names)) == 34  # the lines that carry money in 2024
    werkgeversbeleid = sorted(n for n in names if n.startswith("Werkgeversbeleid"))
    assert werkgeversbeleid == [
        "Werkgeversbeleid [(inter-)nationale organisaties]", "Werkgeversbeleid [Opdrachten]",
        "Werkgeversbeleid [ZBO's/RWT's]", "Werkgeversbeleid [agentschappen]"]
    assert "Informatiehuishouding" in names  # a name used once stays as it is


def test_readme_image_is_legible_at_800_px() -> None:
    # The README shows docs/flows-2024.svg at about 800 px wide; its labels came out at 5 px.
    svg = (Path(__file__).parents[1] / "docs" / "flows-2024.svg").read_bytes()
    width, _ = view_box(svg)
    boxes = text_boxes(svg)
    smallest = min(b.size for b in boxes) * 800 / width
    assert smallest >= 8.5, f"labels at {smallest:.1f} px when shown 800 px wide"
    assert overlapping(boxes) == []
    assert "Minister van BZK" in svg.decode()  # drawn by today's code, not the old 14-inch one


def test_readme_image_is_what_the_readme_command_draws(tmp_path: Path) -> None:
    """The README's `geldstroom diagram --manifest ... --year 2024 -o docs/flows-2024.svg`
    (the BZK documents alone), byte for byte: a stale image
    once kept the old '€ 863 dzd' labels after the code had moved on."""
    from typer.testing import CliRunner

    from geldstroom.cli.app import app

    drawn = tmp_path / "flows-2024.svg"
    from geldstroom.loaders.documents.manifest import bundled_manifest

    result = CliRunner().invoke(app, ["diagram", "--manifest", str(bundled_manifest()),
                                      "--year", "2024", "-o", str(drawn)])
    assert result.exit_code == 0, result.output
    committed = Path(__file__).parents[1] / "docs" / "flows-2024.svg"
    assert drawn.read_bytes() == committed.read_bytes(), (
        "redraw it: geldstroom diagram --manifest core/samples/manifest.toml --year 2024 "
        "-o docs/flows-2024.svg")


def _svg_groups(svg: bytes) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}g")
            if g.get("id")}


def test_chart_marks_shared_money_as_shared_and_with_whom(graph: nx.MultiDiGraph) -> None:
    # VNG, IPO and Het Waterschapshuis share "Ondersteuning koepels implementatie Woo":
    # VNG's chart showed it as VNG's own money.
    vng = chart_data(graph, "vng")
    assert {(b.year, b.euros, b.shared_with) for b in vng} == {
        (2022, 862_000, ("IPO", "Waterschapshuis")),
        *((y, 863_000, ("IPO", "Waterschapshuis")) for y in range(2023, 2027))}
    ictu_2022 = {b.shared_with: b.euros for b in chart_data(graph, "ictu") if b.year == 2022}
    # Jaarverslag 2022 realisatie, Bedrijfsvoeringsbeleid 1.229 (ICTU) and Werkgeversbeleid
    # 1.650 (ICTU and CBS): alone and shared apart, never split.
    assert ictu_2022 == {(): 1_229_000, ("CBS",): 1_650_000}
    svg = render_chart(graph, "vng", "svg")
    texts = " ".join(b.text for b in text_boxes(svg))
    assert "gedeeld met IPO + Waterschapshuis" in " ".join(texts.split())
    assert texts.count("alles gedeeld") == 5  # on every bar: 2022-2026
    assert "deelt met IPO + Waterschapshuis" in texts  # the note under the chart
    # Shared segments are cross-hatched, also in the realised year; alone ones are plain.
    groups = _svg_groups(svg)
    hatched = "fill: url(#"  # a pattern fill: the hatch
    assert hatched in ET.tostring(groups["bar-0-2022"]).decode()
    ictu = _svg_groups(render_chart(graph, "ictu", "svg"))
    assert hatched not in ET.tostring(ictu["bar-0-2022"]).decode()  # ICTU alone, realised
    assert hatched in ET.tostring(ictu["bar-1-2022"]).decode()  # shared with CBS
    html = render_chart(graph, "vng", "html").decode()
    assert "Subsidies (regelingen), gedeeld met IPO + Waterschapshuis" in html


def _top(element: ET.Element) -> float:
    """Top edge (least y) of the first path or text in an SVG group."""
    for child in element.iter():
        if child.tag.endswith("path") and child.get("d"):
            numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", child.get("d"))]
            return min(numbers[1::2])
        if child.tag.endswith("text"):
            moved = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", child.get("transform", ""))
            return float(child.get("y") or moved[2])
    raise AssertionError("no path or text in group")


def test_chart_legend_reads_in_stack_order(graph: nx.MultiDiGraph) -> None:
    # 'unattributed' gets money through six instruments; in 2022 five of them stack.
    bars = chart_data(graph, "unattributed")
    series = chart_series(bars)
    in_2022 = [series.index(b.series) for b in bars if b.year == 2022]
    assert len(series) == 6 and len(in_2022) == 5
    groups = _svg_groups(render_chart(graph, "unattributed", "svg"))
    stack = sorted(in_2022, key=lambda n: _top(groups[f"bar-{n}-2022"]))  # top segment first
    legend = sorted(range(len(series)), key=lambda n: _top(groups[f"legend-text-{n}"]))
    assert [n for n in legend if n in in_2022] == stack
    assert legend == list(reversed(range(len(series))))  # and the whole stack, top down


def _lab(colour: str) -> tuple[float, float, float]:
    """sRGB hex to CIELAB (D65): distances in it follow what the eye tells apart."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i:i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


@pytest.mark.parametrize(("name", "colours"), [
    ("chart instruments", list(diagram._PALETTE)),
    ("Sankey recipients", [diagram._KIND_COLOURS[k]
                           for k in ("recipient", "shared", "unattributed", OVERIG)]),
])
def test_no_two_colours_too_alike(name: str, colours: list[str]) -> None:
    # The former chart palette had two blues 22 apart (#3b6ea5, #1f3a68), the Sankey two
    # greys 16 apart for "niet toegerekend" and "overig".
    closest = min((math.dist(_lab(a), _lab(b)), a, b)
                  for i, a in enumerate(colours) for b in colours[i + 1:])
    assert closest[0] >= 30, f"{name}: {closest[1]} and {closest[2]} too alike"


def test_a_year_with_no_named_money_says_so(graph: nx.MultiDiGraph) -> None:
    # ICTU is named for no money in 2023 (the begroting's vastgestelde column): unknown,
    # not zero, so the slot says so instead of standing empty.
    for recipient, unnamed in (("ictu", [2023]), ("vng", [2027, 2028]), ("caop", [2022, 2023])):
        assert sorted(set(range(2022, 2029)) - {b.year for b in chart_data(graph, recipient)}) \
            == unnamed
        svg = render_chart(graph, recipient, "svg")
        boxes = text_boxes(svg)
        marks = [b for b in boxes if b.text == NOT_NAMED]
        assert len(marks) == len(unnamed), recipient
        ticks = {b.text: (b.x0 + b.x1) / 2 for b in boxes if b.text in map(str, unnamed)}
        for mark, year in zip(sorted(marks, key=lambda b: b.x0), unnamed, strict=True):
            assert abs((mark.x0 + mark.x1) / 2 - ticks[str(year)]) < 3  # over its year
        assert overlapping(boxes) == []
        assert render_chart(graph, recipient, "html").decode().count(NOT_NAMED) >= len(unnamed)


def test_no_chart_has_overlapping_text(graph: nx.MultiDiGraph) -> None:
    recipients = sorted({row.recipient for row in recipient_summary(graph)})
    assert len(recipients) > 15
    for recipient in recipients:
        boxes = text_boxes(render_chart(graph, recipient, "svg"))
        assert overlapping(boxes) == [], recipient
