"""Flow diagrams of the money-flow graph: a Sankey per year and a bar chart per recipient.

Data first, drawing second: `sankey_data` and `chart_data` are pure functions of the graph
(testable without any plotting library); `render_sankey` and `render_chart` turn them into
bytes. HTML uses plotly with plotly.js inlined (works offline); SVG and PNG use matplotlib
(with sankeyflow for the Sankey layout), so no browser is needed at run time. See
docs/decisions.md, "Flow diagrams and graph exports".
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from geldstroom.dutch import format_euros, format_euros_short
from geldstroom.errors import InputError
from geldstroom.graph.flows import Flow, GraphFlows, flow_order, select_flows
from geldstroom.graph.schema import OVERIG, UNATTRIBUTED, UNNAMED_OTHERS
from geldstroom.loaders.documents.instruments import instrument_key
from geldstroom.model import Stage
from geldstroom.queries.received import (
    DOCUMENT_LINE,
    SEEN_TWICE,
    SHARED,
    TABLE_LINE,
    received,
)

DIAGRAM_FORMATS = ("html", "svg", "png")
LINE_SOURCES = (DOCUMENT_LINE, TABLE_LINE)  # a chart names their instrument too
REALISATIE = "realisatie"
PLANNED = "begroting / raming"  # the chart's second group: everything not yet realised
_STAGE_ORDER = [s.value for s in Stage]  # realisatie first, raming last
_LEVELS = ("minister", "instrument", "regeling", "ontvanger")
_READABLE = 12  # nodes in a column before --top folds that column too
# Fixed so the same input gives the same bytes: plotly would pick a random div id and
# matplotlib a random hash salt for SVG ids.
_DIV_ID = "geldstroom-diagram"
_SVG_SALT = "geldstroom"


@dataclass(frozen=True)
class SankeyNode:
    id: str
    name: str  # display name without the amount
    level: int  # index into _LEVELS
    euros: int
    kind: str  # minister, instrument, line, recipient, shared, unattributed, overig

    @property
    def label(self) -> str:
        return f"{self.name}: {format_euros_short(self.euros)}"


@dataclass(frozen=True)
class SankeyLink:
    source: str
    target: str
    euros: int


@dataclass(frozen=True)
class SankeyData:
    title: str
    year: int
    stages: tuple[str, ...]
    nodes: tuple[SankeyNode, ...]
    links: tuple[SankeyLink, ...]
    total_euros: int
    folded_flows: int  # flows folded into "overig" by --top

    def node(self, node_id: str) -> SankeyNode:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def inflow(self, node_id: str) -> int:
        return sum(link.euros for link in self.links if link.target == node_id)


# An actor id -> its name and aliases: where the names come from (a graph's nodes, the
# store's actors) is the caller's; the drawing only needs the forms.
ActorForms = Callable[[str], tuple[str, Sequence[str]]]


def graph_forms(graph: nx.MultiDiGraph) -> ActorForms:
    """The name and aliases of a graph's actors (an id it does not hold: the id)."""
    def forms(actor: str) -> tuple[str, Sequence[str]]:
        data = graph.nodes[actor] if actor in graph else {}
        return data.get("name") or actor, data.get("aliases") or ()
    return forms


def short_name(names: ActorForms, actor: str) -> str:
    """The shortest form the documents use (ICTU, not Stichting ICTU): labels stay readable."""
    if actor == UNATTRIBUTED:
        return "niet toegerekend (geen ontvanger genoemd)"
    name, aliases = names(actor)
    forms = [name, *aliases]
    proper = [form for form in forms if form[:1].isupper()] or forms  # not "waterschap"
    return min(proper, key=lambda form: (len(form), form))


def recipient_group(
    forms: ActorForms, recipients: Iterable[str], unnamed_others: bool = False
) -> tuple[str, str, str]:
    """(node id, name, kind) of who a flow goes to; a shared line goes to ONE group node."""
    recipients = tuple(recipients)
    if not recipients:
        return f"r:{UNATTRIBUTED}", short_name(forms, UNATTRIBUTED), UNATTRIBUTED
    if len(recipients) == 1 and not unnamed_others:
        return f"r:{recipients[0]}", short_name(forms, recipients[0]), "recipient"
    names = [short_name(forms, r) for r in recipients]
    node = "r:" + "+".join(recipients)
    if unnamed_others:  # "o.a. aan de VOM en het EIPA": others share the line too
        names.append("anderen")
        node += "+others"
    return node, f"{' + '.join(names)} (gedeeld)", "shared"


def stage_text(stages: Iterable[str]) -> str:
    ordered = sorted(set(stages), key=_STAGE_ORDER.index)
    return " / ".join(ordered)


def default_year(graph: nx.MultiDiGraph, recipient: str | None = None,
                 article: str | None = None) -> int:
    """The latest realised year with flows for the selection, else its first year: what a
    reader most likely wants (CAOP is named from 2024 on, so its default is 2024)."""
    selected = select_flows(graph, None, recipient, article)
    realised = [f.year for f in selected if f.stage == Stage.REALISATIE.value]
    if realised:
        return max(realised)
    years = sorted({f.year for f in selected})
    if not years:
        raise InputError("the documents hold no amounts to draw for this selection")
    return years[0]


