"""A trainer's cohort from an empty workspace to exported grades, through the real nbgrader exchange."""

from __future__ import annotations

import csv
import shutil

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, kit_env, run

pytestmark = pytest.mark.slow

ROSTER = (
    "id,first_name,last_name,email\n"
    'maria,Мария,"Иванова, по баща Петрова",maria@example.org\n'
    "petar,Петър,Петров,petar@example.org\n"
    'georgi,Георги,"=HYPERLINK(""http://evil.example"",""x"")",georgi@example.org\n'
    "ivan,Иван,Неподалов,ivan@example.org\n"
)
SOLVED = {"maria", "georgi"}  # submit the solution; petar submits the untouched release; ivan nothing


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    base = tmp_path_factory.mktemp("cohort")
    root = copy_kit(base / "kit")
    env = kit_env(root, base / "workspace")
    return root, base, env


def civickit(cohort, *args, expect=0):
    root, _, env = cohort
    return run([BIN / "civickit", "cohort", *args], cwd=root, env=env, expect=expect)


def learner(cohort, student, *args):
    """nbgrader as a learner would run it, in the learner's own folder."""
    root, base, env = cohort
    home = base / "homes" / student
    home.mkdir(parents=True, exist_ok=True)
    return run([BIN / "nbgrader", *args, "--course=civickit", f"--student={student}", f"--Exchange.assignment_dir={home}"],
               cwd=home, env=env)


