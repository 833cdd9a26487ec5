"""Does a cohort's whole grading path work on `civickit hub` from the seats of the people who take it?

A real hub (test_hub's fixture: Linux accounts, nbgrader's exchange), real JupyterLab and Formgrader in
Chromium, the trainer and a learner each in a browser context of their own (own cookies, as on two
laptops). Everything after starting the hub is done on screen: sign-up and approval, release from
Formgrader, fetch, answer, save, Validate and Submit in the learner's JupyterLab, collect and autograde,
a written answer graded by hand, feedback released, fetched and read by the learner. Each step asserts
the text the person sees. Screenshots of both screens, as they were last, land in the test's tmp folder.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from conftest import ASSIGNMENT, HIDDEN_MARKER, SOLUTION_MARKER, autograded_points
from test_hub import LEARNER_A, PASSWORD, TRAINER, hub, wait_until  # noqa: F401  (hub is the fixture this test runs on)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.skipif(os.geteuid() != 0, reason="the hub creates Linux accounts: run as root (CI does)"),
]

LONG = 180_000  # ms: a first spawn, a JupyterLab build of the page or an autograde on a busy 2-core machine
COURSE_ID = "civickit"
# What the learner types: the three code answers (correct: 5 automatic points) and the written one.
CODE_ANSWERS = [
    'def consultation_length(published, closes):\n    """Calendar days."""\n    return (closes - published).days\n',
    'def meets_legal_minimum(days, exceptional_reason):\n'
    '    has_reason = isinstance(exceptional_reason, str) and exceptional_reason.strip() != ""\n'
    '    return days >= (14 if has_reason else 30)\n',
    'days = [consultation_length(p, c) for p, c in zip(consultations["published"], consultations["closes"])]\n'
    'ok = [meets_legal_minimum(d, r) for d, r in zip(days, consultations["exceptional_reason"])]\n'
    'share_compliant = sum(ok) / len(ok)\n',
]
WRITTEN_ANSWER = ("Препоръка към община Елхово: половината консултации са по-кратки от 30 дни по чл. 26, ал. 4 "
                  "от ЗНА; да се публикува годишен план на консултациите.")
MANUAL_POINTS = 2  # of the written answer's 3
TRAINER_COMMENT = "Добро позоваване на закона; липсва конкретното число от част 3."


def lab_ready(page, name: str) -> None:
    """JupyterLab of `name` is on screen with its menu bar (the hub spawned the server behind it)."""
    page.wait_for_url(re.compile(rf"/user/{name}/lab"), timeout=LONG)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").wait_for(timeout=LONG)


def sign_up(page, hub_url: str, name: str) -> str:
    page.goto(f"{hub_url}/hub/signup")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.fill("#password_confirmation_input", PASSWORD)
    page.click("#signup_submit")
    alert = page.locator(".alert")
    alert.wait_for(timeout=60_000)
    return alert.inner_text()


def log_in(page, hub_url: str, name: str) -> None:
    page.goto(f"{hub_url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", PASSWORD)
    page.click("#login_submit")
    # the hub spawns the server and lands on its default page, the course book (course/index.html, which
    # forwards to the first page of the book) ...
    page.wait_for_url(re.compile(rf"/user/{name}/course/"), timeout=LONG)
    # ... from where the person goes on to JupyterLab, once the book's own forwarding is over
    for _ in range(5):
        try:
            page.goto(f"{hub_url}/user/{name}/lab")
            break
        except PlaywrightError as err:
            if "interrupted by another navigation" not in str(err):
                raise
    lab_ready(page, name)


def open_from_nbgrader_menu(page, command: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(f'li[data-command="{command}"]').click()


def formgrader_modal(frame, expected: str) -> str:
    """The success dialog Formgrader shows after an action; closed again. Fails with the error dialog's text."""
    modal = frame.locator("#success-modal, #error-modal").first
    modal.wait_for(timeout=LONG)
    text = modal.inner_text()
    assert expected in text, text
    modal.locator(".modal-footer button").first.click()
    frame.locator(".modal-backdrop").wait_for(state="detached", timeout=30_000)
    return text