def sankey_data(graph: nx.MultiDiGraph, year: int, recipient: str | None = None,
                article: str | None = None, top: int | None = None,
                payer: str | None = None) -> SankeyData:
    """minister -> instrument -> budget line -> recipient for one year; `payer` (an actor
    id) draws one payer's flows only.

    With `top`, the N largest flows keep their line; the rest of each instrument goes to one
    "overig" line, and on to its recipient when that recipient is drawn, else to
    "overige ontvangers"; where payers or instruments are more than a column can show
    (_READABLE), those no kept flow passes through go through one "overige betalers" and one
    "overige instrumenten" node, so a national diagram stays readable. Every width still
    adds up and every recipient shows all it gets.
    """
    return sankey_of_flows(select_flows(graph, year, recipient, article), graph_forms(graph),
                           year, recipient=recipient, article=article, top=top, payer=payer)


def sankey_of_flows(flows: Iterable[Flow], forms: ActorForms, year: int, *,
                    recipient: str | None = None, article: str | None = None,
                    top: int | None = None, payer: str | None = None) -> SankeyData:
    """sankey_data of flows from anywhere (a graph's select_flows, the store's
    flows_from_store: the same flows in the same order), with the actors' names from
    `forms`: what `diagram` draws and the web explorer's payer page shows."""
    selected = sorted((f for f in flows if f.year == year
                       and (payer is None or f.payer == payer)
                       and (article is None or f.artikel == article)
                       and (recipient is None or recipient in (f.recipients or (UNATTRIBUTED,)))),
                      key=flow_order)
    if not selected:
        raise InputError(f"no flows in {year} for this selection")
    kept = selected if top is None else selected[:top]
    folded = selected[len(kept):]
    # A column of more nodes than a reader can follow folds too (the national corpus: 21
    # payers, 100 instruments); a few stay as they are, their widths true.
    fold_payers = top is not None and len({f.payer for f in selected}) > _READABLE
    fold_instruments = top is not None and len(
        {(f.payer, instrument_key(f.instrument)) for f in selected}) > _READABLE
    kept_payers = {f.payer for f in kept}
    kept_instruments = {(f.payer, instrument_key(f.instrument)) for f in kept}

    names: dict[str, tuple[str, int, str]] = {}  # node id -> (name, level, kind)
    links: dict[tuple[str, str], int] = defaultdict(int)
    others = {f.payer for f in folded if f.payer not in kept_payers}

    def route(flow: Flow, line_node: tuple[str, str, str],
              recipient_node: tuple[str, str, str]) -> None:
        # One node per instrument however the files write it ("Bijdragen aan
        # agentschappen", "Bijdrage aan agentschappen"): named as its largest flow writes it.
        key = instrument_key(flow.instrument)
        if not fold_payers or flow.payer in kept_payers:
            payer = f"m:{flow.payer}"
            names[payer] = (payer_name(forms, flow.payer), 0, "minister")
        else:
            payer = f"m:{OVERIG}"
            names[payer] = (f"overige betalers ({len(others)})", 0, OVERIG)
        if not fold_instruments or (flow.payer, key) in kept_instruments:
            instrument = f"i:{flow.payer}|{key}"
            names.setdefault(instrument, (flow.instrument, 1, "instrument"))
        else:
            instrument = f"i:{OVERIG}"
            names[instrument] = ("overige instrumenten", 1, OVERIG)
        names[line_node[0]] = (line_node[1], 2, line_node[2])
        names[recipient_node[0]] = (recipient_node[1], 3, recipient_node[2])
        links[(payer, instrument)] += flow.euros
        links[(instrument, line_node[0])] += flow.euros
        links[(line_node[0], recipient_node[0])] += flow.euros

    shown: set[str] = set()
    for flow in kept:
        group = recipient_group(forms, flow.recipients, flow.unnamed_others)
        shown.add(group[0])
        route(flow, (f"l:{flow.line_id}", flow.line, "line"), group)
    # A folded line still reaches its recipient when that recipient is drawn: a recipient's
    # node always holds all it gets. Only recipients of folded lines alone become "overig".
    elsewhere = [f for f in folded
                 if recipient_group(forms, f.recipients, f.unnamed_others)[0] not in shown]
    for flow in folded:
        group = recipient_group(forms, flow.recipients, flow.unnamed_others)
        if group[0] not in shown:
            group = (f"r:{OVERIG}", f"overige ontvangers (van {_regelingen(len(elsewhere))})",
                     OVERIG)
        route(flow, (f"l:{OVERIG}", f"overig ({_regelingen(len(folded), 'kleinere ')})",
                     OVERIG), group)

    _tell_lines_apart(names, {f"l:{f.line_id}": f for f in kept})
    inflow: dict[str, int] = defaultdict(int)
    outflow: dict[str, int] = defaultdict(int)
    for (source, target), euros in links.items():
        outflow[source] += euros
        inflow[target] += euros
    nodes = [
        SankeyNode(node_id, name, level, max(inflow[node_id], outflow[node_id]), kind)
        for node_id, (name, level, kind) in names.items()
    ]
    # Largest first within a level; "overig" and the unattributed part last, so they
    # sit at the bottom where a reader expects the remainder.
    nodes.sort(key=lambda n: (n.level, n.kind in (OVERIG, UNATTRIBUTED), -n.euros, n.id))
    # Lines sit beside their instrument, so bands do not cross needlessly.
    rank = {n.id: i for i, n in enumerate(nodes)}
    source_of = {target: source for (source, target) in sorted(links, key=lambda k: rank[k[0]])
                 if names[target][1] == 2}
    nodes.sort(key=lambda n: (n.level, n.kind in (OVERIG, UNATTRIBUTED),
                              rank[source_of[n.id]] if n.level == 2 else 0, -n.euros, n.id))
    order = {n.id: i for i, n in enumerate(nodes)}
    link_list = sorted(
        (SankeyLink(s, t, e) for (s, t), e in links.items()),
        key=lambda lk: (order[lk.source], order[lk.target]),
    )
    stages = tuple(sorted({f.stage for f in selected}, key=_STAGE_ORDER.index))
    total = sum(f.euros for f in selected)
    payers = sorted({forms(f.payer)[0] for f in selected})
    if len(payers) > 3:
        payers = [f"{len(payers)} ministeries en fondsen"]
    scope = []
    if article:
        scope.append(f"artikel {article}")
    if recipient:
        scope.append(f"naar {short_name(forms, recipient)}")
    if top is not None and folded:
        scope.append(f"grootste {len(kept)} stromen")
    title = (f"{' / '.join(payers)}: geldstromen {year} ({stage_text(stages)})"
             f"{', ' + ', '.join(scope) if scope else ''}, totaal {format_euros_short(total)}")
    return SankeyData(title, year, stages, tuple(nodes), tuple(link_list), total, len(folded))


