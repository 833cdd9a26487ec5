"""Consistency checks of a logical framework (logframe) table.

The table has one row per item of the intervention logic, from the top down:
обща цел (overall objective), конкретна цел (specific objective / purpose),
резултат (result), дейност (activity) — the rows of the EC logframe matrix in the
Project Cycle Management Guidelines (EuropeAid, 2004). Each row names its parent
(`parent_id`); rows other than activities carry an indicator with a baseline and a
target. Shared by the logframe assignment and the logframe builder.
"""

from __future__ import annotations

import pandas as pd

LEVELS = ("обща цел", "конкретна цел", "резултат", "дейност")
RESULT = "резултат"
ACTIVITY = "дейност"
GAP_KEYS = ("results_without_activities", "missing_baseline", "missing_target")


def is_blank(value) -> bool:
    """True for a missing value (None, NA, NaN) or text made only of spaces."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and value.strip() == ""


def results_without_activities(frame: pd.DataFrame) -> list[str]:
    """item_id of every result that no activity names as its parent (in table order)."""
    parents = {p for lvl, p in zip(frame["level"], frame["parent_id"]) if lvl == ACTIVITY and not is_blank(p)}
    return [i for lvl, i in zip(frame["level"], frame["item_id"]) if lvl == RESULT and i not in parents]


def indicator_gaps(frame: pd.DataFrame, column: str) -> list[str]:
    """item_id of every row that has an indicator but an empty `column` (baseline or target)."""
    return [
        i
        for i, ind, val in zip(frame["item_id"], frame["indicator"], frame[column])
        if not is_blank(ind) and is_blank(val)
    ]


def logframe_gaps(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The gaps a reviewer looks for first, each as a list of item_id in table order.

    - results_without_activities: results no activity leads to;
    - missing_baseline / missing_target: rows whose indicator lacks a baseline / a target
      (rows without an indicator, such as activities, are not checked).
    """
    return {
        "results_without_activities": results_without_activities(frame),
        "missing_baseline": indicator_gaps(frame, "baseline"),
        "missing_target": indicator_gaps(frame, "target"),
    }


def unknown_parents(frame: pd.DataFrame) -> list[str]:
    """item_id of every row whose parent_id names no item of the table (a broken link)."""
    ids = set(frame["item_id"])
    return [i for i, p in zip(frame["item_id"], frame["parent_id"]) if not is_blank(p) and p not in ids]
