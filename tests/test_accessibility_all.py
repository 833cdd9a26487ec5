"""axe-core on every page of the book and every app, at phone and desktop size (issue 19: "axe finds no
serious or critical violation on any book page and any app at either size"). The server is `make start`'s."""

from __future__ import annotations

from pathlib import Path

import pytest

from civickit.app_catalog import apps
from civickit.checks import toc_files

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


def serious(page) -> list:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("size", list(SCREENS))
def test_every_book_page_passes_axe(server, browser, size):
    """Does axe-core find no serious or critical violation on any page of the book, at this screen size?"""
    context = browser.new_context(locale="bg-BG", **SCREENS[size])
    page = context.new_page()
    found = {}
    try:
        pages = toc_files(REPO)
        assert len(pages) >= 50
        for entry in pages:
            page.goto(server.url(f"course/{entry}.html"), timeout=120_000)
            page.wait_for_load_state("load")
            bad = serious(page)
            if bad:
                found[entry] = bad
    finally:
        context.close()
    assert found == {}


def test_every_app_passes_axe_on_a_phone(server, browser):
    """Does axe-core find no serious or critical violation in any case study or tool at phone size (the
    desktop size is checked app by app in test_practices_voila.py)?"""
    context = browser.new_context(locale="bg-BG", **SCREENS["phone"])
    page = context.new_page()
    found = {}
    try:
        for app in apps(REPO):
            page.goto(server.url(f"voila/render/practices/{app.path}"), timeout=120_000)
            page.locator(".civickit-result, .civickit-app, .widget-box").first.wait_for(timeout=120_000)
            page.wait_for_load_state("networkidle")
            bad = serious(page)
            if bad:
                found[app.path] = bad
    finally:
        context.close()
    assert found == {}
