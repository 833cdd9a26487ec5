"""The course outline (civickit.outline) and the pages generated from it: the landing page's module list and
the syllabus. Expected values are read from the real sources by plain regular expressions, independently of
the module under test, so the checks follow the book as it grows (modules 8 and 9 included)."""

from __future__ import annotations

import html
import json
import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
import yaml

from civickit.errors import KitError
from civickit.outline import read_outline
from conftest import REPO, TRAINER_MARKER

TRAINER_NOTE_OPEN = re.compile(r"^:{3,}\{trainer-note\}", re.M)


def source_lessons(root: Path) -> dict[str, list[dict]]:
    """{part caption: [{docname, title, teaching, exercises}]} for each part of _toc.yml, by regex on the files."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = {}
    for part in toc["parts"]:
        docnames = re.findall(r"'file': '([^']+)'", str(part))
        lessons = []
        for docname in docnames:
            text = (root / f"{docname}.md").read_text(encoding="utf-8")
            if "{lesson-overview}" not in text:
                continue
            lessons.append({"docname": docname, "title": re.search(r"^# (.+)$", text, re.M).group(1).strip(),
                            "teaching": int(re.search(r"^:teaching: (\d+)", text, re.M).group(1)),
                            "exercises": int(re.search(r"^:exercises: (\d+)", text, re.M).group(1))})
        if lessons:
            found[part["caption"]] = lessons
    return found


def test_outline_has_every_module_and_lesson_of_the_toc():
    """Does the outline hold every part of _toc.yml that has lessons (modules 0-9), each lesson's title and minutes?"""
    expected = source_lessons(REPO)
    outline = read_outline(REPO)
    assert [m.caption for m in outline.modules] == list(expected)
    assert [m.number for m in outline.modules] == list(range(10)), "modules 0-9, in order"
    for module in outline.modules:
        got = [{"docname": les.docname, "title": les.title, "teaching": les.teaching, "exercises": les.exercises}
               for les in module.lessons]
        assert got == expected[module.caption], module.caption


def test_totals_are_sums_of_lesson_minutes():
    """Are module and course totals the sums of the lessons' teaching and exercise minutes?"""
    outline = read_outline(REPO)
    expected = source_lessons(REPO)
    for module in outline.modules:
        assert module.teaching == sum(les["teaching"] for les in expected[module.caption])
        assert module.exercises == sum(les["exercises"] for les in expected[module.caption])
    every = [les for lessons in expected.values() for les in lessons]
    assert outline.minutes == sum(les["teaching"] + les["exercises"] for les in every)
    assert len(outline.lessons) == len(every) >= 40


def test_lesson_anatomy_read_from_source():
    """Are a real lesson's questions, objectives, key points, trainer note and exercise notebook read from its page?"""
    lesson = read_outline(REPO).select(["book/05-dialogue/public-consultations"])[0]
    text = (REPO / "book/05-dialogue/public-consultations.md").read_text(encoding="utf-8")
    assert lesson.questions and all(q in text for q in lesson.questions)
    assert lesson.objectives and all(o in text for o in lesson.objectives)
    assert lesson.key_points and all(k in text for k in lesson.key_points)
    assert len(lesson.trainer_notes) == len(TRAINER_NOTE_OPEN.findall(text)) >= 1
    assert "exercises/05-consultation-deadlines.ipynb" in lesson.notebooks
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert [s.title for s in lesson.sections] == headings


def test_assignments_belong_to_the_module_their_title_names():
    """Is each kit assignment placed in the module its notebook's 'Задание N.' heading names?"""
    outline = read_outline(REPO)
    placed = {a.id: m.number for m in outline.modules for a in m.assignments}
    assert set(placed) == {p.name for p in (REPO / "assignments").iterdir() if p.is_dir()}
    for assignment, number in placed.items():
        nb = json.loads(next((REPO / "assignments" / assignment).glob("*.ipynb")).read_text(encoding="utf-8"))
        first = "".join(nb["cells"][0]["source"])
        assert re.match(rf"# Задание {number}\.", first), assignment


@pytest.mark.parametrize("name, message", [
    ("book/05-dialogue/public-consultation", "Unknown lesson 'book/05-dialogue/public-consultation'"),
    ("book/glossary", "'book/glossary' is a page of _toc.yml but not a lesson"),
    ("no-such-module/lesson", "Unknown lesson 'no-such-module/lesson'"),
])
def test_unknown_lesson_gives_a_clear_error(name, message):
    """Does naming a lesson that is not one raise a KitError that names it (and suggests the near miss)?"""
    with pytest.raises(KitError) as err:
        read_outline(REPO).select([name])
    assert message in str(err.value)
    if name.endswith("public-consultation"):
        assert "book/05-dialogue/public-consultations" in str(err.value)


