"""The logframe builder in a real Voila server and Chromium: a level shows its gaps; the DOCX link holds the rows."""

from __future__ import annotations

import base64
from io import BytesIO

import pytest
from docx import Document

from civickit.datasets import load_table
from civickit.logframe_export import DOCX_MIME
from conftest import open_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "tools/logframe-builder.ipynb"
PREFIX = f"data:{DOCX_MIME};base64,"


def docx_ids(page):
    """item_id column of the table inside the DOCX the download link carries."""
    href = page.get_by_role("link", name="Изтеглете логическата рамка (DOCX)").get_attribute("href")
    assert href.startswith(PREFIX), href[:80]
    content = base64.b64decode(href[len(PREFIX):])
    assert content
    (table,) = Document(BytesIO(content)).tables
    return [row.cells[1].text for row in table.rows[1:]]


def wait_for_change(page, selector, before):
    page.wait_for_function(
        "([sel, before]) => document.querySelector(sel).innerText !== before", arg=[selector, before], timeout=30_000
    )


def test_level_shows_its_rows_and_gaps(page, voila_base):
    """Does choosing „резултат“ show the four results, the result without activity and the missing target?"""
    open_app(page, voila_base + NOTEBOOK)
    result = page.locator(".civickit-result").first
    before = result.inner_text()
    assert "Показани редове: 11 от 11" in before
    page.get_by_label("Покажи ниво").select_option(label="резултат")
    wait_for_change(page, ".civickit-result", before)
    after = result.inner_text()
    assert "Показани редове: 4 от 11 (ниво „резултат“)" in after, after
    assert "Резултат без нито една дейност, която води до него: R4" in after
    assert "Показател без целева стойност: R2" in after
    assert "A1.1" not in after and "липсва" in after


def test_download_carries_the_logframe_and_added_rows(page, voila_base):
    """Is the DOCX link a non-empty data URI with every row, and does an added activity reach it and close R4's gap?"""
    example = load_table("logframe_example_synthetic")
    open_app(page, voila_base + NOTEBOOK)
    assert docx_ids(page) == list(example["item_id"])
    before_href = page.locator(".civickit-download a").get_attribute("href")
    before = page.locator(".civickit-result").first.inner_text()

    page.get_by_label("Води към").select_option(label="R4 — Архивът на читалището е дигитализиран и публикуван онлайн")
    page.get_by_label("Текст", exact=True).fill("Сканиране и описване на архива")
    page.get_by_role("button", name="Добавете реда").click()
    wait_for_change(page, ".civickit-result", before)
    page.wait_for_function(
        "before => document.querySelector('.civickit-download a').getAttribute('href') !== before",
        arg=before_href, timeout=30_000,
    )
    assert docx_ids(page)[-1] == "A4.1"
    text = page.locator(".civickit-result").first.inner_text()
    assert "Резултат без нито една дейност" not in text and "в цялата рамка: 2" in text
    assert "Добавен е ред A4.1" in page.locator("body").inner_text()


def test_empty_row_gets_a_bulgarian_message(page, voila_base):
    """Does adding a row without text say what is missing instead of failing?"""
    open_app(page, voila_base + NOTEBOOK)
    page.get_by_role("button", name="Добавете реда").click()
    alert = page.get_by_role("alert")
    alert.wait_for(timeout=30_000)
    assert "полето „Текст“ е празно" in alert.inner_text()
