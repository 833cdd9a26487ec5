"""Erasing a learner from a cohort (GDPR Art. 17): gradebook rows, files, exchange entries, report lines."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from .cohort import Cohort
from .errors import KitError

LEARNER_FOLDERS = ("submitted", "autograded", "feedback", "superseded")  # one sub-folder per learner here


def _identifiers(cohort: Cohort, student: str) -> list[str]:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(cohort.db_url) as gb:
        try:
            s = gb.find_student(student)
        except MissingEntry:
            raise KitError(f"No learner '{student}' in the gradebook of {cohort.workspace}.") from None
        return [v for v in (student, s.first_name, s.last_name, s.email) if v]


def _scrub_text_file(path: Path, needles: list[str]) -> bool:
    """Drops the lines that mention the learner; True if the file changed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return False
    kept = [line for line in text.splitlines(keepends=True) if not any(n in line for n in needles)]
    if len(kept) == len(text.splitlines(keepends=True)):
        return False
    path.write_text("".join(kept), encoding="utf-8")
    return True


def erase(cohort: Cohort, student: str) -> list[str]:
    """Removes every trace of one learner from the workspace; returns what was done, for the operator."""
    from nbgrader.api import Gradebook

    needles = _identifiers(cohort, student)
    done = []
    with Gradebook(cohort.db_url) as gb:
        gb.remove_student(student)
    # Deleted rows linger in free pages of the database file until it is rebuilt.
    with sqlite3.connect(cohort.db_path) as db:
        db.execute("VACUUM")
    done.append("gradebook rows removed, database rebuilt")
    for step in LEARNER_FOLDERS:
        folder = cohort.workspace / step / student
        if folder.exists():
            shutil.rmtree(folder)
            done.append(f"{step}/{student} deleted")
    certificate = cohort.workspace / "certificates" / f"{student}.pdf"
    if certificate.exists():  # the PDF's text is compressed: the line scrub below would not see the name
        certificate.unlink()
        done.append(f"certificates/{student}.pdf deleted")
    for report in sorted((cohort.workspace / "reports").glob("report-*.html")):
        from .cohort_report import TEXT, write_report

        lang = report.stem.removeprefix("report-")
        if lang in TEXT:
            write_report(cohort, lang, report)  # rebuilt without the learner
            done.append(f"reports/{report.name} rebuilt")
    exchange = cohort.workspace / "exchange"
    for entry in sorted(exchange.glob("*/*/*")):
        if entry.name.startswith(f"{student}+"):  # nbgrader names inbound/feedback entries <student>+<assignment>+...
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            done.append(f"exchange entry {entry.relative_to(exchange)} deleted")
    for path in sorted(cohort.workspace.rglob("*")):
        if path.is_file() and path != cohort.db_path and _scrub_text_file(path, needles):
            done.append(f"lines removed from {path.relative_to(cohort.workspace)}")
    return done
