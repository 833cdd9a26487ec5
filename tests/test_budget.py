"""Budget arithmetic: eligible direct costs, 7 % flat-rate indirect costs (Reg. (EU) 2021/1060 Art. 54(a)), co-financing."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit.budget import (
    INDIRECT_FLAT_RATE_MAX,
    budget_totals,
    by_category,
    co_financing,
    direct_eligible_costs,
    ineligible_costs,
    to_cents,
)
from civickit.datasets import load_table


def lines(*rows):
    return pd.DataFrame(rows, columns=["quantity", "unit_cost_eur", "eligible"])


def test_only_eligible_lines_count_as_direct_costs():
    """Are lines marked 'не' left out of the direct costs and reported as ineligible instead?"""
    frame = lines((10, 12.5, "да"), (2, 100.0, "не"), (3, 0.1, "да"))
    assert direct_eligible_costs(frame) == 125.3
    assert ineligible_costs(frame) == 200.0


def test_indirect_costs_are_seven_percent_of_direct_costs():
    """Is the indirect amount 7 % of the eligible direct costs, rounded to cents, and the total their sum?"""
    frame = lines((1, 1234.56, "да"), (1, 999.0, "не"))
    assert budget_totals(frame, 0.07) == {"direct_eligible": 1234.56, "indirect": 86.42, "total": 1320.98}
    assert INDIRECT_FLAT_RATE_MAX == 0.07


@pytest.mark.parametrize("rate", [-0.01, 0.0701, 0.15])
def test_rates_outside_art_54a_are_refused(rate):
    """Does a flat rate below 0 or above 7 % raise ValueError unless the caller allows a higher ceiling?"""
    with pytest.raises(ValueError, match="indirect_rate"):
        budget_totals(lines((1, 100.0, "да")), rate)
    if rate > 0:
        assert budget_totals(lines((1, 100.0, "да")), 0.15, max_rate=0.25)["indirect"] == 15.0


def test_co_financing_parts_add_up_to_the_total():
    """Do the grant and the own contribution add up to the total to the cent?"""
    split = co_financing(21185.44, 0.9)
    assert split == {"grant": 19066.9, "own_contribution": 2118.54}
    odd = co_financing(1000.01, 0.85)
    assert odd["grant"] == 850.01 and odd["own_contribution"] == 150.0
    with pytest.raises(ValueError):
        co_financing(1000, 1.2)


def test_cents_round_halves_up():
    """Are halves of a cent rounded up, as an accountant does (Python's round gives 2.67 for 2.675)?"""
    assert to_cents(2.675) == 2.68
    assert to_cents(0.005) == 0.01


def test_kit_budget_table():
    """Does the kit's synthetic budget give the figures the assignment expects, with every category known?"""
    table = load_table("budget_lines_synthetic")
    totals = budget_totals(table, 0.07)
    assert totals == {"direct_eligible": 19799.48, "indirect": 1385.96, "total": 21185.44}
    assert set(table["category"]) <= set(by_category(table).index)
    assert by_category(table)["ineligible"].sum() == pytest.approx(ineligible_costs(table))
