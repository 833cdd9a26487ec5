"""The tools in the book (issue 19.5): each linked from a lesson and from the tools page, each opening from there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civickit.app_catalog import apps
from civickit.outline import read_outline

REPO = Path(__file__).resolve().parents[1]


def tools(root: Path) -> list:
    return [app for app in apps(root) if app.kind == "tool" and app.path.startswith("tools/")]


def test_every_tool_is_opened_from_a_lesson():
    """Does at least one lesson open each tool of practices/tools/ (so a learner meets it in the book)?"""
    outline = read_outline(REPO)
    found = tools(REPO)
    assert len(found) >= 6
    for app in found:
        users = [lesson.docname for lesson in outline.lessons if f"practices/{app.path}" in lesson.notebooks]
        assert users, f"no lesson links practices/{app.path}: add {{interactive}}`practices/{app.path}` to the lesson that uses it"


def test_tools_page_lists_every_tool_with_its_lessons(built_book, planted_kit):
    """Does the tools page show every tool's title, a link that opens it in Voila and links to the lessons that use it?"""
    html = (built_book / "book" / "tools.html").read_text(encoding="utf-8")
    items = re.findall(r'<li class="civickit-tool">(.*?)</li>', html, re.S)
    assert len(items) == len(tools(planted_kit))
    for app, item in zip(sorted(tools(planted_kit), key=lambda a: a.title), items):
        assert app.title in item
        assert re.search(rf'href="(\.\./)+voila/render/practices/{re.escape(app.path)}"', item), item
        assert "Използва се в" in item and re.search(r'href="[^"]*\d\d-[^"]+\.html"', item), item


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("lesson, label, heading", [
    ("book/03-project-writing/workplan-budget.html", "Отворете калкулатора на бюджета", "Калкулатор на проектния бюджет"),
    ("book/tools.html", "Отворете инструмента", "Карта на заинтересованите страни"),
])
def test_a_tool_opens_from_the_book(server, page, lesson, label, heading):
    """Does a learner who clicks the tool's link in the book get the live app (not code) on the same server?"""
    page.goto(server.url(f"course/{lesson}"), timeout=120_000)
    link = page.get_by_role("link", name=re.compile(label))
    if lesson.endswith("tools.html"):
        link = page.locator("li.civickit-tool", has_text=heading).get_by_role("link", name=re.compile(label))
    link.first.click()
    page.get_by_role("heading", name=heading).wait_for(timeout=120_000)
    page.locator(".civickit-result").first.wait_for(timeout=120_000)
    assert "/voila/render/practices/tools/" in page.url
    assert page.locator(".jp-CodeMirrorEditor, .jp-CodeCell .jp-InputArea-editor").count() == 0  # no code shown
    assert page.outside_requests == []
