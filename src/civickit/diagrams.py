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

`svg` draws one figure for the book; `responsive_svg` (the case-study apps) adds a top-to-bottom drawing of
chains, cycles and trees for phones, since a row of six boxes scaled to a 390 px screen has unreadable text.
Both come from the same lines, so the book and the apps draw a mechanism the same way.
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
# Phone layout: boxes as wide as a 390 px screen shows at about their own size, so the text stays ~13 px.
NARROW_W, NARROW_GAP, INDENT = 320, 30, 26
ARROW_REF = "url(#civickit-arrow)"  # replaced by each drawing's own marker id (see _figure_svg)
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
    return f"<line x1='{x1:.0f}' y1='{y1:.0f}' x2='{x2:.0f}' y2='{y2:.0f}' stroke='#37474f' stroke-width='2' marker-end='{ARROW_REF}'/>"


def _bent_arrow(d: str) -> str:
    return f"<path d='{d}' fill='none' stroke='#37474f' stroke-width='2' marker-end='{ARROW_REF}'/>"


def _height(text: str, w: float = BOX_W) -> float:
    return max(BOX_H, len(_lines(text, w)) * LINE_H + 20)


def chain(items: list[str], per_row: int = 0) -> tuple[str, float, float]:
    """Left to right; with per_row, wrapped into rows, a bent arrow leading from each row's end to the next row."""
    per_row = per_row or len(items)
    h = max(_height(t) for t in items)
    row_h = h + GAP
    parts = []
    for i, text in enumerate(items):
        row, col = divmod(i, per_row)
        x, y = GAP / 2 + col * (BOX_W + GAP), 10 + row * row_h
        parts.append(_box(x, y, BOX_W, h, text, COLOURS[i % len(COLOURS)]))
        if col:
            parts.append(_arrow(x - GAP + 2, y + h / 2, x - 4, y + h / 2))
        elif i:
            end_x = GAP / 2 + (per_row - 1) * (BOX_W + GAP) + BOX_W / 2
            parts.append(_bent_arrow(f"M {end_x:.0f} {y - GAP + 2:.0f} V {y - GAP / 2:.0f} H {x + BOX_W / 2:.0f} V {y - 4:.0f}"))
    rows = math.ceil(len(items) / per_row)
    return "".join(parts), min(per_row, len(items)) * (BOX_W + GAP), rows * row_h - GAP + 20


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


def column(items: list[str], loop: bool = False) -> tuple[str, float, float]:
    """A chain top to bottom; with loop (a cycle) numbered, and an arrow from the last step back to the first."""
    left, y, parts, mids = 10, 10.0, [], []
    for i, text in enumerate(items):
        label = f"{i + 1}. {text}" if loop else text
        h = _height(label, NARROW_W)
        if i:
            parts.append(_arrow(left + NARROW_W / 2, y - NARROW_GAP + 2, left + NARROW_W / 2, y - 4))
        parts.append(_box(left, y, NARROW_W, h, label, COLOURS[i % len(COLOURS)]))
        mids.append(y + h / 2)
        y += h + NARROW_GAP
    width = left + NARROW_W + 10
    if loop and len(items) > 1:
        right = left + NARROW_W
        parts.append(_bent_arrow(f"M {right:.0f} {mids[-1]:.0f} H {right + 22:.0f} V {mids[0]:.0f} H {right + 5:.0f}"))
        width += 26
    return "".join(parts), width, y - NARROW_GAP + 10


def tree_column(lines: list[str]) -> tuple[str, float, float]:
    """A tree as an indented outline: each child below its parent, joined by an elbow from the parent's left side."""
    rows = _parse_tree(lines)
    levels = sorted({indent for indent, _ in rows})
    left, y, parts = 10, 10.0, []
    open_boxes: list[tuple[int, float, float]] = []  # (depth, x, bottom) of the latest box at each depth
    for indent, text in rows:
        depth = levels.index(indent)
        x, w = left + depth * INDENT, NARROW_W - depth * INDENT
        h = _height(text, w)
        while open_boxes and open_boxes[-1][0] >= depth:
            open_boxes.pop()
        if open_boxes:
            _, px, pbottom = open_boxes[-1]
            parts.append(_bent_arrow(f"M {px + 12:.0f} {pbottom:.0f} V {y + h / 2:.0f} H {x - 4:.0f}"))
        parts.append(_box(x, y, w, h, text, COLOURS[depth % len(COLOURS)]))
        open_boxes.append((depth, x, y + h))
        y += h + 14
    return "".join(parts), left + NARROW_W + 10, y - 14 + 10


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


def _items(lines: list[str]) -> list[str]:
    return [line.strip()[2:].strip() for line in lines if line.strip().startswith("- ")]


