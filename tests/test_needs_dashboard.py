"""The needs-assessment dashboard (civickit.needs_dashboard) without a browser."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from civickit import survey
from civickit.datasets import DATA, load_table
from civickit.errors import KitError
from civickit.needs_dashboard import dashboard_html, example_survey, needs_dashboard_app, template_link, uploaded_survey

GOOD = (DATA / "needs_survey_synthetic.csv").read_text(encoding="utf-8")
SMALL = """org_id,org_type,municipality,responded,staff_count,project_writing,eu_funds,partnerships,consultations,monitoring
A1,сдружение,Ямбол,да,2,3,1,1,0,1
A2,читалище, ЕЛХОВО ,Да,1,1,3,2,1,0

A3,читалище,Елхово,не,4,,,,,
A1,сдружение,Ямбол,не,2,0,0,0,0,0
"""


def text(html: str) -> str:
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def test_example_is_the_cleaned_synthetic_survey():
    """Does the dashboard start from the synthetic survey, cleaned by civickit.survey, and say it is invented?"""
    data = example_survey()
    assert data.table.equals(survey.clean_survey(load_table("needs_survey_synthetic")))
    shown = text(dashboard_html(data))
    assert "измисленото (синтетично)" in shown
    rate = survey.response_rate(data.table)
    assert f"{round(rate * 100)}\u00a0%" in shown


def test_grouping_changes_the_result():
    """Does grouping by municipality instead of organisation type change the needs table?"""
    data = example_survey()
    by_type, by_place = dashboard_html(data, "org_type"), dashboard_html(data, "municipality")
    assert by_type != by_place
    assert "читалище" in text(by_type.split("civickit-needs")[1])
    assert "Болярово" in text(by_place.split("civickit-needs")[1])
    assert by_type.startswith("<p class='civickit-summary' role='status'>")
    with pytest.raises(KitError):
        dashboard_html(data, "staff_count")


def test_uploaded_small_survey_figures():
    """Does a small upload give the expected rates, means, top need and notes (empty row, repeated org)?"""
    data = uploaded_survey(SMALL.encode("utf-8"), "малко.csv")
    assert list(data.table["org_id"]) == ["A1", "A2", "A3"]
    assert set(data.table["municipality"]) == {"Ямбол", "Елхово"}
    assert any("1 празен ред" in note for note in data.notes)
    assert any("org_id" in note and ": 1" in note for note in data.notes)
    shown = text(dashboard_html(data, "municipality"))
    assert "файла „малко.csv“ — 3 организации, отговорили 2 (67\u00a0%)" in shown
    assert "Елхово 50\u00a0% 1 от 2" in shown
    needs = text(dashboard_html(data, "org_type").split("civickit-needs")[1])
    assert "сдружение 1 3,0 ★" in needs  # A1: project writing 3 is the top need
    assert "читалище 1 1,0 3,0 ★" in needs  # A2: EU funds; A3 did not answer


@pytest.mark.parametrize("row, words", [
    ("A9,сдружение,Ямбол,може би,1,1,1,1,1,1", ["„responded“", "ред 3", "„може би“"]),
    ("A9,сдружение,Ямбол,да,1,1,5,1,1,1", ["„eu_funds“", "ред 3", "оценката 5"]),
])
def test_survey_rules_name_column_and_line(row, words):
    """Are an answer other than да/не and a score outside 0–3 refused with column and line?"""
    content = "\n".join(SMALL.splitlines()[:2] + [row]).encode("utf-8")
    with pytest.raises(KitError) as caught:
        uploaded_survey(content, "x.csv")
    assert all(w in str(caught.value) for w in words), str(caught.value)


def test_nobody_answered():
    """Does a survey nobody answered show 0 % and say there are no scores, without an error?"""
    content = SMALL.replace(",да,", ",не,").replace(",Да,", ",не,").encode("utf-8")
    shown = text(dashboard_html(uploaded_survey(content, "x.csv")))
    assert "отговорили 0 (0\u00a0%)" in shown and "няма оценки на нуждите" in shown


def test_template_link_is_a_utf8_csv_data_uri():
    """Is the template offered as a data: URI whose CSV has the schema's header and a BOM for Excel?"""
    import base64

    link = template_link()
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)'", link).group(1)
    content = base64.b64decode(payload)
    assert content.startswith("\ufeff".encode("utf-8"))
    assert content.decode("utf-8-sig").splitlines()[0] == GOOD.splitlines()[0]
    assert len(uploaded_survey(content, "образец.csv").table) == 3


def upload(app, name: str, content: bytes) -> None:
    uploader = app.children[0].children[0]
    uploader.value = ({"name": name, "type": "text/csv", "size": len(content), "content": memoryview(content),
                       "last_modified": datetime.now(timezone.utc)},)


def test_app_messages_bad_then_good_then_reset():
    """In the widget: a bad file leaves the data and explains; a good file after it replaces the data; reset returns."""
    app = needs_dashboard_app()
    _, _, message, group, result = app.children
    assert "civickit-control" in group._dom_classes and "civickit-result" in result._dom_classes
    before = result.value
    upload(app, "стар.csv", GOOD.encode("cp1251"))
    assert "Windows-1251" in message.value and "role='alert'" in message.value
    assert result.value == before
    upload(app, "грешен.csv", GOOD.replace("eu_funds", "eu", 1).encode("utf-8"))
    assert "„eu_funds“" in message.value and "„eu“" in message.value
    upload(app, "малко.csv", SMALL.encode("utf-8"))
    assert "role='status'" in message.value and "Заредени са 3 организации" in message.value
    assert "1 празен ред" in message.value
    assert "малко.csv" in result.value
    assert app.children[0].children[0].value == ()
    group.value = "municipality"
    assert "Елхово" in text(result.value.split("civickit-needs")[1])
    reset = app.children[0].children[1]
    reset.click()
    assert "синтетично" in result.value and reset.disabled
