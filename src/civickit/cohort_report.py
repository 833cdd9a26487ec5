"""The trainer's cohort report: one self-contained HTML file (inline SVG charts, no script, no URL).

Everything comes from what grading recorded: the gradebook (scores, late penalties, due dates), the
autograded notebooks (errors of test cells), the grading log of `civickit cohort autograde` (why a
learner could not be graded), the workspace folders (what was submitted) and the answers of the
evaluation forms (civickit.evaluation_forms_report).
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from .display_zone import DEFAULT_TIMEZONE
from .deadlines import describe_rule, refresh_late_penalties
from .evaluation_forms_report import evaluation_section
from .formatting import date_bg, number_bg
from .own_work import NotOwnWork
from .svg_charts import hbar

BINS = 10  # score distribution in steps of 10 % of the maximum

TEXT = {
    "bg": {
        "title": "Отчет за групата", "assignment": "Задание", "learners": "Обучаеми", "submitted": "предали",
        "mean": "среден резултат", "due": "срок", "no_due": "без срок", "late_rule": "закъснение",
        "distribution": "Разпределение на резултатите (брой обучаеми по дял от максимума)",
        "difficulty": "Трудност по въпроси (среден дял от точките на клетката)",
        "missing": "Не са предали", "nobody": "Всички са предали.", "late": "Закъснели предавания",
        "none_late": "Няма закъснели предавания.", "reasons": "Къде се губят точки",
        "no_reasons": "Няма проблеми за отбелязване.", "learner": "Обучаем", "score": "Резултат", "why": "Причина",
        "not_submitted": "не е предал(а) заданието", "notebook_missing": "липсва тетрадка {nb}",
        "not_graded": "автоматичната проверка не завърши",
        "late_by": "предадено {late} след срока; {rule}; отнети {penalty} т.",
        "cell_error": "„{cell}“: {what}", "not_answered": "няма отговор (кодът не е попълнен)",
        "test_failed": "тестът не премина", "error": "грешка при изпълнение ({ename})",
        "not_own_work": "отговорът извиква готовия модул на комплекта (0 т. за частта)",
        "timeout": "кодът работи твърде дълго и беше спрян", "manual": "очаква ръчна оценка",
        "generated": "Създаден", "points": "т.", "days": "дни", "hours": "ч", "minutes": "мин", "seconds": "с",
    },
    "en": {
        "title": "Cohort report", "assignment": "Assignment", "learners": "Learners", "submitted": "submitted",
        "mean": "mean score", "due": "due", "no_due": "no due date", "late_rule": "late work",
        "distribution": "Score distribution (learners per share of the maximum)",
        "difficulty": "Difficulty per question (mean share of the cell's points)",
        "missing": "Not submitted", "nobody": "Everybody submitted.", "late": "Late submissions",
        "none_late": "No late submissions.", "reasons": "Where points were lost",
        "no_reasons": "Nothing to point out.", "learner": "Learner", "score": "Score", "why": "Reason",
        "not_submitted": "did not submit", "notebook_missing": "notebook {nb} missing",
        "not_graded": "autograding did not finish",
        "late_by": "submitted {late} after the deadline; {rule}; {penalty} points taken",
        "cell_error": "'{cell}': {what}", "not_answered": "not answered (the code stub is still there)",
        "test_failed": "test failed", "error": "error while running ({ename})",
        "not_own_work": "the answer calls the kit's reference module (0 for that part)",
        "timeout": "the code ran too long and was stopped", "manual": "waiting for manual grading",
        "generated": "Generated", "points": "pts", "days": "d", "hours": "h", "minutes": "min", "seconds": "s",
    },
}


def num(value: float, lang: str, decimals: int = 1) -> str:
    """1,5 / 1.5; a whole number without ',0'."""
    text = number_bg(value, decimals) if lang == "bg" else f"{value:,.{decimals}f}"
    zero = ("," if lang == "bg" else ".") + "0" * decimals
    return text[: -len(zero)] if decimals and text.endswith(zero) else text


def duration(seconds: float, lang: str) -> str:
    t = TEXT[lang]
    seconds = int(round(seconds))
    d, rest = divmod(seconds, 86400)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    parts = [f"{v} {t[u]}" for v, u in ((d, "days"), (h, "hours"), (m, "minutes"), (s, "seconds")) if v]
    return " ".join(parts[:2]) or f"0 {t['seconds']}"


@dataclass
class AssignmentFacts:
    name: str
    max_score: float
    due_local: str | None
    rule: dict | None
    scores: dict[str, float] = field(default_factory=dict)  # learner -> score after penalty
    cells: dict[str, list[float]] = field(default_factory=dict)  # grade cell -> shares of its points
    missing: list[str] = field(default_factory=list)
    late: list[tuple[str, float, float]] = field(default_factory=list)  # learner, seconds, penalty


def _cell_problems(notebook: Path, lang: str) -> list[str]:
    """Errors in the autograded notebook's graded cells, phrased for the trainer (no hidden-test code)."""
    t = TEXT[lang]
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return []
    found = []
    for cell in cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not (meta.get("grade") or meta.get("solution")) or cell.get("cell_type") != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if not errors:
            continue
        ename = errors[0].get("ename", "")
        if ename == "NotImplementedError":
            what = t["not_answered"]
        elif ename == NotOwnWork.__name__:  # raised by a hidden test
            what = t["not_own_work"]
        elif ename == "AssertionError":
            what = t["test_failed"]
        elif "Timeout" in ename or "timed out" in " ".join(errors[0].get("traceback", [])[-1:]):
            what = t["timeout"]
        else:
            what = t["error"].format(ename=ename or "?")
        found.append(t["cell_error"].format(cell=meta.get("grade_id", "?"), what=what))
    return found