def _regelingen(count: int, adjective: str = "") -> str:
    return f"{count} {adjective}regeling{'' if count == 1 else 'en'}"


def payer_name(names: ActorForms, payer: str) -> str:
    """"Minister van BZK": the register's shortest form that still says who pays."""
    name, aliases = names(payer)
    forms = [name, *aliases]
    titled = [f for f in forms if f.casefold().startswith("minister ")] or forms[:1]
    shortest = min(titled, key=lambda form: (len(form), form))
    return shortest[:1].upper() + shortest[1:]


def _tell_lines_apart(names: dict[str, tuple[str, int, str]], lines: dict[str, Flow]) -> None:
    """Lines of one name under several instruments ("Werkgeversbeleid" four times in 2024)
    get their instrument in brackets, and their artikelonderdeel if that still repeats."""
    def count(label: dict[str, str]) -> dict[str, int]:
        found: dict[str, int] = defaultdict(int)
        for text in label.values():
            found[text] += 1
        return found

    label = {node: names[node][0] for node in lines}
    for qualify in (_instrument_short, _onderdeel):
        seen = count(label)
        label = {node: f"{text} [{qualify(lines[node])}]" if seen[text] > 1 else text
                 for node, text in label.items()}
    for node, text in label.items():
        names[node] = (text, *names[node][1:])


def _instrument_short(flow: Flow) -> str:
    # "Bijdrage aan agentschappen" -> "agentschappen": the instrument column says the rest.
    return flow.instrument.removeprefix("Bijdrage aan ")


def _onderdeel(flow: Flow) -> str:
    parts = flow.line_id.split(" > ")  # hoofdstuk > artikel > onderdeel > ... > regeling
    return parts[2].split(" ")[0] if len(parts) > 4 else flow.line_id


# --------------------------------------------------------------------------- rendering


def render_sankey(data: SankeyData, fmt: str) -> bytes:
    if fmt == "html":
        return _sankey_html(data)
    if fmt in ("svg", "png"):
        return _sankey_static(data, fmt)
    raise InputError(f"unknown diagram format {fmt!r}; use one of {', '.join(DIAGRAM_FORMATS)}")


_KIND_COLOURS = {
    "minister": "#1f3a68",
    "instrument": "#3b6ea5",
    "line": "#7fa7d1",
    "recipient": "#2e8b57",
    "shared": "#d08c2b",
    UNATTRIBUTED: "#7f7f7f",  # apart from "overig" at a glance (CIELAB distance 31)
    OVERIG: "#d4d4d4",
}


