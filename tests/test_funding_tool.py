"""The funding-finder tool: the kit's programme table filtered by funding.eligible_for, with sources and own contribution."""

import pytest

from civickit.datasets import load_table
from civickit.funding import APPLICANT_TYPES, eligible_for
from civickit.funding_tool import TABLE, funding_app, left_out, money_cell, result_html


@pytest.fixture(scope="module")
def programmes():
    return load_table(TABLE)


def test_table_shows_what_eligible_for_keeps(programmes):
    """Does every programme eligible_for keeps appear, with its sources as plain text (no links)?"""
    found = eligible_for(programmes, "читалище", True)
    page = result_html(programmes, "читалище", True, 50_000)
    assert page.startswith("<p role='status'")
    assert f": {len(found)} от {len(programmes)}." in page
    for _, row in found.iterrows():
        assert row["programme"].split("“")[0] in page
        assert row["source"].split(" ; ")[0] in page
    assert "<a " not in page and "href" not in page


def test_own_contribution_where_rate_is_known(programmes):
    """Is the own contribution computed for a verified rate (Black Sea 98 %, LIFE 60 %) and explained elsewhere?"""
    page = result_html(programmes, "НПО", True, 50_000)
    assert "Собствен принос: 1\u00a0000\u00a0€" in page       # Black Sea basin: 2 % of 50 000
    assert "Собствен принос: 20\u00a0000\u00a0€" in page      # LIFE: 40 % of 50 000
    unknown = programmes[programmes["programme_id"] == "prchr"].iloc[0]
    assert "не е проверен" in money_cell(unknown, 50_000)


def test_yambol_filter_and_left_out_reasons(programmes):
    """Is Greece–Bulgaria hidden only for Yambol, and are closed and unverified programmes named with a reason?"""
    in_yambol = dict(left_out(programmes, "НПО", True))
    anywhere = dict(left_out(programmes, "НПО", False))
    greece = "Interreg VI-A Гърция – България"
    assert "област Ямбол" in in_yambol[greece] and greece not in anywhere
    assert any("приключила" in reason for reason in anywhere.values())
    assert any("не са проверени" in reason for reason in anywhere.values())
    assert greece in result_html(programmes, "НПО", False, 10_000)


def test_unmatched_type_lists_no_row(programmes):
    """Does an applicant type no programme names give a clear message and no table?"""
    page = result_html(programmes.iloc[:2], "група млади хора", True, 1_000)
    assert "Няма активна програма" in page and "<table" not in page


def test_app_reacts_to_each_control(programmes):
    """Do the applicant, Yambol and budget controls each change the result?"""
    app = funding_app(programmes)
    (applicant, yambol, budget), out = app.children[0].children, app.children[1]
    assert list(applicant.options) == list(APPLICANT_TYPES)
    assert "civickit-control" in applicant._dom_classes and "civickit-result" in out._dom_classes
    seen = [out.value]
    applicant.value = "читалище"
    seen.append(out.value)
    applicant.value = "НПО"
    yambol.value = "не"
    seen.append(out.value)
    budget.value = 120_000
    seen.append(out.value)
    assert len(set(seen)) == 4
    assert "Собствен принос: 2\u00a0400\u00a0€" in out.value  # 2 % of 120 000 (the docstring's example)