def gather(cohort, lang: str = "bg"):
    """Facts per assignment and reasons per learner, from the gradebook and the workspace."""
    from nbgrader.api import Gradebook, MissingEntry

    from .autograde import read_log

    t = TEXT[lang]
    refresh_late_penalties(cohort.db_url, cohort.workspace)
    settings = cohort.settings()
    zone = ZoneInfo(settings.get("timezone", DEFAULT_TIMEZONE))
    facts, reasons, names = [], {}, {}
    with Gradebook(cohort.db_url) as gb:
        for s in gb.students:
            names[s.id] = " ".join(v for v in (s.first_name, s.last_name) if v) or s.id
        for a in gb.assignments:
            due = settings.get("due", {}).get(a.name, {})
            due_local = None
            if a.duedate is not None:
                local = a.duedate.replace(tzinfo=timezone.utc).astimezone(zone)
                due_local = f"{date_bg(local.date())} {local:%H:%M}" if lang == "bg" else f"{local:%Y-%m-%d %H:%M} {zone.key}"
            fa = AssignmentFacts(a.name, a.max_score, due_local, due.get("late"))
            grading_log = read_log(cohort, a.name)  # why `civickit cohort autograde` failed a learner
            for s in gb.students:
                why = reasons.setdefault(s.id, [])
                try:
                    sub = gb.find_submission(a.name, s.id)
                except MissingEntry:
                    fa.scores[s.id] = 0.0
                    if (cohort.workspace / "submitted" / s.id / a.name).is_dir():  # submitted, grading failed
                        logged = grading_log.get(s.id, {}).get("reason", "")
                        why.append((a.name, t["not_graded"] + (f": {logged}" if logged else "")))
                    else:
                        fa.missing.append(s.id)
                        why.append((a.name, t["not_submitted"]))
                    continue
                taken = sub.late_submission_penalty or 0.0
                fa.scores[s.id] = max(0.0, sub.score - taken)
                if sub.total_seconds_late > 0:
                    fa.late.append((s.id, sub.total_seconds_late, taken))
                    why.append((a.name, t["late_by"].format(late=duration(sub.total_seconds_late, lang),
                                                             rule=describe_rule(fa.rule, lang), penalty=num(taken, lang))))
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        if grade.max_score and not grade.needs_manual_grade:  # ungraded is not "difficult"
                            fa.cells.setdefault(grade.name, []).append((grade.score or 0.0) / grade.max_score)
                    submitted = cohort.workspace / "submitted" / s.id / a.name / f"{nb.name}.ipynb"
                    graded = cohort.workspace / "autograded" / s.id / a.name / f"{nb.name}.ipynb"
                    if not submitted.is_file():
                        why.append((a.name, t["notebook_missing"].format(nb=f"{nb.name}.ipynb")))
                    elif not graded.is_file():
                        logged = grading_log.get(s.id, {}).get("reason", "")
                        why.append((a.name, t["not_graded"] + (f": {logged}" if logged else "")))
                    else:
                        why.extend((a.name, p) for p in _cell_problems(graded, lang))
                if sub.needs_manual_grade:
                    why.append((a.name, t["manual"]))
            facts.append(fa)
    return facts, reasons, names


