"""Needs surveys of civil-society organisations: cleaning, response rates, need scores.

A survey table has one row per organisation with `org_id`, `org_type`, `municipality`,
`responded` ("да"/"не") and one 0–3 score per need (0 = no need, 3 = great need), as in
the `needs_survey_synthetic` table. Used as the reference by the needs-assessment
assignment and by the needs-assessment dashboard.
"""

from __future__ import annotations

import pandas as pd

NEEDS = ["project_writing", "eu_funds", "partnerships", "consultations", "monitoring"]
NEED_LABELS_BG = {
    "project_writing": "Писане на проекти",
    "eu_funds": "Кандидатстване за средства от ЕС",
    "partnerships": "Изграждане на партньорства",
    "consultations": "Участие в обществени консултации",
    "monitoring": "Граждански мониторинг на политики",
}
MUNICIPALITIES = ["Ямбол", "Тунджа", "Елхово", "Стралджа", "Болярово"]
YES = "да"


def normalise_municipality(name: str) -> str:
    """One spelling per municipality: ' ЯМБОЛ ' -> 'Ямбол' (spaces trimmed, first letter capital)."""
    return " ".join(str(name).split()).capitalize()


def clean_survey(table: pd.DataFrame) -> pd.DataFrame:
    """A cleaned copy: municipality names normalised, only the first row of each org_id kept.

    Rows keep their order; the index is renumbered from 0. The input is not changed.
    """
    out = table.copy()
    out["municipality"] = out["municipality"].map(normalise_municipality)
    return out.drop_duplicates(subset="org_id", keep="first").reset_index(drop=True)


def responded(table: pd.DataFrame) -> pd.Series:
    """True for the rows whose organisation answered the survey."""
    return (table["responded"] == YES).astype(bool)


def respondents(table: pd.DataFrame) -> pd.DataFrame:
    """Only the organisations that answered (partial, unsubmitted forms do not count)."""
    return table[responded(table)]


def response_rate(table: pd.DataFrame) -> float:
    """Share of organisations (0–1) that answered the survey."""
    if len(table) == 0:
        raise ValueError("the survey table has no rows")
    return float(responded(table).mean())


def response_rate_by(table: pd.DataFrame, column: str) -> pd.Series:
    """Response rate (0–1) for each value of `column`, e.g. per municipality."""
    return responded(table).groupby(table[column]).mean().astype(float).rename("response_rate")


def needs_by(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Mean score of each need among respondents, one row per value of `column`.

    Columns are NEEDS in order; an empty score is left out of its mean; groups
    without a single respondent do not appear.
    """
    answered = respondents(table)
    scores = answered[NEEDS].apply(pd.to_numeric, errors="coerce").astype(float)
    return scores.groupby(answered[column]).mean()


def top_need(table: pd.DataFrame, column: str = "municipality") -> pd.Series:
    """The need with the highest mean score for each value of `column`; ties go to the first in NEEDS."""
    return needs_by(table, column).idxmax(axis=1).rename("top_need")
