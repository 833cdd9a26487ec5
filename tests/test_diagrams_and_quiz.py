"""The build-time diagrams and the static quiz: valid markup that carries the author's text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from civickit import diagrams
from civickit.quiz import quiz_html

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # raises on malformed XML


@pytest.mark.parametrize(
    "kind, lines",
    [
        ("chain", ["- Предложение", "- Проверка", "- Гласуване"]),
        ("cycle", ["- Дневен ред", "- Изработване", "- Решение", "- Изпълнение", "- Наблюдение", "- Оценка"]),
        ("ladder", ["- Манипулация", "- Терапия", "- Информиране"]),
        ("tree", ["Проблем", "  - Причина А", "    - Подпричина", "  - Причина Б"]),
        ("grid", ["- Горе вляво", "- Горе вдясно", "- Долу вляво", "- Долу вдясно"]),
    ],
)
def test_each_kind_draws_every_label(kind, lines):
    """Does each diagram kind produce well-formed SVG with every label, a title and a caption?"""
    figure = parse(diagrams.svg(kind, lines, "Надпис", "Интерес →", "Влияние →"))
    svg = figure.find(f"{SVG}svg") if figure.find(f"{SVG}svg") is not None else figure.find("svg")
    text = " ".join(t for t in figure.itertext())
    for line in lines:
        assert line.strip().lstrip("- ") in text
    assert svg is not None and svg.get("role") == "img"
    assert figure.find("figcaption").text == "Надпис"


def test_tree_places_children_below_their_parent():
    """Is every child box drawn lower than its parent in a tree?"""
    figure = parse(diagrams.svg("tree", ["Корен", "  - Дете"], "Дърво"))
    ys = [float(r.get("y")) for r in figure.iter(f"{SVG}rect")] or [float(r.get("y")) for r in figure.iter("rect")]
    assert ys[0] < ys[1]


def test_grid_needs_four_items():
    """Does a grid with three items fail with a message instead of drawing nonsense?"""
    with pytest.raises(ValueError, match="four"):
        diagrams.svg("grid", ["- А", "- Б", "- В"], "Решетка")


def test_quiz_marks_only_the_correct_option():
    """Is exactly the right option marked as correct, and is the explanation carried for the page script?"""
    markup = quiz_html("Въпрос?", ["едно", "две", "три"], 2, "Защото „две“.", "quiz-x-1")
    root = parse(markup)
    inputs = list(root.iter("input"))
    assert [i.get("data-correct") for i in inputs] == [None, "1", None]
    assert root.find(".//p").get("data-explanation") == "Защото „две“."