def _histogram(fa: AssignmentFacts, lang: str) -> str:
    counts = [0] * BINS
    for score in fa.scores.values():
        share = score / fa.max_score if fa.max_score else 0.0
        counts[min(BINS - 1, int(share * BINS))] += 1
    step = 100 // BINS
    rows = [(f"{i * step}–{(i + 1) * step} %", float(c), str(c)) for i, c in enumerate(counts)]
    return hbar(rows, max(counts) or 1, f"{TEXT[lang]['distribution']}: {fa.name}")


def _difficulty(fa: AssignmentFacts, lang: str) -> str:
    rows = []
    for cell, shares in fa.cells.items():
        mean = sum(shares) / len(shares)
        rows.append((cell, mean, f"{num(mean * 100, lang, 0)} %"))
    return hbar(rows, 1.0, f"{TEXT[lang]['difficulty']}: {fa.name}", colour="#2e7d32") if rows else ""


CSS = """body{font-family:system-ui,'DejaVu Sans',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #b0bec5;padding:.3rem .6rem;text-align:left}
th{background:#eceff1}svg.chart{max-width:100%;height:auto;display:block;margin:.5rem 0 1rem}"""


def render(cohort, lang: str = "bg") -> str:
    t = TEXT[lang]
    facts, reasons, names = gather(cohort, lang)
    e = html.escape
    who = lambda sid: f"{e(names.get(sid, sid))} ({e(sid)})"  # noqa: E731
    out = [f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{t['title']}</title>"
           f"<style>{CSS}</style></head><body><h1>{t['title']}</h1>"]
    stamp = datetime.now(ZoneInfo(cohort.settings().get("timezone", DEFAULT_TIMEZONE)))
    out.append(f"<p>{t['generated']}: {date_bg(stamp.date()) if lang == 'bg' else stamp.date().isoformat()}; "
               f"{t['learners'].lower()}: {len(names)}.</p>")
    out.append(f"<table><tr><th>{t['assignment']}</th><th>{t['submitted']}</th><th>{t['mean']}</th>"
               f"<th>{t['due']}</th><th>{t['late_rule']}</th></tr>")
    for fa in facts:
        done = len(fa.scores) - len(fa.missing)
        mean = sum(fa.scores.values()) / len(fa.scores) if fa.scores else 0.0
        out.append(f"<tr><td>{e(fa.name)}</td><td>{done} / {len(fa.scores)}</td>"
                   f"<td>{num(mean, lang)} / {num(fa.max_score, lang)} {t['points']}</td>"
                   f"<td>{e(fa.due_local or t['no_due'])}</td><td>{e(describe_rule(fa.rule, lang))}</td></tr>")
    out.append("</table>")
    for fa in facts:
        out.append(f"<section class='assignment' id='{e(fa.name)}'><h2>{t['assignment']}: {e(fa.name)}</h2>")
        out.append(f"<h3>{t['distribution']}</h3>{_histogram(fa, lang)}")
        out.append(f"<h3>{t['difficulty']}</h3>{_difficulty(fa, lang)}")
        out.append(f"<h3>{t['missing']}</h3>")
        out.append("<ul class='missing'>\n" + "\n".join(f"<li>{who(s)}</li>" for s in fa.missing) + "\n</ul>"
                   if fa.missing else f"<p>{t['nobody']}</p>")
        out.append(f"<h3>{t['late']}</h3>")
        out.append("<ul class='late'>\n" + "\n".join(
            f"<li>{who(s)}: {duration(sec, lang)}, −{num(p, lang)} {t['points']}</li>" for s, sec, p in fa.late) + "\n</ul>"
            if fa.late else f"<p>{t['none_late']}</p>")
        out.append("</section>")
    out.append(f"<h2>{t['reasons']}</h2>")
    rows = [(sid, a, why) for sid, items in sorted(reasons.items()) for a, why in items]
    if rows:
        out.append(f"<table class='reasons'><tr><th>{t['learner']}</th><th>{t['assignment']}</th><th>{t['why']}</th></tr>")
        out.extend(f"<tr data-learner='{e(sid)}'><td>{who(sid)}</td><td>{e(a)}</td><td>{e(why)}</td></tr>" for sid, a, why in rows)
        out.append("</table>")
    else:
        out.append(f"<p>{t['no_reasons']}</p>")
    out.append(evaluation_section(cohort.workspace, lang))  # levels 1-2 from the evaluation forms
    out.append("</body></html>")
    return "\n".join(out)


def write_report(cohort, lang: str = "bg", out: Path | None = None) -> Path:
    path = out or cohort.workspace / "reports" / f"report-{lang}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(cohort, lang), encoding="utf-8")
    return path
