"""civickit plan: session plans and the training-day agenda, made by the real command from the real lesson
sources; expected titles, minutes and trainer notes are read from the lesson files by regular expressions."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from civickit.outline import Lesson, read_outline
from civickit.plan import day_slots, parse_clock, timing
from conftest import BIN, REPO, kit_env, run

LESSON = "book/05-dialogue/public-consultations"
DAY = ["book/05-dialogue/participation-levels", LESSON, "book/05-dialogue/councils-and-committees",
       "book/05-dialogue/direct-participation", "book/06-policy/policy-cycle"]


def civickit(*args, expect=0):
    return run([BIN / "civickit", "plan", *args], cwd=REPO, env=kit_env(REPO), expect=expect)


def text_of(path: Path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())


def lesson_facts(docname: str) -> dict:
    text = (REPO / f"{docname}.md").read_text(encoding="utf-8")
    notes = re.findall(r"^:{3,}\{trainer-note\}\n(.*?)\n:{3,}$", text, re.M | re.S)
    return {"title": re.search(r"^# (.+)$", text, re.M).group(1).strip(),
            "teaching": int(re.search(r"^:teaching: (\d+)", text, re.M).group(1)),
            "exercises": int(re.search(r"^:exercises: (\d+)", text, re.M).group(1)),
            "notes": notes}


def note_sentence(notes: list[str]) -> str:
    """A plain sentence of a trainer note (no roles or markup), as it reads once printed."""
    for note in notes:
        for line in note.splitlines():
            line = re.sub(r"^\s*-\s*", "", line)
            if line and "{" not in line and "`" not in line:
                return " ".join(line.replace("**", "").split())[:120]
    raise AssertionError("no plain trainer note line")


def test_lesson_plan_has_title_minutes_timing_and_trainer_note(tmp_path):
    """Does the plan made by `civickit plan lesson` show the lesson's title, minutes, a timing table that adds up
    to them, the exercise notebook, the module's assignment and the trainer's note?"""
    out = civickit("lesson", LESSON, "--out", str(tmp_path))
    path = tmp_path / "plan-05-dialogue-public-consultations.html"
    assert str(path) in out.stdout
    facts = lesson_facts(LESSON)
    text = text_of(path)
    assert f"План на занятието: {facts['title']}" in text
    assert f"Обучение: {facts['teaching']} мин" in text and f"Упражнения: {facts['exercises']} мин" in text
    total = re.search(r'<tr class="total"><td></td><td class="num">(\d+)</td>', path.read_text(encoding="utf-8"))
    assert int(total.group(1)) == facts["teaching"] + facts["exercises"]
    assert "exercises/05-consultation-deadlines.ipynb" in text
    assert "civickit cohort release public-consultation" in text
    assert note_sentence(facts["notes"]) in text


def test_plans_for_a_module_and_a_clock_start(tmp_path):
    """Does a module name give one plan per lesson, and --start print clock times from it?"""
    civickit("lesson", "book/09-trainer", "--start", "14:00", "--out", str(tmp_path))
    module = next(m for m in read_outline(REPO).modules if m.number == 9)
    plans = sorted(p.name for p in tmp_path.glob("plan-*.html"))
    assert plans == sorted(f"plan-{les.docname.removeprefix('book/').replace('/', '-')}.html" for les in module.lessons)
    first = module.lessons[0]
    text = text_of(tmp_path / f"plan-{first.docname.removeprefix('book/').replace('/', '-')}.html")
    end = 14 * 60 + first.minutes
    assert text.count("14:00–") == 1 and f"{end // 60:02d}:{end % 60:02d}" in text


def test_every_lesson_timing_adds_up():
    """For every lesson of the course, do the timing rows add up to its teaching and exercise minutes, in fives?"""
    for lesson in read_outline(REPO).lessons:
        rows = timing(lesson)
        assert sum(r.teaching for r in rows) == lesson.teaching, lesson.docname
        assert sum(r.exercises for r in rows) == lesson.exercises, lesson.docname
        assert all(r.minutes > 0 for r in rows), lesson.docname
        if lesson.teaching % 5 == 0 and lesson.exercises % 5 == 0:
            assert all(r.minutes % 5 == 0 for r in rows), lesson.docname


def test_day_agenda_times_lessons_breaks_and_lunch(tmp_path):
    """Does `civickit plan day` lay the chosen lessons from --start with a break and lunch, clock times adding
    up to the lessons' minutes, each lesson's title and minutes shown and no trainer note?"""
    out_file = tmp_path / "agenda.html"
    civickit("day", *DAY, "--start", "09:30", "--breaks", "11:00", "--lunch", "12:30", "--out", str(out_file))
    text = text_of(out_file)
    facts = [lesson_facts(d) for d in DAY]
    at = 9 * 60 + 30
    clock = lambda m: f"{m // 60:02d}:{m % 60:02d}"  # noqa: E731
    pauses = 0
    for fact in facts:
        minutes = fact["teaching"] + fact["exercises"]
        row = re.search(rf"(\d\d:\d\d)–(\d\d:\d\d) {minutes} {re.escape(fact['title'])}", text)
        assert row, fact["title"]
        start = parse_clock(row.group(1), "")
        assert start >= at
        pauses += start - at
        assert parse_clock(row.group(2), "") == start + minutes
        assert f"обучение {fact['teaching']} мин, упражнения {fact['exercises']} мин" in text
        at = start + minutes
        for note in fact["notes"]:
            assert note_sentence([note]) not in text
    assert pauses == 15 + 60 and "Почивка" in text and "Обяд" in text
    assert f"09:30–{clock(at)}" in text
    total = sum(f["teaching"] + f["exercises"] for f in facts) + pauses
    assert f"{total} Общо, с почивките" in text


def test_agenda_and_plan_are_self_contained_printable_html(tmp_path):
    """Are the plan and the agenda one file each, with inline CSS, an A4 page and nothing loaded from elsewhere?"""
    civickit("lesson", LESSON, "--out", str(tmp_path))
    civickit("day", LESSON, "--out", str(tmp_path / "agenda.html"))
    for path in (tmp_path / "agenda.html", tmp_path / "plan-05-dialogue-public-consultations.html"):
        source = path.read_text(encoding="utf-8")
        assert '<html lang="bg">' in source and '<meta charset="utf-8">' in source
        assert "size: A4" in source
        assert not re.search(r"<(link|script|img)\b|@import|url\(", source), path


@pytest.mark.browser
def test_agenda_prints_to_a4_pdf_with_cyrillic_text(tmp_path, browser):
    """Does Chromium print the agenda to an A4 PDF whose extracted text is the lesson's Cyrillic title?"""
    from pypdf import PdfReader

    agenda = tmp_path / "agenda.html"
    civickit("day", LESSON, "book/05-dialogue/direct-participation", "--out", str(agenda))
    page = browser.new_page()
    page.goto(agenda.as_uri())
    pdf = tmp_path / "agenda.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    page.close()
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert lesson_facts(LESSON)["title"] in text
    assert "Програма на учебния ден" in text


