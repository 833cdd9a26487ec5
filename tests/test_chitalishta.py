"""The chitalishta explorer: verified counts, ratios computed with the 2021 census, and the app."""

from __future__ import annotations

import pytest

from civickit import chitalishta
from civickit.chitalishta import (VIEWS, change, figures, members_change, members_per_1000, municipal_counts,
                                  per_inhabitants, result_html, value)
from civickit.datasets import catalogue


def test_table_is_verified_data_with_a_source_on_every_row():
    """Is the table real (not synthetic) and does every row name a source web page?"""
    assert catalogue()["chitalishta_figures"]["synthetic"] is False
    table = figures()
    assert table["source"].str.startswith("http").all()
    assert set(table["indicator"]) <= {"chitalishta", "members", "population", "chitalishta_map"}


def test_municipal_counts_add_up_to_the_district():
    """Do the municipal counts of 2022 add up to the 82 chitalishta of Yambol district?"""
    table = figures()
    assert value(table, "yambol_district", "chitalishta", 2022) == 82
    assert municipal_counts(table)["chitalishta"].sum() == 82


def test_census_populations_add_up_to_the_district():
    """Do the five municipalities of the 2021 census add up to the district's 109 693 inhabitants?"""
    table = figures()
    parts = sum(value(table, m, "population", 2021) for m in ("yambol", "tundzha", "elhovo", "straldzha", "bolyarovo"))
    assert parts == value(table, "yambol_district", "population", 2021) == 109_693
    assert value(table, "yambol_bolyarovo", "population", 2021) == 61_766 + 3_118


def test_ratios_are_computed_per_inhabitants():
    """Are members per 1000 inhabitants 5 769 / 109 693 × 1000 ≈ 52,6 for Yambol and ≈ 40,1 for Bulgaria?"""
    data = members_per_1000(figures())
    assert data["per_1000"].iloc[0] == pytest.approx(52.59, abs=0.01)
    assert data["per_1000"].iloc[1] == pytest.approx(40.08, abs=0.01)
    assert per_inhabitants(5, 0) == 0.0
    assert per_inhabitants(40, 21_167, 10_000) == pytest.approx(18.90, abs=0.01)


def test_members_fell_in_yambol_between_2017_and_2022():
    """Does the change 2017→2022 show Yambol district's members falling by about 5,1 %?"""
    data = members_change(figures()).set_index("area")
    assert data.loc["област Ямбол", "change"] == pytest.approx(-0.0505, abs=0.0005)
    assert change(100, 110) == pytest.approx(0.10) and change(0, 5) == 0.0


def test_missing_value_is_named():
    """Does asking for a figure the table lacks raise an error naming the area, indicator and year?"""
    with pytest.raises(KeyError, match="members for tundzha in 2022"):
        value(figures(), "tundzha", "members", 2022)


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_starts_with_a_status_sentence(view):
    """Does every view open with a role='status' sentence and hold a captioned table?"""
    page = result_html(view)
    assert page.startswith("<p class='civickit-summary' role='status'>")
    assert "<caption>" in page and "<th scope='col'>" in page


def test_app_changes_with_the_dropdown():
    """Does picking another indicator change the visible result?"""
    app = chitalishta.chitalishta_app()
    choice, out = app.children
    assert "civickit-control" in choice._dom_classes and "civickit-result" in out._dom_classes
    before = out.value
    choice.value = list(VIEWS)[2]
    assert out.value != before and "52,6" in out.value
