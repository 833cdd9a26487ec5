"""Which funding programme fits an idea: eligibility, open calls, own contribution.

Works on the kit's table ``funding_programmes_2021_2027`` (real programmes, one source per
row) and on lists of calls with deadlines. Shared by the funding-finder assignment and the
funding-finder tool. An empty cell in the table means "not verified", never "no".
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

SOFIA = "Europe/Sofia"
ACTIVE = "активна"
YES = "да"
# The words used in the table's eligible_applicants column (separated by ";").
APPLICANT_TYPES = ("НПО", "читалище", "община", "училище", "фирма", "група млади хора")


def _norm(text) -> str:
    return " ".join(str(text).split()).casefold()


def applicant_types(cell) -> set[str]:
    """The applicant types in one eligible_applicants cell, normalised; empty set for a missing cell."""
    if not isinstance(cell, str):
        return set()
    return {_norm(part) for part in cell.split(";") if part.strip()}


def eligible_for(programmes: pd.DataFrame, applicant_type: str, in_yambol: bool = True) -> pd.DataFrame:
    """Active programmes that name ``applicant_type`` among their applicants.

    With ``in_yambol=True`` only programmes whose ``eligible_yambol`` is "да" are kept. Closed
    programmes (status other than "активна") and rows with unverified (empty) cells are left
    out. The match ignores case and extra spaces. Row order is kept; the index is renumbered.
    """
    wanted = _norm(applicant_type)
    keep = []
    for _, row in programmes.iterrows():
        active = isinstance(row["status"], str) and _norm(row["status"]) == ACTIVE
        fits = wanted in applicant_types(row["eligible_applicants"])
        place = (not in_yambol) or (isinstance(row["eligible_yambol"], str) and _norm(row["eligible_yambol"]) == YES)
        keep.append(active and fits and place)
    return programmes[keep].reset_index(drop=True)


def deadline_in_sofia(deadline) -> date:
    """The calendar date in Sofia of a deadline given with a time zone ("2026-11-30T22:30:00Z" -> 1 Dec 2026).

    A deadline without a time zone is taken to be Sofia time already.
    """
    stamp = pd.Timestamp(deadline)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(SOFIA)
    return stamp.tz_convert(SOFIA).date()


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def open_calls(calls: pd.DataFrame, on_date) -> pd.DataFrame:
    """Calls open on ``on_date`` (a Sofia calendar date): opened on or before it, deadline on or after it.

    ``calls`` needs the columns ``opens`` (date) and ``deadline`` (timestamp with a time zone, e.g.
    "2026-12-10T17:00:00+01:00"); the deadline counts as its date in Sofia, and the deadline day
    itself is still open. Row order is kept; the index is renumbered.
    """
    day = _as_date(on_date)
    keep = [_as_date(o) <= day <= deadline_in_sofia(d) for o, d in zip(calls["opens"], calls["deadline"])]
    return calls[keep].reset_index(drop=True)


def grant_amount(budget: float, grant_rate_pct: float, max_grant: float | None = None) -> float:
    """Grant = budget x rate / 100, capped at ``max_grant`` (no cap when None); rounded to cents."""
    if budget < 0:
        raise ValueError(f"budget must not be negative, got {budget}")
    if not 0 <= grant_rate_pct <= 100:
        raise ValueError(f"grant rate is a percentage between 0 and 100, got {grant_rate_pct}")
    if max_grant is not None and max_grant < 0:
        raise ValueError(f"maximum grant must not be negative, got {max_grant}")
    grant = budget * grant_rate_pct / 100
    if max_grant is not None:
        grant = min(grant, max_grant)
    return round(grant, 2)


def own_contribution(budget: float, grant_rate_pct: float, max_grant: float | None = None) -> float:
    """What the organisation pays itself: budget minus the (capped) grant, rounded to cents.

    >>> own_contribution(120_000, 98)
    2400.0
    >>> own_contribution(200_000, 85, max_grant=150_000)
    50000.0
    """
    return round(budget - grant_amount(budget, grant_rate_pct, max_grant), 2)
