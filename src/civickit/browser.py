"""Finding Debian's Chromium for the browser tests (Playwright cannot download its own here)."""

from __future__ import annotations

import os
import shutil

# Without the background-networking flags Chromium keeps calling home, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    return os.environ.get("CIVICKIT_CHROMIUM", "/usr/bin/chromium")


def chromium_problem() -> str | None:
    chromium = chromium_path()
    if os.path.isfile(chromium) and os.access(chromium, os.X_OK):
        return None
    found = shutil.which("chromium")
    hint = f" (there is one at {found}: set CIVICKIT_CHROMIUM={found})" if found else ""
    return (
        f"Chromium not found at {chromium}{hint}. Install Debian's package: "
        "sudo apt-get install chromium  (or run `make test`, which installs it)."
    )
