"""Measuring public support for a cause: a support survey and a petition (module 8).

A survey table has one row per answer with `respondent_id`, `municipality` and `answer`, where the
answer is "за", "против" or "не знам" as people actually write it (" ЗА ", "да", "незнам"...).
A petition table has one row per signature with `name` and `settlement`. Used by the module's
exercise notebook (exercises/08-support-survey.ipynb), which checks the learner's answers against
these functions.

The margin of error is the usual normal approximation for a simple random sample; it says nothing
about a convenience sample (a Facebook poll), which is why the lesson tells learners not to print
it for one.
"""

from __future__ import annotations

import math

import pandas as pd

from .survey import normalise_municipality

FOR, AGAINST, DONT_KNOW = "за", "против", "не знам"
ANSWERS = (FOR, AGAINST, DONT_KNOW)
# Spellings seen on paper forms, mapped to the three answers; anything else is not a valid answer.
_SPELLINGS = {
    "за": FOR, "да": FOR, "подкрепям": FOR,
    "против": AGAINST, "не": AGAINST,
    "не знам": DONT_KNOW, "незнам": DONT_KNOW, "не мога да преценя": DONT_KNOW,
}
Z_95 = 1.96  # normal quantile for 95 % confidence


def normalise_answer(text) -> str | None:
    """One of ANSWERS for a recognisable answer (' ЗА ' -> 'за', 'да' -> 'за'), else None."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    return _SPELLINGS.get(" ".join(str(text).split()).lower())


def clean_responses(table: pd.DataFrame) -> pd.DataFrame:
    """A cleaned copy: answers and municipality names normalised, the first answer of each
    respondent kept, rows without a recognisable answer dropped; index renumbered from 0."""
    out = table.copy()
    out["answer"] = out["answer"].map(normalise_answer)
    out["municipality"] = out["municipality"].map(normalise_municipality)
    out = out.drop_duplicates(subset="respondent_id", keep="first")
    return out[out["answer"].notna()].reset_index(drop=True)


def support_share(table: pd.DataFrame) -> float:
    """Share (0–1) of "за" among the valid answers of a cleaned table ("не знам" counts as an answer)."""
    if len(table) == 0:
        raise ValueError("the survey table has no valid answers")
    return float((table["answer"] == FOR).mean())


def support_by(table: pd.DataFrame, column: str = "municipality") -> pd.Series:
    """Share (0–1) of "за" for each value of `column` in a cleaned table."""
    return (table["answer"] == FOR).groupby(table[column]).mean().astype(float).rename("support")


def margin_of_error(share: float, n: int, z: float = Z_95) -> float:
    """Half-width (0–1) of the confidence interval of `share` from a simple random sample of n."""
    if n <= 0:
        raise ValueError("the sample must have at least one answer")
    if not 0 <= share <= 1:
        raise ValueError("share is a fraction between 0 and 1, e.g. 0.6 for 60 %")
    return z * math.sqrt(share * (1 - share) / n)


def _signature_key(name, settlement) -> tuple[str, str]:
    return (" ".join(str(name).split()).casefold(), " ".join(str(settlement).split()).casefold())


def unique_signatures(table: pd.DataFrame) -> pd.DataFrame:
    """The petition without repeated signatures: same name in the same settlement, whatever the
    spacing or letter case, counts once (the first is kept); index renumbered from 0."""
    keys = [_signature_key(n, s) for n, s in zip(table["name"], table["settlement"])]
    return table[~pd.Series(keys, index=table.index).duplicated(keep="first")].reset_index(drop=True)


def signatures_by(table: pd.DataFrame, column: str = "settlement") -> pd.Series:
    """Number of signatures per value of `column`, largest first (ties in name order)."""
    labels = table[column].map(lambda s: " ".join(str(s).split()))
    counts = labels.value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable").rename("signatures")
