"""Pre-flight checks that turn broken course files into messages naming the file."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from .errors import KitError

NOTEBOOK_FOLDERS = ("exercises", "practices", "assignments")
PAGE_SUFFIXES = (".md", ".ipynb")


def check_notebooks(root: Path) -> int:
    """Every notebook in the three notebook folders is valid nbformat JSON; returns how many."""
    import nbformat

    count = 0
    for folder in NOTEBOOK_FOLDERS:
        for path in sorted((root / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" in path.parts:
                continue
            rel = path.relative_to(root)
            try:
                nb = json.loads(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                raise KitError(f"{rel} is not UTF-8 text; save it again from JupyterLab.") from None
            except json.JSONDecodeError as err:
                raise KitError(
                    f"{rel} is not a valid notebook: broken JSON at line {err.lineno}, column {err.colno} ({err.msg}). "
                    "Restore it with `git checkout -- " + str(rel) + "` or fix that line."
                ) from None
            try:
                nbformat.validate(nbformat.from_dict(nb))
            except nbformat.ValidationError as err:
                raise KitError(f"{rel} is JSON but not a valid notebook: {err.message}") from None
            count += 1
    return count


def toc_files(root: Path, part: dict | None = None) -> list[str]:
    """The `file:` entries of _toc.yml, root first, in reading order (of one `part` of it if given)."""
    if part is not None:
        toc, found = part, []
    else:
        toc_path = root / "_toc.yml"
        try:
            toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
        except yaml.YAMLError as err:
            raise KitError(f"_toc.yml is not valid YAML: {err}") from None
        if not isinstance(toc, dict) or "root" not in toc:
            raise KitError("_toc.yml needs a `root:` entry (the landing page, e.g. book/index).")
        found = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in toc.items() if k != "root"})
    return found


def toc_parts(root: Path) -> list[tuple[str, list[str]]]:
    """The parts of _toc.yml in reading order: (caption, its `file:` entries in reading order)."""
    toc_files(root)  # a broken _toc.yml is reported once, by the same messages
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    parts = []
    for number, part in enumerate(toc.get("parts") or [], 1):
        caption = part.get("caption") or f"Part {number}"
        parts.append((caption, toc_files(root, part)))
    return parts


def check_toc(root: Path) -> int:
    """Every _toc.yml entry points at an existing page; returns how many entries."""
    entries = toc_files(root)
    for entry in entries:
        base = root / entry
        if base.suffix in PAGE_SUFFIXES and base.is_file():
            continue
        if not any(base.with_name(base.name + s).is_file() for s in PAGE_SUFFIXES):
            raise KitError(
                f"_toc.yml entry `{entry}` points nowhere: no {entry}.md or {entry}.ipynb under {root}. "
                "Create the page or remove the entry."
            )
    return len(entries)
