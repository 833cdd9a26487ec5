"""Where a cohort stands, per assignment: released, due, submitted (late), graded, failed.

Read-only by design: a trainer may run it at any moment, even while `civickit cohort autograde` writes,
so it opens the gradebook through SQLite's read-only mode (a missing gradebook is never created) and
only reads cohort.json, the submitted/ folders and the grading log.

The facts come from where the other steps record them: released = the assignment has a gradebook row
(`civickit cohort release` adds it; see deadlines.apply_due); due date and late rule = cohort.json;
submission time = the timestamp.txt nbgrader's collect (or civickit's zip collect) wrote, parsed as
nbgrader parses it; graded/failed = the grading log's last line per learner, else a gradebook row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from .display_zone import DEFAULT_TIMEZONE
from .autograde import read_log
from .deadlines import describe_rule
from .errors import KitError
from .zip_collect import submission_time

NOT_SUBMITTED, NOT_GRADED, GRADED, FAILED = "not submitted", "not graded", "graded", "failed"


@dataclass
class LearnerStatus:
    student: str
    name: str
    submitted_at: datetime | None = None  # naive UTC, as nbgrader stores times
    late: bool = False
    state: str = NOT_SUBMITTED
    score: float | None = None  # after the late penalty recorded in the gradebook
    reason: str = ""  # why grading failed, from the grading log


@dataclass
class AssignmentStatus:
    name: str
    released: bool
    due_utc: datetime | None
    rule: dict | None
    roster: int
    max_score: float | None = None
    learners: list[LearnerStatus] = field(default_factory=list)

    def count(self, state: str) -> int:
        return sum(x.state == state for x in self.learners)

    @property
    def submitted(self) -> int:
        return sum(x.state != NOT_SUBMITTED for x in self.learners)

    @property
    def late(self) -> int:
        return sum(x.late for x in self.learners)


def readonly_url(db: Path) -> str:
    """An SQLAlchemy URL that opens the SQLite file read-only: no write, no file created if missing."""
    # SQLAlchemy decodes %XX once, SQLite decodes the URI again: quote twice so "#" or "?" in a folder
    # name cannot end the path early and drop mode=ro.
    return f"sqlite:///file:{quote(quote(str(db)))}?mode=ro&uri=true"


def require_gradebook(cohort) -> None:
    # `civickit cohort init` ends by creating the gradebook, so without it the workspace is not initialised.
    if not cohort.db_path.is_file():
        raise KitError(f"No gradebook at {cohort.db_path}: run `civickit cohort init` first.")


def due_utc(entry: dict | None) -> datetime | None:
    return datetime.strptime(entry["utc"], "%Y-%m-%d %H:%M:%S") if entry and entry.get("utc") else None


def _learner(cohort, gb, assignment: str, student: str, name: str, due, log: dict) -> LearnerStatus:
    from nbgrader.api import MissingEntry

    row = LearnerStatus(student, name)
    folder = cohort.workspace / "submitted" / student / assignment
    if folder.is_dir():
        row.state = NOT_GRADED
        row.submitted_at = submission_time(folder)
        row.late = bool(due and row.submitted_at and row.submitted_at > due)
    try:
        sub = gb.find_submission(assignment, student)
        row.state = GRADED
        # nbgrader stores the penalty at autograde; export and report refresh it after manual points.
        row.score = max(0.0, sub.score - (sub.late_submission_penalty or 0.0))
    except MissingEntry:
        pass
    last = log.get(student)
    if last and last.get("status") == FAILED:  # the latest grading run failed, whatever an older one left
        row.state, row.score, row.reason = FAILED, None, last.get("reason", "")
    return row


def _assignment(cohort, gb, assignment: str, settings: dict, names: dict[str, str]) -> AssignmentStatus:
    from nbgrader.api import MissingEntry

    entry = settings.get("due", {}).get(assignment)
    try:
        max_score = gb.find_assignment(assignment).max_score
        released = True
    except MissingEntry:
        max_score, released = None, False
    status = AssignmentStatus(assignment, released, due_utc(entry), (entry or {}).get("late"), len(names), max_score)
    submitted = set(cohort.submitted_students(assignment))
    log = read_log(cohort, assignment)
    for student in sorted(set(names) | submitted):
        status.learners.append(_learner(cohort, gb, assignment, student, names.get(student, ""), status.due_utc, log))
    return status


def gather(cohort, only: str | None = None) -> list[AssignmentStatus]:
    """The status of every assignment of the course (or of `only`), read without writing anything."""
    from nbgrader.api import Gradebook

    require_gradebook(cohort)
    if only:
        cohort.require_assignment(only)
    from sqlalchemy.exc import OperationalError

    settings = cohort.settings()
    try:
        with Gradebook(readonly_url(cohort.db_path)) as gb:
            names = {s.id: " ".join(v for v in (s.first_name, s.last_name) if v) for s in gb.students}
            return [_assignment(cohort, gb, a, settings, names) for a in ([only] if only else cohort.assignment_ids())]
    except OperationalError as err:
        # Read-only, so an older gradebook schema (nbgrader would add tables) is reported, not upgraded here.
        raise KitError(f"Cannot read the gradebook {cohort.db_path} ({err.orig}): "
                       "`civickit cohort init` upgrades it; then run the status again.") from None


# --- text -----------------------------------------------------------------------------------------

def local(moment: datetime, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return moment.replace(tzinfo=timezone.utc).astimezone(zone).strftime(fmt)


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Left-aligned columns two spaces apart (Cyrillic letters are one column wide, like Latin ones)."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in [header, *rows]]


def overview(statuses: list[AssignmentStatus], zone: ZoneInfo) -> list[str]:
    rows = [[s.name, "yes" if s.released else "no",
             f"{local(s.due_utc, zone)} {zone.key}" if s.due_utc else "no due date",
             describe_rule(s.rule, "en") if s.due_utc else "-",
             f"{s.submitted} of {s.roster}" + (f" ({s.late} late)" if s.late else ""),
             str(s.count(GRADED)), str(s.count(FAILED))] for s in statuses]
    lines = table(["assignment", "released", "due", "late work", "submitted", "graded", "failed"], rows)
    failed = [(s.name, x) for s in statuses for x in s.learners if x.state == FAILED]
    if failed:
        lines += ["", "Grading failed (reason: the learner's last line in the workspace's grading-log/<assignment>.jsonl):"]
        lines += [f"  {a} / {x.student}: {x.reason or 'no reason recorded'}" for a, x in failed]
    return lines


def learners(s: AssignmentStatus, zone: ZoneInfo) -> list[str]:
    def score(x: LearnerStatus) -> str:
        return f"{x.score:g} of {s.max_score:g}" if x.score is not None and s.max_score is not None else ""

    # Seconds shown: a submission a few seconds after a 23:59 deadline is late and must look it.
    rows = [[x.student, x.name, local(x.submitted_at, zone, "%Y-%m-%d %H:%M:%S") if x.submitted_at else "-",
             "late" if x.late else "on time" if x.submitted_at and s.due_utc else "-", x.state, score(x)]
            for x in s.learners]
    due = f"{local(s.due_utc, zone)} {zone.key}, late work: {describe_rule(s.rule, 'en')}" if s.due_utc else "no due date"
    head = [f"{s.name}: released {'yes' if s.released else 'no'}; due {due}; "
            f"submitted {s.submitted} of {s.roster}; times in {zone.key}", ""]
    lines = head + table(["learner", "name", "submitted at", "late", "grading", "score"], rows)
    failed = [f"  {x.student}: {x.reason or 'no reason recorded'}" for x in s.learners if x.state == FAILED]
    return lines + (["", "Grading failed (reason from the grading log):", *failed] if failed else [])


def report(cohort, only: str | None = None) -> str:
    zone = ZoneInfo(cohort.settings().get("timezone", DEFAULT_TIMEZONE))
    statuses = gather(cohort, only)
    return "\n".join(learners(statuses[0], zone) if only else overview(statuses, zone))
