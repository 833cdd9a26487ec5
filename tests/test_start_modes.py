"""The learner's and the trainer's `make start` (issue 19, items 4 and 9): the learner's server has no
trainer tools, the trainer's has Formgrader, and neither shows its token in the process list.

Servers started as `make start` and `make start MODE=trainer` start them (conftest: server, trainer_server).
"""

from __future__ import annotations

import json
import re
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest

from conftest import ASSIGNMENT, BIN, REPO, kit_env, run

TRAINER_EXTENSIONS = {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:course-list"}
TRAINER_COMMANDS = ["nbgrader:open-formgrader", "nbgrader:open-formgrader-local", "nbgrader:open-course-list"]
LONG = 120_000


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def disabled_extensions(srv) -> set[str]:
    """The JupyterLab extensions the server's lab page switches off (its embedded page config)."""
    with urllib.request.urlopen(srv.url("lab"), timeout=60) as resp:
        page = resp.read().decode("utf-8")
    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no page config in the JupyterLab page"
    disabled = json.loads(match.group(1)).get("disabledExtensions", [])
    return set(disabled if isinstance(disabled, list) else [k for k, v in disabled.items() if v])


def open_lab(page, srv):
    """JupyterLab in a fresh workspace, its Nbgrader menu open; the commands the menu shows."""
    page.goto(srv.url(f"lab/workspaces/modes-{uuid.uuid4().hex[:8]}?reset"), timeout=LONG)
    page.locator(".jp-Launcher").first.wait_for(timeout=LONG)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    menu = page.locator(".lm-Menu").last
    menu.wait_for()
    items = menu.locator("li[data-command]")
    return [items.nth(i).get_attribute("data-command") for i in range(items.count()) if items.nth(i).is_visible()]


def test_make_start_passes_the_mode():
    """Does `make start` run the learner's mode, and `make start MODE=trainer` the trainer's?"""
    for args, mode in (([], "learner"), (["MODE=trainer"], "trainer")):
        dry = subprocess.run(["make", "-n", "start", *args], cwd=REPO, capture_output=True, text=True, check=True)
        assert re.search(rf"civickit start --port \d+ --mode {mode}\b", dry.stdout), dry.stdout


@pytest.mark.browser
@pytest.mark.slow
def test_learner_mode_shows_no_trainer_tools(server, page):
    """Under `make start`, are Formgrader, Create Assignment and the course list off (page config, menu,
    launcher) and nbgrader's trainer server extension gone (its pages 404)?"""
    assert disabled_extensions(server) >= TRAINER_EXTENSIONS
    assert status(server.url("formgrader")) == 404
    assert status(server.url("formgraders")) == 404  # nbgrader's course list
    commands = open_lab(page, server)
    assert "nbgrader:open-assignment-list" in commands
    assert not set(commands) & set(TRAINER_COMMANDS), commands
    page.keyboard.press("Escape")
    assert page.locator(".jp-Launcher").get_by_text("Formgrader").count() == 0
    assert page.outside_requests == []


@pytest.mark.browser
@pytest.mark.slow
def test_learner_mode_assignments_panel_lists_a_released_assignment(server, page):
    """With an assignment released by the trainer's command, does the learner's Assignments panel list it to
    fetch, with no error?"""
    env = kit_env(server.root, server.root / ".server-cohort")  # the workspace the learner's server uses
    run([BIN / "civickit", "cohort", "init"], cwd=server.root, env=env)
    run([BIN / "civickit", "cohort", "release", ASSIGNMENT], cwd=server.root, env=env)
    open_lab(page, server)
    with page.expect_response(lambda r: "/assignments?course_id=" in r.url, timeout=LONG) as listed:
        page.locator('li[data-command="nbgrader:open-assignment-list"]').click()
    assert listed.value.status == 200 and listed.value.json()["success"] is True
    released = page.locator("#released_assignments_list > .list_item", has_text=ASSIGNMENT)
    released.wait_for(timeout=LONG)
    assert released.get_by_role("button", name="Fetch").is_visible()
    assert page.locator("#released_assignments_list_error").is_hidden()
    assert page.outside_requests == []


@pytest.mark.browser
@pytest.mark.slow
def test_trainer_mode_opens_formgrader(trainer_server, page):
    """Under `make start MODE=trainer`, does the Nbgrader menu open Formgrader with the course's assignment?"""
    assert not disabled_extensions(trainer_server) & TRAINER_EXTENSIONS
    commands = open_lab(page, trainer_server)
    assert "nbgrader:open-formgrader" in commands and "nbgrader:open-assignment-list" in commands
    page.locator('li[data-command="nbgrader:open-formgrader"]').click()
    page.locator(".lm-TabBar-tab", has_text="Formgrader").wait_for(timeout=LONG)
    frame = page.frame_locator("iframe[src*='formgrader']")
    frame.get_by_text("public-consultation").first.wait_for(timeout=LONG)


@pytest.mark.browser
@pytest.mark.slow
def test_the_start_message_names_the_mode_and_the_switch(server, trainer_server):
    """Does the start message say which mode runs and how to start the other one?"""
    learner_log = server.log.read_text(encoding="utf-8")
    assert "Mode: learner" in learner_log and "make start MODE=trainer" in learner_log
    trainer_log = trainer_server.log.read_text(encoding="utf-8")
    assert "Mode: trainer" in trainer_log and "for learners: make start (civickit start)" in trainer_log


@pytest.mark.browser
@pytest.mark.slow
def test_the_token_is_not_in_the_process_list(server, trainer_server):
    """While both servers run and accept their tokens, does `ps -eo args` show neither token?"""
    for srv in (server, trainer_server):
        assert status(srv.url("api/status")) == 200  # the token is the one the server checks
        assert status(srv.url("api/kernels", token=False)) == 403
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    assert "jupyter-server" in listing  # the servers are in the listing ...
    assert server.token not in listing and trainer_server.token not in listing  # ... their tokens are not
