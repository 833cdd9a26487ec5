"""A results table that a phone shows as one card per row (the apps' stylesheet, class civickit-stack).

Each cell carries its column's name as data-label; below 40rem civickit-apps.css lays every row out as a card of
"Column: value" lines, so a four- or five-column table is never cut off at the right of a 390 px screen.
"""

from __future__ import annotations

import html
from collections.abc import Sequence


def stack_table(caption: str, columns: Sequence[str], rows: Sequence[Sequence[str]], css_class: str) -> str:
    """columns: plain text; rows: cells as HTML (escape text before passing it)."""
    head = "".join(f"<th scope='col'>{html.escape(name)}</th>" for name in columns)
    body = "".join(
        "<tr>" + "".join(f"<td data-label='{html.escape(name, quote=True)}'>{cell}</td>" for name, cell in zip(columns, row))
        + "</tr>"
        for row in rows
    )
    return (f"<table class='{css_class} civickit-stack'><caption>{html.escape(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def scroll_region(label: str, inner_html: str) -> str:
    """A wide table (row groups, two header rows: no card layout fits it) that scrolls sideways inside the page.

    Focusable and named, so a keyboard user can scroll it with the arrow keys (axe: scrollable-region-focusable),
    and the page itself never gets wider than the screen.
    """
    return (f"<div class='civickit-scroll' role='region' tabindex='0' aria-label='{html.escape(label, quote=True)}'>"
            f"{inner_html}</div>")
