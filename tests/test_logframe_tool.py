"""The logframe builder's logic and widgets: a level chosen, its rows and gaps shown, rows added."""

from __future__ import annotations

import base64
from io import BytesIO

import pytest
from docx import Document

from civickit.datasets import load_table
from civickit.logframe import logframe_gaps
from civickit.logframe_export import DOCX_MIME
from civickit.logframe_tool import (
    ALL_LEVELS,
    DOCX_LABEL,
    add_item,
    gaps_for,
    logframe_app,
    next_id,
    result_html,
    rows_for,
    summary_bg,
)


@pytest.fixture(scope="module")
def example():
    return load_table("logframe_example_synthetic")


def with_class(widget, name):
    found = [widget] if name in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        found += with_class(child, name)
    return found


def test_level_filter(example):
    """Does each level show only its rows, and 'всички нива' every row?"""
    assert len(rows_for(example)) == len(example) == 11
    assert list(rows_for(example, "резултат")["item_id"]) == ["R1", "R2", "R3", "R4"]
    assert list(rows_for(example, "обща цел")["item_id"]) == ["G1"]


def test_gaps_follow_the_level(example):
    """Are the gaps of a level those logframe_gaps finds among its rows?"""
    assert [g[1] for g in gaps_for(example)] == ["R4", "S1", "R2"]
    assert [g[1] for g in gaps_for(example, "резултат")] == ["R4", "R2"]
    assert [g[1] for g in gaps_for(example, "конкретна цел")] == ["S1"]
    assert gaps_for(example, "дейност") == []
    assert logframe_gaps(example)["results_without_activities"] == ["R4"]


def test_summary_and_result(example):
    """Does the result begin with a status sentence and mark missing values with „липсва“?"""
    assert summary_bg(example, "резултат") == ("Показани редове: 4 от 11 (ниво „резултат“). "
                                               "Пропуски тук: 2; в цялата рамка: 3.")
    out = result_html(example, "резултат")
    assert out.startswith("<p class='civickit-summary' role='status'>")
    assert "<strong>липсва</strong>" in out and "A1.1" not in out
    assert "На това ниво няма открити пропуски." in result_html(example, "дейност")


def test_new_ids_follow_the_example():
    """Are new rows numbered like the example (A4.1 under R4, R5 after R4)?"""
    example = load_table("logframe_example_synthetic")
    assert next_id(example, "дейност", "R4") == "A4.1"
    assert next_id(example, "дейност", "R1") == "A1.3"
    assert next_id(example, "резултат", "S1") == "R5"
    assert next_id(example, "обща цел", None) == "G2"


def test_adding_an_activity_closes_the_gap(example):
    """Does an activity under R4 remove the 'result without activity' gap, leaving the example untouched?"""
    more = add_item(example, "дейност", "R4", "Сканиране на архива")
    assert len(more) == len(example) + 1 and len(example) == 11
    assert more.iloc[-1]["item_id"] == "A4.1" and more.iloc[-1]["parent_id"] == "R4"
    assert logframe_gaps(more)["results_without_activities"] == []


@pytest.mark.parametrize("level, parent, text, words", [
    ("дейност", "R4", "  ", "Текст"),
    ("дейност", "S1", "Нещо", "резултат"),
    ("ниво", None, "Нещо", "Непознато ниво"),
])
def test_incomplete_rows_are_refused_in_bulgarian(example, level, parent, text, words):
    """Does an empty text, a wrong parent or an unknown level give a Bulgarian message naming the problem?"""
    with pytest.raises(ValueError, match=words):
        add_item(example, level, parent, text)


def test_changing_the_level_changes_the_result(example):
    """Does picking another level in the Dropdown change the result widget?"""
    app = logframe_app(example)
    (control,) = with_class(app, "civickit-control")
    (result,) = with_class(app, "civickit-result")
    assert control.value == ALL_LEVELS and control.description == "Покажи ниво"
    before = result.value
    control.value = "резултат"
    assert result.value != before and "Показани редове: 4 от 11" in result.value


def test_download_link_holds_the_logframe(example):
    """Does the link carry a DOCX with the example's table, updated after a row is added through the form?"""
    app = logframe_app(example)
    (link,) = with_class(app, "civickit-download")
    assert DOCX_LABEL in link.value

    def table_ids():
        encoded = link.value.split(f"data:{DOCX_MIME};base64,")[1].split("'")[0]
        (table,) = Document(BytesIO(base64.b64decode(encoded))).tables
        return [row.cells[1].text for row in table.rows[1:]]

    assert table_ids() == list(example["item_id"])
    form = app.children[-1]
    fields = {getattr(w, "description", ""): w for w in form.children}
    fields["Води към"].value = "R4"
    fields["Текст"].value = "Сканиране на архива"
    fields["Добавете реда"].click()
    assert table_ids()[-1] == "A4.1"
    (result,) = with_class(app, "civickit-result")
    assert "в цялата рамка: 2" in result.value
