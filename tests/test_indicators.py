"""Progress towards a target, traffic lights and their counts per municipality (civickit.indicators)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from civickit.datasets import load_table
from civickit.indicators import assess, light_counts, most_reds, progress, traffic_light


def test_progress_counts_from_the_baseline_in_both_directions():
    """Is progress the share of the way from baseline to target, whether higher or lower is better?"""
    assert progress(20, 40, 30, "up") == pytest.approx(50.0)
    assert progress(30, 10, 25, "down") == pytest.approx(25.0)
    assert progress(30, 10, 10, "down") == pytest.approx(100.0)


def test_progress_is_clipped_to_0_100():
    """Does overshooting give 100 and moving the wrong way give 0?"""
    assert progress(20, 40, 55, "up") == 100.0
    assert progress(20, 40, 15, "up") == 0.0
    assert progress(30, 10, 35, "down") == 0.0
    assert progress(30, 10, 4, "down") == 100.0


def test_progress_is_nan_when_undefined():
    """Is progress NaN when the target equals the baseline or a value is missing?"""
    assert math.isnan(progress(100, 100, 98, "up"))
    assert math.isnan(progress(20, 40, pd.NA, "up"))
    assert math.isnan(progress(20, 40, float("nan"), "up"))


def test_progress_rejects_bad_direction():
    """Is an unknown direction, or a target on the wrong side of the baseline, refused?"""
    with pytest.raises(ValueError, match="direction"):
        progress(20, 40, 30, "higher")
    with pytest.raises(ValueError, match="contradicts"):
        progress(20, 40, 30, "down")


def test_traffic_light_thresholds():
    """Are 90 and 60 the lower bounds of green and amber, and is missing progress grey?"""
    assert [traffic_light(p) for p in (100, 90, 89.9, 60, 59.99, 0)] == ["green", "green", "amber", "amber", "red", "red"]
    assert traffic_light(math.nan) == "grey"
    assert traffic_light(pd.NA) == "grey"


def test_light_counts_fill_zeros_and_name_most_reds():
    """Does every municipality get all four counts (zeros included), and is the one with most reds named?"""
    table = pd.DataFrame({"municipality": ["А", "А", "Б", "Б", "Б"], "light": ["red", "green", "red", "red", "amber"]})
    counts = light_counts(table)
    assert list(counts.columns) == ["red", "amber", "green", "grey"]
    assert counts.loc["А"].tolist() == [1, 0, 1, 0]
    assert counts.loc["Б"].tolist() == [2, 1, 0, 0]
    assert most_reds(counts) == "Б"


def test_course_table_has_one_clear_laggard():
    """In the course's synthetic table, does every row get a light and does one municipality lead in reds?"""
    assessed = assess(load_table("municipal_indicators_synthetic"))
    counts = light_counts(assessed)
    assert counts.to_numpy().sum() == len(assessed) == 40
    reds = counts["red"].sort_values(ascending=False)
    assert reds.iloc[0] > reds.iloc[1]
    assert most_reds(counts) == "Стралджа"
