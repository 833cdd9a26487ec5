"""The evaluation forms of a training day (Kirkpatrick levels 1 and 2) and their section in the cohort report.

The forms are filled in headless Chromium through `civickit public` (the server the README gives for the
training room), with the cohort workspace in a temporary folder; the report is written by the real
`civickit cohort report` from answers the forms' own saving code wrote.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from civickit import evaluation_forms as ef
from civickit import training_evaluation as te
from civickit.cohort_report import num
from civickit.errors import KitError
from civickit.formatting import number_bg
from civickit.evaluation_forms_tool import FORMS
from conftest import BIN, REPO, free_port, kit_env, open_app, run, running

APP = "tools/training-evaluation-forms.ipynb"
DAY = date(2026, 12, 3)
QUESTIONS = ef.load_questions(ef.PACKAGED_QUESTIONS)


def answers_scoring(points: int) -> dict[str, int]:
    """Answers with the first `points` questions right and the others wrong."""
    return {q.id: q.correct if n < points else (q.correct % len(q.options)) + 1
            for n, q in enumerate(QUESTIONS.questions)}


def saved(work: Path, form: str) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((work / "evaluation" / form).glob("*.json"))]


# --- the forms' rules, without a browser ---------------------------------------------------------------------

def test_feedback_asks_the_exercise_questions():
    """Are the feedback's rated questions those of the module 9 exercise (the columns training_evaluation sums)?"""
    columns = [c for c in te.example_feedback().columns if c != "участник"]
    assert list(ef.FEEDBACK_QUESTIONS) == columns
    assert list(ef.SCALE) == list(range(1, te.SCALE_MAX + 1))


def test_answers_never_overwrite_each_other(tmp_path):
    """Do two identical answers sent one after the other become two files, neither replacing the other?"""
    ratings = {"полезно": 5, "разбираемо": 4, "темпо": 3}
    first = ef.save_feedback(tmp_path, DAY, ratings, "Повече примери")
    second = ef.save_feedback(tmp_path, DAY, ratings, "Повече примери")
    assert first != second and first.is_file() and second.is_file()
    assert [r["ratings"] for r in saved(tmp_path, "feedback")] == [ratings, ratings]
    assert not list((tmp_path / "evaluation" / "feedback").glob(".*"))  # no temporary file left behind
    assert "участник" not in json.dumps(saved(tmp_path, "feedback"), ensure_ascii=False)


