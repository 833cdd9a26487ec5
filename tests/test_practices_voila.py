"""Every case study and tool in practices/, in headless Chromium through a real standalone Voila server.

The contract each app keeps (see book/00-how-to/alumni.md): its input carries the CSS class
`civickit-control`, its result `civickit-result`.
"""

from __future__ import annotations

import re

import pytest

from conftest import REPO, open_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOKS = sorted(p.relative_to(REPO / "practices").as_posix() for p in (REPO / "practices").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


def change_control(page) -> None:
    """Give the app's first control another value, the way a learner would."""
    control = page.locator(".civickit-control").first
    select = control.locator("select")
    if select.count():
        values = select.first.locator("option").evaluate_all("os => os.map(o => o.value)")
        current = select.first.input_value()
        select.first.select_option(next(v for v in values if v != current))
        return
    field = control.locator("input").first
    kind = field.get_attribute("type")
    if kind in ("radio", "checkbox"):
        control.locator(f"input:not(:checked)").first.check()
        return
    value = float(field.input_value() or 0)
    field.fill(str(int(value // 2) if value >= 2 else int(value) + 1))
    field.press("Enter")


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_app_renders_and_reacts(page, voila_base, notebook):
    """Does the app render, change its visible result when the control changes, and show no code?"""
    open_app(page, voila_base + notebook)
    result = page.locator(".civickit-result").first
    before = result.inner_text()
    assert before.strip()
    change_control(page)
    page.wait_for_function(
        "before => document.querySelector('.civickit-result').innerText !== before", arg=before, timeout=30_000
    )
    html = page.content()
    for source in ("from civickit", "import ", "def "):
        assert source not in html, source
    assert page.locator(".jp-CodeMirrorEditor, .jp-CodeCell .jp-InputArea-editor").count() == 0
    # The first frame gave way to the live app: no stale copy of the result stays on the page.
    assert page.locator(".civickit-first-frame").count() == 0
    page.wait_for_load_state("networkidle")
    assert page.outside_requests == []


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_app_accessibility(page, voila_base, notebook):
    """Does axe-core find no serious or critical violation in the app?"""
    from axe_playwright_python.sync_playwright import Axe

    open_app(page, voila_base + notebook)
    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def test_paris_ballot_follows_the_envelope(page, voila_base):
    """Does a 5 M € envelope fund fewer projects than the default 20 M €, and say so in Bulgarian?"""
    open_app(page, voila_base + "paris-participatory-budget.ipynb")
    summary = page.locator(".civickit-summary").first
    before = summary.inner_text()
    field = page.get_by_label("Бюджет (млн €)")
    field.fill("5")
    field.press("Enter")
    page.wait_for_function(
        "before => document.querySelector('.civickit-summary').innerText !== before", arg=before, timeout=30_000
    )
    after = summary.inner_text()
    assert "от 5\u00a0000\u00a0000\u00a0€" in after, after
    funded = lambda text: int(text.split("Финансирани проекти: ")[1].split(" ")[0])
    assert funded(after) < funded(before)
    assert "Основни факти и източници" in page.locator("body").inner_text()


def test_app_is_readable_before_the_scripts_run(browser, voila_base):
    """With JavaScript off (as in the second before it boots), is the case study and the app's result shown?"""
    context = browser.new_context(locale="bg-BG", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(voila_base + "paris-participatory-budget.ipynb", timeout=120_000)
        assert page.get_by_role("heading", name="Граждански бюджет на Париж").first.is_visible()
        frame = page.locator(".civickit-first-frame")
        assert frame.is_visible()
        # The preheated kernel's state: the default 20 M € envelope and its funded projects.
        assert re.search(r"Финансирани проекти: \d+ от \d+", frame.inner_text()), frame.inner_text()
        assert "Бюджет (млн €)" in frame.inner_text()
        assert "Основни факти и източници" in page.locator("body").inner_text()
    finally:
        context.close()
