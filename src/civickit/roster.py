"""Importing a roster CSV (UTF-8, Cyrillic names, commas inside quoted names) into the gradebook."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import KitError

COLUMNS = ("id", "first_name", "last_name", "email")
# An id becomes a folder name (submitted/<id>/, feedback/<id>/) and an nbgrader student id, which
# nbgrader expands as a glob pattern: only characters that are inert in both are allowed.
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
GLOB_CHARS = "*?[]"
PATH_SEPARATORS = "/\\"


def id_problem(sid: str, others: str = "learners") -> str | None:
    """Why `sid` cannot be an id of a learner (or of one of `others`; None if it can); the most specific reason first."""
    if SAFE_ID.match(sid):
        return None
    if not sid:
        return "is empty"
    glob = sorted({c for c in sid if c in GLOB_CHARS})
    if glob:
        quoted = ", ".join(f"'{c}'" for c in glob)
        return f"contains {quoted}, which nbgrader reads as a wildcard (it would match other {others})"
    if any(c in sid for c in PATH_SEPARATORS):
        return "contains a path separator ('/' or '\\'); the id becomes a folder name"
    if sid.startswith("."):
        return "starts with '.', which would make a hidden folder ('..' would even point outside the workspace)"
    if len(sid) > 64:
        return "is longer than 64 characters"
    if sid.lower() != sid and SAFE_ID.match(sid.lower()):
        return f"has capital letters (write '{sid.lower()}')"
    return "has characters other than lower-case Latin letters, digits, '.', '_' and '-'"


def read_roster(path: Path) -> list[dict[str, str]]:
    """Rows of the roster; errors name the file, line and field."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise KitError(f"Roster {path} not found.") from None
    except UnicodeDecodeError:
        raise KitError(f"{path.name} is not UTF-8 (perhaps Windows-1251): save it as 'CSV UTF-8' and import again.") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS[:3] if c not in (reader.fieldnames or [])]
    if missing:
        raise KitError(f"{path.name}: missing column(s) {', '.join(missing)}; the header must be: {','.join(COLUMNS)}")
    rows, seen = [], set()
    for line, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values()):
            continue  # blank line
        sid = (row.get("id") or "").strip()
        problem = id_problem(sid)
        if problem:
            raise KitError(
                f"{path}, line {line}: id '{sid}' {problem}. Nothing was imported. Change it to lower-case Latin "
                "letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. 'maria.ivanova'; the full "
                f"name belongs in first_name/last_name), then run `civickit cohort roster {path}` again."
            )
        if sid in seen:
            raise KitError(f"{path}, line {line}: id '{sid}' appears twice. Nothing was imported; "
                           "give each learner their own id and import again.")
        seen.add(sid)
        rows.append({c: (row.get(c) or "").strip() for c in COLUMNS})
    return rows


def import_roster(db_url: str, path: Path) -> int:
    """Adds or updates every learner of the roster; returns how many."""
    from nbgrader.api import Gradebook

    rows = read_roster(path)
    with Gradebook(db_url) as gb:
        for row in rows:
            gb.update_or_create_student(
                row["id"], first_name=row["first_name"], last_name=row["last_name"], email=row["email"] or None
            )
    return len(rows)
