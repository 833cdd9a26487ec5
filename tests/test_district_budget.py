"""District envelopes behind the Sofia civic budget case study."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit.datasets import load_table
from civickit.district_budget import (CITY, CITY_ENVELOPE_BGN, DISTRICT_ENVELOPE_BGN, allocate_all, areas,
                                      bgn_to_eur, district_app, district_result_html, envelope_eur, overview)


def ballots() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "district_bg": ["А", "А", "Б", "Б", CITY, CITY],
            "title_bg": ["а1", "а2", "б1", "б2", "г1", "г2"],
            "cost_eur": [60_000, 60_000, 30_000, 90_000, 200_000, 100_000],
            "votes": [500, 400, 300, 900, 1_000, 2_000],
        }
    )


def test_leva_convert_at_the_fixed_rate():
    """Are 200 000 лв. about 102 258 € and 500 000 лв. about 255 646 € at 1,95583?"""
    assert bgn_to_eur(DISTRICT_ENVELOPE_BGN) == pytest.approx(102_258.38, abs=0.01)
    assert bgn_to_eur(CITY_ENVELOPE_BGN) == pytest.approx(255_645.94, abs=0.01)
    assert envelope_eur(CITY) > envelope_eur("А")


def test_city_ballot_comes_last():
    """Are the districts listed alphabetically and the city-wide ballot last?"""
    assert areas(ballots()) == ["А", "Б", CITY]


def test_each_district_stays_within_its_own_envelope():
    """Does each ballot fund only what its own envelope covers, with no money moved between districts?"""
    results = allocate_all(ballots())
    assert list(results["А"]["funded"]) == [True, False]  # 60 000 + 60 000 > 102 258
    assert list(results["Б"].sort_values("votes", ascending=False)["funded"]) == [True, False]
    assert list(results[CITY]["funded"]) == [True, False]  # 100 000 first (more votes), then 200 000 no longer fits
    table = overview(results).set_index("area")
    assert (table["spent_eur"] <= table["envelope_eur"]).all()
    assert table.loc["А", "left_eur"] == pytest.approx(102_258.38 - 60_000, abs=0.01)


def test_smaller_envelope_funds_fewer():
    """Does halving the district envelope fund fewer projects in district Б?"""
    full = allocate_all(ballots())["Б"]["funded"].sum()
    half = allocate_all(ballots(), district_bgn=50_000)["Б"]["funded"].sum()
    assert half < full


def test_synthetic_ballots_are_marked_invented():
    """Does every project in the synthetic table say it is invented, and is there a city-wide ballot?"""
    table = load_table("district_ballots_synthetic")
    assert table["title_bg"].str.contains("(измислен пример)", regex=False).all()
    assert CITY in set(table["district_bg"]) and len(areas(table)) >= 4


def test_result_html_starts_with_status_and_names_the_envelope():
    """Does a district's result start with the status line and give the envelope in leva and euro?"""
    html = district_result_html(allocate_all(ballots()), "А")
    assert html.startswith("<p class='civickit-summary' role='status'>")
    assert "200\u00a0000 лв." in html and "102\u00a0258\u00a0€" in html


def test_app_shows_another_ballot_when_the_district_changes():
    """Does choosing another district in the dropdown change the visible result?"""
    app = district_app()
    choice, out = app.children
    assert "civickit-control" in choice._dom_classes and "civickit-result" in out._dom_classes
    before = out.value
    choice.value = choice.options[1]
    assert out.value != before
    choice.value = CITY
    assert "500\u00a0000 лв." in out.value
