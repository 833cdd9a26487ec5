"""Erasing one learner (GDPR Art. 17) from a real cohort: everything of theirs goes, nothing of anybody else changes.

The cohort goes through every step a trainer runs (release, submit through nbgrader's exchange, collect, a
newer zip submission, autograde, feedback, export, both reports, certificates, `cohort init` again, which
makes nbgrader back the gradebook up), with learners whose ids and names overlap: `ani`, `daniela` and an
answer saying "organisation" (both contain "ani"), `dimitrova` whose first name is Ани, `ivan` and
`ivan.georgiev`. Each erase runs on its own copy of that workspace.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, kit_env, run

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
LEARNERS = {  # id: (first name, last name, e-mail)
    "ani": ("Анелия", "Колева", "ani@example.org"),
    "daniela": ("Даниела", "Стоянова", "daniela@example.org"),
    "dimitrova": ("Ани", "Димитрова", "a.dimitrova@example.org"),
    "ivan": ("Иван", "Неподалов", "ivan@example.org"),
    "ivan.georgiev": ("Иван", "Георгиев", "ivan.georgiev@example.org"),
}
# The free-text answer of each learner; other learners' answers say "organisation", "Ivanovo", "ivan.georgiev".
ANSWERS = {
    "ani": "Препоръка от Анелия Колева (ani, ani@example.org): да се удължи срокът.",
    "daniela": "The organisation of companies in Ivanovo, mechanical planning; Ани Димитрова agrees.",
    "dimitrova": None,  # submits the release untouched
    "ivan": "Препоръка от Иван Неподалов (ivan@example.org): organisation first.",
    "ivan.georgiev": "ivan.georgiev (ivan.georgiev@example.org): organisation of humanitarian work, Ivanov street.",
}
LEARNER_STEPS = ("submitted", "autograded", "feedback", "superseded")
SHARED_TABLES = ("reports/grades.csv", "reports/grades-moodle.csv")
REBUILT = ("reports/report-bg.html", "reports/report-en.html")


def civickit(env, root, *args, expect=0):
    return run([BIN / "civickit", "cohort", *args], cwd=root, env=env, expect=expect)


def answer_notebook(root: Path, student: str) -> str:
    """The solved source notebook with the learner's own free-text answer."""
    nb = json.loads((root / "assignments" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "recommendation":
            cell["source"] = ANSWERS[student]
    return json.dumps(nb, ensure_ascii=False, indent=1)


def submit(root: Path, env: dict, homes: Path, student: str) -> None:
    """fetch + answer + submit, as the learner runs nbgrader in their own folder."""
    home = homes / student
    home.mkdir(parents=True, exist_ok=True)
    args = ["--course=civickit", f"--student={student}", f"--Exchange.assignment_dir={home}"]
    if not (home / ASSIGNMENT).exists():
        run([BIN / "nbgrader", "fetch_assignment", ASSIGNMENT, *args], cwd=home, env=env)
    if ANSWERS[student] is not None:
        (home / ASSIGNMENT / NOTEBOOK).write_text(answer_notebook(root, student), encoding="utf-8")
    run([BIN / "nbgrader", "submit", ASSIGNMENT, *args], cwd=home, env=env)


def autograde(env, root, *options):
    return civickit(env, root, "autograde", ASSIGNMENT, "--jobs", "2", *options)


@pytest.fixture(scope="module")
def cohort_run(tmp_path_factory):
    """A workspace after every step of a cohort; returns (kit root, workspace, base folder)."""
    base = tmp_path_factory.mktemp("erase")
    root = copy_kit(base / "kit")
    work = base / "workspace"
    env = kit_env(root, work)
    civickit(env, root, "init")
    roster = base / "roster.csv"
    roster.write_text("id,first_name,last_name,email\n" + "".join(
        f"{sid},{first},{last},{mail}\n" for sid, (first, last, mail) in LEARNERS.items()), encoding="utf-8")
    civickit(env, root, "roster", str(roster))
    civickit(env, root, "due", ASSIGNMENT, "2030-12-15 23:59", "--late", "accept")
    civickit(env, root, "release", ASSIGNMENT)
    for student in LEARNERS:
        submit(root, env, base / "homes", student)
    time.sleep(1.1)
    submit(root, env, base / "homes", "ivan")  # a second submission: two exchange and cache entries
    civickit(env, root, "collect", ASSIGNMENT)
    autograde(env, root)
    civickit(env, root, "feedback", ASSIGNMENT)
    # A newer submission by e-mail: her first one moves to superseded/ani.
    mail = base / "email" / "ani"
    mail.mkdir(parents=True)
    (mail / NOTEBOOK).write_text(answer_notebook(root, "ani"), encoding="utf-8")
    later = time.time() + 3600
    os.utime(mail / NOTEBOOK, (later, later))
    civickit(env, root, "collect", ASSIGNMENT, "--from", str(base / "email"))
    autograde(env, root)
    civickit(env, root, "export")
    civickit(env, root, "report")
    civickit(env, root, "report", "--lang", "en")
    civickit(env, root, "certificates", "--threshold", "50", "--hours", "24")
    civickit(env, root, "init")  # nbgrader db upgrade backs the gradebook up as gradebook.db.<timestamp>
    return root, work, base


# --- what the tests compare --------------------------------------------------------------------------

def snapshot(work: Path) -> dict[str, bytes]:
    return {p.relative_to(work).as_posix(): p.read_bytes() for p in sorted(work.rglob("*")) if p.is_file()}


def own(rel: str, student: str, before: dict[str, bytes]) -> bool:
    """Is this file the learner's by where nbgrader and the kit put it (not by what it says)?"""
    parts = rel.split("/")
    if parts[0] in LEARNER_STEPS:
        return parts[1] == student
    if rel == f"certificates/{student}.pdf":
        return True
    entry = parts[2] if parts[0] == "cache" else parts[3] if parts[0] == "exchange" and parts[2] == "inbound" else None
    if entry is not None:  # nbgrader's <student>+<assignment>+<timestamp>[+random]
        return entry.split("+")[0] == student
    if parts[0] == "exchange" and parts[2] == "feedback":  # released feedback: a copy of the learner's own
        return any(data == before[rel] for r, data in before.items() if r.startswith(f"feedback/{student}/"))
    return False


def records(text: str, starts_record) -> list[str]:
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        if starts_record(line) or not out:
            out.append(line)
        else:
            out[-1] += line
    return out


def whole_id(student: str) -> re.Pattern:
    """The id as a learner id is written, not inside another word or id ('ani' in 'organisation', 'ivan.georgiev')."""
    return re.compile(rf"(?<![\w.\-]){re.escape(student)}(?![\w\-])(?!\.[\w\-])")


def without(rel: str, data: bytes, student: str) -> bytes:
    """A shared table after the erase: the learner's rows gone, every other row byte-identical, in order."""
    first, last, mail = LEARNERS[student]
    text = data.decode("utf-8")
    if rel.endswith(".jsonl"):
        keep = [line for line in text.splitlines(keepends=True) if json.loads(line)["student"] != student]
    elif rel.endswith(".log"):  # nbgrader's text log: whole records ('[App | LEVEL] ...' + traceback lines)
        keep = [r for r in records(text, lambda line: line.startswith("[")) if not whole_id(student).search(r)]
    else:
        lines = text.splitlines(keepends=True)
        header = next(csv.reader([lines[0]]))
        if "student_id" in header:
            column, value = header.index("student_id"), student
        else:  # Moodle's sheet has no id column: its key is the e-mail
            column, value = header.index("Email address"), mail
        keep = lines[:1] + [line for line in lines[1:] if next(csv.reader([line]))[column] != value]
    return "".join(keep).encode("utf-8")


def db_rows(path: Path) -> dict[str, set[tuple]]:
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: set(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in names}
    finally:
        db.close()


def learner_rows(path: Path, student: str) -> dict[str, set[tuple]]:
    """The learner's rows in a gradebook: theirs through student, submission, submitted notebook."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    subs = "SELECT id FROM submitted_assignment WHERE student_id = :s"
    nbs = f"SELECT id FROM submitted_notebook WHERE assignment_id IN ({subs})"
    queries = {
        "student": "SELECT * FROM student WHERE id = :s",
        "submitted_assignment": "SELECT * FROM submitted_assignment WHERE student_id = :s",
        "submitted_notebook": f"SELECT * FROM submitted_notebook WHERE assignment_id IN ({subs})",
        "grade": f"SELECT * FROM grade WHERE notebook_id IN ({nbs})",
        "comment": f"SELECT * FROM comment WHERE notebook_id IN ({nbs})",
    }
    try:
        return {t: set(db.execute(q, {"s": student}).fetchall()) for t, q in queries.items()}
    finally:
        db.close()


def traces(files: dict[str, bytes], student: str) -> list[str]:
    """Files (name or content, text or binary) that hold the learner's id as a whole token, their e-mail,
    or a name of theirs that no other learner has."""
    first, last, mail = LEARNERS[student]
    shared = {v for sid, info in LEARNERS.items() if sid != student for v in info}
    needles = [whole_id(student), re.compile(re.escape(mail))]
    needles += [re.compile(rf"(?<!\w){re.escape(n)}(?!\w)") for n in (first, last) if n not in shared]
    found = []
    for rel, data in files.items():
        text = rel + "\n" + data.decode("utf-8", errors="replace")
        found += [f"{rel}: {n.pattern}" for n in needles if n.search(text)]
    return found


@pytest.fixture(scope="module", params=["ani", "ivan"])
def erased(request, cohort_run, tmp_path_factory):
    """`civickit cohort erase ID` on a copy of the cohort's workspace: (id, env, root, work, before, after, output)."""
    root, work, _ = cohort_run
    student = request.param
    copy = tmp_path_factory.mktemp(f"erase-{student}") / "workspace"
    shutil.copytree(work, copy, symlinks=True)
    env = kit_env(root, copy)
    before = snapshot(copy)
    rows = {rel: (db_rows(copy / rel), learner_rows(copy / rel, student)) for rel in before if rel.startswith("gradebook.db")}
    result = civickit(env, root, "erase", student, "--yes", expect=None)
    return student, env, root, copy, before, rows, snapshot(copy), result


def test_nothing_of_anybody_else_changes(erased):
    """After `erase ani` / `erase ivan`, is every file that is not the learner's byte-identical (other learners'
    notebooks saying "organisation", ivan.georgiev's, the release), shared tables short only of the learner's
    rows (each other row byte-identical), and every gradebook and backup short only of the learner's rows?"""
    student, _, _, _, before, rows, after, result = erased
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(after) <= set(before), set(after) - set(before)
    theirs = {rel for rel in before if own(rel, student, before)}
    assert {r.split("/")[0] for r in theirs} >= {"submitted", "autograded", "feedback", "cache", "exchange"}
    assert not theirs & set(after), sorted(theirs & set(after))
    shared = [r for r in before if r.startswith("grading-log/") and r.endswith((".jsonl", ".log")) or r in SHARED_TABLES]
    assert len(shared) >= 4
    for rel in shared:
        assert after[rel] == without(rel, before[rel], student), rel
    assert {r for r in shared if after[r] != before[r]} >= {f"grading-log/{ASSIGNMENT}.jsonl", *SHARED_TABLES}
    for rel, (all_rows, theirs_in_db) in rows.items():
        now = db_rows(Path(erased[3]) / rel)
        assert now == {t: r - theirs_in_db.get(t, set()) for t, r in all_rows.items()}, rel
    holding = [rel for rel, (_, mine) in rows.items() if mine["student"]]
    assert "gradebook.db" in holding and any(r != "gradebook.db" for r in holding)  # a backup held them
    for rel in sorted(set(before) - theirs - set(shared) - set(rows) - set(REBUILT)):
        assert after[rel] == before[rel], f"{rel} changed"
    others = [sid for sid in LEARNERS if sid != student]
    for rel in REBUILT:
        html = after[rel].decode("utf-8")
        assert all(LEARNERS[o][1] in html for o in others), rel


def test_no_trace_of_the_learner_is_left(erased):
    """Does no file of the workspace (gradebook backups, nbgrader's cache and exchange, PDFs included) hold the
    erased learner's id as a word, e-mail or own name, while "organisation", "daniela" and ivan.georgiev stay?"""
    student, _, _, _, before, _, after, result = erased
    assert traces(before, student)  # the check sees them before
    assert traces(after, student) == []
    assert "still mention" not in result.stdout
    assert any(b"organisation" in data for rel, data in after.items() if rel.startswith("submitted/daniela/"))
    assert any(whole_id("ivan.georgiev").search(data.decode("utf-8", "replace")) for data in after.values())


def test_erase_says_what_it_removed(erased):
    """Does erase name, file by file, each file it deleted and each table or gradebook it rewrote, and nothing else?"""
    student, _, _, _, before, rows, after, result = erased
    listed = {line.strip().removeprefix("deleted ") for line in result.stdout.splitlines() if line.strip().startswith("deleted ")}
    assert listed == set(before) - set(after)
    for rel in [*SHARED_TABLES, *(r for r, (_, mine) in rows.items() if mine["student"])]:
        assert any(line.strip().startswith(f"{rel}: ") for line in result.stdout.splitlines()), rel


def test_remaining_learners_are_graded_after_the_erase(erased):
    """Does the next autograde of everybody else still work, with the same scores as before the erase?"""
    student, env, root, work, _, rows, _, _ = erased
    out = autograde(env, root).stdout  # the same files: every remaining learner's last grade still holds
    assert f"Autograded {len(LEARNERS) - 1} of {len(LEARNERS) - 1}" in out
    before = scores(work / "gradebook.db")
    assert {sid for sid, _ in before} == set(LEARNERS) - {student}
    assert any(auto for auto, _ in before.values())  # solved answers score: the comparison below means something
    out = autograde(env, root, "--force").stdout
    assert f"Autograded {len(LEARNERS) - 1} of {len(LEARNERS) - 1}" in out
    assert scores(work / "gradebook.db") == before


def scores(path: Path) -> dict[tuple[str, str], tuple]:
    """(learner, cell) -> (automatic, manual) score, from the gradebook."""
    db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {(sid, cell): (auto, manual) for sid, cell, auto, manual in db.execute(
            "SELECT sa.student_id, c.name, g.auto_score, g.manual_score FROM grade g "
            "JOIN submitted_notebook sn ON g.notebook_id = sn.id JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
            "JOIN base_cell c ON g.cell_id = c.id")}
    finally:
        db.close()


def test_erase_finishes_what_the_gradebook_alone_forgot(cohort_run, tmp_path):
    """A learner already removed from the gradebook (with `nbgrader db student remove`, or an erase stopped
    half-way): does erase still remove their files, rows and backups, and a second erase say the id is unknown,
    changing nothing?"""
    root, work, _ = cohort_run
    copy = tmp_path / "workspace"
    shutil.copytree(work, copy, symlinks=True)
    env = kit_env(root, copy)
    run([BIN / "nbgrader", "db", "student", "remove", "ani", "--force"], cwd=root, env=env)
    civickit(env, root, "erase", "ani", "--yes")
    assert traces(snapshot(copy), "ani") == []
    before = snapshot(copy)
    err = civickit(env, root, "erase", "ani", "--yes", expect=2).stderr
    assert "No learner 'ani'" in err and "nothing was changed" in err
    assert snapshot(copy) == before


def test_no_erase_while_autograde_runs(cohort_run, tmp_path):
    """While an autograde holds its lock (it would write the learner's grades back), does erase refuse,
    saying so, and change nothing?"""
    import fcntl

    root, work, _ = cohort_run
    copy = tmp_path / "workspace"
    shutil.copytree(work, copy, symlinks=True)
    before = snapshot(copy)
    with (copy / "grading-log" / f"{ASSIGNMENT}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as civickit.autograde holds it while grading
        err = civickit(kit_env(root, copy), root, "erase", "ani", "--yes", expect=2).stderr
    assert f"civickit cohort autograde {ASSIGNMENT}` is running" in err
    assert snapshot(copy) == before
