"""Erasing one learner from a cohort workspace (GDPR Art. 17), structurally.

A learner's data is found by their id in its own field, never by searching files for a string
(`erase ani` once deleted every line saying "organisation"; `erase ivan` took ivan.georgiev's rows):
- folders named by the id: submitted/, autograded/, feedback/, superseded/, teachback/ <id>/; certificates/<id>.pdf,
  trainer-certificates/<id>-trainer.pdf;
- nbgrader's exchange: inbound entries `<id>+<assignment>+<timestamp>[+random]` (first field equal to the
  id); released feedback `<course>/feedback/<md5(secret, notebook)>.html`, recomputed from the learner's
  own submission secrets as nbgrader does; the submit cache `cache/<course>/<id>+<assignment>+<timestamp>`;
- grading-log/<assignment>.jsonl: the lines whose "student" field is the id; the grading pool's log of
  the last run (nbgrader's text log, no fields): the records that name the id as a whole token;
- CSV tables in the workspace and reports/ (grades.csv, grades-moodle.csv, a roster kept there): the rows
  whose id column is the id (else the e-mail column, else first + last name, each only if no other learner
  shares it), every other row byte-identical;
- gradebook.db and every backup gradebook.db.* that `nbgrader db upgrade` writes: nbgrader's
  remove_student, then VACUUM (deleted rows would linger in free pages); a backup without the learner
  is not touched;
- reports/report-*.html are rebuilt from the gradebook.
Files are rewritten atomically (temporary file + rename). What a learner wrote in files kit and nbgrader
do not structure cannot be found this way: the last step scans every file, text or binary, for the id
as a whole token, the e-mail and the names no other learner has, and names each file still holding one
for the trainer, changing nothing. The gradebook rows go last, so an interrupted erase can be run again;
no erase runs while an autograde holds its lock.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .cohort import Cohort
from .errors import KitError
from .roster import id_problem

LEARNER_FOLDERS = ("submitted", "autograded", "feedback", "superseded")  # one sub-folder per learner here
GRADING_LOG = "grading-log"
SECRET = "submission_secret.txt"  # nbgrader's key to a submission's released feedback
SQLITE_MAGIC = b"SQLite format 3\x00"
# Column names of the tables the kit writes or reads (grades.csv, Moodle's import, the roster).
ID_COLUMNS = ("student_id", "id", "ID number")
EMAIL_COLUMNS = ("email", "Email address")
FIRST_COLUMNS = ("first_name", "First name")
LAST_COLUMNS = ("last_name", "Surname", "Last name")


@dataclass
class Learner:
    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""


@dataclass
class Erasure:
    removed: list[str] = field(default_factory=list)  # what was deleted or rewritten, file by file
    left: list[str] = field(default_factory=list)  # files that still mention the learner, not changed


def mention(student: str) -> re.Pattern:
    """The id as a whole token: 'ani' in '/submitted/ani/' or "'ani'", not in 'organisation',
    'daniela' or 'ani.dimitrova' (ids are made of letters, digits, '.', '_' and '-')."""
    return re.compile(rf"(?<![\w.\-]){re.escape(student)}(?![\w\-])(?!\.[\w\-])")


def _rel(cohort: Cohort, path: Path) -> str:
    return path.relative_to(cohort.workspace).as_posix()


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.erase-tmp")
    tmp.write_bytes(data)
    shutil.copymode(path, tmp)
    os.replace(tmp, path)


# --- gradebooks ----------------------------------------------------------------------------------------

def gradebooks(cohort: Cohort) -> list[Path]:
    """The gradebook and nbgrader's backups of it (gradebook.db.<timestamp>), SQLite files only."""
    found = [cohort.db_path] if cohort.db_path.is_file() else []
    for path in sorted(cohort.workspace.glob(f"{cohort.db_path.name}.*")):
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC:
                found.append(path)
    return found


