"""Monitoring a programme's indicators: progress towards the target and a traffic light.

Progress is the share of the way from the baseline to the target that the measured value has
covered, in per cent, clipped to 0–100. `direction` says whether a higher value is better
("up") or a lower one ("down"); the target must lie on that side of the baseline. A target
equal to the baseline leaves progress undefined (NaN), and so does a missing number.

Shared by the monitoring assignment (its hidden tests use it as reference) and the monitoring
tool; the light thresholds below are the course's convention, not a legal rule.
"""

from __future__ import annotations

import math

import pandas as pd

DIRECTIONS = ("up", "down")
GREEN_FROM = 90.0
AMBER_FROM = 60.0
LIGHTS = ["red", "amber", "green", "grey"]  # grey: progress cannot be computed


def progress(baseline, target, value, direction) -> float:
    """Per cent of the way from baseline to target covered by value, clipped to 0–100.

    NaN when the target equals the baseline or any number is missing. Raises ValueError for
    a direction other than "up"/"down", or a target on the wrong side of the baseline.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    if any(pd.isna(x) for x in (baseline, target, value)):
        return math.nan
    baseline, target, value = float(baseline), float(target), float(value)
    if target == baseline:
        return math.nan
    if (target > baseline) != (direction == "up"):
        raise ValueError(f"target {target} contradicts direction {direction!r} from baseline {baseline}")
    gained = value - baseline if direction == "up" else baseline - value
    needed = abs(target - baseline)
    return min(100.0, max(0.0, 100.0 * gained / needed))


def traffic_light(progress_pct) -> str:
    """'green' from 90 %, 'amber' from 60 %, 'red' below; 'grey' when progress is NaN/missing."""
    if pd.isna(progress_pct):
        return "grey"
    if progress_pct >= GREEN_FROM:
        return "green"
    if progress_pct >= AMBER_FROM:
        return "amber"
    return "red"


def assess(table: pd.DataFrame, value_column: str = "value_2026") -> pd.DataFrame:
    """Adds `progress` (per cent, NaN where undefined) and `light` computed from value_column."""
    out = table.copy()
    out["progress"] = [
        progress(b, t, v, d)
        for b, t, v, d in zip(out["baseline"], out["target"], out[value_column], out["direction"])
    ]
    out["light"] = [traffic_light(p) for p in out["progress"]]
    return out


def light_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Count of each light per municipality: one row per municipality, columns red, amber, green, grey."""
    counts = pd.crosstab(table["municipality"], table["light"])
    counts = counts.reindex(columns=LIGHTS, fill_value=0).astype(int)
    counts.columns.name = None
    return counts


def most_reds(counts: pd.DataFrame) -> str:
    """The municipality with the most red lights (the first in table order on a tie)."""
    return str(counts["red"].idxmax())
