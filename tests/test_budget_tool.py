"""The budget calculator's logic and widgets: rates in, Bulgarian totals and an XLSX link out."""

from __future__ import annotations

import base64

import pytest

from civickit.budget import budget_totals, co_financing
from civickit.budget_export import XLSX_MIME, totals
from civickit.budget_tool import XLSX_LABEL, budget_app, categories_table_html, result_html, summary_bg
from civickit.datasets import load_table
from civickit.formatting import money_bg
from xlsx_values import shown_rows


@pytest.fixture(scope="module")
def example():
    return load_table("budget_lines_synthetic")


def with_class(widget, name):
    """Every widget under `widget` carrying the CSS class `name`."""
    found = [widget] if name in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        found += with_class(child, name)
    return found


def test_summary_shows_the_budget_modules_sums(example):
    """Does the summary give total, grant and own contribution as budget.py computes them, in Bulgarian format?"""
    sums = totals(example, 0.07, 0.8)
    text = summary_bg(sums, 0.07, 0.8)
    total = budget_totals(example, 0.07)["total"]
    split = co_financing(total, 0.8)
    assert money_bg(total, decimals=2) in text
    assert "21\u00a0185,44\u00a0€" in text
    assert money_bg(split["grant"], decimals=2) in text and money_bg(split["own_contribution"], decimals=2) in text
    assert "7\u00a0%" in text and "80\u00a0%" in text


def test_result_starts_with_a_status_and_says_example(example):
    """Does the result begin with a role='status' element and mark the budget as invented?"""
    out = result_html(example, 0.07, 0.8)
    assert out.startswith("<p class='civickit-summary' role='status'>")
    assert "измислен пример" in out
    assert "Недопустими разходи" in out


def test_categories_have_bars_in_order(example):
    """Is there a bar per category, the largest eligible category full width, in the kit's category order?"""
    out = categories_table_html(example)
    assert out.count("aria-hidden='true'") == 6
    assert "width:100%" in out
    assert out.index("персонал") < out.index("услуги") < out.index("комуникация")


def test_changing_the_indirect_rate_changes_result_and_file(example):
    """Does typing 3 % instead of 7 % change the totals shown and the XLSX offered?"""
    app = budget_app(example)
    (control,) = with_class(app, "civickit-control")
    (result,) = with_class(app, "civickit-result")
    (link,) = with_class(app, "civickit-download")
    assert control.description.startswith("Непреки разходи") and (control.min, control.max) == (0, 7)
    before, before_link = result.value, link.value
    control.value = 3
    assert result.value != before and link.value != before_link
    indirect = budget_totals(example, 0.03)["indirect"]
    assert money_bg(indirect, decimals=2) in result.value
    assert XLSX_LABEL in link.value
    encoded = link.value.split(f"data:{XLSX_MIME};base64,")[1].split("'")[0]
    rows = shown_rows(base64.b64decode(encoded), "Бюджет")
    assert indirect in [row[6] for row in rows]


def test_rate_above_seven_percent_cannot_be_typed(example):
    """Does the field keep the indirect rate within 0-7 % (Art. 54(a)), so the app never fails?"""
    app = budget_app(example)
    (control,) = with_class(app, "civickit-control")
    control.value = 15
    assert control.value == 7


def test_grant_rate_changes_the_split(example):
    """Does a 100 % grant leave no own contribution?"""
    app = budget_app(example)
    grant = next(w for w in app.children if getattr(w, "description", "").startswith("Безвъзмездна"))
    (result,) = with_class(app, "civickit-result")
    grant.value = 100
    assert "собствен принос: 0,00\u00a0€" in result.value
