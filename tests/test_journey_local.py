"""The whole path of one assignment, through the screens people use, on one `make start` server.

A fresh copy of the kit is started as `make start` starts it (`civickit start --port N`: the book is
built, the workspace is the default `.cohort/`). The trainer follows the
trainer guide's table in Formgrader (Generate, Release, Collect, Autograde, Manual Grading, Generate
and Release Feedback); the learner follows it in JupyterLab's Assignments panel (Fetch, open, answer,
save, Validate, Submit, Fetch Feedback, open the feedback). Each step asserts what the person sees.

On one machine nbgrader's exchange knows the learner by the account the server runs as, so the learner
id is that account's name.
"""

from __future__ import annotations

import csv
import pwd
import os
import re
import uuid

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, free_port, kit_env, run, running

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LEARNER = pwd.getpwuid(os.getuid()).pw_name
WAIT = 120_000
# Part 1 right, part 2 wrong, part 3 left as released: 2 of the 5 automatic points.
PART1 = "def consultation_length(published, closes):\n    return (closes - published).days\n"
PART2 = "def meets_legal_minimum(days, exceptional_reason):\n    return False\n"
RECOMMENDATION = "Препоръка: общината да публикува проектите поне 30 дни преди сесията."
MANUAL_POINTS = 2
COMMENT = "Добро начало; посочете и срок за справката."
FIRST, LAST = "Мария", "Иванова"  # an invented learner


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A fresh copy of the kit served by `civickit start` with no workspace setting (so `.cohort/`)."""
    kit = copy_kit(tmp_path_factory.mktemp("journey") / "civickit")
    env = kit_env(kit)
    env.pop("CIVICKIT_WORKSPACE", None)
    run([BIN / "civickit", "cohort", "init"], cwd=kit, env=env)
    roster = kit.parent / "roster.csv"
    roster.write_text(f"id,first_name,last_name,email\n{LEARNER},{FIRST},{LAST},maria@example.org\n", encoding="utf-8")
    run([BIN / "civickit", "cohort", "roster", str(roster)], cwd=kit, env=env)
    port, token = free_port(), uuid.uuid4().hex
    env["CIVICKIT_TOKEN"] = token
    log = tmp_path_factory.mktemp("journey-log") / "server.log"
    # one server for the trainer's Formgrader and the learner's Assignments panel: the trainer's mode
    cmd = [BIN / "civickit", "start", "--port", str(port), "--mode", "trainer"]
    with running(cmd, kit, env, f"http://127.0.0.1:{port}/api/status", log, seconds=900):
        yield kit, env, f"http://127.0.0.1:{port}", token


def new_page(browser):
    # Tall enough for JupyterLab to render every cell of the assignment (it renders only what is in view).
    context = browser.new_context(locale="bg-BG", viewport={"width": 1400, "height": 4000})
    context.set_default_timeout(WAIT)
    page = context.new_page()
    page.outside = []
    page.on("request", lambda r: page.outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    return page


def formgrader_step(page, base, token, icon: str, success: str):
    """Clicks an assignment's icon on Manage Assignments and waits for nbgrader's success dialog."""
    page.goto(f"{base}/formgrader/manage_assignments?token={token}")
    row = page.locator("tr", has_text=ASSIGNMENT).first
    row.locator(f"span.{icon}").click()
    dialog = page.locator("#success-modal")
    dialog.wait_for()
    assert success in dialog.inner_text()
    dialog.get_by_role("button", name="OK").click()


def open_assignment_list(page, base, token):
    page.goto(f"{base}/lab?token={token}")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu").get_by_text("Assignment List").click()
    panel = page.locator(".panel", has_text="Released assignments").first
    panel.wait_for()
    return page


def edit_code_cell(page, marker: str, text: str):
    """Replaces a code cell's text (the cell whose editor shows `marker`) as a person would: click, select all, type."""
    cell = page.locator(".jp-CodeCell", has_text=marker).first
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(text)


def test_one_assignment_through_the_screens(course, browser, tmp_path):
    """Can a learner fetch, answer, validate and submit in the Assignments panel, the trainer grade it in
    Formgrader by the guide's table (automatic and by hand), and the learner then read the score?"""
    kit, env, base, token = course
    trainer = new_page(browser)
    learner = new_page(browser)
    try:
        journey(kit, env, base, token, trainer, learner)
    except Exception:
        for name, pg in (("trainer", trainer), ("learner", learner)):
            pg.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        print(f"screenshots: {tmp_path}")
        raise


