"""The needs-assessment dashboard in headless Chromium through a real Voila server: uploads and messages."""

from __future__ import annotations

import pytest

from civickit.datasets import DATA
from conftest import open_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "tools/needs-dashboard.ipynb"
GOOD = (DATA / "needs_survey_synthetic.csv").read_text(encoding="utf-8")
SMALL = """org_id,org_type,municipality,responded,staff_count,project_writing,eu_funds,partnerships,consultations,monitoring
A1,сдружение,Ямбол,да,2,3,1,1,0,1
A2,читалище, ЕЛХОВО ,да,1,1,3,2,1,0

A3,читалище,Елхово,не,4,,,,,
"""
MESSAGE = ".civickit-upload-message"


def upload(page, name: str, content: bytes, expect: str) -> str:
    """Click the upload button and set the file on the FileUpload's input, as a learner's file dialog does;
    wait until the message says `expect`.

    ipywidgets 8 keeps that <input type=file> out of the document, so it is reached through the file
    chooser the button's click opens (its `element` is the input).
    """
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.locator(".civickit-upload").click()
    chooser.value.element.set_input_files(files=[{"name": name, "mimeType": "text/csv", "buffer": content}])
    message = page.locator(MESSAGE)
    message.get_by_text(expect, exact=False).wait_for(timeout=30_000)
    return message.inner_text()


def test_bad_uploads_explain_then_a_good_one_is_shown(page, voila_base):
    """Windows-1251, then a wrong column, then a good file: two clear messages, data kept, then the new figures."""
    open_app(page, voila_base + NOTEBOOK)
    result = page.locator(".civickit-result")
    start = result.inner_text()
    assert "синтетично" in start and "120 организации" in start
    assert page.get_by_role("link", name="Изтеглете образец на таблицата (CSV, UTF-8)").count() == 1

    text = upload(page, "проучване-1251.csv", GOOD.encode("cp1251"), "Windows-1251")
    assert "„проучване-1251.csv“ не е зареден" in text and "UTF-8" in text and "Запиши като" in text
    assert "Traceback" not in page.content()
    assert result.inner_text() == start

    text = upload(page, "грешна-колона.csv", GOOD.replace("staff_count", "personal", 1).encode("utf-8"), "personal")
    assert "Липсват колони: „staff_count“" in text and "Неочаквани колони: „personal“" in text
    assert result.inner_text() == start

    text = upload(page, "нашето.csv", SMALL.encode("utf-8"), "Заредени са")
    assert "Заредени са 3 организации от „нашето.csv“" in text
    assert "1 празен ред беше пропуснат" in text
    page.wait_for_function("() => document.querySelector('.civickit-result').innerText.includes('нашето.csv')",
                           timeout=30_000)
    shown = result.inner_text()
    assert "3 организации, отговорили 2 (67\u00a0%)" in shown
    assert "Елхово" in shown and "Болярово" not in shown

    page.locator(".civickit-control select").select_option(label="община")
    page.wait_for_function("() => document.querySelector('.civickit-result').innerText.includes('по община')",
                           timeout=30_000)
    assert "нашето.csv" in result.inner_text()
    assert page.outside_requests == []
