"""The assignment through real nbgrader: validate both ways, then a whole grading cycle."""

from __future__ import annotations

import csv

import pytest

from conftest import ASSIGNMENT, HIDDEN_MARKER, SOLUTION_MARKER, grading_cycle, kit_env, nbgrader

pytestmark = pytest.mark.slow

LEARNERS = {  # id: (first name, last name) -- Cyrillic, as in a real roster
    "maria": ("Мария", "Иванова-Стоянова"),
    "petar": ("Петър", "Петров"),
}
AUTOGRADED_POINTS = 5


@pytest.fixture(scope="module")
def course(planted_kit, tmp_path_factory):
    """The planted kit as nbgrader's course, with a fresh cohort workspace."""
    workspace = tmp_path_factory.mktemp("cohort")
    return planted_kit, workspace, kit_env(planted_kit, workspace)


@pytest.fixture(scope="module")
def graded(course):
    """The whole grading cycle; one learner submits the solution, the other the untouched release."""
    root, workspace, env = course
    answers = {"maria": root / "assignments" / ASSIGNMENT, "petar": "release"}
    grading_cycle(root, env, workspace, ASSIGNMENT, LEARNERS, answers)
    return root, workspace, env


def test_source_passes_validate(course):
    """Does the instructor version (with solutions) pass all its tests?"""
    root, _, env = course
    out = nbgrader(root, env, "validate", f"assignments/{ASSIGNMENT}/{ASSIGNMENT}.ipynb").stdout
    assert "Success! Your notebook passes all the tests." in out, out


def test_release_fails_validate_invert(graded):
    """Does the released version fail every test (nothing is solved for the learner)?"""
    root, workspace, env = graded
    out = nbgrader(root, env, "validate", "--invert", str(workspace / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")).stdout
    assert "Success! The notebook does not pass any tests." in out, out


def test_release_has_no_solution_or_hidden_tests(graded):
    """Is the released notebook free of the solution and the hidden tests?"""
    _, workspace, _ = graded
    for path in (workspace / "release").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            assert SOLUTION_MARKER not in text and HIDDEN_MARKER not in text, path


def test_grades_full_marks_vs_zero(graded):
    """Does the solution score full autograded marks and the untouched release zero, with Cyrillic names intact?"""
    _, workspace, _ = graded
    with (workspace / "grades.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert float(rows["maria"]["raw_score"]) == AUTOGRADED_POINTS  # manual part not graded yet
    assert float(rows["petar"]["raw_score"]) == 0
    assert rows["maria"]["first_name"] == "Мария" and rows["maria"]["last_name"] == "Иванова-Стоянова"


def test_feedback_hides_hidden_tests(graded):
    """Does a learner's feedback show grades and a verdict, but no hidden test code or traceback?"""
    _, workspace, _ = graded
    for sid in LEARNERS:
        html = (workspace / "feedback" / sid / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
        assert HIDDEN_MARKER not in html, sid
        assert "leap year February" not in html, sid  # the message of a hidden assert
        assert "Скритите тестове" in html or "скрити тестове" in html, sid
    petar = (workspace / "feedback" / "petar" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert SOLUTION_MARKER not in petar
    assert "не преминаха" in petar