def _require(module: str, purpose: str) -> Any:
    """Import a plotting library, or say in one line what to install."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = module.split(".")[0]
        raise InputError(f"{purpose} needs the Python package '{package}', which is not "
                         f"installed: pip install {package}") from err


def _sankey_html(data: SankeyData) -> bytes:
    go = _require("plotly.graph_objects", "an .html diagram")
    pio = _require("plotly.io", "an .html diagram")
    index = {node.id: i for i, node in enumerate(data.nodes)}
    figure = go.Figure(go.Sankey(
        arrangement="snap",
        node={
            "label": [node.label for node in data.nodes],
            "color": [_KIND_COLOURS[node.kind] for node in data.nodes],
            "customdata": [format_euros(node.euros) for node in data.nodes],
            "hovertemplate": "%{label}<br>%{customdata}<extra></extra>",
            "pad": 8,
        },
        link={
            "source": [index[link.source] for link in data.links],
            "target": [index[link.target] for link in data.links],
            "value": [link.euros for link in data.links],
            "customdata": [format_euros(link.euros) for link in data.links],
            "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata}"
                             "<extra></extra>",
        },
    ))
    height = max(500, 22 * max(_level_sizes(data)))
    figure.update_layout(title={"text": data.title}, font={"size": 11}, height=height,
                         margin={"l": 20, "r": 20, "t": 60, "b": 20})
    return _plotly_html(pio, figure)


def _plotly_html(pio: Any, figure: Any) -> bytes:
    html = pio.to_html(figure, include_plotlyjs=True, full_html=True, div_id=_DIV_ID,
                       config={"displaylogo": False, "responsive": True}, validate=True)
    return html.encode("utf-8")


def _level_sizes(data: SankeyData) -> list[int]:
    sizes = [0] * len(_LEVELS)
    for node in data.nodes:
        sizes[node.level] += 1
    return sizes


def load_drawing() -> None:
    """Load matplotlib and sankeyflow now (and matplotlib's font list, which its first use
    writes to its cache folder when missing): a server does this at start-up, so that no
    request writes to the disk or waits for it."""
    _matplotlib()
    _require("sankeyflow.sankeyflow", "an .svg or .png Sankey")
    _require("matplotlib.font_manager", "an .svg or .png drawing").findfont("DejaVu Sans")


def _matplotlib() -> Any:
    matplotlib = _require("matplotlib", "an .svg or .png drawing")
    matplotlib.use("Agg")  # no display, no GUI toolkit
    matplotlib.rcParams.update({
        "svg.hashsalt": _SVG_SALT,
        "svg.fonttype": "none",  # text stays text: searchable, small, and testable
        "font.family": "DejaVu Sans",  # ships with matplotlib: same glyphs everywhere
        "font.size": 8,
    })
    return _require("matplotlib.pyplot", "an .svg or .png drawing")


def _save(figure: Any, plt: Any, fmt: str, tight: bool = True) -> bytes:
    buffer = io.BytesIO()
    # No dates or software versions in the file: same input, same bytes.
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    figure.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight" if tight else None,
                   dpi=150)
    plt.close(figure)
    return buffer.getvalue()


# Label layout of the static Sankey, in points (the figure is drawn at 72 dpi, so a point is
# a pixel of the layout). A figure about _WIDTH_PT wide shows its 9 pt labels at about 9 px
# when a page scales it to 800 px; the former 14-inch drawing with 7 pt labels gave 5 px.
_LABEL_PT = 9.0
_TITLE_PT = 11.0
_WIDTH_PT = 820.0
# Characters per label line (minister, instrument, line, recipient), widest first: the first
# that fits _WIDTH_PT wins, so labels take as few lines (and the figure as little height) as
# the width allows.
_WRAPS = ((18, 30, 48, 34), (18, 26, 40, 30), (18, 24, 34, 30), (16, 20, 28, 24))
_NODE_PT = 8.0  # node bar width
_LEAD_PT = 4.0  # between a node and its label
_BAND_PT = 28.0  # least band left visible beside a column of labels
_FAN_PT = 100.0  # least room for the bands fanning out to the last level
_GAP_PT = 3.0  # between two node slots of a level
_VALUES_PT = 260.0  # height for the amounts once every label has its room
_MARGIN_PT = 4.0


def _wrapped(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False,
                                   break_long_words=False))


def _node_text(node: SankeyNode, width: int) -> str:
    """The node's label in lines of about `width` characters; the amount never breaks."""
    lines = _wrapped(f"{node.name}:", width).split("\n")
    amount = format_euros_short(node.euros)
    if len(lines[-1]) + 1 + len(amount) <= width:
        lines[-1] += f" {amount}"
    else:
        lines.append(amount)
    return "\n".join(lines)


@dataclass(frozen=True)
class _Columns:
    labels: dict[str, str]  # node id -> wrapped label
    sizes: dict[str, tuple[float, float]]  # node id -> label (width, height) in points
    xs: list[float]  # left edge of each level's nodes
    width: float