def _query(path: Path, sql: str, *args) -> list[tuple]:
    """Rows of a read-only query: reading a gradebook never changes its file."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return db.execute(sql, args).fetchall()
    except sqlite3.DatabaseError as err:
        raise KitError(f"{path} cannot be read as a gradebook ({err}). Move it out of the workspace or "
                       "repair it, then run the erase again.") from None
    finally:
        db.close()


def _student_row(path: Path, student: str) -> Learner | None:
    rows = _query(path, "SELECT first_name, last_name, email FROM student WHERE id = ?", student)
    return Learner(student, *(v or "" for v in rows[0])) if rows else None


def _remove_from_gradebook(path: Path, student: str) -> int:
    """nbgrader's own removal (the student and their submissions, notebooks, grades, comments); then VACUUM.
    Returns the number of submissions removed."""
    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SQLAlchemyError

    # An existing course: nbgrader adds a row for any other one it is opened with.
    course = next(iter(_query(path, "SELECT id FROM course ORDER BY id")), ("default_course",))[0]
    try:
        with Gradebook(f"sqlite:///{path}", course_id=course) as gb:
            count = len(gb.find_student(student).submissions)
            gb.remove_student(student)
    except SQLAlchemyError as err:
        raise KitError(f"{path}: nbgrader could not remove '{student}' ({type(err).__name__}); an older backup may "
                       f"need `nbgrader db upgrade --db-url=sqlite:///{path}` first. Then run the erase again.") from None
    _vacuum(path)
    return count


def _vacuum(path: Path) -> None:
    db = sqlite3.connect(path)
    try:
        db.execute("VACUUM")  # deleted rows linger in free pages of the file until it is rebuilt
    finally:
        db.close()


# --- files named by the id ---------------------------------------------------------------------------

def _entry_of(name: str, student: str) -> bool:
    """nbgrader's exchange and cache entries are named <student>+<assignment>+<timestamp>[+<random>]."""
    fields = name.split("+")
    return len(fields) >= 3 and fields[0] == student


def own_paths(cohort: Cohort, student: str) -> list[Path]:
    """Folders and files that belong to the learner by name, released feedback included."""
    w = cohort.workspace
    paths = [w / step / student for step in LEARNER_FOLDERS if (w / step / student).exists()]
    # Certificate texts are compressed: no scan would find the name in them. The teach-back sheets others
    # wrote about the learner are theirs by folder (civickit.teachback, civickit.teachback_checkout).
    for own in (w / "certificates" / f"{student}.pdf", w / "trainer-certificates" / f"{student}-trainer.pdf",
                w / "teachback" / student):
        if own.exists():
            paths.append(own)
    entries = [*w.glob("exchange/*/inbound/*"), *w.glob("cache/*/*")]
    paths += sorted(p for p in entries if _entry_of(p.name, student))
    paths += _released_feedback(w, [p for p in paths if p.is_dir()])
    return paths


def _released_feedback(workspace: Path, folders: list[Path]) -> list[Path]:
    """nbgrader names released feedback md5(submission secret + notebook name): recompute it from each
    secret of the learner's own submissions (a secret is never shared) and every notebook name there."""
    from nbgrader.utils import notebook_hash

    secrets, notebooks = set(), set()
    for folder in folders:
        for path in folder.rglob("*"):
            if path.name == SECRET and path.is_file():
                secrets.add(path.read_text(encoding="utf-8", errors="replace"))
            elif path.suffix in (".ipynb", ".html"):
                notebooks.add(path.stem)
    names = {f"{notebook_hash(secret=s, notebook_id=n)}.html" for s in secrets if s for n in notebooks}
    return sorted(p for p in workspace.glob("exchange/*/feedback/*.html") if p.name in names)


