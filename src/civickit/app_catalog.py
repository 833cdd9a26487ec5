"""The Voila apps in practices/ with their Bulgarian titles: one list for the JupyterLab launcher and the public root.

A case study's title comes from its facts file (data/practices/<slug>.json, the same title the book and the
explorer show); a tool's title is the first heading of its notebook, so adding an app needs no extra entry here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .casestudy import practices
from .errors import KitError


@dataclass(frozen=True)
class App:
    path: str  # relative to practices/, with forward slashes: "tools/budget-calculator.ipynb"
    title: str
    kind: str  # "case" (a case study) or "tool"


def notebook_heading(notebook: Path) -> str:
    """The text of the notebook's first Markdown heading."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError) as err:
        raise KitError(f"{notebook}: not a readable notebook ({err}).") from None
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for line in source.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    raise KitError(f"{notebook}: no Markdown heading to use as the app's title; start the notebook with '# Title'.")


def apps(root: Path) -> list[App]:
    """Every notebook under practices/: case studies first (in the order of their titles), then the tools."""
    folder = root / "practices"
    case_titles = {Path(p["notebook"]).name: p["title_bg"] for p in practices().values()}
    found = []
    for notebook in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in notebook.parts:
            continue
        rel = notebook.relative_to(folder).as_posix()
        if rel in case_titles:
            found.append(App(rel, case_titles[rel], "case"))
        else:
            found.append(App(rel, notebook_heading(notebook), "tool"))
    return sorted(found, key=lambda a: (a.kind != "case", a.title))


def titles(root: Path) -> dict[str, str]:
    """{path relative to practices/: Bulgarian title}, for templates."""
    return {app.path: app.title for app in apps(root)}
