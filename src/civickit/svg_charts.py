"""Bar charts as inline SVG: no script, no CDN, no matplotlib; the numbers stay readable text in the page.

No xmlns attribute: inline SVG in HTML5 needs none, and the report must contain no URL at all.
"""

from __future__ import annotations

import html
import textwrap

ROW_H, LABEL_W, BAR_W, VALUE_W = 26, 230, 360, 90


def hbar(rows: list[tuple[str, float, str]], scale_max: float, title: str, colour: str = "#1565c0") -> str:
    """One horizontal bar per (label, value, value as text); scale_max is the value of a full bar."""
    height = ROW_H * len(rows) + 10
    width = LABEL_W + BAR_W + VALUE_W
    parts = [f"<svg class='chart' viewBox='0 0 {width} {height}' width='{width}' height='{height}' role='img' "
             f"aria-label='{html.escape(title, quote=True)}'><title>{html.escape(title)}</title>"]
    for i, (label, value, text) in enumerate(rows):
        y = 5 + i * ROW_H
        length = 0 if scale_max <= 0 else BAR_W * max(0.0, min(value, scale_max)) / scale_max
        parts.append(
            f"<text x='{LABEL_W - 8}' y='{y + 17}' text-anchor='end' font-size='13'>{html.escape(label)}</text>"
            f"<rect x='{LABEL_W}' y='{y + 3}' width='{BAR_W}' height='{ROW_H - 8}' fill='#eceff1'/>"
            f"<rect class='bar' data-value='{value:g}' x='{LABEL_W}' y='{y + 3}' width='{length:.1f}' "
            f"height='{ROW_H - 8}' fill='{colour}'/>"
            f"<text x='{LABEL_W + BAR_W + 8}' y='{y + 17}' font-size='13'>{html.escape(text)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


# Labelled bars: the label on its own line above the bar, so the drawing stays narrow (a phone shows it at about
# its own size, ~13 px text) and long Bulgarian labels are not cut.
LB_W, LB_VALUE_W, LB_LINE_H, LB_BAR_H, LB_FONT = 400, 100, 17, 14, 14
LB_CHARS = 44  # characters of a label line at LB_FONT in LB_W


def labelled_bars(rows: list[tuple[str, float, str, str]], scale_max: float, title: str,
                  legend: list[tuple[str, str]] = (), description: str = "",
                  threshold: tuple[float, str] | None = None) -> str:
    """One bar per (label, value, value as text, colour); scale_max is the value of a full bar.

    The accessible name is the title; description (e.g. what the colours mean, or the values in words) is the
    SVG's <desc>. legend: (colour, text) pairs drawn above the bars, so colour is never the only key.
    threshold: (value, text), a dashed line across all bars at that value, e.g. a legal limit.
    """
    bar_max = LB_W - LB_VALUE_W
    parts, y = [], 6.0
    if legend:
        x = 0.0
        for colour, text in legend:
            parts.append(f"<rect x='{x:.0f}' y='{y:.0f}' width='14' height='14' fill='{colour}'/>"
                         f"<text x='{x + 20:.0f}' y='{y + 12:.0f}' font-size='{LB_FONT - 1}'>{html.escape(text)}</text>")
            x += 36 + 8.5 * len(text)  # ~8 px a Cyrillic letter at 13 px
        y += 28
    if threshold is not None:
        y += 18  # room for the threshold's label above the first bar
    top, bar_tops = y + 2, []
    for label, value, text, colour in rows:
        for line in textwrap.wrap(label, LB_CHARS) or [""]:
            y += LB_LINE_H
            parts.append(f"<text x='0' y='{y - 4:.0f}' font-size='{LB_FONT}'>{html.escape(line)}</text>")
        bar_tops.append(y)
        length = 0 if scale_max <= 0 else bar_max * max(0.0, min(value, scale_max)) / scale_max
        parts.append(
            f"<rect x='0' y='{y:.0f}' width='{bar_max}' height='{LB_BAR_H}' fill='#eceff1'/>"
            f"<rect class='bar' data-value='{value:g}' x='0' y='{y:.0f}' width='{length:.1f}' height='{LB_BAR_H}' fill='{colour}'/>"
            f"<text x='{bar_max + 8}' y='{y + LB_BAR_H - 2:.0f}' font-size='{LB_FONT}'>{html.escape(text)}</text>"
        )
        y += LB_BAR_H + 12
    if threshold is not None and scale_max > 0:
        value, text = threshold
        x = bar_max * max(0.0, min(value, scale_max)) / scale_max
        # The label reads to the right of the line, or ends at it when the line is near the right edge.
        anchor, label_x = ("end", x - 4) if x > bar_max - 120 else ("start", x + 4)
        # Drawn across each bar only, so it never runs through a label.
        parts.extend(f"<line class='threshold' x1='{x:.1f}' y1='{b - 4:.0f}' x2='{x:.1f}' y2='{b + LB_BAR_H + 4:.0f}' "
                     f"stroke='#b3261e' stroke-width='2' stroke-dasharray='4 2'/>" for b in bar_tops)
        parts.append(f"<text x='{label_x:.1f}' y='{top - 4:.0f}' font-size='{LB_FONT - 1}' fill='#b3261e' "
                     f"text-anchor='{anchor}'>{html.escape(text)}</text>")
    height = y
    desc = f"<desc>{html.escape(description)}</desc>" if description else ""
    return (f"<svg class='chart chart-labelled' viewBox='0 0 {LB_W} {height:.0f}' width='{LB_W}' height='{height:.0f}' "
            f"role='img' aria-label='{html.escape(title, quote=True)}'><title>{html.escape(title)}</title>{desc}"
            f"{''.join(parts)}</svg>")
