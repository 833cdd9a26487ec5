"""The good-practices explorer filters the case studies read from the package data."""

from civickit.casestudy import practices
from civickit.explorer import ALL, rows, table_html


def test_no_filter_lists_every_case_study():
    """Does the explorer list every case study when nothing is chosen?"""
    assert len(rows()) == len(practices()) >= 10


def test_filters_combine():
    """Does each filter keep only matching practices, and do filters combine?"""
    partnership = rows(level="партньорство")
    assert partnership and all(p["participation_level"] == "партньорство" for p in partnership)
    both = rows(level="партньорство", country="Франция")
    assert [p["slug"] for p in both] == ["paris-participatory-budget"]


def test_empty_result_says_what_to_do():
    """Does an empty result tell the learner to drop a filter instead of showing an empty table?"""
    assert "Махнете" in table_html([])
    assert "Намерени казуси: 1 от" in table_html(rows(level="партньорство", country="Франция"))
    assert rows(country="Франция", level=ALL)
