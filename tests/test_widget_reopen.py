"""A notebook reopened in JupyterLab shows its saved widgets, not "Error displaying widget: model not found"
(issue 19, item 9). The learner's server as `make start` runs it, Chromium, the learner's own exercise copy."""

from __future__ import annotations

import uuid
from urllib.parse import unquote

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "course/book/05-dialogue/public-consultations.html"
LONG = 120_000


def test_reopened_exercise_shows_its_widgets(server, browser):
    """After answering a question, saving and reopening the exercise, does the question show again with the
    chosen answer, and no widget error?"""
    context = browser.new_context(locale="bg-BG", viewport={"width": 1280, "height": 4000})
    context.set_default_timeout(LONG)
    page = context.new_page()
    try:
        page.goto(server.url(LESSON))
        page.locator("a.civickit-open-exercises").first.click()
        page.wait_for_url(lambda url: "/lab/tree/" in unquote(url), timeout=LONG)
        # The copy alone in a fresh JupyterLab workspace: tabs other tests left open in the shared server's
        # default workspace would otherwise take the Run menu's command.
        copy = page.url.split("/lab/tree/", 1)[1].split("?", 1)[0]
        page.goto(server.url(f"lab/workspaces/reopen-{uuid.uuid4().hex[:8]}/tree/{copy}?reset"))
        page.locator(".jp-Notebook .jp-RenderedMarkdown h1").first.wait_for()
        page.locator(".jp-Notebook .jp-RenderedMarkdown h1").first.click()
        page.locator(".jp-NotebookPanel-toolbar").first.wait_for()
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        radio = page.locator(".widget-radio-box input[type=radio]").first
        radio.wait_for()
        radio.check()
        page.keyboard.press("Control+s")
        page.locator(".jp-mod-dirty").first.wait_for(state="detached")
        # As on the next day: the kernel that made the widgets is gone when the notebook opens again.
        page.locator(".lm-MenuBar-itemLabel", has_text="Kernel").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Shut Down Kernel").first.click()
        page.locator(".jp-Notebook-ExecutionIndicator, .jp-KernelStatus").first.wait_for(state="attached")
        page.wait_for_timeout(2000)
        page.reload()
        page.locator(".jp-Notebook .jp-RenderedMarkdown h1").first.wait_for()
        page.locator(".jp-OutputArea-output").first.wait_for()
        page.wait_for_timeout(3000)  # widgets render after the notebook's outputs
        outputs = page.locator(".jp-Notebook .jp-OutputArea").all_inner_texts()
        assert not any("model not found" in text or "Error displaying widget" in text for text in outputs), outputs
        shown = page.locator(".widget-radio-box input[type=radio]")
        assert shown.count() > 0
        assert any(shown.nth(i).is_checked() for i in range(shown.count()))
    finally:
        context.close()
