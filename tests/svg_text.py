"""Where the text of a matplotlib SVG (svg.fonttype none) lands: one box per <text>.

The box comes from the SVG alone (position, anchor, rotation, font size) and the font's own
glyph metrics (matplotlib's TextToPath on DejaVu Sans, the font the SVG names), not from the
code that drew it: a test on these boxes can catch what the drawing code got wrong.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

SVG = "{http://www.w3.org/2000/svg}"
_TEXT_TO_PATH = TextToPath()


@dataclass(frozen=True)
class TextBox:
    text: str
    size: float  # font size in SVG user units (points)
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: TextBox, slack: float = 0.2) -> bool:
        return (min(self.x1, other.x1) - max(self.x0, other.x0) > slack
                and min(self.y1, other.y1) - max(self.y0, other.y0) > slack)


def _style(element: ET.Element) -> dict[str, str]:
    pairs = (part.split(":", 1) for part in (element.get("style") or "").split(";") if ":" in part)
    return {key.strip(): value.strip() for key, value in pairs}


def text_boxes(svg: bytes) -> list[TextBox]:
    boxes = []
    for element in ET.fromstring(svg).iter(f"{SVG}text"):
        style = _style(element)
        size = float(style["font-size"].removesuffix("px"))
        family = style.get("font-family", "DejaVu Sans").split(",")[0].strip("'\" ")
        text = element.text or ""
        width, height, descent = _TEXT_TO_PATH.get_text_width_height_descent(
            text, FontProperties(family=family, size=size), ismath=False)
        transform = element.get("transform", "")
        if element.get("x") is not None:
            x, y = float(element.get("x")), float(element.get("y"))
            rotated = re.search(r"rotate\((-?[\d.]+)", transform)
        else:  # translate(x y) rotate(-a)
            moved = re.search(r"translate\(([-\d.]+)[ ,]([-\d.]+)\)", transform)
            assert moved, transform
            x, y = float(moved[1]), float(moved[2])
            rotated = re.search(r"rotate\((-?[\d.]+)\)", transform)
        angle = math.radians(float(rotated[1])) if rotated else 0.0
        start = {"start": 0.0, "middle": -width / 2, "end": -width}[
            style.get("text-anchor", "start")]
        corners = [(start + dx, dy) for dx in (0.0, width) for dy in (descent - height, descent)]
        xs = [x + cx * math.cos(angle) - cy * math.sin(angle) for cx, cy in corners]
        ys = [y + cx * math.sin(angle) + cy * math.cos(angle) for cx, cy in corners]
        boxes.append(TextBox(text, size, min(xs), min(ys), max(xs), max(ys)))
    return boxes


def overlapping(boxes: list[TextBox]) -> list[tuple[str, str]]:
    return [(a.text, b.text) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a.overlaps(b)]


def view_box(svg: bytes) -> tuple[float, float]:
    _, _, width, height = (float(v) for v in ET.fromstring(svg).get("viewBox").split())
    return width, height