def test_answers_sent_at_the_same_moment_are_all_kept(tmp_path):
    """Do 24 answers sent at once from parallel threads (as a room sends at the bell) all arrive, each whole?"""
    from concurrent.futures import ThreadPoolExecutor

    ratings = [{"полезно": 1 + i % 5, "разбираемо": 5, "темпо": 3} for i in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = list(pool.map(lambda r: ef.save_feedback(tmp_path, DAY, r), ratings))
    assert len(set(paths)) == 24
    got = sorted(r["ratings"]["полезно"] for r in saved(tmp_path, "feedback"))
    assert got == sorted(r["полезно"] for r in ratings)


def test_a_full_form_refuses_more_answers(tmp_path, monkeypatch):
    """Once a form holds its maximum of answers (a server anyone could reach), is the next one refused in Bulgarian?"""
    monkeypatch.setattr(ef, "MAX_ANSWERS", 2)
    ratings = {"полезно": 5, "разбираемо": 4, "темпо": 3}
    ef.save_feedback(tmp_path, DAY, ratings)
    ef.save_feedback(tmp_path, DAY, ratings)
    with pytest.raises(KitError, match="не приема повече"):
        ef.save_feedback(tmp_path, DAY, ratings)
    assert len(saved(tmp_path, "feedback")) == 2


def test_incomplete_answers_save_nothing(tmp_path):
    """Does a missing rating, a missing code or a missing moment give a Bulgarian message naming it, and save nothing?"""
    with pytest.raises(KitError, match="Не сте отговорили на въпроси 1 и 3"):
        ef.save_feedback(tmp_path, DAY, {"полезно": None, "разбираемо": 4, "темпо": 0})
    with pytest.raises(KitError, match="Напишете своя код"):
        ef.save_self_check(tmp_path, QUESTIONS, DAY, "before", "  ", answers_scoring(3))
    with pytest.raises(KitError, match="началото или в края"):
        ef.save_self_check(tmp_path, QUESTIONS, DAY, None, "лисица-7", answers_scoring(3))
    partial = answers_scoring(3)
    partial[QUESTIONS.questions[4].id] = None
    with pytest.raises(KitError, match="Не сте отговорили на въпрос 5\\."):
        ef.save_self_check(tmp_path, QUESTIONS, DAY, "before", "лисица-7", partial)
    assert not (tmp_path / "evaluation").exists() or not any((tmp_path / "evaluation").rglob("*.json"))


def test_answers_are_kept_only_in_a_cohort_workspace(tmp_path, monkeypatch):
    """Does the app keep answers only where `civickit cohort init` made a workspace, and say why not elsewhere?"""
    monkeypatch.setenv("CIVICKIT_ROOT", str(REPO))
    monkeypatch.setenv("CIVICKIT_WORKSPACE", str(tmp_path))
    work, why_not = ef.forms_workspace()
    assert work is None and "civickit cohort init" in why_not
    (tmp_path / "cohort.json").write_text("{}", encoding="utf-8")
    assert ef.forms_workspace() == (tmp_path.resolve(), "")


def test_kit_questions_and_a_trainers_own_file(tmp_path):
    """Does the kit ship 6-10 valid questions, does a trainer's file in the workspace replace them, and is a
    broken one refused with the question it is about?"""
    assert 6 <= QUESTIONS.max_score <= 10 and QUESTIONS.title
    assert ef.questions_path(tmp_path) == ef.PACKAGED_QUESTIONS
    own = tmp_path / "evaluation" / ef.QUESTIONS_FILE
    own.parent.mkdir(parents=True)
    items = "".join(f'[[questions]]\nid = "q{i}"\ntext = "Въпрос {i}"\noptions = ["да", "не"]\ncorrect = 1\n\n'
                    for i in range(1, 7))
    own.write_text('title = "Ден за консултациите"\n\n' + items, encoding="utf-8")
    mine = ef.load_questions(ef.questions_path(tmp_path))
    assert mine.title == "Ден за консултациите" and mine.max_score == 6
    own.write_text(items.replace("correct = 1\n", "correct = 3\n", 1), encoding="utf-8")
    with pytest.raises(KitError, match=r"question 1 \(q1\): correct must be the number of the right option, 1 to 2"):
        ef.load_questions(own)
    own.write_text(items.split("[[questions]]\nid = \"q6\"")[0], encoding="utf-8")
    with pytest.raises(KitError, match="5 questions; the self-check needs 6 to 10"):
        ef.load_questions(own)


# --- the cohort report ---------------------------------------------------------------------------------------

# Four invented participants (пример): their feedback, and self-check scores out of 8; the fourth left before
# the end of the day, so only her morning answer exists.
FEEDBACK = [
    {"полезно": 5, "разбираемо": 4, "темпо": 3},
    {"полезно": 4, "разбираемо": 3, "темпо": 2},
    {"полезно": 4, "разбираемо": 5, "темпо": 4},
    {"полезно": 3, "разбираемо": 2, "темпо": 3},
]
COMMENTS = ["Повече време за упражненията", "", "Почивка по-рано следобед", ""]
SCORES = {"лисица-7": (2, 6), "синя-чаша-17": (4, 8), "бор 3": (6, 7), "река-9": (5, None)}


def cohort_workspace(tmp_path: Path) -> tuple[Path, dict]:
    work = tmp_path / "cohort"
    env = kit_env(REPO, work)
    run([BIN / "civickit", "cohort", "init"], cwd=REPO, env=env)
    return work, env


def report_text(env: dict, work: Path) -> tuple[str, str]:
    run([BIN / "civickit", "cohort", "report", "--lang", "bg"], cwd=REPO, env=env)
    page = (work / "reports" / "report-bg.html").read_text(encoding="utf-8")
    section = page[page.index("<section class='evaluation'"):]
    return section[: section.index("</section>")], page


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


@pytest.mark.slow
def test_report_shows_levels_1_and_2_of_four_participants(tmp_path):
    """Does `civickit cohort report` show, from four participants' saved answers, the means, shares satisfied,
    pairs, mean before/after, gain and normalised gain that training_evaluation computes, with the one who
    answered only in the morning counted apart?"""
    work, env = cohort_workspace(tmp_path)
    for ratings, comment in zip(FEEDBACK, COMMENTS):
        ef.save_feedback(work, DAY, ratings, comment)
    for code, (before, after) in SCORES.items():
        ef.save_self_check(work, QUESTIONS, DAY, "before", code.upper(), answers_scoring(before))
        if after is not None:
            ef.save_self_check(work, QUESTIONS, DAY, "after", f" {code} ", answers_scoring(after))
    section, page = report_text(env, work)
    shown = text_of(section)
    assert "Оценка на обучението" in shown and "Равнище 1: реакция, ден 03.12.2026 г." in shown
    assert "Отговорили: 4." in shown

    expected = te.reaction_summary(pd.DataFrame(FEEDBACK), list(ef.FEEDBACK_QUESTIONS))
    assert expected.set_index("въпрос")["средно"].to_dict() == {"полезно": 4.0, "разбираемо": 3.5, "темпо": 3.0}
    for row in expected.itertuples(index=False):
        question, answered, mean, satisfied = row
        cells = re.search(rf"<tr data-question='{question}'>(.*?)</tr>", section).group(1)
        assert text_of(cells).strip() == f"{ef.FEEDBACK_QUESTIONS[question]} {answered} {num(mean, 'bg')} {num(satisfied, 'bg')} %"
    bars = dict(re.findall(r"<text[^>]*text-anchor='end'[^>]*>([^<]+)</text><rect[^>]*/><rect class='bar' "
                           r"data-value='([\d.]+)'", section))
    assert bars == {"полезно": "75", "разбираемо": "50", "темпо": "25", "преди": "4", "след": "7"}
    assert "Повече време за упражненията" in shown and "Почивка по-рано следобед" in shown

    scores = pd.DataFrame({"участник": list(SCORES), "преди": [b for b, _ in SCORES.values()],
                           "след": [a for _, a in SCORES.values()]}).astype({"след": float})
    pairs = te.learning_gain(scores, QUESTIONS.max_score)
    assert len(pairs) == 3
    norm = round(float(pairs["нормализиран прираст"].mean()), 2)
    assert norm == 0.72  # (4/6 + 4/4 + 1/2) / 3, each rounded to 2 decimals first
    assert (f"Тест от 8 въпроса. С двата отговора (сутрин и вечер): 3. Средно преди: "
            f"{num(pairs['преди'].mean(), 'bg')} от 8; средно след: {num(pairs['след'].mean(), 'bg')} от 8; "
            f"среден прираст: {num(te.mean_gain(scores, 8), 'bg')} т.; среден нормализиран прираст: "
            f"{number_bg(norm, 2)}.") in shown
    assert "Средно преди: 4 от 8; средно след: 7 от 8; среден прираст: 3 т.; среден нормализиран прираст: 0,72." in shown
    assert "Само в началото на деня (не са броени в прираста): река-9." in shown
    assert "бор 3 6 7 1 0,50" in shown  # a code typed with other case and spaces is the same participant
    assert "синя-чаша-17 4 8 4 1,00" in shown
    assert "Отчет за групата" in page  # the section sits inside the whole report


@pytest.mark.slow
def test_report_without_answers_says_where_the_forms_are(tmp_path):
    """With no answers, does the section say so in one line and name the forms' app and folder?"""
    work, env = cohort_workspace(tmp_path)
    section, _ = report_text(env, work)
    lines = re.findall(r"<p>(.*?)</p>", section)
    assert len(lines) == 1
    assert "Няма попълнени формуляри за оценка" in lines[0] and ef.APP_NOTEBOOK in lines[0]
    assert str(work / "evaluation") in lines[0]
    run([BIN / "civickit", "cohort", "report", "--lang", "en"], cwd=REPO, env=env)
    english = (work / "reports" / "report-en.html").read_text(encoding="utf-8")
    assert "<h2>Training evaluation</h2>" in english and "No evaluation forms filled in yet" in english


# --- in Chromium, through Voila ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def forms_server(tmp_path_factory):
    """`civickit public` as the README starts it for a room, with the cohort workspace in a temporary folder."""
    work = tmp_path_factory.mktemp("forms-cohort")
    run([BIN / "civickit", "cohort", "init"], cwd=REPO, env=kit_env(REPO, work))  # answers are kept only then
    port = free_port()
    log = tmp_path_factory.mktemp("forms-public") / "public.log"
    # No preheated kernels: with the default pool this second server would start one for every app of
    # practices/ on the 2 cores the session's other servers share; the forms' kernel starts on request instead.
    cmd = [BIN / "civickit", "public", "--port", str(port), "--pool-size", "0"]
    with running(cmd, REPO, kit_env(REPO, work), f"http://127.0.0.1:{port}/", log):
        yield f"http://127.0.0.1:{port}/voila/render/", work


def rate(page, question: int, value: int) -> None:
    page.locator(f".civickit-rating-{question}").get_by_label(f"{value} — {ef.SCALE[value]}", exact=True).check()


def wait_message(page, css: str, expect: str) -> str:
    message = page.locator(css)
    message.get_by_text(expect, exact=False).wait_for(timeout=30_000)
    return message.inner_text()


@pytest.mark.browser
@pytest.mark.slow
def test_day_feedback_in_the_browser(page, forms_server):
    """Does an unanswered question show the Bulgarian message, keep what was filled and save nothing, and does
    the completed form save one anonymous answer and clear itself?"""
    base, work = forms_server
    open_app(page, base + APP)
    assert "не пита за име" in page.locator(".civickit-result").inner_text()
    rate(page, 1, 5)
    rate(page, 3, 2)
    page.locator(".civickit-comment textarea").fill("Повече примери от Ямбол")
    page.locator(".civickit-send-feedback").click()
    text = wait_message(page, ".civickit-feedback-message", "Не сте отговорили")
    assert "Не сте отговорили на въпрос 2." in text and "Нищо не е изпратено" in text
    assert saved(work, "feedback") == []
    assert page.locator(".civickit-rating-1 input:checked").count() == 1
    assert page.locator(".civickit-comment textarea").input_value() == "Повече примери от Ямбол"

    rate(page, 2, 4)
    page.locator(".civickit-send-feedback").click()
    wait_message(page, ".civickit-feedback-message", "Благодарим")
    assert saved(work, "feedback") == [{"form": "feedback", "day": ef.today().isoformat(),
                                        "ratings": {"полезно": 5, "разбираемо": 4, "темпо": 2},
                                        "comment": "Повече примери от Ямбол"}]
    assert page.locator(".civickit-question input:checked").count() == 0
    assert page.locator(".civickit-comment textarea").input_value() == ""
    assert page.outside_requests == []


def fill_self_check(page, moment: str, code: str, points: int) -> None:
    page.locator(".civickit-moment").get_by_label(moment, exact=True).check()
    page.locator(".civickit-code input").fill(code)
    for n, (qid, option) in enumerate(answers_scoring(points).items(), 1):
        label = QUESTIONS.questions[n - 1].options[option - 1]
        page.locator(f".civickit-item-{n}").get_by_label(label, exact=True).check()
    page.locator(".civickit-send-self-check").click()


@pytest.mark.browser
@pytest.mark.slow
def test_self_check_before_and_after_pair_up(page, forms_server):
    """Do a morning and an evening self-check sent with the same code (typed differently) pair up, scored by the kit?"""
    base, work = forms_server
    open_app(page, base + APP)
    page.locator(".civickit-control select").select_option(label=FORMS[1])
    page.locator(".civickit-code input").wait_for(timeout=30_000)
    assert "не пишете името си" in page.locator(".civickit-result").inner_text()

    page.locator(".civickit-send-self-check").click()
    text = wait_message(page, ".civickit-self-check-message", "Нищо не е изпратено")
    assert "Изберете дали отговаряте в началото или в края на деня" in text
    assert saved(work, "self-check") == []

    fill_self_check(page, "В началото на деня", "Синя-Чаша-17", 3)
    text = wait_message(page, ".civickit-self-check-message", "Записано")
    assert f"Записано (в началото на деня): 3 от {QUESTIONS.max_score} верни отговора." in text
    assert page.locator(".civickit-code input").input_value() == ""
    fill_self_check(page, "В края на деня", "синя-чаша-17 ", 7)
    wait_message(page, ".civickit-self-check-message", "(в края на деня): 7 от")

    learning = ef.read_evaluation(work).learning
    assert len(learning) == 1
    pairs = learning[0].pairs
    assert pairs[["участник", "преди", "след", "прираст"]].values.tolist() == [["синя-чаша-17", 3.0, 7.0, 4.0]]
    assert pairs["нормализиран прираст"].tolist() == [0.8]
    assert learning[0].only_before == learning[0].only_after == []
    assert page.outside_requests == []
