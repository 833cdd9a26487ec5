"""Project budget arithmetic: eligible direct costs, flat-rate indirect costs, co-financing.

Indirect costs may be covered by a flat rate of up to 7 % of eligible direct costs
without the Member State having to calculate the rate: Regulation (EU) 2021/1060
(Common Provisions Regulation), Art. 54, first paragraph, point (a). Higher rates
(Art. 54(b), (c)) need a base other than all direct costs or a calculation, so they
are left to the caller through `max_rate`.

Amounts are rounded to euro cents, halves away from zero (as an accountant rounds,
not as Python's round() does on binary floats). Shared by the budget assignment and
the budget calculator.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

CATEGORIES = ("персонал", "услуги", "пътни", "материали", "оборудване", "комуникация")
ELIGIBLE = "да"
INELIGIBLE = "не"
INDIRECT_FLAT_RATE_MAX = 0.07  # Regulation (EU) 2021/1060, Art. 54(a)


def to_cents(amount: float) -> float:
    """An amount rounded to euro cents, halves away from zero (2.675 -> 2.68)."""
    return float(Decimal(repr(float(amount))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def line_amounts(lines: pd.DataFrame) -> pd.Series:
    """quantity × unit_cost_eur for every budget line."""
    return lines["quantity"].astype(float) * lines["unit_cost_eur"].astype(float)


def is_eligible(lines: pd.DataFrame) -> pd.Series:
    """True for the lines marked eligible ('да'); anything else is not eligible."""
    return lines["eligible"].astype("string").str.strip().str.lower().eq(ELIGIBLE).fillna(False).astype(bool)


def direct_eligible_costs(lines: pd.DataFrame) -> float:
    """Sum of quantity × unit_cost_eur over the eligible lines, in cents."""
    return to_cents(float(line_amounts(lines)[is_eligible(lines)].sum()))


def ineligible_costs(lines: pd.DataFrame) -> float:
    """What the lines marked not eligible cost: the organisation pays it from its own money."""
    return to_cents(float(line_amounts(lines)[~is_eligible(lines)].sum()))


def check_rate(rate: float, highest: float, what: str) -> float:
    if not 0 <= rate <= highest:
        raise ValueError(f"{what} must be between 0 and {highest:.0%}, got {rate!r}")
    return float(rate)


def budget_totals(lines: pd.DataFrame, indirect_rate: float = INDIRECT_FLAT_RATE_MAX,
                  max_rate: float = INDIRECT_FLAT_RATE_MAX) -> dict[str, float]:
    """Eligible direct costs, indirect costs at a flat rate of them, and their total (in cents).

    Raises ValueError when the rate is negative or above `max_rate` (7 % by default, the
    rate Art. 54(a) of Regulation (EU) 2021/1060 allows without a calculation).
    """
    rate = check_rate(indirect_rate, max_rate, "indirect_rate")
    direct = direct_eligible_costs(lines)
    indirect = to_cents(direct * rate)
    return {"direct_eligible": direct, "indirect": indirect, "total": to_cents(direct + indirect)}


def co_financing(total: float, grant_rate: float) -> dict[str, float]:
    """Split a total into the grant (grant_rate of it) and the organisation's own contribution.

    Both are in cents and add up to the total exactly; grant_rate is a share from 0 to 1.
    """
    rate = check_rate(grant_rate, 1.0, "grant_rate")
    if total < 0:
        raise ValueError(f"total must not be negative, got {total!r}")
    grant = to_cents(total * rate)
    return {"grant": grant, "own_contribution": to_cents(to_cents(total) - grant)}


def by_category(lines: pd.DataFrame) -> pd.DataFrame:
    """Eligible and ineligible amounts per category, categories in the kit's order."""
    frame = pd.DataFrame({
        "category": lines["category"].astype(str),
        "amount": line_amounts(lines),
        "eligible": is_eligible(lines),
    })
    table = frame.pivot_table(index="category", columns="eligible", values="amount", aggfunc="sum", fill_value=0.0)
    table = table.reindex(columns=[True, False], fill_value=0.0).rename(columns={True: "eligible", False: "ineligible"})
    order = [c for c in CATEGORIES if c in table.index] + [c for c in table.index if c not in CATEGORIES]
    return table.reindex(order).map(to_cents).rename_axis(columns=None)