def _columns(levels: list[list[SankeyNode]], measure: Any) -> _Columns:
    """Where each level stands and how its labels wrap: labels left of their node, the last
    level's right of it, each column as wide as its widest label plus room for the bands."""
    last = len(levels) - 1
    for wraps in _WRAPS:
        wrap = [wraps[min(i, 2)] if i < last else wraps[3] for i in range(len(levels))]
        labels = {n.id: _node_text(n, wrap[i]) for i, lv in enumerate(levels) for n in lv}
        sizes = {node_id: measure(text, _LABEL_PT) for node_id, text in labels.items()}
        column = [max(sizes[n.id][0] for n in lv) for lv in levels]
        gaps = [0.0] + [(_BAND_PT + column[i] + 2 * _LEAD_PT) if i < last else _FAN_PT
                        for i in range(1, len(levels))]
        left = _MARGIN_PT + column[0] + 2 * _LEAD_PT if last else _MARGIN_PT
        right = 2 * _LEAD_PT + column[last] + _MARGIN_PT
        needed = left + right + sum(gaps) + len(levels) * _NODE_PT
        if needed <= _WIDTH_PT:
            break
    # Spare width goes to the bands, twice as much to the last gap (it fans out most).
    weights = [0.0] + [1.0] * max(0, last - 1) + ([2.0] if last else [])
    spare = max(0.0, _WIDTH_PT - needed)
    xs, x = [], left
    for gap, weight in zip(gaps, weights, strict=True):
        x += gap + spare * weight / max(sum(weights), 1.0)
        xs.append(x)
        x += _NODE_PT
    return _Columns(labels, sizes, xs, max(_WIDTH_PT, needed))


def _fit_scale(levels: list[list[SankeyNode]], label_height: dict[str, float],
               height: float) -> float:
    """Points per euro: the largest at which every level's slots fit `height`, a slot
    being as tall as its node's amount or its label, whichever is taller."""

    def stack(level: list[SankeyNode], scale: float) -> float:
        return sum(max(n.euros * scale, label_height[n.id]) + _GAP_PT for n in level)

    low, high = 0.0, height / max(1, max(sum(n.euros for n in lv) for lv in levels))
    for _ in range(50):
        mid = (low + high) / 2
        low, high = (mid, high) if all(stack(lv, mid) <= height for lv in levels) else (low, mid)
    return low


def _fill_title(title: str, width: float, measure: Any) -> str:
    words, lines = title.split(" "), [""]
    for word in words:
        trial = f"{lines[-1]} {word}".strip()
        if lines[-1] and measure(trial, _TITLE_PT)[0] > width:
            lines.append(word)
        else:
            lines[-1] = trial
    return "\n".join(lines)


@lru_cache(maxsize=8192)
def _text_size(text: str, size: float) -> tuple[float, float]:
    """(width, height) in points of a label as the drawing sets it. Kept: a payer's years
    repeat most labels, and measuring a text is most of a drawing's time."""
    probe = _measuring_figure().text(0, 0, text, fontsize=size, parse_math=False,
                                     linespacing=1.1)
    box = probe.get_window_extent(_measuring_figure().canvas.get_renderer())
    probe.remove()
    return box.width, box.height


@cache
def _measuring_figure() -> Any:
    """A figure only to measure texts on: 72 dpi and the fonts of every drawing."""
    _matplotlib()
    figure = _require("matplotlib.figure", "an .svg or .png drawing").Figure(
        figsize=(_WIDTH_PT / 72, 4), dpi=72)
    _require("matplotlib.backends.backend_agg", "an .svg or .png drawing").FigureCanvasAgg(
        figure)
    return figure


def _sankey_static(data: SankeyData, fmt: str) -> bytes:
    """Nodes and bands by sankeyflow; positions and labels by us, so that no two labels
    overlap: every node gets a slot at least as tall as its label, and every column of
    labels the width its widest label needs."""
    plt = _matplotlib()
    sankeyflow = _require("sankeyflow.sankeyflow", "an .svg or .png Sankey")
    levels = [[n for n in data.nodes if n.level == level] for level in range(len(_LEVELS))]
    levels = [level for level in levels if level]
    last = len(levels) - 1
    figure = plt.figure(figsize=(_WIDTH_PT / 72, 4), dpi=72)
    measure = _text_size

    columns = _columns(levels, measure)
    label_height = {node_id: h for node_id, (_, h) in columns.sizes.items()}
    least = max(sum(label_height[n.id] + _GAP_PT for n in level) for level in levels)
    plot_height = least + _VALUES_PT
    scale = _fit_scale(levels, label_height, plot_height)
    title = _fill_title(data.title, columns.width - 2 * _MARGIN_PT, measure)
    title_height = measure(title, _TITLE_PT)[1] + 12
    height = plot_height + title_height + 2 * _MARGIN_PT
    figure.set_size_inches(columns.width / 72, height / 72)
    axes = figure.add_axes((0, _MARGIN_PT / height, 1, plot_height / height))
    diagram = sankeyflow.Sankey(
        flows=[(link.source, link.target, link.euros) for link in data.links],
        nodes=[[(n.id, n.euros, {"label_format": "", "color": _KIND_COLOURS[n.kind]})
                for n in level] for level in levels],
        flow_color_mode="dest", flow_color_mode_alpha=0.45,
    )
    for i, level in enumerate(levels):
        top = plot_height
        if len(level) == 1:  # a lone node (the minister) stands in the middle
            top -= (plot_height - max(level[0].euros * scale, label_height[level[0].id])) / 2
        for node, drawn in zip(level, diagram.nodes[i], strict=True):
            slot = max(node.euros * scale, label_height[node.id]) + _GAP_PT
            drawn.x, drawn.width = columns.xs[i], _NODE_PT
            drawn.height = node.euros * scale
            drawn.y = top - slot / 2 - drawn.height / 2
            top -= slot
            x = columns.xs[i] + _NODE_PT + _LEAD_PT if i == last else columns.xs[i] - _LEAD_PT
            axes.text(x, drawn.y + drawn.height / 2, columns.labels[node.id],
                      ha="left" if i == last else "right", va="center", fontsize=_LABEL_PT,
                      parse_math=False, linespacing=1.1)
    diagram.draw(ax=axes)
    axes.set_xlim(0, columns.width)
    axes.set_ylim(0, plot_height)
    axes.axis("off")
    for i, flow in enumerate(diagram.flows):  # ids to attach amounts to in the SVG
        flow.artist.set_gid(f"flow-{i}")
    figure.text(_MARGIN_PT / columns.width, 1 - _MARGIN_PT / height, title, fontsize=_TITLE_PT,
                ha="left", va="top", parse_math=False)
    raw = _save(figure, plt, fmt, tight=False)
    if fmt != "svg":
        return raw
    return _annotate_svg(raw, data)