def journey(kit, env, base, token, trainer, learner):

    # 1-2. Trainer: Generate and Release in Formgrader.
    formgrader_step(trainer, base, token, "glyphicon-education", "Successfully created the student version")
    formgrader_step(trainer, base, token, "glyphicon-cloud-upload", "Successfully released")
    assert "released" in trainer.locator("tr", has_text=ASSIGNMENT).first.inner_text()

    # 3. Learner: Fetch in the Assignments panel.
    open_assignment_list(learner, base, token)
    released = learner.locator("#released_assignments_list")
    released.get_by_text(ASSIGNMENT).wait_for()
    released.get_by_role("button", name="Fetch").click()
    fetched = learner.locator("#fetched_assignments_list")
    fetched.locator(".item_name a", has_text=ASSIGNMENT).first.click()  # unfolds its notebooks
    notebook = fetched.locator(".nested_list_item", has_text=ASSIGNMENT).first
    notebook.get_by_role("link", name=ASSIGNMENT).click()

    # Answer: open the notebook, edit two code cells and the free-text cell, save.
    learner.locator(".jp-CodeCell .cm-line", has_text="ВАШИЯТ КОД ТУК").first.wait_for()
    edit_code_cell(learner, "def consultation_length", PART1)
    edit_code_cell(learner, "def meets_legal_minimum", PART2)
    answer = learner.locator(".jp-MarkdownCell", has_text="ВАШИЯТ ОТГОВОР ТУК").last  # the first is the instructions
    answer.dblclick()
    answer.locator(".cm-content").click()
    learner.keyboard.press("Control+a")
    learner.keyboard.insert_text(RECOMMENDATION)
    learner.keyboard.press("Control+Enter")  # renders the answer
    learner.locator(".jp-MarkdownCell", has_text=RECOMMENDATION).locator(".jp-RenderedMarkdown").wait_for()
    learner.keyboard.press("Control+s")
    learner.locator(".jp-mod-dirty").first.wait_for(state="detached")

    # 4. Validate, then Submit, back in the panel.
    learner.locator(".lm-TabBar-tab", has_text="Assignments").click()
    notebook.get_by_role("button", name="Validate").click()
    dialog = learner.locator(".jp-Dialog")
    dialog.wait_for()
    validation = dialog.inner_text()
    assert "failed" in validation.lower() or "error" in validation.lower(), validation
    dialog.get_by_role("button").last.click()
    fetched.get_by_role("button", name="Submit").click()
    submitted = learner.locator("#submitted_assignments_list")
    submitted.get_by_text(re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")).first.wait_for()

    # 5-6. Trainer: Collect, then Autograde from the submissions page.
    formgrader_step(trainer, base, token, "glyphicon-cloud-download", "Successfully collected")
    row = trainer.locator("tr", has_text=ASSIGNMENT).first
    row.get_by_role("link", name="1").click()
    submission = trainer.locator("tr", has_text=LEARNER).first
    submission.get_by_text("needs autograding").wait_for()
    assert submission.locator("td.timestamp").inner_text().endswith("EET")  # the cohort's zone, not UTC
    submission.locator(".autograde a").click()
    dialog = trainer.locator("#success-modal")
    dialog.wait_for(timeout=300_000)
    assert "Successfully autograded" in dialog.inner_text()
    dialog.get_by_role("button", name="OK").click()
    submission = trainer.locator("tr", has_text=LEARNER).first
    submission.get_by_text("needs manual grading").wait_for()
    assert "2 / 8" in submission.inner_text() or "2.0 / 8.0" in submission.inner_text(), submission.inner_text()

    # 7. Manual grading: the free-text answer, by hand.
    trainer.get_by_role("link", name="Manual Grading").click()
    trainer.locator("tr", has_text=ASSIGNMENT).get_by_role("link", name=ASSIGNMENT).click()
    trainer.locator("tr", has_text=ASSIGNMENT).get_by_role("link", name=ASSIGNMENT).click()  # its notebook
    waiting = trainer.locator("tr", has_text="Submission #1")
    assert re.search(r"2 / 8", waiting.inner_text()), waiting.inner_text()
    waiting.get_by_role("link", name="Submission #1").click()
    trainer.get_by_text(RECOMMENDATION).wait_for()
    trainer.wait_for_load_state("networkidle")  # the inputs save only once Formgrader has loaded their grades
    with trainer.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        score = trainer.locator("input.score#recommendation")
        score.fill(str(MANUAL_POINTS))
        score.press("Tab")
    assert saved.value.ok
    with trainer.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT") as saved:
        comment = trainer.locator("textarea#recommendation-comment")
        comment.fill(COMMENT)
        comment.press("Tab")
    assert saved.value.ok
    trainer.goto(f"{base}/formgrader/manage_submissions/{ASSIGNMENT}?token={token}")
    submission = trainer.locator("tr", has_text=LEARNER).first
    submission.get_by_text("graded", exact=True).wait_for()
    assert re.search(r"4(\.0)? / 8", submission.inner_text()), submission.inner_text()

    # 8. Generate and Release Feedback.
    formgrader_step(trainer, base, token, "glyphicon-comment", "Successfully generated feedback")
    formgrader_step(trainer, base, token, "glyphicon-envelope", "Successfully released feedback")

    # Learner: Fetch Feedback, open it, read the score and the trainer's comment.
    open_assignment_list(learner, base, token)
    submitted = learner.locator("#submitted_assignments_list")
    submitted.get_by_role("button", name="Fetch Feedback").click()
    submitted.get_by_text("view feedback").click()
    listing = learner.locator(".jp-DirListing-content")
    listing.get_by_text(f"{ASSIGNMENT}.html").dblclick()
    feedback = learner.frame_locator(".jp-HTMLViewer iframe")
    feedback.get_by_text(COMMENT).wait_for()
    text = feedback.locator("body").inner_text()
    assert re.search(r"4(\.0)?\s*/\s*8", text), text
    assert "HIDDEN TESTS" not in text

    # 9. Export: the grades file carries the manual points too.
    run([BIN / "civickit", "cohort", "export"], cwd=kit, env={**env, "CIVICKIT_TOKEN": ""})
    with (kit / ".cohort" / "reports" / "grades.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert float(rows[LEARNER]["score"]) == 2 + MANUAL_POINTS and float(rows[LEARNER]["max_score"]) == 8

    assert trainer.outside == [] and learner.outside == []
