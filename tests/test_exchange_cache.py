"""Where nbgrader's exchange keeps a learner's fetched copy and the submit cache."""

from __future__ import annotations

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, kit_env, run

pytestmark = pytest.mark.slow


def test_submission_copies_stay_in_the_workspace(tmp_path):
    """Does a submit keep nbgrader's cached copy in the cohort workspace, and nothing under the OS account's home?"""
    root = copy_kit(tmp_path / "kit")
    workspace = root / ".cohort"
    home = tmp_path / "home"
    home.mkdir()
    env = dict(kit_env(root, workspace), HOME=str(home))
    run([BIN / "civickit", "cohort", "init"], cwd=root, env=env)
    run([BIN / "civickit", "cohort", "release", ASSIGNMENT], cwd=root, env=env)
    run([BIN / "nbgrader", "fetch_assignment", ASSIGNMENT], cwd=workspace / "learner", env=env)
    assert (workspace / "learner" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
    run([BIN / "nbgrader", "submit", ASSIGNMENT], cwd=workspace / "learner", env=env)
    cached = list((workspace / "cache").glob(f"civickit/*+{ASSIGNMENT}+*/{ASSIGNMENT}.ipynb"))  # <learner>+<assignment>+<time>
    assert len(cached) == 1, sorted(p.relative_to(workspace) for p in workspace.rglob("*"))
    assert not [p for p in home.rglob("*") if "nbgrader" in p.name], sorted(home.rglob("*"))


def test_start_refuses_a_workspace_outside_the_course_folder(tmp_path):
    """Does `civickit start` refuse a workspace JupyterLab could not open notebooks in, naming it and what to do?"""
    from conftest import REPO, free_port

    env = kit_env(REPO, tmp_path / "elsewhere")
    result = run([BIN / "civickit", "start", "--no-build", "--port", str(free_port())], cwd=REPO, env=env, expect=2,
                 timeout=60)
    assert f"CIVICKIT_WORKSPACE={tmp_path / 'elsewhere'} is outside the course folder" in result.stderr + result.stdout
    assert "leave CIVICKIT_WORKSPACE unset" in result.stderr + result.stdout
    assert not (tmp_path / "elsewhere").exists()  # nothing created there
