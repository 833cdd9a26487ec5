"""Is a file a real notebook of an assignment? One line saying what is wrong, for the trainer.

nbgrader reads a broken notebook far into grading and then reports "Please see the above traceback";
a learner's file can also be anything named *.ipynb (a copy of the gradebook, another course's notebook).
This check runs before a file becomes a submission, so the trainer learns at once, file by file.
"""

from __future__ import annotations

import json

import nbformat
from nbformat.validator import ValidationError


def grade_ids(nb: dict) -> set[str]:
    """The nbgrader cell ids of a notebook (what ties a submission to its assignment)."""
    ids = set()
    for cell in nb.get("cells") or []:
        meta = cell.get("metadata") if isinstance(cell, dict) else None
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        if isinstance(nbg, dict) and isinstance(nbg.get("grade_id"), str):
            ids.add(nbg["grade_id"])
    return ids


def _bad_text(value, where: str = "") -> str | None:
    """The first string holding a lone surrogate or a NUL (JSON allows both as escapes; nbgrader's
    database and the HTML of feedback do not), with where it is."""
    if isinstance(value, str):
        for ch in value:
            if "\ud800" <= ch <= "\udfff":
                return f"lone surrogate U+{ord(ch):04X} in {where or 'the notebook'}"
            if ch == "\0":
                return f"NUL character in {where or 'the notebook'}"
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _bad_text(key, where) if isinstance(key, str) else None
        found = found or _bad_text(item, f"{where}[{key!r}]" if isinstance(key, str) else f"{where}[{key}]")
        if found:
            return found
    return None


def _validation_line(err: ValidationError) -> str:
    path = "/".join(str(p) for p in err.absolute_path) or "the top level"
    return f"{err.message.splitlines()[0][:200]} (at {path})"


def notebook_problem(data: bytes, released: dict | None = None) -> str | None:
    """None if DATA is a valid nbformat-4 notebook (of the RELEASED notebook's assignment, when given);
    else one line: what is wrong."""
    if data.startswith(b"SQLite format 3\0"):
        return "not a notebook: an SQLite database (such as nbgrader's gradebook)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return f"not a notebook: not UTF-8 text (byte 0x{data[err.start]:02x} at position {err.start})"
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        return f"not a valid notebook: not JSON ({err.msg} at line {err.lineno}, column {err.colno})"
    if not isinstance(nb, dict) or nb.get("nbformat") != 4:
        version = nb.get("nbformat") if isinstance(nb, dict) else None
        return f"not a valid notebook: nbformat {version!r}, expected 4"
    bad = _bad_text(nb)
    if bad:
        return f"not a valid notebook: {bad}"
    try:
        nbformat.validate(nbformat.from_dict(nb), version=4)
    except ValidationError as err:
        return f"not a valid notebook: {_validation_line(err)}"
    if released is not None:
        expected = grade_ids(released)
        if expected and not expected & grade_ids(nb):
            return "not a notebook of this assignment: it has none of the assignment's graded cells"
    return None
