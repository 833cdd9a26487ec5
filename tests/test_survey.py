"""Needs-survey logic: cleaning, response rates and need scores (civickit.survey)."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit import survey
from civickit.datasets import load_table


@pytest.fixture
def toy() -> pd.DataFrame:
    """Six invented organisations; T5 filled in scores but never submitted, T4 skipped a question."""
    return pd.DataFrame({
        "org_id": ["T1", "T2", "T3", "T4", "T5", "T6"],
        "org_type": ["сдружение", "читалище", "читалище", "сдружение", "сдружение", "фондация"],
        "municipality": ["Ямбол", "Ямбол", "Ямбол", "Елхово", "Елхово", "Елхово"],
        "responded": ["да", "не", "да", "да", "не", "не"],
        "staff_count": [3, 1, 2, 5, 0, 4],
        "project_writing": [3, None, 1, 2, 3, None],
        "eu_funds": [1, None, 3, 2, 3, None],
        "partnerships": [1, None, 2, 3, 3, None],
        "consultations": [0, None, 1, None, 3, None],
        "monitoring": [1, None, 0, 1, 3, None],
    }).astype({need: "Int64" for need in survey.NEEDS})


def test_clean_keeps_first_row_and_one_spelling():
    """Does cleaning keep the first row of a repeated org_id and write ' ЯМБОЛ ' as 'Ямбол', leaving the input alone?"""
    raw = pd.DataFrame({
        "org_id": ["A", "B", "A"],
        "municipality": [" ЯМБОЛ ", "стралджа\t", "Ямбол"],
        "responded": ["да", "не", "не"],
    })
    before = raw.copy()
    cleaned = survey.clean_survey(raw)
    assert list(cleaned["org_id"]) == ["A", "B"]
    assert list(cleaned["municipality"]) == ["Ямбол", "Стралджа"]
    assert cleaned.loc[0, "responded"] == "да"
    assert raw.equals(before)


def test_synthetic_survey_cleans_to_120_organisations_in_5_municipalities():
    """Does the shipped survey clean to 120 distinct organisations in exactly the five municipalities?"""
    raw = load_table("needs_survey_synthetic")
    cleaned = survey.clean_survey(raw)
    assert len(raw) > len(cleaned) == 120
    assert cleaned["org_id"].is_unique
    assert set(cleaned["municipality"]) == set(survey.MUNICIPALITIES)
    assert set(raw["municipality"]) - set(survey.MUNICIPALITIES), "the raw table should need cleaning"


def test_response_rates(toy):
    """Is the response rate the share of 'да', overall and per municipality?"""
    assert survey.response_rate(toy) == pytest.approx(0.5)
    by_place = survey.response_rate_by(toy, "municipality")
    assert by_place["Ямбол"] == pytest.approx(2 / 3)
    assert by_place["Елхово"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        survey.response_rate(toy.iloc[0:0])


def test_needs_by_counts_respondents_only(toy):
    """Do mean scores ignore unsubmitted forms and empty scores, and leave out groups with no respondent?"""
    table = survey.needs_by(toy, "org_type")
    assert list(table.columns) == survey.NEEDS
    assert set(table.index) == {"сдружение", "читалище"}
    assert table.loc["сдружение", "project_writing"] == pytest.approx(2.5)
    assert table.loc["сдружение", "partnerships"] == pytest.approx(2.0)
    assert table.loc["сдружение", "consultations"] == pytest.approx(0.0)


def test_top_need_breaks_ties_by_order(toy):
    """Is the top need the highest mean, with a tie going to the need listed first?"""
    top = survey.top_need(toy)
    assert top["Ямбол"] == "project_writing"  # project_writing and eu_funds both 2.0
    assert top["Елхово"] == "partnerships"
    assert set(survey.NEED_LABELS_BG) == set(survey.NEEDS)
