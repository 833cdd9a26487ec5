"""Every assignment keeps nbgrader's contract: solution passes, release fails, full marks vs zero."""

from __future__ import annotations

import csv

import pytest

from conftest import REPO, autograded_points, copy_kit, grading_cycle, kit_env, nbgrader

pytestmark = pytest.mark.slow

ASSIGNMENTS = sorted(p.name for p in (REPO / "assignments").iterdir() if (p / f"{p.name}.ipynb").is_file())


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    return copy_kit(tmp_path_factory.mktemp("assignments") / "kit")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_contract(kit, assignment, tmp_path):
    """Does the source pass its tests, the release fail all of them, and grading give full marks vs 0?"""
    workspace = tmp_path / "workspace"
    env = kit_env(kit, workspace)
    source = kit / "assignments" / assignment / f"{assignment}.ipynb"
    out = nbgrader(kit, env, "validate", str(source)).stdout
    assert "Success! Your notebook passes all the tests." in out, out
    learners = {"solved": ("Решил", "Всичко"), "blank": ("Празен", "Лист")}
    grading_cycle(kit, env, workspace, assignment, learners, {"solved": source.parent, "blank": "release"})
    out = nbgrader(kit, env, "validate", "--invert", str(workspace / "release" / assignment / source.name)).stdout
    assert "Success! The notebook does not pass any tests." in out, out
    with (workspace / "grades.csv").open(encoding="utf-8", newline="") as fh:
        scores = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(fh)}
    full = autograded_points(source)
    assert full > 0
    assert scores == {"solved": full, "blank": 0.0}
