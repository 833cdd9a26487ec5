"""Learners' HTML in the two pages that show it to people: the trainer's Formgrader (on the Jupyter origin,
where a script could drive the trainer's server) and the learner's feedback (through the server and as a
file). A real cohort, real nbgrader, a real server as `make start` starts it, real Chromium."""

from __future__ import annotations

import pytest

from learner_html import PWNED, feedback_url, graded_cohort, open_recording, submission_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    yield from graded_cohort(tmp_path_factory.mktemp("learner-html"))


def assert_nothing_ran_nothing_fetched(page, requests, server_base):
    page.wait_for_timeout(1500)  # onerror handlers and fetches would have fired by now
    assert page.evaluate("window.__pwned") is None
    assert not [u for u in requests if PWNED in u]
    assert not [u for u in requests if u.startswith(("http://", "https://")) and not u.startswith(server_base)]
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.locator("iframe, object, embed, form, input:not([type=hidden]) >> visible=true").count() <= \
        page.locator(".nbgrader-score, input.score, input.extra-credit").count()


def assert_honest_content_shows(page):
    for text in ("Честен отговор", "Ямбол", "Сливен", "Честен изход"):
        assert page.get_by_text(text).first.is_visible(), text
    images = page.evaluate(
        "[...document.images].filter(i => i.src.startsWith('data:image/png') && i.naturalWidth === 4).length")
    assert images >= 2  # the markdown answer's image and the code's PNG output
    assert page.locator("table.dataframe, td:has-text('Сливен')").count() >= 1


def test_formgrader_runs_none_of_the_learners_html(cohort, browser):
    """In Formgrader's view of the submission, does no learner script run (no marker, no request) while
    the answer's text, tables and data: PNG images still show?"""
    srv, work, _ = cohort
    context, page, requests = open_recording(browser, submission_url(srv, work))
    try:
        page.get_by_text("Честен отговор").first.wait_for(timeout=60_000)
        assert_nothing_ran_nothing_fetched(page, requests, srv.base)
        assert_honest_content_shows(page)
    finally:
        context.close()


def test_feedback_through_the_server_runs_none_of_it(cohort, browser):
    """Is the learner's feedback page, opened through the server, free of the learner's scripts and
    requests, with the honest content shown?"""
    srv, work, feedback = cohort
    context, page, requests = open_recording(browser, feedback_url(srv, work, feedback))
    try:
        assert_nothing_ran_nothing_fetched(page, requests, srv.base)
        assert_honest_content_shows(page)
    finally:
        context.close()


def test_feedback_file_runs_none_of_it(cohort, browser):
    """Opened from disk (file://), as a learner opens a downloaded feedback file: nothing runs, nothing is
    fetched, the honest content shows."""
    srv, _, feedback = cohort
    context, page, requests = open_recording(browser, feedback.as_uri())
    try:
        assert_nothing_ran_nothing_fetched(page, requests, srv.base)
        assert_honest_content_shows(page)
    finally:
        context.close()
