"""Stakeholder mapping: the power/interest grid (Mendelow's matrix) and a partner network.

A stakeholder table has the columns id, sector, power and interest (power and interest
scored 1-5); a links table has the columns source, target and kind, one row per link
between two organisations (a link counts for both ends, whatever its direction).
Shared by the stakeholders assignment and the stakeholder map tool.
"""

from __future__ import annotations

import pandas as pd

from .stakeholder_groups import (  # noqa: F401 - given to learners, re-exported for the tool
    KEEP_INFORMED, KEEP_SATISFIED, LINK_KINDS, MANAGE_CLOSELY, MONITOR, QUADRANTS, SECTORS,
)

SCALE = range(1, 6)
THRESHOLD = 3


def quadrant(power: int, interest: int, threshold: int = THRESHOLD) -> str:
    """The quadrant of one stakeholder: a score counts as high when it is >= threshold.

    Raises ValueError when power or interest is not a whole number from 1 to 5.
    """
    for label, value in (("power", power), ("interest", interest)):
        if isinstance(value, bool) or value not in SCALE:
            raise ValueError(f"{label} must be a whole number from 1 to 5, got {value!r}")
    high_power, high_interest = power >= threshold, interest >= threshold
    if high_power:
        return MANAGE_CLOSELY if high_interest else KEEP_SATISFIED
    return KEEP_INFORMED if high_interest else MONITOR


def classify(stakeholders: pd.DataFrame, threshold: int = THRESHOLD) -> pd.DataFrame:
    """A copy of the table with a `quadrant` column added; the input is left unchanged."""
    out = stakeholders.copy()
    out["quadrant"] = [quadrant(p, i, threshold) for p, i in zip(out["power"], out["interest"])]
    return out


def degrees(links: pd.DataFrame) -> pd.Series:
    """Links per organisation (as source or target), most first; ties in id order.

    Only organisations that appear in `links` are listed. The Series is named `degree`.
    """
    ends = pd.concat([links["source"], links["target"]], ignore_index=True)
    counts = ends.value_counts().sort_index()
    counts = counts.sort_values(ascending=False, kind="stable").astype(int)
    counts.index.name = "id"
    return counts.rename("degree")


def best_connector(links: pd.DataFrame) -> str:
    """The id of the organisation with the most links (the smallest id among ties)."""
    ranked = degrees(links)
    if ranked.empty:
        raise ValueError("there are no links")
    return str(ranked.index[0])


def missing_sectors(stakeholders: pd.DataFrame, threshold: int = THRESHOLD) -> list[str]:
    """Sectors of SECTORS with no stakeholder in the high-power/high-interest quadrant, in SECTORS order."""
    key = classify(stakeholders, threshold)
    present = set(key.loc[key["quadrant"] == MANAGE_CLOSELY, "sector"])
    return [s for s in SECTORS if s not in present]


def isolated(stakeholders: pd.DataFrame, links: pd.DataFrame) -> list[str]:
    """Ids of the organisations that take part in no link, sorted."""
    linked = set(links["source"]) | set(links["target"])
    return sorted(str(i) for i in stakeholders["id"] if i not in linked)