def _files_in(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


# --- rows of shared tables ---------------------------------------------------------------------------

def _lines(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _jsonl_student(line: str) -> str | None:
    try:
        record = json.loads(line)
        return record.get("student") if isinstance(record, dict) else None
    except ValueError:  # a line torn by a kill: its first field is still the learner's (autograde writes it first)
        torn = re.match(r'\s*\{\s*"student"\s*:\s*("(?:[^"\\]|\\.)*")', line)
        return json.loads(torn.group(1)) if torn else None


def _log_records(text: str) -> list[str]:
    """nbgrader's log records: a line starting with '[' and the indented lines (a traceback) under it."""
    records: list[str] = []
    for line in _lines(text):
        if line.startswith("[") or not records:
            records.append(line)
        else:
            records[-1] += line
    return records


def _csv_records(text: str) -> list[str]:
    """The file's records as written, a quoted field with line breaks kept inside its record."""
    records, pending = [], ""
    for line in _lines(text):
        pending += line
        if pending.count('"') % 2 == 0:
            records.append(pending)
            pending = ""
    return records + ([pending] if pending else [])


def _fields(record: str) -> list[str]:
    return next(csv.reader(io.StringIO(record, newline="")), [])


def _same(cell: str, value: str) -> bool:
    # grades.csv guards text a spreadsheet would run as a formula with a leading apostrophe
    return bool(value) and cell in (value, "'" + value)


def _row_matcher(header: list[str], learner: Learner):
    """A test for one row of this table, or None when the table has no column that identifies a learner."""
    names = [h.lstrip("\ufeff").strip() for h in header]

    def column(candidates):
        return next((names.index(c) for c in candidates if c in names), None)

    ident, email, first, last = (column(c) for c in (ID_COLUMNS, EMAIL_COLUMNS, FIRST_COLUMNS, LAST_COLUMNS))
    if ident is not None:
        return lambda row: len(row) > ident and row[ident] == learner.id
    if email is not None and learner.email:
        return lambda row: len(row) > email and _same(row[email], learner.email)
    if first is not None and last is not None and learner.first_name and learner.last_name:
        return lambda row: (len(row) > max(first, last) and _same(row[first], learner.first_name)
                            and _same(row[last], learner.last_name))
    return None


def _without_rows(path: Path, learner: Learner) -> tuple[bytes, int] | None:
    """The table without the learner's rows (others byte-identical) and how many went; None: not a table of learners."""
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    if path.suffix == ".jsonl":
        kept = [line for line in _lines(text) if _jsonl_student(line) != learner.id]
        return "".join(kept).encode("utf-8"), len(_lines(text)) - len(kept)
    if path.suffix == ".log":
        records = _log_records(text)
        kept = [r for r in records if not mention(learner.id).search(r)]
        return "".join(kept).encode("utf-8"), len(records) - len(kept)
    records = _csv_records(text)
    matches = _row_matcher(_fields(records[0]), learner) if records else None
    if matches is None:
        return None
    kept = records[:1] + [r for r in records[1:] if not matches(_fields(r))]
    return "".join(kept).encode("utf-8"), len(records) - len(kept)


def tables(cohort: Cohort) -> list[Path]:
    """Files of many learners, one row or record each: the grading logs and the CSV tables the kit keeps."""
    w = cohort.workspace
    found = [*(w / GRADING_LOG).glob("*.jsonl"), *(w / GRADING_LOG).glob("*.log"), *w.glob("*.csv"),
             *(w / "reports").glob("*.csv")]
    return sorted(p for p in found if p.is_file())


def _learner_from_tables(cohort: Cohort, student: str) -> Learner | None:
    """Name and e-mail from a CSV row with the id, for an erase resumed after the gradebook rows went."""
    for path in tables(cohort):
        if path.suffix != ".csv":
            continue
        try:
            rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
        for row in rows:
            if next((row[c] for c in ID_COLUMNS if c in row), None) == student:
                pick = lambda cols: next((row[c] for c in cols if row.get(c)), "").removeprefix("'")  # noqa: E731
                return Learner(student, pick(FIRST_COLUMNS), pick(LAST_COLUMNS), pick(EMAIL_COLUMNS))
    return None


# --- what is left --------------------------------------------------------------------------------------

def _others(cohort: Cohort, student: str) -> list[tuple[str, str, str]]:
    """(first name, last name, e-mail) of every other learner of the gradebook."""
    sql = "SELECT first_name, last_name, email FROM student WHERE id != ?"
    return [tuple(v or "" for v in row) for row in _query(cohort.db_path, sql, student)] if cohort.db_path.is_file() else []


def _unique_keys(cohort: Cohort, learner: Learner) -> Learner:
    """The learner with only the keys no other learner shares: a family e-mail or a name two learners have
    never picks a row in a table without an id column."""
    others = _others(cohort, learner.id)
    email = "" if any(learner.email == mail for _, _, mail in others) else learner.email
    named = any((learner.first_name, learner.last_name) == (first, last) for first, last, _ in others)
    return Learner(learner.id, *(("", "") if named else (learner.first_name, learner.last_name)), email)


def _needles(cohort: Cohort, learner: Learner) -> dict[str, re.Pattern]:
    """The id, the e-mail and each name that no remaining learner also has (two learners called Иван)."""
    others = {v for row in _others(cohort, learner.id) for v in row if v}
    needles = {learner.id: mention(learner.id)}
    for value in (learner.email, learner.first_name, learner.last_name):
        if value and value not in others:
            needles[value] = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)")
    return needles


def _mentions(path: Path, learner: Learner) -> bool:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return bool(mention(learner.id).search(text) or (learner.email and learner.email in text))


def leftovers(cohort: Cohort, learner: Learner) -> list[str]:
    """Every file (text or binary, names included) that still mentions the learner; nothing is changed."""
    needles = _needles(cohort, learner)
    left = []
    for path in sorted(p for p in cohort.workspace.rglob("*") if p.is_file()):
        rel = _rel(cohort, path)
        text = rel + "\n" + path.read_bytes().decode("utf-8", errors="replace")
        found = [shown for shown, pattern in needles.items() if pattern.search(text)]
        if found:
            left.append(f"{rel} still mentions {', '.join(found)}")
    return left


# --- the erase -----------------------------------------------------------------------------------------

def find_learner(cohort: Cohort, student: str) -> tuple[Learner | None, list[Path]]:
    """The learner's names (from the gradebook or a backup) and the gradebooks that hold them."""
    learner, holding = None, []
    for path in gradebooks(cohort):
        row = _student_row(path, student)
        if row:
            holding.append(path)
            learner = learner or row
    return learner, holding


def erase(cohort: Cohort, student: str) -> Erasure:
    """Removes the learner's files, rows and records from the workspace; says what, file by file."""
    problem = id_problem(student)
    if problem:
        raise KitError(f"'{student}' is not a learner id: it {problem}. Give the id as in the roster.")
    with _no_autograde_running(cohort):
        return _erase(cohort, student)


@contextlib.contextmanager
def _no_autograde_running(cohort: Cohort):
    """Holds every assignment's autograde lock: a grader running meanwhile would write the learner back."""
    with contextlib.ExitStack() as held:
        for path in sorted((cohort.workspace / GRADING_LOG).glob("*.lock")):
            fh = held.enter_context(path.open("a"))  # "a": the holder's pid in it stays as it is
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise KitError(f"`civickit cohort autograde {path.stem}` is running on this workspace ({path}); "
                               "wait for it to finish, then erase.") from None
        yield


def _erase(cohort: Cohort, student: str) -> Erasure:
    learner, holding = find_learner(cohort, student)
    learner = learner or _learner_from_tables(cohort, student) or Learner(student)
    paths = own_paths(cohort, student)
    keys = _unique_keys(cohort, learner)
    rewrites = {p: r for p in tables(cohort) if (r := _without_rows(p, keys)) and r[1]}
    # An erase stopped between nbgrader's delete and VACUUM leaves the rows in free pages of the file.
    lingering = [p for p in gradebooks(cohort) if p not in holding and _mentions(p, learner)]
    if not (holding or paths or rewrites or lingering):
        known = ", ".join(_known_ids(cohort)) or "none"
        raise KitError(f"No learner '{student}' in {cohort.workspace}: not in the gradebook, its backups or any "
                       f"file of the workspace; nothing was changed. Learner ids there: {known}.")
    done = Erasure()
    for path in paths:
        files = _files_in(path)
        shutil.rmtree(path) if path.is_dir() else path.unlink()
        done.removed += [f"deleted {_rel(cohort, f)}" for f in files] or [f"deleted {_rel(cohort, path)}/"]
    for path, (data, count) in rewrites.items():
        _write_atomically(path, data)
        done.removed.append(f"{_rel(cohort, path)}: {count} {'record' if path.suffix == '.log' else 'row'}"
                            f"{'s' if count != 1 else ''} of {student} removed, every other one unchanged")
    # Backups first, the gradebook last: until then the learner stays known, so a rerun can finish the job.
    for path in sorted(holding, key=lambda p: p == cohort.db_path):
        count = _remove_from_gradebook(path, student)
        done.removed.append(f"{_rel(cohort, path)}: {student} and {count} submission(s) removed through nbgrader, "
                            "file rebuilt (VACUUM)")
    for path in lingering:
        _vacuum(path)
        done.removed.append(f"{_rel(cohort, path)}: rebuilt (VACUUM), deleted rows of {student} lingered in its free pages")
    for report in sorted((cohort.workspace / "reports").glob("report-*.html")):
        from .cohort_report import TEXT, write_report

        lang = report.stem.removeprefix("report-")
        if lang in TEXT:
            write_report(cohort, lang, report)
            done.removed.append(f"{_rel(cohort, report)} rebuilt without {student}")
    done.left = leftovers(cohort, learner)
    return done


def _known_ids(cohort: Cohort) -> list[str]:
    return [row[0] for row in _query(cohort.db_path, "SELECT id FROM student ORDER BY id")] if cohort.db_path.is_file() else []
