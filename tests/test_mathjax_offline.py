"""LaTeX in a learner's markdown answer typeset by the kit's own MathJax (jupyter-server-mathjax, served by
the kit's server), in Formgrader and in the feedback page, with no request to any other host. Real cohort,
real server as `make start` starts it, real Chromium."""

from __future__ import annotations

import pytest

from learner_html import feedback_url, graded_cohort, open_recording, submission_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    yield from graded_cohort(tmp_path_factory.mktemp("mathjax"))


def assert_typeset_from_the_server(page, requests, server_base):
    page.locator("span.MathJax").first.wait_for(timeout=60_000)  # MathJax 2's HTML-CSS output
    assert page.locator("span.MathJax .msubsup, span.MathJax .msup").count() >= 1  # x^2 as a superscript
    answer = page.locator("p", has_text="Честен отговор").first.inner_text()
    assert "$x^2$" not in answer and "x^2" not in answer  # typeset, not shown as TeX source
    assert [u for u in requests if "jupyter_server_mathjax/MathJax.js" in u]
    assert not [u for u in requests if u.startswith(("http://", "https://")) and not u.startswith(server_base)]
    assert page.evaluate("window.__pwned") is None  # \href{javascript:...} stays inert (MathJax's Safe)


def test_formgrader_typesets_math_offline(cohort, browser):
    """Does `$x^2$` in a markdown answer render as math in Formgrader, loaded from the server only?"""
    srv, work, _ = cohort
    context, page, requests = open_recording(browser, submission_url(srv, work))
    try:
        assert_typeset_from_the_server(page, requests, srv.base)
    finally:
        context.close()


def test_feedback_typesets_math_offline(cohort, browser):
    """Does the feedback page, opened through the server, render `$x^2$` as math, loaded from the server only?"""
    srv, work, feedback = cohort
    context, page, requests = open_recording(browser, feedback_url(srv, work, feedback))
    try:
        assert_typeset_from_the_server(page, requests, srv.base)
    finally:
        context.close()


def test_feedback_in_jupyterlab_typesets_math_once_trusted(cohort, browser):
    """As the learner opens it (JupyterLab's HTML viewer, after "Trust HTML"), does the feedback typeset
    `$x^2$` with the server's MathJax, and load nothing from elsewhere?"""
    srv, work, feedback = cohort
    path = feedback.relative_to(srv.root).as_posix()
    context, page, requests = open_recording(browser, srv.url(f"lab/tree/{path}"))
    try:
        page.get_by_text("Trust HTML").click(timeout=120_000)  # JupyterLab runs no script of an untrusted page
        frame = page.frame_locator(".jp-HTMLViewer iframe")
        frame.locator("span.MathJax").first.wait_for(timeout=60_000)
        assert frame.locator("span.MathJax .msubsup, span.MathJax .msup").count() >= 1
        assert [u for u in requests if "jupyter_server_mathjax/MathJax.js" in u]
        assert not [u for u in requests if u.startswith(("http://", "https://")) and not u.startswith(srv.base)]
        assert frame.locator("body").evaluate("() => window.__pwned") is None
    finally:
        context.close()
