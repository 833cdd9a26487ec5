"""Logframe consistency: results that no activity leads to, indicators without baseline or target."""

from __future__ import annotations

import pandas as pd

from civickit.datasets import load_table
from civickit.logframe import GAP_KEYS, LEVELS, logframe_gaps, unknown_parents

COLUMNS = ["level", "item_id", "indicator", "baseline", "target", "parent_id"]


def frame(*rows):
    return pd.DataFrame(rows, columns=COLUMNS).astype("string")


def test_result_without_activity_is_found():
    """Is a result that no activity names as parent reported, and one with an activity not?"""
    lf = frame(
        ("резултат", "R1", "Брой обучени", "0", "40", "S1"),
        ("резултат", "R2", "Брой събития", "0", "3", "S1"),
        ("дейност", "A1.1", None, None, None, "R1"),
    )
    assert logframe_gaps(lf)["results_without_activities"] == ["R2"]


def test_missing_baseline_and_target_only_where_there_is_an_indicator():
    """Are empty baselines/targets flagged for rows with an indicator, and activities without one left alone?"""
    lf = frame(
        ("конкретна цел", "S1", "Дял доволни", None, "80", ""),
        ("резултат", "R1", "Брой обучени", "0", "  ", "S1"),
        ("дейност", "A1.1", None, None, None, "R1"),
    )
    gaps = logframe_gaps(lf)
    assert gaps["missing_baseline"] == ["S1"]
    assert gaps["missing_target"] == ["R1"]


def test_complete_logframe_has_empty_lists():
    """Does a consistent logframe give every key with an empty list?"""
    lf = frame(("резултат", "R1", "Брой", "0", "5", "S1"), ("дейност", "A1", None, None, None, "R1"))
    assert logframe_gaps(lf) == {key: [] for key in GAP_KEYS}


def test_kit_example_has_its_planted_flaws():
    """Does the kit's synthetic logframe carry the flaws the assignment asks for, and no broken links?"""
    lf = load_table("logframe_example_synthetic")
    assert set(lf["level"]) == set(LEVELS)
    assert logframe_gaps(lf) == {"results_without_activities": ["R4"], "missing_baseline": ["S1"], "missing_target": ["R2"]}
    assert unknown_parents(lf) == []
    budget = load_table("budget_lines_synthetic")
    activities = set(lf.loc[lf["level"] == "дейност", "item_id"])
    assert set(budget["activity_id"].dropna()) <= activities