def assignment_row(frame):
    row = frame.locator("tr", has=frame.locator("td.name", has_text=ASSIGNMENT))
    row.wait_for(timeout=LONG)
    return row


def replace_cell_text(page, cell, text: str) -> None:
    """Select everything in the cell's CodeMirror editor and type the new text in its place."""
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    # insert_text types as an input method does: no auto-indent or bracket closing doubling what we type
    page.keyboard.insert_text(text)


def test_journey_on_the_hub(hub, planted_kit, browser, tmp_path):  # noqa: F811
    """Can a trainer and a learner, each in their own browser, take an assignment from release to feedback?"""
    source = planted_kit / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    auto_points = autograded_points(source)
    cells = json.loads(source.read_text(encoding="utf-8"))["cells"]
    written_points = sum(c["metadata"]["nbgrader"]["points"] for c in cells
                         if c["cell_type"] == "markdown" and c["metadata"].get("nbgrader", {}).get("grade"))
    assert auto_points > 0 and written_points > MANUAL_POINTS
    hub.start(idle_timeout=3600)
    contexts = {who: browser.new_context(locale="bg-BG", viewport={"width": 1400, "height": 900})
                for who in (TRAINER, LEARNER_A)}
    trainer, learner = (contexts[w].new_page() for w in (TRAINER, LEARNER_A))
    outside = []  # the hub's pages, JupyterLab, Formgrader and the feedback load nothing from elsewhere
    for pg in (trainer, learner):
        pg.set_default_timeout(60_000)
        pg.on("request", lambda r: outside.append(r.url) if r.url.startswith(("http", "ws"))
              and not r.url.split("/")[2].startswith(("127.0.0.1", "localhost")) else None)
    try:
        journey(hub, trainer, learner, auto_points, written_points)
        assert not outside, outside
    finally:
        # both screens as they were last (the feedback, or the step that failed), for a person to look at
        for who, pg in ((TRAINER, trainer), (LEARNER_A, learner)):
            try:
                pg.screenshot(path=str(tmp_path / f"{who}.png"), full_page=True)
                (tmp_path / f"{who}.html").write_text(pg.content(), encoding="utf-8")
            except Exception:  # a crashed page must not hide the real failure
                pass
        print(f"screenshots of both screens: {tmp_path}")
        for ctx in contexts.values():
            ctx.close()