@pytest.mark.parametrize("args, message", [
    (["lesson", "book/05-dialogue/no-such-lesson"], "Unknown lesson 'book/05-dialogue/no-such-lesson'"),
    (["day", "book/glossary"], "'book/glossary' is a page of _toc.yml but not a lesson"),
    (["day", LESSON, "--start", "25:00"], "--start '25:00' is not a time of day"),
    (["day", LESSON, "--breaks", "08:00"], "--breaks 08:00 is not after --start 09:30"),
    (["lesson"], "Name at least one lesson"),
])
def test_operator_errors_name_the_bad_argument(args, message, tmp_path):
    """Does a bad lesson or option end in one English line naming it (exit code 2, no traceback)?"""
    result = civickit(*args, "--out", str(tmp_path / ("x.html" if args[0] == "day" else "plans")), expect=2)
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def lesson_of(minutes: int, name: str) -> Lesson:
    return Lesson(f"book/x/{name}", Path(f"{name}.md"), name, minutes, 0, "Модул 1. Пример")


def test_breaks_go_to_the_nearest_lesson_boundary():
    """Is a break taken at the lesson boundary nearest its time, and overdue pauses folded into one?"""
    lessons = [lesson_of(45, "a"), lesson_of(50, "b"), lesson_of(60, "c"), lesson_of(30, "d")]
    slots = day_slots(lessons, 9 * 60, [10 * 60], 15, 11 * 60 + 30, 45)
    # 09:00 a 09:45 -> b would end 10:35 (35 after 10:00, 15 before it): the break goes first.
    assert [(s.label, s.start) for s in slots] == [
        ("a", 540), ("Почивка", 585), ("b", 600), ("c", 650), ("Обяд", 710), ("d", 755)]
    folded = day_slots(lessons[:2], 9 * 60, [9 * 60 + 10, 9 * 60 + 20], 15, None, 60)
    assert [s.label for s in folded] == ["a", "Почивка", "b"]
