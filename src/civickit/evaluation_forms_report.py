"""The cohort report's section "Оценка на обучението": levels 1 and 2 from the answers of the evaluation forms
(civickit.evaluation_forms reads and summarises them with civickit.training_evaluation; this module only
writes HTML, with the report's inline SVG bars)."""

from __future__ import annotations

import html
from datetime import date

from . import evaluation_forms as ef
from .formatting import date_bg, number_bg
from .svg_charts import hbar

TEXT = {
    "bg": {
        "title": "Оценка на обучението",
        "none": "Няма попълнени формуляри за оценка. Участниците ги попълват в приложението „Формуляри за оценка "
                "на обучението“ ({app}); отговорите се записват в {folder}.",
        "reaction": "Равнище 1: реакция", "learning": "Равнище 2: учене",
        "answers": "Отговорили: {n}.", "question": "Твърдение", "answered": "отговорили", "mean": "средно (1–5)",
        "satisfied": "доволни (4–5)", "chart": "Дял доволни (4 или 5) по въпроси",
        "comments": "Отговори на отворения въпрос", "no_comments": "Никой не е отговорил на отворения въпрос.",
        "pairs": "Тест от {max} въпроса. С двата отговора (сутрин и вечер): {n}. Средно преди: {before} от {max}; "
                 "средно след: {after} от {max}; среден прираст: {gain} т.; среден нормализиран прираст: {norm}.",
        "no_pairs": "Тест от {max} въпроса. Още никой няма и двата отговора с един и същ код, затова прирастът не е изчислен.",
        "no_norm": "няма (всички са имали пълния резултат сутринта)",
        "bars": "Среден резултат на участниците с двата отговора", "before": "преди", "after": "след",
        "code": "Код", "gain": "прираст", "norm": "нормализиран прираст",
        "only_before": "Само в началото на деня (не са броени в прираста): {codes}.",
        "only_after": "Само в края на деня (не са броени в прираста): {codes}.",
        "repeated": "Повторно изпратени с един и същ код: {n} (брои се последният отговор).",
        "unreadable": "Файлове в {folder}, които не са отговори от формулярите и не са броени: {names}.",
        "day": "ден {day}",
    },
    "en": {
        "title": "Training evaluation",
        "none": "No evaluation forms filled in yet. Participants fill them in the app "
                "'Формуляри за оценка на обучението' ({app}); answers are saved in {folder}.",
        "reaction": "Level 1: reaction", "learning": "Level 2: learning",
        "answers": "Answers: {n}.", "question": "Statement", "answered": "answered", "mean": "mean (1-5)",
        "satisfied": "satisfied (4-5)", "chart": "Share satisfied (4 or 5) per question",
        "comments": "Answers to the open question", "no_comments": "Nobody answered the open question.",
        "pairs": "Self-check of {max} questions. With both answers (start and end of the day): {n}. Mean before: "
                 "{before} of {max}; mean after: {after} of {max}; mean gain: {gain} pts; mean normalised gain: {norm}.",
        "no_pairs": "Self-check of {max} questions. Nobody has both answers with the same code yet, so no gain is computed.",
        "no_norm": "none (everybody had the full score before)",
        "bars": "Mean score of the participants with both answers", "before": "before", "after": "after",
        "code": "Code", "gain": "gain", "norm": "normalised gain",
        "only_before": "Only at the start of the day (not counted in the gain): {codes}.",
        "only_after": "Only at the end of the day (not counted in the gain): {codes}.",
        "repeated": "Sent again with the same code: {n} (the last answer counts).",
        "unreadable": "Files in {folder} that are not answers of the forms, not counted: {names}.",
        "day": "day {day}",
    },
}


def _num(value: float, lang: str, decimals: int = 1) -> str:
    """As the rest of the report writes numbers: 1,5 / 1.5, a whole number without ',0'."""
    from .cohort_report import num

    return num(value, lang, decimals)


def _gain(value: float, lang: str) -> str:
    """A normalised gain always with two decimals (0,50 and 1,00 line up in the table)."""
    return number_bg(value, 2) if lang == "bg" else f"{value:.2f}"


def _day(day: str, lang: str) -> str:
    parsed = date.fromisoformat(day)
    return TEXT[lang]["day"].format(day=date_bg(parsed) if lang == "bg" else parsed.isoformat())


