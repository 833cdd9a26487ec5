"""The budget calculator in a real Voila server and Chromium: a new rate changes the totals and the XLSX link."""

from __future__ import annotations

import base64
from io import BytesIO

import pytest
from openpyxl import load_workbook

from civickit.budget import budget_totals
from civickit.budget_export import XLSX_MIME
from civickit.datasets import load_table
from civickit.formatting import money_bg
from xlsx_values import shown_rows
from conftest import open_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "tools/budget-calculator.ipynb"
PREFIX = f"data:{XLSX_MIME};base64,"


def xlsx_in(page):
    href = page.get_by_role("link", name="Изтеглете бюджета (XLSX)").get_attribute("href")
    assert href.startswith(PREFIX), href[:80]
    content = base64.b64decode(href[len(PREFIX):])
    assert content
    return load_workbook(BytesIO(content))


def amounts(book):
    """Column G as Excel shows it (the totals are formulas)."""
    return [row[6] for row in shown_rows(book, "Бюджет")]


def test_new_rate_changes_totals_and_download(page, voila_base):
    """Does 3 % instead of 7 % show the new indirect costs and total, and put them in the XLSX offered?"""
    lines = load_table("budget_lines_synthetic")
    open_app(page, voila_base + NOTEBOOK)
    summary = page.locator(".civickit-summary").first
    before = summary.inner_text()
    seven = budget_totals(lines, 0.07)
    assert money_bg(seven["total"], decimals=2) in before
    assert seven["indirect"] in amounts(xlsx_in(page))
    before_href = page.locator(".civickit-download a").get_attribute("href")

    field = page.get_by_label("Непреки разходи (% от преките допустими, 0–7)")
    field.fill("3")
    field.press("Enter")
    page.wait_for_function(
        "before => document.querySelector('.civickit-summary').innerText !== before", arg=before, timeout=30_000
    )
    three = budget_totals(lines, 0.03)
    after = summary.inner_text()
    assert money_bg(three["total"], decimals=2) in after and "3\u00a0%" in after, after
    page.wait_for_function(
        "before => document.querySelector('.civickit-download a').getAttribute('href') !== before",
        arg=before_href, timeout=30_000,
    )
    book = xlsx_in(page)
    assert three["indirect"] in amounts(book) and seven["indirect"] not in amounts(book)


def test_rate_above_seven_is_not_accepted(page, voila_base):
    """Does typing 12 % leave the indirect costs at the 7 % ceiling of Art. 54(a)?"""
    open_app(page, voila_base + NOTEBOOK)
    field = page.get_by_label("Непреки разходи (% от преките допустими, 0–7)")
    field.fill("12")
    field.press("Enter")
    page.wait_for_timeout(1_000)
    assert field.input_value() == "7"
    assert "при 7\u00a0%" in page.locator(".civickit-summary").first.inner_text()