def test_module_name_selects_all_its_lessons():
    """Does a module's folder (or its index) select all of its lessons in outline order?"""
    outline = read_outline(REPO)
    module = next(m for m in outline.modules if m.number == 8)
    assert outline.select(["book/08-public-support"]) == module.lessons
    assert outline.select(["08-public-support/index.md"]) == module.lessons


def test_assignment_without_module_number_is_reported(tmp_path):
    """Is an assignment whose first heading lacks 'Задание N.' reported by its file, not silently left out?"""
    root = tmp_path / "kit"
    shutil.copytree(REPO / "book" / "05-dialogue", root / "book" / "05-dialogue")
    (root / "_toc.yml").write_text("root: book/05-dialogue/index\nparts:\n  - caption: Модул 5. Диалог\n    chapters:\n"
                                   "      - file: book/05-dialogue/index\n        sections:\n"
                                   "          - file: book/05-dialogue/public-consultations\n", encoding="utf-8")
    folder = root / "assignments" / "own"
    folder.mkdir(parents=True)
    def notebook(heading):
        cells = [{"cell_type": "markdown", "metadata": {}, "source": heading}]
        (folder / "own.ipynb").write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4,
                                                      "nbformat_minor": 5}), encoding="utf-8")

    notebook("# Моето задание\n\nЗадание 5. не е заглавие")
    with pytest.raises(KitError, match=r"assignments/own/own.ipynb: its first heading must read '# Задание N"):
        read_outline(root)
    notebook("# Задание 5. Моето задание")
    module = read_outline(root).modules[0]
    assert [a.title for a in module.assignments] == ["Моето задание"]


# ------------------------------------------------------------------------------------------- built pages


def visible_text(html_text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", html_text)).split())


@pytest.mark.slow
def test_syllabus_lists_every_lesson_with_minutes_and_totals(built_book, planted_kit):
    """Does the built syllabus show each lesson's title and minutes, each module's assignment and the course
    totals as the sums of the lesson minutes, without any trainer note?"""
    page = (built_book / "book/syllabus.html").read_text(encoding="utf-8")
    text = visible_text(page)
    expected = source_lessons(planted_kit)
    for caption, lessons in expected.items():
        assert caption in text
        for les in lessons:
            row = f"{les['title']} {les['teaching']} {les['exercises']} {les['teaching'] + les['exercises']}"
            assert row in text, row
    every = [les for lessons in expected.values() for les in lessons]
    teaching, exercises = sum(les["teaching"] for les in every), sum(les["exercises"] for les in every)
    hours, minutes = divmod(teaching + exercises, 60)
    assert f"Общо {len(every)} {teaching} {exercises} {hours} ч {minutes:02d} мин" in text.replace("\u00a0", " ")
    for assignment in read_outline(planted_kit).modules[5].assignments:
        assert f"Задание 5. {assignment.title}" in text
    assert TRAINER_MARKER not in page and "trainer-note" not in page


@pytest.mark.slow
def test_landing_page_has_no_stale_module_list(built_book):
    """Is the landing page's 'в подготовка' list gone, replaced by the generated overview?"""
    page = (built_book / "book/index.html").read_text(encoding="utf-8")
    assert "в подготовка" not in page
    assert 'class="civickit-course-overview' in page


@pytest.mark.slow
@pytest.mark.browser
def test_landing_page_links_every_module_to_all_its_lessons(server, page, planted_kit):
    """On the landing page as `civickit start` serves it, is every module listed with a link to each of its
    lessons, and does each link open its page (HTTP 200)?"""
    page.goto(server.url("course/book/index.html"))
    modules = page.locator(".civickit-course-overview > li.civickit-module")
    expected = source_lessons(planted_kit)
    assert modules.count() == len(expected)
    for i, (caption, lessons) in enumerate(expected.items()):
        item = modules.nth(i)
        assert caption in item.locator("p").first.inner_text()
        links = item.locator("li.civickit-lesson a")
        hrefs = links.evaluate_all("els => els.map(a => a.href)")
        names = links.all_inner_texts()
        assert names == [les["title"] for les in lessons], caption
        # fetched from the page itself, with the login the learner has there (as following the link would)
        answers = page.evaluate("hrefs => Promise.all(hrefs.map(h => fetch(h).then(async r => [r.status, await r.text()])))",
                                hrefs)
        for href, les, (status, body) in zip(hrefs, lessons, answers):
            assert urllib.parse.urlparse(href).path == f"/course/{les['docname']}.html"
            assert status == 200, href
            assert html.escape(les["title"], quote=False) in body or les["title"] in body, href
        head = item.locator("p").first.inner_text().replace("\u00a0", " ")
        assert f"{len(lessons)} урок" in head, head
    assert page.outside_requests == []