def journey(hub, trainer, learner, auto_points: float, written_points: float) -> None:
    total = auto_points + written_points
    # --- sign-up: the trainer is approved at once, the learner waits for the trainer
    assert "successful" in sign_up(trainer, hub.url, TRAINER).lower()
    assert "sent to the admin" in sign_up(learner, hub.url, LEARNER_A)
    log_in(trainer, hub.url, TRAINER)
    trainer.goto(f"{hub.url}/hub/authorize")
    trainer.locator(f"tr#{LEARNER_A}").get_by_role("button", name="Authorize", exact=True).click()
    approved = trainer.locator(f"tr#{LEARNER_A}")
    approved.get_by_role("button", name="Unauthorize", exact=True).wait_for()
    assert "Yes" in approved.inner_text(), approved.inner_text()  # the "Is authorized?" column

    # --- trainer: Formgrader from the Nbgrader menu; Generate, then Release
    trainer.goto(f"{hub.url}/user/{TRAINER}/lab")
    lab_ready(trainer, TRAINER)
    open_from_nbgrader_menu(trainer, "nbgrader:open-formgrader")
    trainer.locator(".lm-TabBar-tab", has_text="Formgrader").wait_for()
    # the tab frames the trainer's own Formgrader: the server lets its own origin frame it, and no other site
    policy = trainer.context.request.get(f"{hub.url}/user/{TRAINER}/formgrader").headers["content-security-policy"]
    assert policy.startswith("frame-ancestors 'self';"), policy
    fg = trainer.frame_locator("iframe[src*='formgrader']")
    row = assignment_row(fg)
    row.locator("td.assign a").click()
    formgrader_modal(fg, f"Successfully created the student version of '{ASSIGNMENT}'")
    assignment_row(fg).locator("td.release a").click()
    formgrader_modal(fg, f"Successfully released '{ASSIGNMENT}'")
    assert "released" in assignment_row(fg).locator("td.status").inner_text()

    # --- learner: logs in, JupyterLab opens; Nbgrader -> Assignment List; Fetch
    log_in(learner, hub.url, LEARNER_A)
    open_from_nbgrader_menu(learner, "nbgrader:open-assignment-list")
    panel = learner.locator(".panel", has_text="Released assignments").first
    panel.wait_for(timeout=LONG)
    released = learner.locator("#released_assignments_list > .list_item", has_text=ASSIGNMENT)
    released.wait_for(timeout=LONG)
    released.get_by_role("button", name="Fetch").click()
    fetched = learner.locator("#fetched_assignments_list > .list_item", has_text=ASSIGNMENT)
    fetched.wait_for(timeout=LONG)
    # the assignment's notebooks fold out under its name; a click on the notebook opens it
    fetched.locator("a", has_text=ASSIGNMENT).first.click()
    notebook_link = learner.locator(f"#nbgrader-{COURSE_ID}-{ASSIGNMENT} .list_item .item_name a", has_text=ASSIGNMENT)
    notebook_link.first.click()
    nb = learner.locator(".jp-NotebookPanel:visible")
    nb.locator(".jp-Cell").first.wait_for(timeout=LONG)
    assert SOLUTION_MARKER not in nb.inner_text()

    # --- learner answers: three code cells and the written answer, saves with Ctrl+S
    stubs = nb.locator(".jp-CodeCell", has_text="ВАШИЯТ КОД ТУК")
    wait_until(lambda: stubs.count() == len(CODE_ANSWERS), "the three code stubs on screen", 120)
    for answer in CODE_ANSWERS:
        replace_cell_text(learner, nb.locator(".jp-CodeCell", has_text="ВАШИЯТ КОД ТУК").first, answer)
    # the last one: the instructions at the top quote the stub too
    written = nb.locator(".jp-MarkdownCell", has_text="ВАШИЯТ ОТГОВОР ТУК").last
    written.dblclick()
    replace_cell_text(learner, written, WRITTEN_ANSWER)
    learner.keyboard.press("Shift+Enter")  # renders the markdown, as a learner leaves the cell
    assert WRITTEN_ANSWER[:40] in nb.inner_text()
    learner.keyboard.press("Control+s")
    learner.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").wait_for(state="detached", timeout=60_000)

    # --- Validate: nbgrader's dialog says all tests pass
    nb.locator(".jp-Toolbar-item", has_text="Validate").click()
    dialog = learner.locator(".jp-Dialog")
    dialog.wait_for(timeout=LONG)
    learner.locator(".jp-Dialog-body", has_text=re.compile(r"\w")).wait_for(timeout=LONG)
    said = dialog.inner_text()
    assert "Success! Your notebook passes all the tests." in said, said
    dialog.get_by_role("button").last.click()
    dialog.wait_for(state="detached")

    # --- Submit from the Assignments tab; "Submitted assignments" shows when
    learner.locator(".lm-TabBar-tab", has_text="Assignments").click()
    learner.locator("#fetched_assignments_list > .list_item", has_text=ASSIGNMENT).get_by_role(
        "button", name="Submit").first.click()
    submission = learner.locator(f"#nbgrader-{COURSE_ID}-{ASSIGNMENT}-submissions > .list_item .item_name")
    submission.first.wait_for(timeout=LONG)
    stamp = submission.first.inner_text()
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", stamp), stamp

    # --- trainer: Collect, then autograde from "Manage submissions"
    trainer.bring_to_front()
    assignment_row(fg).locator("td.collect a").click()
    formgrader_modal(fg, f"Successfully collected submissions of '{ASSIGNMENT}'")
    count = assignment_row(fg).locator("td.num-submissions")
    assert count.inner_text().strip() == "1", count.inner_text()
    count.locator("a").click()
    student = hub.system_name(LEARNER_A)  # nbgrader names a learner by the submission's Linux owner
    sub_row = fg.locator("tr", has=fg.locator("td.student-id", has_text=student))
    sub_row.wait_for(timeout=LONG)
    sub_row.locator("td.autograde a").click()
    formgrader_modal(fg, f"Successfully autograded '{ASSIGNMENT}' for student '{student}'")
    print("manage submissions after autograde:", sub_row.inner_text())
    # the trainer's ~/course has no cohort.json: times still in the region's zone (December: EET), never UTC
    stamp_shown = sub_row.locator("td.timestamp").inner_text()
    assert stamp_shown.endswith("EET"), stamp_shown

    # --- trainer grades the written answer by hand: Manual Grading -> assignment -> notebook -> submission
    fg.locator("a", has_text="Manual Grading").first.click()
    fg.locator("a", has_text=ASSIGNMENT).first.click()
    fg.locator("td a", has_text=ASSIGNMENT).first.click()  # the notebook of the assignment
    fg.locator("td a", has_text=re.compile(r"Submission #1|" + re.escape(student))).first.click()
    score_box = fg.locator("input.score#recommendation")
    score_box.wait_for(timeout=LONG)
    assert WRITTEN_ANSWER[:40] in fg.locator("body").inner_text()  # the learner's words, as typed
    # the page fills its inputs from the gradebook once loaded; typing before that is wiped out
    loaded = "() => window.formgrader && formgrader.grades.loaded === true && formgrader.comments.loaded === true"
    wait_until(lambda: fg.locator("body").evaluate(loaded), "Formgrader to load the grades and comments", 120)
    score_box.fill(str(MANUAL_POINTS))
    with trainer.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        score_box.press("Tab")  # Formgrader saves on change (its tick only flashes)
    assert saved.value.ok, saved.value.status
    comment = fg.locator("textarea#recommendation-comment")
    comment.fill(TRAINER_COMMENT)
    with trainer.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT") as saved:
        comment.press("Tab")
    assert saved.value.ok, saved.value.status
    # back to the notebook's submissions table: the total counts the hand-given points
    fg.locator(".breadcrumb a", has_text=ASSIGNMENT).last.click()
    grades = fg.locator("tr", has=fg.locator("td", has_text=re.compile("Submission #1|" + re.escape(student))))
    grades.first.wait_for(timeout=LONG)
    expected_score = f"{auto_points + MANUAL_POINTS:g} / {total:g}"
    assert expected_score in grades.first.locator("td.score").inner_text(), grades.first.inner_text()

    # --- trainer: Generate feedback, Release feedback (Manage Assignments)
    fg.locator("a", has_text="Manage Assignments").first.click()
    assignment_row(fg).locator("td.generate-feedback a").click()
    formgrader_modal(fg, f"Successfully generated feedback of '{ASSIGNMENT}'")
    assignment_row(fg).locator("td.release-feedback a").click()
    formgrader_modal(fg, f"Successfully released feedback of '{ASSIGNMENT}'")

    # --- learner: Fetch Feedback, view feedback; the page shows the score and the trainer's comment
    learner.bring_to_front()
    learner.locator("#refresh_assignments_list").click()
    submitted = learner.locator("#submitted_assignments_list > .list_item", has_text=ASSIGNMENT)
    submitted.get_by_role("button", name="Fetch Feedback").click()
    view = learner.locator("#submitted_assignments_list a", has_text="view feedback")
    view.first.wait_for(timeout=LONG)
    view.first.click()
    # nbgrader's link opens the feedback folder in the file browser; the learner opens the HTML file there
    learner.locator(".jp-DirListing-item", has_text=f"{ASSIGNMENT}.html").dblclick()
    feedback = learner.frame_locator(".jp-HTMLViewer:visible iframe").locator("body")
    score_line = f"Score: {auto_points + MANUAL_POINTS:.1f} / {total:.1f}"
    feedback.get_by_text(score_line).first.wait_for(timeout=LONG)
    text = feedback.inner_text()
    assert TRAINER_COMMENT in text, text[:2000]
    assert SOLUTION_MARKER not in text and HIDDEN_MARKER not in text
