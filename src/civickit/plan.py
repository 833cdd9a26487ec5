"""What a trainer prints for the training room, generated from the lessons (civickit.outline), never a second copy:

- a session plan per lesson (`civickit plan lesson`): a timing table from the lesson's minutes, its activities
  (its sections), materials (exercise notebooks, case-study apps, the module's assignment) and the trainer notes;
- a training-day agenda for chosen lessons (`civickit plan day`), with breaks and lunch at clock times. The
  agenda goes to the participants, so it never carries trainer notes.

Both are one self-contained HTML file each (inline CSS, no fonts or scripts from elsewhere), A4 print CSS, so a
browser prints them as they are and `civickit handouts`' Chromium can turn them into PDF.

How the timing table splits a lesson's minutes: the teaching minutes go to its sections in proportion to the
prose each holds, the exercise minutes in proportion to the tasks, self-check quizzes and notebooks each holds,
in steps of 5 minutes when the lesson's minutes allow it; a section too short for a step is joined to the row
before it. The rows add up exactly to the lesson's minutes. It is a starting point: the trainer note's own
split of the time, where it gives one, wins (the plan says so).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import KitError
from .formatting import date_bg
from .outline import Lesson, Outline, duration_bg, notebook_title, to_html

STEP = 5  # minutes: trainers plan in fives

CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Noto Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.4; color: #111; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; } h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; }
.meta { color: #333; margin: 0 0 4mm; } .meta span { margin-right: 5mm; white-space: nowrap; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; page-break-inside: auto; }
th, td { border: 1px solid #888; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { background: #e8e8e8; } tr { page-break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; } td.clock { white-space: nowrap; }
tr.pause td { background: #f3f3f3; font-style: italic; } tr.total td { font-weight: bold; }
.kind { color: #444; font-size: 9pt; } .cite { color: #555; font-size: 8.5pt; }
.note { border-left: 3px solid #777; padding: 1mm 0 1mm 4mm; margin: 2mm 0; }
ul { margin: 1mm 0 2mm; padding-left: 6mm; } li { margin: 0.5mm 0; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 9pt; }
.questions { font-size: 9pt; color: #333; margin: 1mm 0 0; }
footer { margin-top: 6mm; font-size: 8.5pt; color: #555; border-top: 1px solid #bbb; padding-top: 2mm; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
"""


def page(title: str, body: str, footer: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="bg">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n<footer>{footer}</footer>\n</body>\n</html>\n")


# ------------------------------------------------------------------------------------------------- timing


@dataclass
class Row:
    titles: list[str]
    teaching: int = 0
    exercises: int = 0
    materials: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises


def apportion(total: int, weights: list[int]) -> list[int]:
    """`total` minutes split in proportion to `weights` (largest remainder, in steps of STEP when total allows)."""
    if not weights or total == 0:
        return [0] * len(weights)
    if sum(weights) == 0:
        weights = [1] * len(weights)
    step = STEP if total % STEP == 0 else 1
    units = total // step
    shares = [units * w / sum(weights) for w in weights]
    whole = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: shares[i] - whole[i], reverse=True)[: units - sum(whole)]:
        whole[i] += 1
    return [w * step for w in whole]


def timing(lesson: Lesson) -> list[Row]:
    """The lesson's sections with their share of its minutes; rows add up to lesson.minutes."""
    sections = lesson.sections or []
    teach = apportion(lesson.teaching, [s.words for s in sections])
    has_activities = any(s.activities for s in sections)
    practice = apportion(lesson.exercises, [s.activities for s in sections]) if has_activities else [0] * len(sections)
    rows: list[Row] = []
    waiting: list[str] = []  # sections before the first row that got minutes
    for section, t, e in zip(sections, teach, practice):
        if t + e == 0:
            (rows[-1].titles if rows else waiting).append(section.title)
            if rows:
                rows[-1].materials.extend(section.notebooks)
                rows[-1].tasks.extend(section.tasks)
            continue
        rows.append(Row(waiting + [section.title], t, e, list(section.notebooks), list(section.tasks)))
        waiting = []
    if not has_activities and lesson.exercises:
        rows.append(Row(["Упражнения"], 0, lesson.exercises))
    if not rows:
        rows.append(Row(waiting or [lesson.title], lesson.teaching, lesson.exercises if has_activities else 0))
    return rows


# ------------------------------------------------------------------------------------------------- clock


