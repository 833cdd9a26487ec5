"""Bar charts as inline SVG: no script, no CDN, no matplotlib; the numbers stay readable text in the page.

No xmlns attribute: inline SVG in HTML5 needs none, and the report must contain no URL at all.
"""

from __future__ import annotations

import html

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
