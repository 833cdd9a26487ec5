"""Importing a roster CSV (UTF-8, Cyrillic names, commas inside quoted names) into the gradebook."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import KitError

COLUMNS = ("id", "first_name", "last_name", "email")
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


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
        if not SAFE_ID.match(sid):
            raise KitError(
                f"{path.name}, line {line}: id '{sid}' must be lower-case Latin letters, digits, '.', '_' or '-' "
                "(it becomes a folder name); put the full name in first_name/last_name."
            )
        if sid in seen:
            raise KitError(f"{path.name}, line {line}: id '{sid}' appears twice.")
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