def _reaction(r: ef.Reaction, lang: str) -> str:
    t, e = TEXT[lang], html.escape
    rows = list(r.summary.itertuples(index=False))
    out = [f"<h3>{t['reaction']}, {_day(r.day, lang)}</h3><p>{t['answers'].format(n=r.answers)}</p>",
           f"<table class='reaction'><tr><th>{t['question']}</th><th>{t['answered']}</th><th>{t['mean']}</th>"
           f"<th>{t['satisfied']}</th></tr>"]
    for question, answered, mean, satisfied in rows:
        out.append(f"<tr data-question='{e(question)}'><td>{e(ef.FEEDBACK_QUESTIONS.get(question, question))}</td>"
                   f"<td>{answered}</td><td>{_num(mean, lang)}</td><td>{_num(satisfied, lang)} %</td></tr>")
    out.append("</table>")
    bars = [(question, float(satisfied), f"{_num(satisfied, lang)} %") for question, _, _, satisfied in rows]
    out.append(hbar(bars, 100.0, f"{t['chart']}, {_day(r.day, lang)}", colour="#2e7d32"))
    out.append(f"<h4>{t['comments']}</h4>")
    out.append("<ul class='comments'>" + "".join(f"<li>{e(c)}</li>" for c in r.comments) + "</ul>"
               if r.comments else f"<p>{t['no_comments']}</p>")
    return "\n".join(out)


def _learning(g: ef.Learning, lang: str) -> str:
    t, e = TEXT[lang], html.escape
    out = [f"<h3>{t['learning']}, {_day(g.day, lang)}</h3>"]
    if g.pairs.empty:
        out.append(f"<p class='learning-summary'>{t['no_pairs'].format(max=g.max_score)}</p>")
    else:
        norm = g.mean_normalised_gain
        out.append("<p class='learning-summary'>" + t["pairs"].format(
            max=g.max_score, n=len(g.pairs), before=_num(g.mean_before, lang), after=_num(g.mean_after, lang),
            gain=_num(g.mean_gain, lang), norm=t["no_norm"] if norm is None else _gain(norm, lang)) + "</p>")
        out.append(hbar([(t["before"], g.mean_before, _num(g.mean_before, lang)),
                         (t["after"], g.mean_after, _num(g.mean_after, lang))],
                        float(g.max_score), f"{t['bars']}, {_day(g.day, lang)}"))
        out.append(f"<table class='learning'><tr><th>{t['code']}</th><th>{t['before']}</th><th>{t['after']}</th>"
                   f"<th>{t['gain']}</th><th>{t['norm']}</th></tr>")
        for row in g.pairs.itertuples(index=False):
            code, before, after, gain, norm = row
            norm_text = "—" if norm != norm else _gain(norm, lang)  # NaN: nothing was left to learn
            out.append(f"<tr><td>{e(code)}</td><td>{_num(before, lang, 0)}</td><td>{_num(after, lang, 0)}</td>"
                       f"<td>{_num(gain, lang, 0)}</td><td>{norm_text}</td></tr>")
        out.append("</table>")
    if g.only_before:
        out.append(f"<p class='only-before'>{t['only_before'].format(codes=e(', '.join(g.only_before)))}</p>")
    if g.only_after:
        out.append(f"<p class='only-after'>{t['only_after'].format(codes=e(', '.join(g.only_after)))}</p>")
    if g.repeated:
        out.append(f"<p>{t['repeated'].format(n=g.repeated)}</p>")
    return "\n".join(out)


def evaluation_section(workspace, lang: str = "bg") -> str:
    """The section: one line saying where the forms are when nobody has answered yet."""
    t, e = TEXT[lang], html.escape
    evaluation = ef.read_evaluation(workspace)
    folder = ef.evaluation_dir(workspace)
    out = [f"<section class='evaluation' id='evaluation'><h2>{t['title']}</h2>"]
    if evaluation.empty:
        out.append(f"<p>{e(t['none'].format(app=ef.APP_NOTEBOOK, folder=folder))}</p>")
    out.extend(_reaction(r, lang) for r in evaluation.reactions)
    out.extend(_learning(g, lang) for g in evaluation.learning)
    if evaluation.unreadable:
        out.append(f"<p>{e(t['unreadable'].format(folder=folder, names=', '.join(evaluation.unreadable)))}</p>")
    out.append("</section>")
    return "\n".join(out)
