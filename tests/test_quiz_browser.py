"""The static self-check quiz works in the built page itself: no server, no kernel, no network."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_quiz_answers_in_a_static_page(built_book, page):
    """Opened from disk, does a lesson's quiz say right or wrong as soon as an option is chosen?"""
    lesson = next(p for p in sorted((built_book / "book").rglob("*.html")) if "civickit-quiz" in p.read_text(encoding="utf-8"))
    page.goto(lesson.as_uri())
    quiz = page.locator("fieldset.civickit-quiz").first
    feedback = quiz.locator(".civickit-quiz-feedback")
    quiz.locator("input:not([data-correct])").first.check()
    assert feedback.inner_text().startswith("✘")
    quiz.locator("input[data-correct]").check()
    assert feedback.inner_text().startswith("✔ Вярно.")
    assert page.outside_requests == []
