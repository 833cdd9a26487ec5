"""The stakeholder map logic: power/interest quadrants, link degrees, gaps and isolated organisations."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit import stakeholders as sh
from civickit.datasets import load_table


def frame(rows):
    return pd.DataFrame(rows, columns=["id", "sector", "power", "interest"])


def link_frame(pairs):
    return pd.DataFrame([(s, t, "съвместен проект") for s, t in pairs], columns=["source", "target", "kind"])


def test_quadrant_boundary_counts_as_high():
    """Does a score equal to the threshold count as high, and each corner land in its quadrant?"""
    assert sh.quadrant(3, 3) == sh.MANAGE_CLOSELY
    assert sh.quadrant(5, 2) == sh.KEEP_SATISFIED
    assert sh.quadrant(2, 5) == sh.KEEP_INFORMED
    assert sh.quadrant(1, 1) == sh.MONITOR
    assert sh.quadrant(3, 3, threshold=4) == sh.MONITOR


@pytest.mark.parametrize("power, interest", [(0, 3), (3, 6), (2.5, 3), (True, 3)])
def test_quadrant_rejects_scores_off_the_scale(power, interest):
    """Is a score that is not a whole number from 1 to 5 refused?"""
    with pytest.raises(ValueError):
        sh.quadrant(power, interest)


def test_classify_adds_a_column_and_leaves_the_input_alone():
    """Does classify return a copy with a quadrant per row, without changing the table it was given?"""
    table = frame([("A", "медии", 4, 1), ("B", "публичен", 5, 5)])
    out = sh.classify(table)
    assert list(out["quadrant"]) == [sh.KEEP_SATISFIED, sh.MANAGE_CLOSELY]
    assert "quadrant" not in table.columns


def test_degrees_count_both_ends_and_order_ties_by_id():
    """Does a link count for its source and its target, with the most connected first and ties by id?"""
    result = sh.degrees(link_frame([("C", "A"), ("A", "B"), ("B", "D"), ("C", "D"), ("A", "D")]))
    assert result.to_dict() == {"A": 3, "D": 3, "B": 2, "C": 2}
    assert list(result.index) == ["A", "D", "B", "C"]
    assert sh.best_connector(link_frame([("C", "A"), ("A", "B"), ("B", "D"), ("C", "D"), ("A", "D")])) == "A"
    assert sh.degrees(link_frame([])).empty


def test_gaps_and_isolated_organisations():
    """Are sectors without a key player and organisations without any link found?"""
    table = frame([("A", "публичен", 5, 5), ("B", "граждански", 2, 5), ("C", "бизнес", 4, 4), ("D", "медии", 1, 1)])
    assert sh.missing_sectors(table) == ["граждански", "синдикат", "работодатели", "образование", "медии"]
    assert sh.missing_sectors(table, threshold=2) == ["синдикат", "работодатели", "образование", "медии"]
    assert sh.isolated(table, link_frame([("A", "C"), ("B", "A")])) == ["D"]
    assert sh.isolated(table, link_frame([])) == ["A", "B", "C", "D"]


def test_course_tables_fit_together():
    """Do the synthetic links only name organisations of the stakeholders table, with known sectors and kinds?"""
    people = load_table("stakeholders_synthetic")
    links = load_table("stakeholder_links_synthetic")
    assert set(people["sector"]) <= set(sh.SECTORS)
    assert set(links["kind"]) <= set(sh.LINK_KINDS)
    assert set(links["source"]) | set(links["target"]) <= set(people["id"])
    assert people["id"].is_unique
    assert not (links["source"] == links["target"]).any()
    assert sh.isolated(people, links), "the exercise needs at least one organisation without links"
    assert sh.missing_sectors(people), "the exercise needs at least one sector without a key player"