def parse_clock(value: str, option: str) -> int:
    """'09:30' -> minutes after midnight; KitError naming the option otherwise."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", value or "")
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise KitError(f"{option} {value!r} is not a time of day: use HH:MM, e.g. 09:30.")
    return int(match.group(1)) * 60 + int(match.group(2))


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def offset(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


# ------------------------------------------------------------------------------------------------- materials


def materials_html(outline: Outline, paths: list[str]) -> str:
    items = []
    for path in dict.fromkeys(paths):
        where = "JupyterLab, самопроверка" if path.startswith("exercises/") else "интерактивен казус (Voila)"
        items.append(f"{html.escape(notebook_title(outline.root, path))} <span class=\"kind\">({where}; "
                     f"<code>{html.escape(path)}</code>)</span>")
    return "; ".join(items)


def lesson_materials(outline: Outline, lesson: Lesson) -> list[str]:
    """Each item of the plan's list of materials, as HTML."""
    module = outline.module_of(lesson)
    items = [materials_html(outline, [nb]) for nb in lesson.notebooks]
    for a in module.assignments:
        items.append(f"Задание за оценка към модула: Задание {a.number}. {html.escape(a.title)} "
                     f"<span class=\"kind\">(nbgrader; <code>civickit cohort release {html.escape(a.id)}</code>)</span>")
    tasks = [t for s in lesson.sections for t in s.tasks]
    if tasks:
        items.append("Задачи в урока: " + "; ".join(html.escape(t) for t in tasks))
    if lesson.quizzes:
        items.append(f"Въпроси за самопроверка в текста на урока: {lesson.quizzes}")
    return items


