"""Grades out of the gradebook: a CSV for the trainer and one Moodle's grade import accepts."""

from __future__ import annotations

import csv
from pathlib import Path

# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Numbers stay numbers; text that a spreadsheet would run as a formula is made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def rows(db_url: str) -> list[dict]:
    """One row per learner and assignment; a missing submission scores 0 and says so; score is after the late penalty."""
    from nbgrader.api import Gradebook, MissingEntry

    out = []
    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            for student in gb.students:
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                    late_penalty, submitted = sub.late_submission_penalty or 0.0, True
                    score, seconds_late = max(0.0, sub.score - late_penalty), sub.total_seconds_late
                except MissingEntry:
                    score, submitted, late_penalty, seconds_late = 0.0, False, 0.0, 0.0
                out.append(
                    {
                        "student_id": student.id,
                        "first_name": student.first_name or "",
                        "last_name": student.last_name or "",
                        "email": student.email or "",
                        "assignment": assignment.name,
                        "score": round(score, 2),
                        "max_score": round(assignment.max_score, 2),
                        "submitted": "да" if submitted else "не",
                        "late_penalty": round(late_penalty, 2),  # already taken from score
                        "seconds_late": round(seconds_late),
                    }
                )
    return out


def write_csv(table: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(table[0]) if table else ["student_id"], quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        for row in table:
            writer.writerow({k: safe_cell(v) for k, v in row.items()})


def write_moodle_csv(table: list[dict], path: Path) -> None:
    """One row per learner, one grade column per assignment; map 'Email address' on import."""
    assignments = sorted({r["assignment"] for r in table})
    learners: dict[str, dict] = {}
    for r in table:
        row = learners.setdefault(r["student_id"], {"ID number": r["student_id"], "Email address": r["email"]})
        row[r["assignment"]] = r["score"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["ID number", "Email address", *assignments], quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        for row in learners.values():
            writer.writerow({k: safe_cell(v) for k, v in row.items()})
