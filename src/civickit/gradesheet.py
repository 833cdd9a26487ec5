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


# Moodle's CSV grade import (grade/import/csv) stores a cell as points of the grade item it is mapped
# to, refuses values above 100 unless the site raised its limit, and matches a row to a user by the
# field the trainer picks ("Email address" -> "useremail": exact, case-sensitive). Percentages fit the
# default 0-100 grade item; a blank cell is Moodle's "no grade".
MOODLE_EMAIL = "Email address"
MOODLE_PERCENT = "{assignment} (%)"


def percent(row: dict) -> float | str:
    """The score after the late penalty as % of the assignment's maximum; blank if there is nothing to grade."""
    if row["submitted"] != "да" or not row["max_score"]:
        return ""
    return round(100 * row["score"] / row["max_score"], 2)


def moodle_rows(table: list[dict]) -> tuple[list[str], list[dict], list[str]]:
    """Header, rows and what was left out: a row Moodle cannot match to one user would abort the import
    (unknown e-mail) or, with a blank e-mail, be taken as the previous row's user."""
    assignments = sorted({r["assignment"] for r in table})
    header = [MOODLE_EMAIL, "First name", "Surname", *(MOODLE_PERCENT.format(assignment=a) for a in assignments)]
    learners: dict[str, dict] = {}
    for r in table:
        row = learners.setdefault(r["student_id"], {MOODLE_EMAIL: r["email"].strip(), "First name": r["first_name"],
                                                     "Surname": r["last_name"], "id": r["student_id"]})
        row[MOODLE_PERCENT.format(assignment=r["assignment"])] = percent(r)
    emails = [row[MOODLE_EMAIL] for row in learners.values()]
    rows, left_out = [], []
    for row in learners.values():
        email, sid = row.pop(MOODLE_EMAIL), row.pop("id")
        if not email:
            left_out.append(f"{sid}: no e-mail in the roster")
        elif emails.count(email) > 1:
            left_out.append(f"{sid}: e-mail {email} is shared with another learner")
        elif all(row.get(h, "") == "" for h in header[3:]):
            left_out.append(f"{sid}: nothing submitted (a blank row would only clear grades in Moodle)")
        else:
            rows.append({MOODLE_EMAIL: email, **row})
    return header, rows, left_out


def write_moodle_csv(table: list[dict], path: Path) -> list[str]:
    """One row per learner, e-mail first, one column per assignment in % of its maximum, blank where the
    learner did not submit. Returns the learners left out, with the reason."""
    header, rows, left_out = moodle_rows(table)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        for row in rows:  # the e-mail must stay exactly as Moodle has it, so only the names are made inert
            writer.writerow({k: v if k == MOODLE_EMAIL else safe_cell(v) for k, v in row.items()})
    return left_out
