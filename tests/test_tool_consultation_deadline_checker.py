"""The consultation-deadline checker in a real browser: dates typed as ДД.ММ.ГГГГ drive the verdict."""

import pytest

from conftest import open_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

APP = "tools/consultation-deadline-checker.ipynb"


def type_and_wait(page, label, value):
    """Type into a labelled field (or pick a dropdown option) and wait until the result text changes."""
    before = page.locator(".civickit-result").first.inner_text()
    field = page.get_by_label(label)
    if field.evaluate("e => e.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)
        field.press("Enter")
    page.wait_for_function(
        "before => document.querySelector('.civickit-result').innerText !== before", arg=before, timeout=30_000
    )
    return page.locator(".civickit-result").first.inner_text()


def test_deadline_tool_dates_typed_in_browser(page, voila_base):
    """Do the lesson's dates (10.03-24.03, no reasons) give 14 days and "незаконен", and reasons "по изключение"?"""
    open_app(page, voila_base + APP)
    type_and_wait(page, "Дата на публикуване (ДД.ММ.ГГГГ)", "10.03.2026")
    text = type_and_wait(page, "Краен срок (ДД.ММ.ГГГГ)", "24.03.2026")
    assert "14 дни" in text and "незаконен" in text and "24.03.2026 г." in text, text
    assert page.get_by_label("Срок в дни").input_value() == "14"
    text = type_and_wait(page, "Има ли мотиви за по-кратък срок?", "да")
    assert "допустим по изключение" in text, text
    text = type_and_wait(page, "Краен срок (ДД.ММ.ГГГГ)", "24 март")
    assert "ДД.ММ.ГГГГ" in text, text
