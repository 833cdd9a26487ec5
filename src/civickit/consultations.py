"""Public consultations under the Normative Acts Act (ЗНА), Art. 26(4).

The proposal period is at least 30 days; in exceptional cases, with the reasons
stated, at least 14 days. Shared by the lesson's exercise, the assignment and tools.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

MINIMUM_DAYS = 30
EXCEPTIONAL_MINIMUM_DAYS = 14


def consultation_length(published: date, closes: date) -> int:
    """Calendar days from publication to the closing date."""
    days = (pd.Timestamp(closes) - pd.Timestamp(published)).days
    if days < 0:
        raise ValueError(f"closing date {closes} is before publication {published}")
    return days


def has_reason(exceptional_reason) -> bool:
    return isinstance(exceptional_reason, str) and exceptional_reason.strip() != ""


def meets_legal_minimum(days: int, exceptional_reason: str | None = None) -> bool:
    """30 days, or 14 when the authority states why the case is exceptional."""
    required = EXCEPTIONAL_MINIMUM_DAYS if has_reason(exceptional_reason) else MINIMUM_DAYS
    return days >= required


def assess(table: pd.DataFrame) -> pd.DataFrame:
    """Adds `days` and `meets_minimum` to a table with published, closes, exceptional_reason."""
    out = table.copy()
    out["days"] = [consultation_length(p, c) for p, c in zip(out["published"], out["closes"])]
    out["meets_minimum"] = [meets_legal_minimum(d, r) for d, r in zip(out["days"], out["exceptional_reason"])]
    return out
