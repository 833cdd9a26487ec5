"""Diagrams drawn at build time from text, as inline SVG (translatable, no network, no binaries).

    :::{diagram} cycle
    :caption: Цикълът на политиките

    - Поставяне в дневния ред
    - Изработване
    - Решение
    :::

Kinds: chain (left to right), cycle (round), ladder (first item at the bottom),
tree (indented list, root at the top), grid (2x2: top-left, top-right, bottom-left,
bottom-right, with :x: and :y: axis labels).
"""

from __future__ import annotations

import html
import itertools
import math
import textwrap

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

BOX_W, BOX_H, GAP = 170, 64, 40
CHAR_W, LINE_H, FONT = 7.2, 16, 13
COLOURS = ("#e3f2fd", "#e8f5e9", "#fff8e1", "#f3e5f5", "#fbe9e7", "#e0f7fa")
_ids = itertools.count(1)


def _lines(text: str, width: float) -> list[str]:
    return textwrap.wrap(text, max(8, int((width - 14) / CHAR_W))) or [""]


def _box(x: float, y: float, w: float, h: float, text: str, fill: str) -> str:
    lines = _lines(text, w)
    top = y + h / 2 - (len(lines) - 1) * LINE_H / 2 + FONT / 3
    spans = "".join(
        f"<tspan x='{x + w / 2:.0f}' y='{top + i * LINE_H:.0f}'>{html.escape(line)}</tspan>" for i, line in enumerate(lines)
    )
    return (
        f"<rect x='{x:.0f}' y='{y:.0f}' width='{w:.0f}' height='{h:.0f}' rx='8' fill='{fill}' stroke='#37474f'/>"
        f"<text text-anchor='middle' font-size='{FONT}' fill='#1a1a1a'>{spans}</text>"
    )


def _arrow(x1: float, y1: float, x2: float, y2: float) -> str:
    return f"<line x1='{x1:.0f}' y1='{y1:.0f}' x2='{x2:.0f}' y2='{y2:.0f}' stroke='#37474f' stroke-width='2' marker-end='url(#civickit-arrow)'/>"


def _height(text: str, w: float = BOX_W) -> float:
    return max(BOX_H, len(_lines(text, w)) * LINE_H + 20)


def chain(items: list[str]) -> tuple[str, float, float]:
    h = max(_height(t) for t in items)
    parts = []
    for i, text in enumerate(items):
        x = GAP / 2 + i * (BOX_W + GAP)
        parts.append(_box(x, 10, BOX_W, h, text, COLOURS[i % len(COLOURS)]))
        if i:
            parts.append(_arrow(x - GAP + 2, 10 + h / 2, x - 4, 10 + h / 2))
    return "".join(parts), len(items) * (BOX_W + GAP), h + 20


def cycle(items: list[str]) -> tuple[str, float, float]:
    n = len(items)
    h = max(_height(t) for t in items)
    radius = max(140, n * (BOX_W + 20) / (2 * math.pi))
    cx, cy = radius + BOX_W / 2 + 10, radius + h / 2 + 10
    centres = [(cx + radius * math.sin(2 * math.pi * i / n), cy - radius * math.cos(2 * math.pi * i / n)) for i in range(n)]
    parts = []
    for i, (x, y) in enumerate(centres):
        nx, ny = centres[(i + 1) % n]
        dx, dy = nx - x, ny - y
        length = math.hypot(dx, dy) or 1
        # start and end outside the boxes: shorten by the box's half-size along the line
        cut = min(abs((BOX_W / 2 + 6) * length / (dx or 1e-9)), abs((h / 2 + 6) * length / (dy or 1e-9)))
        parts.append(_arrow(x + dx * cut / length, y + dy * cut / length, nx - dx * cut / length, ny - dy * cut / length))
    for i, ((x, y), text) in enumerate(zip(centres, items)):
        parts.append(_box(x - BOX_W / 2, y - h / 2, BOX_W, h, f"{i + 1}. {text}", COLOURS[i % len(COLOURS)]))
    return "".join(parts), 2 * cx, 2 * cy


