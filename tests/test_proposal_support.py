"""The support threshold behind the Decidim Barcelona case study."""

from __future__ import annotations

import pytest

from civickit.proposal_support import (RULES, reaches, required_for_share, share, support_app, verdict,
                                       verdict_bg, verdict_html)


def test_share_is_supporters_over_residents():
    """Is 15 000 supporters out of 1 500 000 residents exactly 1%?"""
    assert share(15_000, 1_500_000) == pytest.approx(0.01)


def test_share_refuses_an_empty_population():
    """Does a population of zero raise an error instead of dividing by zero?"""
    with pytest.raises(ValueError):
        share(10, 0)


def test_required_share_rounds_up():
    """Does 1% of 61 766 residents need 618 signatures, and 1% of 50 000 exactly 500?"""
    assert required_for_share(61_766, 0.01) == 618
    assert required_for_share(50_000, 0.01) == 500


def test_exactly_the_threshold_is_enough():
    """Does a proposal with exactly the required signatures pass, and one less fail?"""
    assert reaches(15_000, 15_000)
    assert not reaches(14_999, 15_000)


def test_verdict_counts_what_is_missing():
    """Does the verdict say how many signatures are missing and none when the threshold is met?"""
    below = verdict(10_000, 1_620_809, 15_000)
    assert below["reaches"] is False and below["missing"] == 5_000
    assert below["required_share"] == pytest.approx(15_000 / 1_620_809)
    assert verdict(20_000, 1_620_809, 15_000)["missing"] == 0


def test_yambol_rule_is_one_percent_and_marked_invented():
    """Is the Yambol rule 1% of the 2021 census population, and is it marked as invented?"""
    label = next(k for k in RULES if "Ямбол" in k)
    residents, required, _ = RULES[label]
    assert required == required_for_share(residents, 0.01)
    assert "измислен пример" in label


def test_barcelona_2022_rule_is_stricter_than_2017():
    """Does the 2022 Barcelona rule ask for a larger share of residents than the 2017 one?"""
    (r17, n17, _), (r22, n22, _) = (RULES[k] for k in RULES if "Барселона" in k)
    assert n22 / r22 > n17 / r17


def test_verdict_text_is_bulgarian():
    """Is the verdict written in Bulgarian with Bulgarian number formatting?"""
    text = verdict_bg(10_000, 1_620_809, 15_000)
    assert text.startswith("✘ Предложението не достига прага.")
    assert "15\u00a0000" in text and "Липсват още 5\u00a0000 подписа" in text


def test_html_starts_with_a_status():
    """Does the result HTML start with an element that screen readers announce?"""
    html = verdict_html(20_000, next(iter(RULES)))
    assert html.startswith("<p class='civickit-summary' role='status'>")
    assert "✔" in html


def test_app_reacts_to_the_number_of_supporters():
    """Does typing another number of supporters change the result, and do the classes match the browser test?"""
    app = support_app(start=10_000)
    field, rule, out = app.children
    assert "civickit-control" in field._dom_classes and "civickit-result" in out._dom_classes
    before = out.value
    field.value = 5_000
    assert out.value != before and "5\u00a0000" in out.value
    rule.value = list(RULES)[2]
    assert "✔" in out.value