def _annotate_svg(raw: bytes, data: SankeyData) -> bytes:
    """Exact euros on every band (data-*) and a hover title: the SVG carries its own figures."""
    names = {node.id: node.name for node in data.nodes}
    text = raw.decode("utf-8")

    def annotate(match: re.Match[str]) -> str:
        link = data.links[int(match[1])]
        attrs = (f' class="flow" data-source={quoteattr(link.source)}'
                 f' data-target={quoteattr(link.target)} data-euros="{link.euros}"')
        title = escape(f"{names[link.source]} → {names[link.target]}: "
                       f"{format_euros(link.euros)}")
        return f'<g id="flow-{match[1]}"{attrs}>\n   <title>{title}</title>'

    return re.sub(r'<g id="flow-(\d+)">', annotate, text).encode("utf-8")


# --------------------------------------------------------------------------- per recipient


@dataclass(frozen=True)
class ChartBar:
    """What one recipient received in one year from one source, as `summary NAME` counts it;
    the lines it shares apart (never in its total), per group of co-recipients."""

    year: int
    source: str  # the source as summary names it; a line's with its instrument
    group: str  # REALISATIE or PLANNED
    stage: str
    euros: int
    shared_with: tuple[str, ...] = ()  # co-recipients' short names ("anderen": not named)

    @property
    def series(self) -> tuple[str, tuple[str, ...]]:
        return self.source, self.shared_with


def chart_data(graph: nx.MultiDiGraph, recipient: str) -> list[ChartBar]:
    """Every year the graph has money for the recipient, per source, counted once as
    `summary NAME` counts it (queries/received.py: amounts stated for it, such as subsidies,
    agency turnover and bijdragen, and lines paying it alone; a line showing money already
    stated is left out). A line it shares is a bar of its own with its whole amount and
    with whom: the documents give no split, we make none up, and it is not in the total.
    The unattributed part is lines no one is named for: per instrument."""
    if recipient == UNATTRIBUTED:
        return _bars((f.year, f.instrument, (), f.stage, f.euros)
                      for f in select_flows(graph, recipient=recipient))
    source = GraphFlows(graph)
    found = source.flows(recipient=recipient)
    forms = graph_forms(graph)
    names = {r: short_name(forms, r) for f in found for r in f.recipients}
    got = received(recipient, short_name(forms, recipient), found,
                   source.unplaced(recipient=recipient), names=names)
    spelled = _instrument_spellings(r.instrument for r in got.rows)
    parts = []
    for r in got.rows:
        if r.status == SEEN_TWICE:
            continue
        what = f"{r.source}: {spelled[r.instrument]}" \
            if r.instrument and r.source in LINE_SOURCES else r.source
        others = tuple("anderen" if n == UNNAMED_OTHERS else n
                       for n in r.shared_names) if r.status == SHARED else ()
        parts.append((r.year, what, others, r.stage, r.euros))
    return _bars(parts)


def _instrument_spellings(instruments: Iterable[str]) -> dict[str, str]:
    """Each instrument as the chart names it: the three open-data files spell one
    instrument several ways ('Bijdragen aan (inter-)nationale organisaties', 'Bijdragen
    (inter)nationale organisaties'): one series, under the spelling met most often."""
    seen = [i for i in instruments if i]
    groups: dict[str, list[str]] = defaultdict(list)
    for instrument in seen:
        groups[_spelling_key(instrument)].append(instrument)
    said = {key: max(sorted(set(forms)), key=forms.count) for key, forms in groups.items()}
    return {i: said[_spelling_key(i)] for i in seen}


def _spelling_key(instrument: str) -> str:
    words = instrument_key(instrument).replace("bijdragen", "bijdrage").split()
    return "".join(c for w in words if w != "aan" for c in w if c.isalpha())


def _bars(parts: Iterable[tuple[int, str, tuple[str, ...], str, int]]) -> list[ChartBar]:
    """(year, series, shared with, stage, euros) added up per year and series."""
    totals: dict[tuple[int, str, tuple[str, ...]], int] = defaultdict(int)
    stages: dict[tuple[int, str, tuple[str, ...]], set[str]] = defaultdict(set)
    for year, what, others, stage, euros in parts:
        totals[(year, what, others)] += euros
        stages[(year, what, others)].add(stage)
    bars = []
    for (year, what, shared_with), euros in sorted(totals.items()):
        stage = stage_text(stages[(year, what, shared_with)])
        group = REALISATIE if stage == Stage.REALISATIE.value else PLANNED
        bars.append(ChartBar(year, what, group, stage, euros, shared_with))
    return bars


