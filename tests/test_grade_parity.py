"""Honest submissions get exactly the grades plain nbgrader gives them.

Plain nbgrader runs the test cells in the learner's kernel; the kit runs them in the grader
(civickit.trusted_check) with answers sent over as data. For every assignment, honest and
honestly-wrong submissions -- the solution, the untouched release, one part left unsolved, answers
that print while tested, answers that warn (nbgrader counts stderr as a failure) -- are graded both
ways and must score the same, cell by cell.
"""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest

from conftest import REPO, copy_kit, kit_env, nbgrader

pytestmark = pytest.mark.slow

ASSIGNMENTS = sorted(p.name for p in (REPO / "assignments").iterdir() if (p / f"{p.name}.ipynb").is_file())
# nbgrader's own Autograde steps, with nbgrader's Execute: the tests run in the learner's kernel.
PLAIN_CONFIG = """\
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, IgnorePattern, LimitOutput,
                                    SaveAutoGrades)
c = get_config()
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
                                       AssignLatePenalties, CheckCellMetadata]
"""


def _insert_after_solution_marker(nb: dict, line: str, first_only: bool = False) -> dict:
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("solution"):
            source = "".join(cell["source"])
            new = re.sub(r"^([ \t]*)### BEGIN SOLUTION\n", lambda m: f"{m.group(0)}{m.group(1)}{line}\n", source,
                         count=1, flags=re.M)
            cell["source"] = new
            if first_only and new != source:
                break
    return nb


def submissions(source: dict, release: dict) -> dict:
    unsolved = json.loads(json.dumps(source))
    first = next(i for i, c in enumerate(source["cells"]) if c["metadata"].get("nbgrader", {}).get("solution")
                 and c["cell_type"] == "code")
    unsolved["cells"][first] = release["cells"][first]
    return {
        "solved": source,
        "blank": release,
        "unsolved": unsolved,
        "printer": _insert_after_solution_marker(source, 'print("проверка")'),
        "warner": _insert_after_solution_marker(source, '__import__("warnings").warn("внимание")', first_only=True),
    }


def cell_scores(workspace, student: str, assignment: str) -> dict:
    from nbgrader.utils import determine_grade
    from nbformat import read

    path = workspace / "autograded" / student / assignment / f"{assignment}.ipynb"
    nb = read(str(path), as_version=4)
    return {c.metadata.nbgrader["grade_id"]: determine_grade(c)[0] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"}


def graded(kit, workspace, assignment: str, learners: dict) -> dict:
    env = kit_env(kit, workspace)
    for sid in learners:
        nbgrader(kit, env, "db", "student", "add", sid)
    nbgrader(kit, env, "db", "assignment", "add", assignment)
    nbgrader(kit, env, "generate_assignment", assignment, "--force")
    for sid, nb in learners.items():
        dest = workspace / "submitted" / sid / assignment
        dest.mkdir(parents=True)
        (dest / f"{assignment}.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        (dest / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
    nbgrader(kit, env, "autograde", assignment)
    nbgrader(kit, env, "export", f"--to={workspace / 'grades.csv'}")
    with (workspace / "grades.csv").open(encoding="utf-8", newline="") as fh:
        totals = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(fh)}
    return {sid: (totals[sid], cell_scores(workspace, sid, assignment)) for sid in learners}


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    base = tmp_path_factory.mktemp("parity")
    ours = copy_kit(base / "ours")
    plain = copy_kit(base / "plain")
    (plain / "nbgrader_config.py").write_text(PLAIN_CONFIG, encoding="utf-8")
    return ours, plain


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_honest_grades_equal_plain_nbgrader(kits, assignment, tmp_path):
    """Do honest submissions (solved, blank, one part unsolved, printing, warning) get the same total and the
    same score in every test cell from the kit's grading as from plain nbgrader?"""
    ours, plain = kits
    source = json.loads((REPO / "assignments" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    release_ws = tmp_path / "release"
    env = kit_env(ours, release_ws)
    nbgrader(ours, env, "db", "assignment", "add", assignment)
    nbgrader(ours, env, "generate_assignment", assignment, "--force")
    release = json.loads((release_ws / "release" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    shutil.rmtree(release_ws)
    learners = submissions(source, release)
    kit_grades = graded(ours, tmp_path / "ours", assignment, learners)
    plain_grades = graded(plain, tmp_path / "plain", assignment, learners)
    assert kit_grades == plain_grades
    assert kit_grades["solved"][0] > 0 and kit_grades["blank"][0] == 0
