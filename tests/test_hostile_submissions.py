"""Broken and hostile submissions, graded by `civickit cohort autograde` with the sandbox on.

Each learner below does one bad thing; the run must finish, give that learner what the rules
give, and leave every other learner's grade and the gradebook untouched.
"""

from __future__ import annotations

import csv
import json

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, kit_env, run

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
FIRST_ANSWER = "consultation_length_answer"

SPY = '''
import glob, json, os
found = {}
def attempt(name, fn):
    try:
        found[name] = repr(fn())[:200]
    except Exception as err:
        found[name] = "BLOCKED: " + type(err).__name__
attempt("source", lambda: open(SOURCE).read())
attempt("gradebook", lambda: open(GRADEBOOK, "rb").read(100))
attempt("other_submission", lambda: open(OTHER).read())
attempt("write_gradebook", lambda: open(GRADEBOOK, "wb").write(b"overwritten"))
attempt("list_submitted", lambda: os.listdir(SUBMITTED))
json.dump(found, open("spy.json", "w"))
'''


def answer_cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def write(path, nb):
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = copy_kit(base / "kit")
    workspace = base / "workspace"
    env = kit_env(root, workspace)
    civickit = lambda *a, expect=0: run([BIN / "civickit", "cohort", *a], cwd=root, env=env, expect=expect)
    civickit("init")
    run([BIN / "nbgrader", "db", "assignment", "add", ASSIGNMENT], cwd=root, env=env)
    run([BIN / "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=root, env=env)
    source = root / "assignments" / ASSIGNMENT / NOTEBOOK
    solution = json.loads(source.read_text(encoding="utf-8"))

    def submit(student: str, nb: dict | None = None, raw: str | None = None, name: str = NOTEBOOK) -> None:
        folder = workspace / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
        (folder / name).write_text(raw if raw is not None else json.dumps(nb, ensure_ascii=False), encoding="utf-8")

    def with_code(code: str) -> dict:
        nb = json.loads(json.dumps(solution))
        cell = answer_cell(nb, FIRST_ANSWER)
        cell["source"] = code + "\n" + "".join(cell["source"])
        return nb

    submit("honest", solution)
    spy = SPY.replace("SOURCE", repr(str(source))).replace("GRADEBOOK", repr(str(workspace / "gradebook.db")))
    spy = spy.replace("OTHER", repr(str(workspace / "submitted" / "honest" / ASSIGNMENT / NOTEBOOK)))
    spy = spy.replace("SUBMITTED", repr(str(workspace / "submitted")))
    submit("spy", with_code(spy))
    submit("looper", with_code("while True:\n    pass"))
    submit("stubborn", with_code("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"))
    submit("crasher", with_code("import os\nos._exit(1)"))
    submit("flood", with_code("import sys\nfor _ in range(200_000):\n    sys.stdout.write('x' * 500 + '\\n')"))
    submit("broken", raw='{"cells": [ this is not json')
    submit("renamed", solution, name="my-answers.ipynb")
    tampered = json.loads(json.dumps(solution))
    for cell in tampered["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade") and not cell["metadata"]["nbgrader"].get("solution"):
            cell["source"] = "pass  # tests removed"
    release = json.loads((workspace / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    for cell, tests in zip(release["cells"], tampered["cells"]):
        if cell["metadata"].get("nbgrader", {}).get("grade") and not cell["metadata"]["nbgrader"].get("solution"):
            cell["source"] = tests["source"]
    submit("tamper", release)  # unanswered, with every test cell replaced by `pass`

    result = civickit("autograde", ASSIGNMENT, "--timeout", "10", expect=None)
    civickit("export")
    with (workspace / "reports" / "grades.csv").open(encoding="utf-8", newline="") as fh:
        scores = {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)}
    return workspace, result, scores


def test_run_finishes_and_honest_learner_keeps_full_marks(graded):
    """Does the run end, and does the honest learner get full marks despite everyone else?"""
    _, result, scores = graded
    assert result.returncode in (0, 1), result.stderr
    assert scores["honest"] == 5


def test_sandbox_blocks_sources_submissions_and_gradebook(graded):
    """Can learner code read the source or hidden tests, another submission or the gradebook, or write to it?"""
    workspace, _, scores = graded
    spy = json.loads((workspace / "autograded" / "spy" / ASSIGNMENT / "spy.json").read_text())
    for key in ("source", "gradebook", "other_submission", "list_submitted"):
        assert spy[key].startswith("BLOCKED"), spy
    # Inside the sandbox the workspace is an empty scratch folder: the write lands there and vanishes.
    assert (workspace / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"
    assert scores["spy"] == 5  # its answers are right; spying gains nothing and costs nothing
    assert scores["honest"] == 5


@pytest.mark.parametrize("student", ["looper", "stubborn", "crasher"])
def test_runaway_code_loses_only_its_part(graded, student):
    """Does an endless loop, an interrupt-proof loop or a kernel that kills itself cost only that learner?"""
    _, _, scores = graded
    assert scores[student] < 5
    assert scores["honest"] == 5


def test_flood_of_output_is_graded(graded):
    """Does 100 MB of printed output neither stop the run nor cost correct answers?"""
    workspace, _, scores = graded
    assert scores["flood"] == 5
    graded_nb = workspace / "autograded" / "flood" / ASSIGNMENT / NOTEBOOK
    assert graded_nb.stat().st_size < 5_000_000  # nbgrader's output limit applied


@pytest.mark.parametrize("student", ["broken", "renamed", "tamper"])
def test_broken_or_tampered_submission_scores_zero(graded, student):
    """Does a file that is not JSON, a renamed notebook or deleted tests give 0, with a reason shown?"""
    _, result, scores = graded
    assert scores[student] == 0
    if student == "broken":
        assert "broken" in result.stdout