def ladder(items: list[str]) -> tuple[str, float, float]:
    w, h = 2 * BOX_W + 60, BOX_H - 16
    parts = []
    for i, text in enumerate(items):  # first item = bottom rung
        y = 10 + (len(items) - 1 - i) * (h + 8)
        parts.append(_box(10 + i * 8, y, w, h, f"{i + 1}. {text}", COLOURS[min(i * len(COLOURS) // len(items), len(COLOURS) - 1)]))
    return "".join(parts), w + 20 + len(items) * 8, len(items) * (h + 8) + 12


def _parse_tree(lines: list[str]) -> list[tuple[int, str]]:
    out = []
    for line in lines:
        if line.strip():
            text = line.strip()
            out.append((len(line) - len(line.lstrip(" ")), text[2:] if text.startswith("- ") else text))
    return out


def tree(lines: list[str]) -> tuple[str, float, float]:
    rows = _parse_tree(lines)
    levels = sorted({indent for indent, _ in rows})
    nodes_ = []  # (depth, text, parent index)
    stack: list[tuple[int, int]] = []
    for indent, text in rows:
        depth = levels.index(indent)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        nodes_.append((depth, text, stack[-1][1] if stack else None))
        stack.append((depth, len(nodes_) - 1))
    children = {i: [j for j, n in enumerate(nodes_) if n[2] == i] for i in range(len(nodes_))}
    xs: dict[int, float] = {}
    next_leaf = itertools.count()

    def place(i):
        if not children[i]:
            xs[i] = next(next_leaf) * (BOX_W + 20)
        else:
            for c in children[i]:
                place(c)
            xs[i] = (xs[children[i][0]] + xs[children[i][-1]]) / 2

    for root in (i for i, n in enumerate(nodes_) if n[2] is None):
        place(root)
    h = max(_height(t) for _, t, _ in nodes_)
    ys = {i: 10 + n[0] * (h + GAP) for i, n in enumerate(nodes_)}
    parts = [
        _arrow(xs[p] + BOX_W / 2 + 10, ys[p] + h, xs[i] + BOX_W / 2 + 10, ys[i] - 4)
        for i, (_, _, p) in enumerate(nodes_)
        if p is not None
    ]
    parts += [_box(xs[i] + 10, ys[i], BOX_W, h, t, COLOURS[d % len(COLOURS)]) for i, (d, t, _) in enumerate(nodes_)]
    depth = max(d for d, _, _ in nodes_) + 1
    return "".join(parts), max(xs.values()) + BOX_W + 20, depth * (h + GAP)


def grid(items: list[str], x_label: str, y_label: str) -> tuple[str, float, float]:
    if len(items) != 4:
        raise ValueError("grid needs exactly four items: top-left, top-right, bottom-left, bottom-right")
    w, h, left, top = 2 * BOX_W + 40, 2 * BOX_H + 30, 40, 10
    parts = []
    for i, text in enumerate(items):
        col, row = i % 2, i // 2
        parts.append(_box(left + col * (w / 2 + 6), top + row * (h / 2 + 6), w / 2, h / 2, text, COLOURS[i]))
    bottom = top + h + 12
    parts.append(_arrow(left, bottom + 6, left + w + 6, bottom + 6))
    parts.append(_arrow(left - 20, bottom, left - 20, top))
    parts.append(f"<text x='{left + w / 2:.0f}' y='{bottom + 26:.0f}' text-anchor='middle' font-size='{FONT}'>{html.escape(x_label)}</text>")
    parts.append(
        f"<text x='14' y='{top + h / 2:.0f}' text-anchor='middle' font-size='{FONT}' transform='rotate(-90 14 {top + h / 2:.0f})'>{html.escape(y_label)}</text>"
    )
    return "".join(parts), left + w + 20, bottom + 36


def svg(kind: str, lines: list[str], caption: str, x_label: str = "", y_label: str = "") -> str:
    items = [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]
    if kind == "tree":
        body, w, h = tree(lines)
    elif kind == "grid":
        body, w, h = grid(items, x_label, y_label)
    else:
        body, w, h = {"chain": chain, "cycle": cycle, "ladder": ladder}[kind](items)
    uid = f"civickit-diagram-{next(_ids)}"
    return (
        f"<figure class='civickit-diagram'>"
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {w:.0f} {h:.0f}' width='{w:.0f}' role='img' aria-labelledby='{uid}'>"
        f"<title id='{uid}'>{html.escape(caption)}</title>"
        "<defs><marker id='civickit-arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
        "<path d='M 0 0 L 10 5 L 0 10 z' fill='#37474f'/></marker></defs>"
        f"{body}</svg><figcaption>{html.escape(caption)}</figcaption></figure>"
    )


KINDS = ("chain", "cycle", "ladder", "tree", "grid")


class Diagram(SphinxDirective):
    required_arguments = 1
    has_content = True
    option_spec = {"caption": directives.unchanged_required, "x": directives.unchanged, "y": directives.unchanged}

    def run(self):
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"diagram kind {kind!r}: use one of {', '.join(KINDS)}")
        if "caption" not in self.options:
            raise self.error("diagram needs :caption: (it is also the text screen readers announce)")
        try:
            markup = svg(kind, list(self.content), self.options["caption"], self.options.get("x", ""), self.options.get("y", ""))
        except (ValueError, KeyError, IndexError) as err:
            raise self.error(f"diagram {kind}: {err}") from None
        return [nodes.raw("", markup, format="html")]