def bullet(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else "<p>—</p>"


def source_of(outline: Outline, lesson: Lesson) -> str:
    return lesson.source.relative_to(outline.root).as_posix()


# ------------------------------------------------------------------------------------------------- lesson plan


def lesson_plan_html(outline: Outline, lesson: Lesson, start: int | None = None, today: date | None = None) -> str:
    """The trainer's plan of one lesson (trainer notes included)."""
    module = outline.module_of(lesson)
    inline = lambda text: to_html(text, outline, lesson.docname, inline=True)  # noqa: E731
    rows, at, body = timing(lesson), start or 0, []
    body.append(f"<h1>План на занятието: {html.escape(lesson.title)}</h1>")
    body.append(f'<p class="meta"><span>{html.escape(module.caption)}</span>'
                f"<span>Обучение: {lesson.teaching} мин</span><span>Упражнения: {lesson.exercises} мин</span>"
                f"<span>Общо: {duration_bg(lesson.minutes)}</span></p>")
    body.append("<h2>Въпроси</h2>" + bullet([inline(q) for q in lesson.questions]))
    body.append("<h2>Цели</h2>" + bullet([inline(o) for o in lesson.objectives]))
    head = "Час" if start is not None else "От"
    table = [f'<table class="timing"><thead><tr><th>{head}</th><th class="num">Мин</th><th>Дейност</th>'
             "<th>Обучение / упражнения</th><th>Материали</th></tr></thead><tbody>"]
    for row in rows:
        when = f"{clock(at)}–{clock(at + row.minutes)}" if start is not None else offset(at)
        split = " / ".join(filter(None, [f"обучение {row.teaching}" if row.teaching else "",
                                         f"упражнения {row.exercises}" if row.exercises else ""]))
        what = "<br>".join(html.escape(t) for t in row.titles)
        if row.tasks:
            what += '<br><span class="kind">' + "; ".join(html.escape(t) for t in row.tasks) + "</span>"
        table.append(f'<tr><td class="clock">{when}</td><td class="num">{row.minutes}</td><td>{what}</td>'
                     f'<td class="kind">{split}</td><td>{materials_html(outline, row.materials) or "—"}</td></tr>')
        at += row.minutes
    table.append(f'<tr class="total"><td></td><td class="num">{sum(r.minutes for r in rows)}</td>'
                 f"<td>Общо</td><td class=\"kind\">обучение {lesson.teaching} / упражнения {lesson.exercises}</td>"
                 "<td></td></tr></tbody></table>")
    body.append("<h2>Разпределение на времето</h2>" + "".join(table))
    body.append('<p class="kind">Минутите по раздели са ориентировъчни: времето за обучение е разделено според '
                "обема на текста, а времето за упражнения — според задачите, въпросите и тетрадките във всеки "
                "раздел. Ако бележката за обучителя дава свое разпределение, следвайте него.</p>")
    body.append("<h2>Материали</h2>" + bullet(lesson_materials(outline, lesson)))
    notes = "".join(f'<div class="note">{to_html(n, outline, lesson.docname)}</div>' for n in lesson.trainer_notes)
    body.append("<h2>Бележки за обучителя</h2>" + (notes or "<p>—</p>"))
    body.append("<h2>Основни изводи</h2>" + bullet([inline(k) for k in lesson.key_points]))
    footer = (f"Направено от {html.escape(source_of(outline, lesson))} на {date_bg(today or date.today())} "
              "с <code>civickit plan lesson</code>. Източниците на фактите са посочени в урока в книгата "
              "(ключовете в квадратни скоби).")
    return page(f"План: {lesson.title}", "\n".join(body), footer)


def plan_filename(lesson: Lesson) -> str:
    return "plan-" + lesson.docname.removeprefix("book/").replace("/", "-") + ".html"


def write_lesson_plans(outline: Outline, lessons: list[Lesson], out: Path, start: int | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson in dict.fromkeys(lessons):
        path = out / plan_filename(lesson)
        path.write_text(lesson_plan_html(outline, lesson, start), encoding="utf-8")
        written.append(path)
    return written


# ------------------------------------------------------------------------------------------------- day agenda


@dataclass
class Slot:
    start: int                  # minutes after midnight
    minutes: int
    label: str                  # what the agenda shows
    lesson: Lesson | None = None

    @property
    def end(self) -> int:
        return self.start + self.minutes


def day_slots(lessons: list[Lesson], start: int, breaks: list[int], break_minutes: int,
              lunch: int | None, lunch_minutes: int) -> list[Slot]:
    """The lessons one after another from `start`; each break and the lunch at the lesson boundary nearest
    to its time (before a lesson when that lesson would end further past the time than it starts before it)."""
    if not lessons:
        raise KitError("Name at least one lesson for the day's agenda.")
    pauses = sorted([(t, break_minutes, "Почивка") for t in breaks]
                    + ([(lunch, lunch_minutes, "Обяд")] if lunch is not None else []))
    for when, _, what in pauses:
        if when <= start:
            option = "--lunch" if what == "Обяд" else "--breaks"
            raise KitError(f"{option} {clock(when)} is not after --start {clock(start)}: the day starts with a lesson.")
    slots, at = [], start
    for i, lesson in enumerate(lessons):
        if i:
            due = [p for p in pauses if at + lesson.minutes - p[0] > p[0] - at]
            if due:
                pauses = [p for p in pauses if p not in due]
                lunch_due = [p for p in due if p[2] == "Обяд"]
                _, minutes, what = lunch_due[0] if lunch_due else due[0]  # overdue breaks fold into one pause
                slots.append(Slot(at, minutes, what))
                at += minutes
        slots.append(Slot(at, lesson.minutes, lesson.title, lesson))
        at += lesson.minutes
    if at >= 24 * 60:
        raise KitError(f"The day would end after midnight ({duration_bg(at - start)} from {clock(start)}): "
                       "choose fewer lessons or an earlier --start.")
    return slots


def agenda_html(outline: Outline, slots: list[Slot], title: str, day: str | None = None) -> str:
    """The participants' agenda: clock times, lessons with their questions, exercises, breaks; no trainer notes."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    lessons = [s.lesson for s in slots if s.lesson]
    teaching = sum(les.teaching for les in lessons)
    exercises = sum(les.exercises for les in lessons)
    pauses = sum(s.minutes for s in slots if not s.lesson)
    meta = [html.escape(day)] if day else []
    meta += [f"{clock(slots[0].start)}–{clock(slots[-1].end)}", f"обучение {teaching} мин",
             f"упражнения {exercises} мин", f"почивки {pauses} мин"]
    body.append('<p class="meta">' + "".join(f"<span>{m}</span>" for m in meta) + "</p>")
    rows = ['<table class="agenda"><thead><tr><th>Час</th><th class="num">Мин</th><th>Тема</th>'
            "<th>Упражнения и казуси</th></tr></thead><tbody>"]
    for slot in slots:
        when = f"{clock(slot.start)}–{clock(slot.end)}"
        if not slot.lesson:
            rows.append(f'<tr class="pause"><td class="clock">{when}</td><td class="num">{slot.minutes}</td>'
                        f"<td>{html.escape(slot.label)}</td><td></td></tr>")
            continue
        lesson = slot.lesson
        module = outline.module_of(lesson)
        questions = "".join(f"<li>{to_html(q, outline, lesson.docname, inline=True)}</li>" for q in lesson.questions)
        topic = (f'<strong>{html.escape(lesson.title)}</strong><br><span class="kind">{html.escape(module.caption)}'
                 f" · обучение {lesson.teaching} мин, упражнения {lesson.exercises} мин</span>"
                 + (f'<ul class="questions">{questions}</ul>' if questions else ""))
        rows.append(f'<tr><td class="clock">{when}</td><td class="num">{lesson.minutes}</td><td>{topic}</td>'
                    f"<td>{materials_html(outline, lesson.notebooks) or '—'}</td></tr>")
    rows.append(f'<tr class="total"><td></td><td class="num">{sum(s.minutes for s in slots)}</td>'
                f"<td>Общо, с почивките</td><td></td></tr></tbody></table>")
    body.append("".join(rows))
    sources = ", ".join(html.escape(source_of(outline, les)) for les in dict.fromkeys(lessons))
    footer = f"Направено от уроците на курса ({sources}) с <code>civickit plan day</code>."
    return page(title, "\n".join(body), footer)

