"""A link that hands the browser a file made in the kernel (XLSX budget, DOCX logframe, ...).

A data: URI keeps the file out of the server's disk: nothing to clean up, nothing another learner
could fetch.
"""

from __future__ import annotations

import base64
import html


def download_link_html(content: bytes, filename: str, mime: str, label: str) -> str:
    """An <a download> whose href carries `content` base64-encoded."""
    uri = f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
    return (f"<a class='civickit-download-link' href='{uri}' download='{html.escape(filename, quote=True)}'>"
            f"{html.escape(label)}</a>")
