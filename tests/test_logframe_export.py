"""The logframe as DOCX: opened with python-docx, the table holds every row and the gaps are listed."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document

from civickit.datasets import load_table
from civickit.logframe_export import COLUMNS, EMPTY, GAP_TITLES, gap_lines, logframe_docx


@pytest.fixture(scope="module")
def example():
    return load_table("logframe_example_synthetic")


@pytest.fixture(scope="module")
def document(example):
    return Document(BytesIO(logframe_docx(example)))


def test_table_has_a_row_per_item(document, example):
    """Does the document's table have the Bulgarian headings and one row per logframe item, in order?"""
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == [heading for _, heading in COLUMNS]
    assert len(table.rows) == len(example) + 1
    ids = [row.cells[1].text for row in table.rows[1:]]
    assert ids == list(example["item_id"])


def test_cyrillic_text_survives(document):
    """Is the Cyrillic text of the example in the document as written?"""
    (table,) = document.tables
    r1 = next(row for row in table.rows if row.cells[1].text == "R1")
    assert r1.cells[0].text == "резултат"
    assert r1.cells[2].text == "60 възрастни хора са завършили курс по дигитални умения"
    assert r1.cells[5].text == "60"
    assert document.paragraphs[0].text == "Логическа рамка на проекта"


def test_empty_cells_are_marked(document):
    """Are the missing target of R2 and the missing baseline of S1 written as „—“, not left blank?"""
    (table,) = document.tables
    rows = {row.cells[1].text: row for row in table.rows[1:]}
    assert rows["R2"].cells[5].text == EMPTY
    assert rows["S1"].cells[4].text == EMPTY
    assert rows["G1"].cells[8].text == EMPTY


def test_gaps_are_listed(document, example):
    """Are the three planted gaps (R4 without activity, S1 without baseline, R2 without target) listed?"""
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Пропуски" in text
    for line in gap_lines(example):
        assert line in text
    assert f"{GAP_TITLES['results_without_activities']}: R4" in text
    assert f"{GAP_TITLES['missing_baseline']}: S1" in text
    assert f"{GAP_TITLES['missing_target']}: R2" in text


def test_complete_logframe_says_no_gaps(example):
    """Does a logframe without gaps say so instead of listing nothing?"""
    whole = example[example["item_id"].isin(["G1", "R1", "A1.1"])].copy()
    whole = whole.assign(parent_id=whole["parent_id"].where(whole["item_id"] != "R1", "G1"))
    text = "\n".join(p.text for p in Document(BytesIO(logframe_docx(whole))).paragraphs)
    assert "Не са открити пропуски." in text


def test_broken_parent_link_is_a_gap(example):
    """Is a row that leads to a missing item listed as a gap?"""
    broken = example.copy()
    broken.loc[broken["item_id"] == "A3.2", "parent_id"] = "R9"
    assert any(line.startswith(GAP_TITLES["unknown_parents"] + ": A3.2") for line in gap_lines(broken))
