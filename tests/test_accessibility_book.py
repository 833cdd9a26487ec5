"""axe-core on the book's landing page, as a learner opens it from the server."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_landing_page_has_no_serious_violations(server, page):
    """Does axe-core find no serious or critical violation on the landing page?"""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(server.url("course/index.html"))
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