def chart_series(bars: list[ChartBar]) -> list[tuple[str, tuple[str, ...]]]:
    """The stack from the bottom up: per source, what the recipient gets alone first."""
    return sorted({b.series for b in bars}, key=lambda s: (s[0], bool(s[1]), s[1]))


def series_label(series: tuple[str, tuple[str, ...]]) -> str:
    what, shared_with = series
    if not shared_with:
        return what
    return f"{what}, gedeeld met {' + '.join(shared_with)}"


NOT_NAMED = "geen bedrag genoemd"  # a year the documents name no money for the recipient


def render_chart(graph: nx.MultiDiGraph, recipient: str, fmt: str) -> bytes:
    bars = chart_data(graph, recipient)
    if not bars:
        raise InputError(f"no money for {recipient} in these documents")
    years = sorted({int(y) for y in graph.graph.get("years") or ()} | {b.year for b in bars})
    name = short_name(graph_forms(graph), recipient)
    title = (f"{name}: bedragen per jaar en instrument" if recipient == UNATTRIBUTED else
             f"{name}: ontvangen per jaar en bron, één keer geteld (als summary)")
    note = _shared_note(name, bars)
    if fmt == "html":
        return _chart_html(bars, years, title, note)
    if fmt in ("svg", "png"):
        return _chart_static(bars, years, title, note, fmt)
    raise InputError(f"unknown chart format {fmt!r}; use one of {', '.join(DIAGRAM_FORMATS)}")


def _shared_note(name: str, bars: list[ChartBar]) -> str:
    """Under a chart with shared money: it is the whole line, the same money the
    co-recipients' charts show, so charts of co-recipients do not add up."""
    groups = sorted({b.shared_with for b in bars if b.shared_with})
    if not groups:
        return ""
    whom = "; ".join(" + ".join(g) for g in groups)
    return (f"Kruislings gearceerd: regelingen die {name} deelt met {whom}. Ze staan er met "
            f"hun hele bedrag; de documenten geven geen verdeling. Hetzelfde geld staat in "
            f"de grafiek van elke mede-ontvanger: tel die niet op.")


# The first panel holds every year up to the last realised one, and a year there may still
# show only a begroting or raming (a budget table's t+1...t+4): those bars are striped.
REALISED_YEARS = "jaren met realisatie (gestreept: begroting of raming)"
PLANNED_HATCH_LABEL = "gestreept: begroting of raming, geen realisatie"


def _year_groups(bars: list[ChartBar], years: list[int]) -> list[tuple[str, list[int]]]:
    """Realised years apart from planned ones; a year with no flow still gets its slot."""
    realised = {b.year for b in bars if b.group == REALISATIE}
    last_realised = max(realised, default=min(years) - 1)
    groups = [(REALISED_YEARS, [y for y in years if y <= last_realised]),
              ("begroting en ramingen", [y for y in years if y > last_realised])]
    return [(name, ys) for name, ys in groups if ys]


# Instrument colours, told apart by everyone: the least CIELAB distance between two is 38
# (tests/test_diagram.py holds it at 30 or more; the former palette had two blues at 22).
_PALETTE = ("#3b6ea5", "#e69f00", "#117733", "#ee6677", "#17becf", "#aa4499", "#999933",
            "#8c564b", "#332288")
_SHARED_HATCH = "xx"  # shared money: the instrument's colour, cross-hatched
_PLANNED_HATCH = "//"


def _palette(number: int) -> str:
    return _PALETTE[number % len(_PALETTE)]


Series = tuple[str, tuple[str, ...]]  # (instrument, co-recipients): one stacked segment


def _series_colours(series: list[Series]) -> dict[Series, str]:
    instruments = sorted({instrument for instrument, _ in series})
    return {s: _palette(instruments.index(s[0])) for s in series}


