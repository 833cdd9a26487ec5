"""Killing `civickit cohort autograde` midway and running it again: no lost and no duplicated grade.

A trainer's laptop may be closed, or the run stopped with Ctrl+C or worse, halfway through a cohort.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import sqlite3
import subprocess
import time

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, kit_env, nbgrader, run

pytestmark = pytest.mark.slow

LEARNERS = [f"learner{i:02d}" for i in range(10)]
GRADE_ROWS = """
    SELECT student.id, base_cell.name, grade.auto_score, grade.manual_score
    FROM grade
    JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id
    JOIN submitted_assignment ON submitted_notebook.assignment_id = submitted_assignment.id
    JOIN student ON submitted_assignment.student_id = student.id
    JOIN base_cell ON grade.cell_id = base_cell.id
    ORDER BY student.id, base_cell.name
"""


def grade_rows(workspace) -> list[tuple]:
    with sqlite3.connect(workspace / "gradebook.db") as db:
        return db.execute(GRADE_ROWS).fetchall()


def log_lines(workspace) -> int:
    path = workspace / "grading-log" / f"{ASSIGNMENT}.jsonl"
    return len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Ten learners (half the solution, half the untouched release) and an identical copy for plain nbgrader."""
    base = tmp_path_factory.mktemp("resume")
    root = copy_kit(base / "kit")
    workspace = base / "workspace"
    env = kit_env(root, workspace)
    run([BIN / "civickit", "cohort", "init"], cwd=root, env=env)
    nbgrader(root, env, "db", "assignment", "add", ASSIGNMENT)
    nbgrader(root, env, "generate_assignment", ASSIGNMENT, "--force")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{workspace / 'gradebook.db'}") as gb:  # faster than ten `nbgrader db student add`
        for sid in LEARNERS:
            gb.update_or_create_student(sid)
    for i, sid in enumerate(LEARNERS):
        source = root / "assignments" / ASSIGNMENT if i % 2 == 0 else workspace / "release" / ASSIGNMENT
        dest = workspace / "submitted" / sid / ASSIGNMENT
        shutil.copytree(source, dest)
        (dest / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
    reference = base / "reference"
    shutil.copytree(workspace, reference)
    nbgrader(root, kit_env(root, reference), "autograde", ASSIGNMENT)  # uninterrupted, sequential, plain nbgrader
    return root, env, workspace, reference


def test_killed_run_then_rerun_grades_everyone_once(cohort):
    """After SIGKILL of the whole run and a rerun, does every learner have one row per cell, as a plain run gives?"""
    root, env, workspace, reference = cohort
    proc = subprocess.Popen([BIN / "civickit", "cohort", "autograde", ASSIGNMENT, "--jobs", "2"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 600
    while log_lines(workspace) < 3 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before_kill = log_lines(workspace)
    assert 3 <= done_before_kill < len(LEARNERS), "the kill must land midway through the cohort"

    rerun = run([BIN / "civickit", "cohort", "autograde", ASSIGNMENT, "--jobs", "2"], cwd=root, env=env)
    assert f"Autograded {len(LEARNERS)} of {len(LEARNERS)}" in rerun.stdout
    assert "unchanged since an earlier run" in rerun.stdout  # the finished learners were kept, not regraded

    rows = grade_rows(workspace)
    cells = {cell for _, cell, _, _ in grade_rows(reference)}
    keys = [(sid, cell) for sid, cell, _, _ in rows]
    assert len(keys) == len(set(keys)) == len(LEARNERS) * len(cells)  # no duplicate, no lost learner
    assert rows == grade_rows(reference)
    for sid in LEARNERS:
        assert (workspace / "autograded" / sid / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


def test_second_run_while_one_is_running_is_refused(cohort):
    """Does a second autograde of the same assignment stop with a clear message instead of racing the first?"""
    root, env, workspace, _ = cohort
    lock = workspace / "grading-log" / f"{ASSIGNMENT}.lock"
    lock.parent.mkdir(exist_ok=True)
    with lock.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running grader holds it
        result = run([BIN / "civickit", "cohort", "autograde", ASSIGNMENT], cwd=root, env=env, expect=2)
    assert "Another `civickit cohort autograde" in result.stderr
    # Once the holder is gone the lock is free again.
    again = run([BIN / "civickit", "cohort", "autograde", ASSIGNMENT], cwd=root, env=env)
    assert "unchanged since an earlier run" in again.stdout
