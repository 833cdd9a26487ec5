"""grades-moodle.csv as Moodle's CSV grade import reads it, from a real graded cohort (the trainer fixture:
real nbgrader runs, late rule 'zero', a learner who submitted nothing, a file that is not a notebook).

What Moodle does with the file (grade/import/csv/classes/load_data.php): a cell is stored as points of the
grade item it is mapped to and refused above 100; a blank cell is "no grade"; a row is matched to a user by
the field the trainer maps (here the e-mail) and an unknown one aborts the whole import."""

from __future__ import annotations

import csv

import pytest

from conftest import ASSIGNMENT, BIN, nbgrader
from test_cohort_trainer import civickit, graded, kit  # noqa: F401  (the trainer's real cohort)

COLUMN = f"{ASSIGNMENT} (%)"


@pytest.fixture(scope="module")
def moodle(kit, graded):  # noqa: F811
    """The export after two more learners joined without submitting: one with no e-mail, and one whose
    e-mail differs from Мария's only in case (Moodle matches e-mail case-sensitively)."""
    root, _, env = kit
    nbgrader(root, env, "db", "student", "add", "noemail", "--first-name=Без", "--last-name=Поща")
    nbgrader(root, env, "db", "student", "add", "maria2", "--first-name=Мария", "--last-name=Друга",
             "--email=Maria@example.org")
    out = civickit(kit, "export").stdout
    path = graded / "reports" / "grades-moodle.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = {r["Email address"]: r for r in reader}
    return out, reader.fieldnames, rows, path.read_text(encoding="utf-8")


def max_score(work) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        return gb.find_assignment(ASSIGNMENT).max_score


@pytest.mark.slow
def test_columns_are_email_names_and_percent(moodle):
    """Is the e-mail the first column (the match key), with no 'ID number' column, and does the grade
    column say it is a percentage?"""
    _, header, _, _ = moodle
    assert header == ["Email address", "First name", "Surname", COLUMN]


@pytest.mark.slow
def test_grades_are_percent_of_the_maximum(kit, graded, moodle):  # noqa: F811
    """Does Мария's 5 of 8 arrive as 62.5 (%), not as 5 (which Moodle's default 0-100 item reads as 5 %),
    and does Петър, late under the rule 'zero', get a real 0?"""
    _, _, rows, _ = moodle
    from test_cohort_trainer import gradebook_rows

    maria_points = gradebook_rows(graded)["maria"][0]
    assert float(rows["maria@example.org"][COLUMN]) == pytest.approx(100 * maria_points / max_score(graded), abs=0.01)
    assert rows["maria@example.org"][COLUMN] == "62.5"
    assert rows["petar@example.org"][COLUMN] == "0.0"
    assert rows["maria@example.org"]["First name"] == "Мария"


@pytest.mark.slow
def test_no_submission_is_blank_never_zero(kit, moodle):  # noqa: F811
    """Is a learner who submitted nothing blank (Moodle: no grade), never 0 that would overwrite a grade
    Moodle already has; is one with nothing at all to import left out and named; and does a submitted
    file that could not be graded score 0 as in grades.csv?"""
    root, _, env = kit
    nbgrader(root, env, "db", "assignment", "add", "second-assignment", "--duedate=2026-12-20 21:59:00 UTC")
    out = civickit(kit, "export").stdout
    with (kit[1] / "reports" / "grades-moodle.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["Email address"]: r for r in csv.DictReader(fh)}
    assert rows["maria@example.org"]["second-assignment (%)"] == ""  # nobody submitted it
    assert rows["maria@example.org"][COLUMN] == "62.5"
    assert "ivan@example.org" not in rows and "ivan: nothing submitted" in out
    assert rows["eli@example.org"][COLUMN] == "0.0"
    nbgrader(root, env, "db", "assignment", "remove", "second-assignment", "--force")


@pytest.mark.slow
def test_rows_moodle_cannot_match_are_left_out_and_named(moodle):
    """Is a learner without an e-mail left out (Moodle would give the row to the previous row's user) and
    named on screen, and is a differently-cased e-mail kept exactly as the roster has it?"""
    out, _, rows, _ = moodle
    assert "noemail: no e-mail in the roster" in out
    assert "" not in rows
    assert "Maria@example.org" not in rows  # maria2 submitted nothing
    assert "maria2: nothing submitted" in out
    assert "blank = did not submit" in out


def test_cli_help_says_what_the_file_holds():
    """Does `civickit cohort export --help` say the match key, the unit and what a blank means?"""
    from conftest import run

    text = " ".join(run([BIN / "civickit", "cohort", "export", "--help"], cwd=".").stdout.split())
    assert "matched by e-mail" in text and "% of its maximum" in text and "blank where a learner did not submit" in text