def _chart_html(bars: list[ChartBar], years: list[int], title: str, note: str) -> bytes:
    go = _require("plotly.graph_objects", "an .html chart")
    pio = _require("plotly.io", "an .html chart")
    groups = _year_groups(bars, years)
    subplots = _require("plotly.subplots", "an .html chart")
    figure = subplots.make_subplots(
        rows=1, cols=len(groups), shared_yaxes=True, subplot_titles=[g for g, _ in groups],
        column_widths=[len(ys) for _, ys in groups], horizontal_spacing=0.04)
    series = chart_series(bars)
    colours = _series_colours(series)
    amounts = {(b.year, b.series): b for b in bars}
    named = {b.year for b in bars}
    for each in series:
        label = series_label(each)
        for col, (_, ys) in enumerate(groups, start=1):
            found = [amounts.get((y, each)) for y in ys]
            figure.add_trace(go.Bar(
                name=label, legendgroup=label, showlegend=col == 1,
                x=[str(y) for y in ys], y=[b.euros if b else None for b in found],
                customdata=[format_euros(b.euros) if b else NOT_NAMED for b in found],
                hovertemplate=f"{label}<br>%{{x}}: %{{customdata}}<extra></extra>",
                marker={"color": colours[each],
                        "pattern": {"shape": ["x" if each[1] else "/" if b and b.group == PLANNED
                                              else "" for b in found], "fgcolor": "white"}},
            ), row=1, col=col)
        for col, (_, ys) in enumerate(groups, start=1):
            for y in ys:
                if y not in named:
                    figure.add_annotation(x=str(y), y=0, text=NOT_NAMED, textangle=-90,
                                          showarrow=False, yanchor="bottom", row=1, col=col,
                                          font={"color": "#666666"})
    # Legend top to bottom as the stack reads top to bottom.
    figure.update_layout(barmode="stack", title={"text": title}, height=520,
                         legend={"traceorder": "reversed"},
                         yaxis={"title": {"text": "euro"}})
    if note:
        figure.add_annotation(text=note, xref="paper", yref="paper", x=0, y=-0.15,
                              showarrow=False, xanchor="left", align="left")
    return _plotly_html(pio, figure)


def _chart_static(bars: list[ChartBar], years: list[int], title: str, note: str,
                  fmt: str) -> bytes:
    import textwrap

    plt = _matplotlib()
    patches = _require("matplotlib.patches", "an .svg or .png drawing")
    groups = _year_groups(bars, years)
    figure, axes = plt.subplots(1, len(groups), sharey=True, squeeze=False, figsize=(10, 4.5),
                                gridspec_kw={"width_ratios": [len(ys) for _, ys in groups]})
    series = chart_series(bars)
    colours = _series_colours(series)
    amounts = {(b.year, b.series): b.euros for b in bars}
    planned = {(b.year, b.series) for b in bars if b.group == PLANNED}
    named = {b.year for b in bars}
    top = max(sum(b.euros for b in bars if b.year == y) for y in named)
    crowded = len(years) > 10  # labels side by side would run into each other: upright
    for ax, (name, ys) in zip(axes[0], groups, strict=True):
        bottom = [0] * len(ys)
        shared = [0] * len(ys)
        for number, each in enumerate(series):  # bottom up, as chart_series orders them
            heights = [amounts.get((y, each), 0) for y in ys]
            drawn = ax.bar([str(y) for y in ys], heights, bottom=bottom, color=colours[each],
                           hatch=_SHARED_HATCH if each[1] else None, edgecolor="white",
                           linewidth=0.8)
            for year, patch in zip(ys, drawn.patches, strict=True):
                patch.set_gid(f"bar-{number}-{year}")
                if not each[1] and (year, each) in planned:  # its own stage, not its panel's
                    patch.set_hatch(_PLANNED_HATCH)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
            if each[1]:
                shared = [s + h for s, h in zip(shared, heights, strict=True)]
        for x, (year, total, part) in enumerate(zip(ys, bottom, shared, strict=True)):
            if year not in named:  # unknown, not zero: say so where a bar would stand
                ax.text(x, top * 0.02, NOT_NAMED, rotation=90, ha="center", va="bottom",
                        fontsize=7, color="#666666", style="italic", parse_math=False)
                continue
            # the total received, as summary counts it; the shared lines on top, not in it
            if part == total:
                text = f"{format_euros_short(total)}\nalles gedeeld"
            else:
                text = format_euros_short(total - part) + (
                    f"\n+ {format_euros_short(part)} gedeeld" if part else "")
            ax.annotate(text, (x, total), ha="center", va="bottom", fontsize=7,
                        annotation_clip=False, rotation=90 if crowded else 0)
        ax.set_title(name, fontsize=9)
        ax.spines[["top", "right"]].set_visible(False)
    axes[0][0].set_ylim(0, top * (1.4 if crowded else 1.15))
    axes[0][0].yaxis.set_major_formatter(lambda value, _: format_euros_short(int(value)))
    # The legend reads top to bottom as the stack does: the top segment first.
    handles = [patches.Patch(facecolor=colours[each], edgecolor="white",
                             hatch=_SHARED_HATCH if each[1] else None, label=series_label(each),
                             gid=f"legend-{number}")
               for number, each in reversed(list(enumerate(series)))]
    if planned:
        handles.append(patches.Patch(facecolor="#bbbbbb", edgecolor="white",
                                     hatch=_PLANNED_HATCH, label=PLANNED_HATCH_LABEL))
    legend = axes[0][-1].legend(
        handles=handles, labels=[textwrap.fill(h.get_label(), 30) for h in handles],
        fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    for number, text in zip(reversed(range(len(series))), legend.get_texts()[:len(series)],
                            strict=True):
        text.set_gid(f"legend-text-{number}")
    figure.suptitle(title, fontsize=10, x=0.01, ha="left")
    if note:
        figure.text(0.01, -0.02, textwrap.fill(note, 150), fontsize=7, ha="left", va="top",
                    parse_math=False)
    return _save(figure, plt, fmt)
