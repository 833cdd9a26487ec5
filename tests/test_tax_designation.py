"""The percentage tax designation calculator behind the Poland case study."""

from __future__ import annotations

import pytest

from civickit.tax_designation import (
    BGN_PER_EUR,
    SHARES,
    designation_app,
    designation_eur,
    eur_to_bgn,
    result_html,
    summary_bg,
    supporters_needed,
)

NBSP = "\u00a0"


def test_sum_is_supporters_times_tax_times_share():
    """Do 200 supporters with 1000 € tax each at 1,5 % bring 3000 € a year?"""
    assert designation_eur(200, 1000, 0.015) == pytest.approx(3000)


def test_polish_change_raises_the_sum_by_half():
    """Does moving from 1 % to 1,5 % raise the sum by exactly half, for the same supporters?"""
    before = designation_eur(350, 800, 0.01)
    after = designation_eur(350, 800, 0.015)
    assert after == pytest.approx(before * 1.5)


def test_no_supporters_bring_nothing():
    """Does an organisation with no supporters get 0 €?"""
    assert designation_eur(0, 1000, 0.015) == 0


@pytest.mark.parametrize("args", [(-1, 1000, 0.01), (10, -5, 0.01), (10, 1000, 1.5), (10, 1000, -0.01)])
def test_impossible_inputs_are_refused(args):
    """Are negative supporters or tax, and shares outside 0–100 %, refused?"""
    with pytest.raises(ValueError):
        designation_eur(*args)


def test_lev_equivalent_uses_the_fixed_rate():
    """Is 1000 € shown as 1955,83 лв. (the fixed rate)?"""
    assert eur_to_bgn(1000) == pytest.approx(1955.83)
    assert BGN_PER_EUR == 1.95583


def test_supporters_needed_rounds_up():
    """To reach 1000 € at 15 € per person, are 67 supporters needed (not 66)?"""
    assert supporters_needed(1000, 1000, 0.015) == 67
    assert supporters_needed(1500, 1000, 0.015) == 100


def test_supporters_needed_refuses_zero_tax():
    """Is a target with no tax to share refused rather than looping or dividing by zero?"""
    with pytest.raises(ValueError):
        supporters_needed(1000, 0, 0.015)


def test_summary_is_bulgarian_and_says_it_is_an_illustration():
    """Is the sentence in Bulgarian formatting, with € and лв., and does it say Bulgaria has no such mechanism?"""
    text = summary_bg(1200, 1000, 0.015)
    assert f"1{NBSP}200 поддръжници" in text
    assert f"18{NBSP}000{NBSP}€" in text
    assert f"35{NBSP}205{NBSP}лв." in text
    assert f"1,5{NBSP}%" in text
    assert "в България такъв механизъм няма" in text


def test_result_starts_with_a_status_element():
    """Does the result HTML start with an element that has role='status'?"""
    html = result_html(200, 1000, 0.015)
    assert html.startswith("<p class='civickit-summary' role='status'>")
    assert "<caption>" in html


def test_shares_offer_both_polish_rates():
    """Can the learner pick the old (1 %) and the current (1,5 %) Polish share?"""
    assert 0.01 in SHARES.values() and 0.015 in SHARES.values()


def test_app_reacts_to_the_supporters_field():
    """Does halving the supporters field change the result, and are the CSS classes in place?"""
    app = designation_app()
    control = next(w for w in app.children if "civickit-control" in w._dom_classes)
    result = next(w for w in app.children if "civickit-result" in w._dom_classes)
    before = result.value
    control.value = control.value // 2
    assert result.value != before
    assert f"1{NBSP}500{NBSP}€" in result.value


def test_app_reacts_to_the_share():
    """Does choosing 1 % instead of 1,5 % lower the sum shown?"""
    app = designation_app(supporters=100, average_tax_eur=1000)
    share = app.children[2]
    result = app.children[-1]
    share.value = 0.01
    assert f"1{NBSP}000{NBSP}€" in result.value
