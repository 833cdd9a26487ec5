"""The case study in headless Chromium through a real Voila server."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, free_port, kit_env, wait_for_http

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CASE_STUDY = "practices/paris-participatory-budget.ipynb"


@pytest.fixture(scope="module")
def voila_url(tmp_path_factory):
    """Standalone Voila over practices/, as the public mode serves it (sources stripped)."""
    port = free_port()
    log = (tmp_path_factory.mktemp("voila") / "voila.log").open("w")
    cmd = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", str(REPO / CASE_STUDY)]
    proc = subprocess.Popen(cmd, cwd=REPO, env=kit_env(REPO), stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/", proc, seconds=60)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture
def rendered(page, voila_url):
    page.goto(voila_url, timeout=120_000)
    page.locator(".civickit-summary").first.wait_for(timeout=120_000)
    return page


def test_renders_facts_and_ballot(rendered):
    """Does the case study show its cited facts and the simulator?"""
    text = rendered.locator("body").inner_text()
    assert "Основни факти и източници" in text
    assert "Финансирани проекти" in text
    assert "Бюджет (млн €)" in text


def test_changing_the_envelope_changes_the_result(rendered):
    """Does a smaller budget fund fewer projects, and does the page say so?"""
    summary = rendered.locator(".civickit-summary").first
    before = summary.inner_text()
    field = rendered.get_by_label("Бюджет (млн €)")
    field.fill("5")
    field.press("Enter")
    rendered.wait_for_function(
        "before => document.querySelector('.civickit-summary').innerText !== before", arg=before, timeout=30_000
    )
    after = summary.inner_text()
    assert "от 5\u00a0000\u00a0000\u00a0€" in after, after
    funded = lambda text: int(text.split("Финансирани проекти: ")[1].split(" ")[0])
    assert funded(after) < funded(before)


def test_no_code_in_the_page(rendered):
    """Are the notebook's code cells stripped from what the learner sees?"""
    html = rendered.content()
    for source_line in ("from civickit", "simulator(", "import "):
        assert source_line not in html, source_line
    assert rendered.locator(".jp-CodeMirrorEditor, .jp-CodeCell .jp-InputArea-editor").count() == 0


def test_nothing_fetched_from_outside(rendered):
    """Does the app load everything from the serving machine?"""
    rendered.wait_for_load_state("networkidle")
    assert rendered.outside_requests == []


def test_accessibility(rendered):
    """Does axe-core find no serious or critical violation in the case study?"""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(rendered)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
