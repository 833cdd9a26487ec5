"""The stakeholder-map tool: civickit.stakeholders' quadrants and isolation, drawn as a grid and listed."""

import pytest

from civickit.datasets import load_table
from civickit.stakeholder_map_tool import ALL, grid_svg, link_counts, result_html, select, stakeholder_map_app
from civickit.stakeholders import MANAGE_CLOSELY, classify, isolated


@pytest.fixture(scope="module")
def tables():
    return load_table("stakeholders_synthetic"), load_table("stakeholder_links_synthetic")


def test_summary_counts_follow_classify(tables):
    """Does the status line give classify's quadrant counts for the chosen threshold?"""
    people, links = tables
    for threshold in (2, 3, 4, 5):
        key = int((classify(people, threshold)["quadrant"] == MANAGE_CLOSELY).sum())
        page = result_html(people, links, threshold)
        assert page.startswith("<p role='status'")
        assert f"Праг {threshold}" in page and f"{MANAGE_CLOSELY}: {key};" in page


def test_grid_places_every_organisation(tables):
    """Is every chosen organisation's id written in the SVG, which has an accessible title?"""
    people, _ = tables
    svg = grid_svg(classify(people, 3), 3)
    assert "role='img'" in svg and "<title id=" in svg
    for i in people["id"]:
        assert i in svg
    assert svg.count("<rect") == 25


def test_isolated_organisations_are_listed(tables):
    """Are the organisations without links (isolated) listed by name, also within a sector filter?"""
    people, links = tables
    alone = isolated(people, links)
    assert alone
    page = result_html(people, links)
    names = dict(zip(people["id"], people["name"]))
    for i in alone:
        assert f"{names[i]} ({i})" in page.replace("&quot;", '"')
    assert link_counts(people, links)[alone[0]] == 0


def test_sector_filter(tables):
    """Does a sector show only its organisations, and an empty sector a message?"""
    people, links = tables
    media = select(people, "медии")
    assert set(media["sector"]) == {"медии"} and len(select(people, ALL)) == len(people)
    page = result_html(people, links, 3, "медии")
    assert f"({len(media)} организации)" in page
    assert "Сектори без ключов играч" not in page
    empty = result_html(people.iloc[:0], links, 3, "медии")
    assert "Изберете друг сектор" in empty


def test_app_reacts_to_threshold_and_sector(tables):
    """Do the threshold (first control) and the sector dropdown each change the result?"""
    app = stakeholder_map_app(*tables)
    (threshold, sector), out = app.children[0].children, app.children[1]
    assert "civickit-control" in threshold._dom_classes and "civickit-result" in out._dom_classes
    assert [v for _, v in threshold.options] == [2, 3, 4, 5]
    before = out.value
    threshold.value = 2
    assert out.value != before and "Праг 2" in out.value
    changed = out.value
    sector.value = "граждански"
    assert out.value != changed and "сектор „граждански“" in out.value