@pytest.fixture(scope="module")
def collected(cohort):
    root, base, env = cohort
    civickit(cohort, "init")
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert "4 learners" in civickit(cohort, "roster", str(roster)).stdout
    civickit(cohort, "release", ASSIGNMENT)
    for student in ("maria", "petar", "georgi"):
        learner(cohort, student, "fetch_assignment", ASSIGNMENT)
        if student in SOLVED:
            answer = base / "homes" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
            shutil.copy(root / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", answer)
        learner(cohort, student, "submit", ASSIGNMENT)
    out = civickit(cohort, "collect", ASSIGNMENT).stdout
    assert "3 submissions" in out
    return base / "workspace"


def scores(workspace) -> dict[tuple[str, str], float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{workspace / 'gradebook.db'}") as gb:
        return {
            (grade.student.id, grade.name): grade.score
            for sub in gb.assignment_submissions(ASSIGNMENT)
            for nb in sub.notebooks
            for grade in nb.grades
        }


@pytest.fixture(scope="module")
def graded(cohort, collected, tmp_path_factory):
    """Parallel autograde in the workspace; plain sequential nbgrader in a copy, for comparison."""
    root, _, env = cohort
    sequential = tmp_path_factory.mktemp("sequential") / "workspace"
    shutil.copytree(collected, sequential)
    out = civickit(cohort, "autograde", ASSIGNMENT, "--jobs", "2").stdout
    assert "Autograded 3 of 3" in out
    run([BIN / "nbgrader", "autograde", ASSIGNMENT], cwd=root, env={**env, "CIVICKIT_WORKSPACE": str(sequential)})
    return collected, sequential


def test_parallel_grades_equal_sequential_nbgrader(graded):
    """Does parallel autograding give every learner exactly the grades of a sequential `nbgrader autograde`?"""
    parallel, sequential = graded
    got, expected = scores(parallel), scores(sequential)
    assert got == expected
    assert {s for s, _ in got} == {"maria", "petar", "georgi"}


def test_export_is_right_and_safe(cohort, graded):
    """Are the exported grades right, Cyrillic and commas intact, and a formula-like name made inert?"""
    workspace = graded[0]
    civickit(cohort, "export")
    with (workspace / "reports" / "grades.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert float(rows["maria"]["score"]) == 5 and float(rows["georgi"]["score"]) == 5
    assert float(rows["petar"]["score"]) == 0
    assert rows["ivan"]["submitted"] == "не" and float(rows["ivan"]["score"]) == 0
    assert rows["maria"]["last_name"] == "Иванова, по баща Петрова"
    assert rows["georgi"]["last_name"].startswith("'=")
    with (workspace / "reports" / "grades-moodle.csv").open(encoding="utf-8", newline="") as fh:
        moodle = list(csv.DictReader(fh))
    assert {"Email address", f"{ASSIGNMENT} (%)"} <= set(moodle[0])
    assert len(moodle) == 3  # ivan submitted nothing: no row (tests/test_moodle_export.py)


def test_feedback_released_without_hidden_tests(cohort, graded):
    """Does each learner get feedback that shows the verdict of hidden tests but not their code?"""
    workspace = graded[0]
    civickit(cohort, "feedback", ASSIGNMENT)
    for student in ("maria", "petar", "georgi"):
        html = (workspace / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
        assert "leap year February" not in html and "BEGIN HIDDEN TESTS" not in html
        assert "скрити тестове" in html.lower()
    assert list((workspace / "exchange" / "civickit" / "feedback").iterdir())


def test_bad_roster_is_named_and_nothing_changes(cohort, collected, tmp_path):
    """Is a roster with a Cyrillic id rejected with the line number, leaving the gradebook as it was?"""
    bad = tmp_path / "bad.csv"
    bad.write_text("id,first_name,last_name,email\nмария,Мария,Иванова,\n", encoding="utf-8")
    before = (collected / "gradebook.db").read_bytes()
    result = civickit(cohort, "roster", str(bad), expect=2)
    assert "line 2" in result.stderr and "мария" in result.stderr
    assert (collected / "gradebook.db").read_bytes() == before


@pytest.mark.parametrize("bad_id, why", [
    ("ma*ria", "wildcard"), ("petar?", "wildcard"), ("[mp]aria", "wildcard"),
    ("../maria", "path separator"), ("a\\b", "path separator"), (".maria", "starts with '.'"),
])
def test_roster_id_with_glob_or_path_characters_is_refused(cohort, collected, tmp_path, bad_id, why):
    """Is an id nbgrader would expand as a glob, or one that is no plain folder name, refused with the file,
    line, id and what to do, with no row of the file imported and every learner already there kept?"""
    bad = tmp_path / "roster-bad-id.csv"
    # A valid new learner before the bad line: the import is all-or-nothing, so she must not appear either.
    bad.write_text(f"id,first_name,last_name,email\nnew.one,Нова,Обучаема,\n{bad_id},Мария,Иванова,\n",
                   encoding="utf-8")
    before = (collected / "gradebook.db").read_bytes()
    err = civickit(cohort, "roster", str(bad), expect=2).stderr
    assert str(bad) in err and "line 3" in err and f"'{bad_id}'" in err and why in err
    assert "Nothing was imported" in err and "civickit cohort roster" in err
    assert (collected / "gradebook.db").read_bytes() == before


def test_erase_leaves_no_trace(cohort, graded):
    """After erasing a learner, does no file, row or log line of the workspace hold their id, name or email?"""
    root, base, _ = cohort
    workspace = graded[0]
    civickit(cohort, "export")  # reports that mention her exist before the erase
    civickit(cohort, "report")
    civickit(cohort, "certificates", "--threshold", "50", "--hours", "24")
    assert {p.name for p in (workspace / "certificates").iterdir()} == {"maria.pdf", "georgi.pdf"}
    assert "Мария" in (workspace / "reports" / "report-bg.html").read_text(encoding="utf-8")
    out = civickit(cohort, "erase", "maria", "--yes").stdout
    assert "erased" in out
    # her certificate is gone (its compressed text would escape the byte search below); others stay
    assert {p.name for p in (workspace / "certificates").iterdir()} == {"georgi.pdf"}
    assert "Георги" in (workspace / "reports" / "report-bg.html").read_text(encoding="utf-8")
    needles = [s.encode() for s in ("maria", "Мария", "Иванова", "maria@example.org")]
    for path in workspace.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [n for n in needles if n in data], path
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{workspace / 'gradebook.db'}") as gb:
        assert sorted(s.id for s in gb.students) == ["georgi", "ivan", "petar"]
        assert gb.find_submission(ASSIGNMENT, "petar").score == 0
