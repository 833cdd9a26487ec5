"""A national civil-society fund over time: verified figures only, growth, per-capita amounts, the app."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit.datasets import load_table
from civickit.errors import KitError
from civickit.funding_history import (
    FUNDS,
    MEASURES,
    YAMBOL_POPULATION,
    comparable_years,
    fund_history_app,
    growth,
    measures_for,
    per_capita,
    result_html,
    series,
    summary_bg,
    yambol_equivalent,
)


def test_every_row_has_a_source_and_a_known_fund_measure_and_basis():
    """Does every verified value name a web source, a known fund, a known measure and what it covers?"""
    table = load_table("civil_society_fund_history")
    assert set(table["fund_id"]) == set(FUNDS)
    assert set(table["measure"]) <= set(MEASURES)
    assert set(table["basis"]) <= {"year", "call", "period", "plan"}
    assert table["source"].str.startswith("http").all()
    assert not table.duplicated(["fund_id", "year", "measure"]).any()


def test_converted_amounts_follow_the_fixed_euro_rates():
    """Are the kroon and kuna amounts converted at the official fixed rates (15,6466 EEK and 7,53450 HRK per euro)?"""
    kusk_2008 = series("kusk", "grants_eur").set_index("year").loc[2008, "value"]
    nzrcd_2016 = series("nzrcd", "grants_eur").set_index("year").loc[2016, "value"]
    assert kusk_2008 == pytest.approx(5_400_000 / 15.6466, abs=1)
    assert nzrcd_2016 == pytest.approx(24_000_000 / 7.53450, abs=1)


def test_growth_between_two_verified_years():
    """Is growth the relative change, e.g. 2 500 000 € → 2 155 000 € is −13,8 %?"""
    assert growth(series("kusk", "grants_eur"), 2013, 2023) == pytest.approx(2_155_000 / 2_500_000 - 1)
    frame = pd.DataFrame({"year": [2020, 2021], "value": [100.0, 150.0]})
    assert growth(frame, 2020, 2021) == pytest.approx(0.5)


def test_growth_refuses_a_year_without_a_verified_value():
    """Does asking for an unverified year fail and list the years that do have data, instead of guessing?"""
    with pytest.raises(KitError, match="2015"):
        growth(series("kusk", "grants_eur"), 2015, 2023)


def test_single_calls_are_not_compared_with_whole_years():
    """Are values for one call or a five-year total kept out of the years used for growth?"""
    assert comparable_years(series("kusk", "grants_eur")) == [2013, 2023]
    assert comparable_years(series("nzrcd", "grants_count")) == [2018]


def test_per_capita_and_yambol_equivalent():
    """Is the Yambol figure the same amount per inhabitant times 109 693 inhabitants?"""
    assert per_capita(1_331_824, 1_331_824) == 1
    assert yambol_equivalent(2_155_000, 1_331_824) == pytest.approx(2_155_000 / 1_331_824 * 109_693)
    assert YAMBOL_POPULATION == 109_693
    with pytest.raises(KitError):
        per_capita(100, 0)


def test_summary_says_when_there_are_too_few_points():
    """With only one whole-year value, does the sentence say it shows points and computes no growth?"""
    text = summary_bg("nzrcd", "grants_count")
    assert "отделни точки" in text and "%" not in text


def test_summary_reports_growth_in_bulgarian():
    """With two whole-year values, does the sentence give both years and a signed Bulgarian percentage?"""
    text = summary_bg("kusk", "grants_eur")
    assert "2013 г." in text and "2023 г." in text and "\u221214\u00a0%" in text


def test_result_has_status_bars_and_a_labelled_thought_experiment():
    """Does the result start with a status sentence, draw one bar per value and label the Yambol box a thought experiment?"""
    page = result_html("kusk", "grants_eur")
    assert page.startswith("<p class='civickit-summary' role='status'>")
    assert page.count("aria-hidden='true'") == len(series("kusk", "grants_eur"))
    assert "Мисловен експеримент" in page and "109\u00a0693" in page


def test_unknown_fund_is_named():
    """Does an unknown fund fail with the funds the kit has?"""
    with pytest.raises(KitError, match="kusk"):
        measures_for("nowhere")


@pytest.mark.parametrize("fund", sorted(FUNDS))
def test_app_changes_its_result_when_the_measure_changes(fund):
    """Does choosing another measure in the dropdown change the visible result?"""
    app = fund_history_app(fund)
    choice, out = app.children
    assert "civickit-control" in choice._dom_classes and "civickit-result" in out._dom_classes
    before = out.value
    choice.value = [m for m in measures_for(fund) if m != choice.value][0]
    assert out.value != before
