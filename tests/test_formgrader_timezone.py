"""One time for a due date everywhere a trainer looks: Formgrader shows the cohort's zone (Europe/Sofia),
as `civickit cohort due` and `cohort status` do, not UTC. Real cohort, server as `make start` starts it,
real Chromium."""

from __future__ import annotations

import json
import urllib.request

import pytest

from conftest import ASSIGNMENT
from learner_html import graded_cohort, open_recording

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    yield from graded_cohort(tmp_path_factory.mktemp("zone"))


def test_formgrader_api_gives_the_cohort_zone(cohort):
    """Does Formgrader's own API give the due date as 23:59 in Sofia's zone, not 21:59 UTC?"""
    srv, _, _ = cohort
    with urllib.request.urlopen(srv.url("formgrader/api/assignments")) as response:
        assignments = {a["name"]: a for a in json.load(response)}
    assert assignments[ASSIGNMENT]["display_duedate"] == "2026-12-15 23:59:00 EET"
    assert assignments[ASSIGNMENT]["duedate_notimezone"] == "2026-12-15T23:59:00"


def test_formgrader_page_shows_the_cohort_zone(cohort, browser):
    """On Formgrader's 'Manage Assignments' page, does the trainer read 23:59 (EET) and no 21:59?"""
    srv, _, _ = cohort
    context, page, _ = open_recording(browser, srv.url("formgrader/manage_assignments"))
    try:
        row = page.locator("tr", has_text=ASSIGNMENT).first
        row.wait_for(timeout=60_000)
        text = row.inner_text()
        assert "2026-12-15 23:59:00 EET" in text and "21:59" not in text
    finally:
        context.close()
