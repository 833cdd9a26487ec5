"""civickit.bibliography_style on the kit's own bib files and on the cases that broke pybtex's labels."""

from __future__ import annotations

from pathlib import Path

import pybtex.plugin
import pytest
from pybtex.database import BibliographyData, Entry, Person, parse_file

from civickit.bibliography_style import NAME, normalise_visited, register

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def style():
    register()
    return pybtex.plugin.find_plugin("pybtex.style.formatting", NAME)()


def misc(author: str, year: str, title: str, **fields) -> Entry:
    entry = Entry("misc", fields={"title": title, "year": year, **fields})
    entry.persons["author"] = [Person(author)]
    return entry


def labels(style, entries: dict[str, Entry]) -> dict[str, str]:
    data = BibliographyData(entries)
    return {e.key: e.label for e in style.format_bibliography(data)}


def test_repeated_author_and_no_date_get_bulgarian_letters(style):
    """Do three undated pages of one ministry become "б.г.-а", "б.г.-б", "б.г.-в" (pybtex ran past "z" into junk)?"""
    entries = {f"k{i}": misc("{Министерство}", "б.г.", f"Страница {i}") for i in range(3)}
    assert sorted(labels(style, entries).values()) == [f"Министерство, б.г.-{c}" for c in "абв"]


def test_many_undated_pages_of_one_author_keep_unique_labels(style):
    """Do 40 undated pages of one author still get 40 different, readable labels?"""
    entries = {f"k{i:02}": misc("{Община}", "б.г.", f"Страница {i:02}") for i in range(40)}
    found = list(labels(style, entries).values())
    assert len(set(found)) == 40
    assert all(label.startswith("Община, б.г.-") for label in found)


def test_a_year_with_a_letter_in_the_entry_is_not_given_twice(style):
    """Does an entry whose year already reads "2024а" never share its label with a suffixed one?"""
    entries = {"a": misc("{Ямбол прес}", "2024а", "А"), "b": misc("{Ямбол прес}", "2024", "Б"),
               "c": misc("{Ямбол прес}", "2024", "В")}
    found = labels(style, entries)
    assert len(set(found.values())) == 3
    assert found["a"] == "Ямбол прес, 2024а"


def test_authors_are_joined_in_bulgarian(style):
    """Are two authors "A и B" and three "A и др." in the label, and the list "X, Y и Z" without "and"?"""
    two = Entry("book", fields={"title": "T", "year": "2005", "publisher": "ASCD", "edition": "2"})
    two.persons["author"] = [Person("Wiggins, Grant"), Person("McTighe, Jay")]
    three = Entry("article", fields={"title": "T", "year": "2006", "journal": "J", "volume": "132",
                                     "number": "3", "pages": "354--380"})
    three.persons["author"] = [Person("Cepeda, Nicholas J."), Person("Pashler, Harold"), Person("Vul, Edward")]
    formatted = {e.key: e for e in style.format_bibliography(BibliographyData({"two": two, "three": three}))}
    assert formatted["two"].label == "Wiggins и McTighe, 2005"
    assert formatted["three"].label == "Cepeda и др., 2006"
    two_text = formatted["two"].text.render_as("text")
    three_text = formatted["three"].text.render_as("text")
    assert "Grant Wiggins и Jay McTighe." in two_text and "2. изд." in two_text
    assert "Nicholas J. Cepeda, Harold Pashler и Edward Vul." in three_text
    assert "т. 132, бр. 3, с. 354–380" in three_text  # (no-break spaces in HTML)
    assert " and " not in two_text + three_text and "edition" not in two_text


@pytest.mark.parametrize("note, expected", [
    ("Посетен 2026-11.", "Посетен през ноември 2026 г."),
    ("Факт. Посетен през ноември 2026 г.", "Факт. Посетен през ноември 2026 г."),
    ("Посетен на 12.11.2026 г. Факт", "Факт. Посетен през ноември 2026 г."),
    ("Без дата на посещение.", "Без дата на посещение."),
])
def test_visit_dates_read_one_way(note, expected):
    """Is every way the entries say when a page was visited written as "Посетен през <месец> <година> г."?"""
    assert normalise_visited(note) == expected


@pytest.mark.slow
def test_every_kit_entry_gets_a_unique_label(style):
    """Across all of the kit's bib files, is every label unique (a duplicate stops the strict build)?"""
    data = BibliographyData()
    for bib in sorted((REPO / "book").glob("*.bib")):
        for key, entry in parse_file(bib).entries.items():
            data.add_entry(key, entry)
    found = [e.label for e in style.format_bibliography(data)]
    assert len(found) == len(data.entries) and len(set(found)) == len(found)