def _draw(kind: str, lines: list[str], x_label: str, y_label: str, narrow: bool,
          per_row: int = 0) -> tuple[str, float, float]:
    items = _items(lines)
    if kind == "tree":
        return tree_column(lines) if narrow else tree(lines)
    if kind == "grid":
        return grid(items, x_label, y_label)
    if narrow and kind in ("chain", "cycle"):
        return column(items, loop=kind == "cycle")
    if kind == "chain":
        return chain(items, per_row)
    return {"cycle": cycle, "ladder": ladder}[kind](items)


def _figure_svg(kind: str, lines: list[str], caption: str, x_label: str, y_label: str, narrow: bool = False,
                css_class: str = "", per_row: int = 0) -> str:
    body, w, h = _draw(kind, lines, x_label, y_label, narrow, per_row)
    uid = f"civickit-diagram-{next(_ids)}"
    # Each drawing has its own arrow marker: Chromium draws no marker that lives in a hidden (display: none) SVG,
    # and the apps hide one of their two drawings.
    body = body.replace(ARROW_REF, f"url(#{uid}-arrow)")
    cls = f" class='{css_class}'" if css_class else ""
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg'{cls} viewBox='0 0 {w:.0f} {h:.0f}' width='{w:.0f}' role='img' aria-labelledby='{uid}'>"
        f"<title id='{uid}'>{html.escape(caption)}</title>"
        f"<defs><marker id='{uid}-arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' orient='auto-start-reverse'>"
        "<path d='M 0 0 L 10 5 L 0 10 z' fill='#37474f'/></marker></defs>"
        f"{body}</svg>"
    )


def svg(kind: str, lines: list[str], caption: str, x_label: str = "", y_label: str = "") -> str:
    """The figure the book's directive inserts: one drawing and its caption."""
    return (f"<figure class='civickit-diagram'>{_figure_svg(kind, lines, caption, x_label, y_label)}"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


NARROW_KINDS = ("chain", "cycle", "tree")


def responsive_svg(kind: str, lines: list[str], caption: str, x_label: str = "", y_label: str = "") -> str:
    """The book's figure plus, for chains, cycles and trees, a top-to-bottom drawing of the same lines.

    A chain of more than four steps is wrapped into two rows, so that its text is not shrunk in an app's column.

    Which one shows is the page's CSS (.civickit-diagram-wide / -narrow, in the apps' stylesheet); a page
    without that CSS shows both.
    """
    if kind not in NARROW_KINDS:
        return svg(kind, lines, caption, x_label, y_label)
    steps = len(_items(lines))
    per_row = math.ceil(steps / 2) if kind == "chain" and steps > 4 else 0
    wide = _figure_svg(kind, lines, caption, x_label, y_label, css_class="civickit-diagram-wide", per_row=per_row)
    narrow = _figure_svg(kind, lines, caption, x_label, y_label, narrow=True, css_class="civickit-diagram-narrow")
    return (f"<figure class='civickit-diagram civickit-diagram-responsive'>{wide}{narrow}"
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


KINDS = ("chain", "cycle", "ladder", "tree", "grid")


def practice_lines(slug: str) -> tuple[str, list[str], str]:
    """A case study's mechanism (kind, directive lines, caption) from its facts file: one source for book and app."""
    from .casestudy import load_practice

    mechanism = load_practice(slug).get("mechanism")
    if mechanism is None:
        raise ValueError(f"case study {slug!r} has no mechanism in its facts file")
    lines = [" " * (len(step) - len(step.lstrip(" "))) + "- " + step.strip() for step in mechanism["steps"]]
    return mechanism["kind"], lines, mechanism["caption"]


class Diagram(SphinxDirective):
    """The diagram directive; with :practice: <slug> the steps and caption come from that case study's facts file."""

    required_arguments = 1
    has_content = True
    option_spec = {"caption": directives.unchanged_required, "x": directives.unchanged, "y": directives.unchanged,
                   "practice": directives.unchanged_required}

    def run(self):
        kind = self.arguments[0]
        if kind not in KINDS:
            raise self.error(f"diagram kind {kind!r}: use one of {', '.join(KINDS)}")
        lines, caption = list(self.content), self.options.get("caption")
        if "practice" in self.options:
            from .errors import KitError

            try:
                source_kind, lines, source_caption = practice_lines(self.options["practice"])
            except (KitError, ValueError) as err:
                raise self.error(f"diagram :practice: {err}") from None
            if source_kind != kind:
                raise self.error(f"diagram {kind}: the facts file of {self.options['practice']} draws a {source_kind}")
            if self.content:
                raise self.error("diagram with :practice: takes its steps from the facts file: leave the body empty")
            caption = caption or source_caption
        if not caption:
            raise self.error("diagram needs :caption: (it is also the text screen readers announce)")
        try:
            markup = svg(kind, lines, caption, self.options.get("x", ""), self.options.get("y", ""))
        except (ValueError, KeyError, IndexError) as err:
            raise self.error(f"diagram {kind}: {err}") from None
        return [nodes.raw("", markup, format="html")]
