"""The syllabus measures: every module, lesson anatomy, prose length, citations, glossary, exercises."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pybtex.database import parse_file

from civickit.checks import toc_files

REPO = Path(__file__).resolve().parents[1]
MODULES = range(0, 10)
MIN_WORDS = 700
CYRILLIC_WORD = re.compile(r"[А-Яа-яЁёЪъЬьЮюЯя][А-Яа-яЁёЪъЬьЮюЯя\-]*")
# Blocks that are not prose: the lesson frame, quizzes, diagrams, key points, code.
NOT_PROSE = re.compile(r"^(:{3,}|`{3,})\{(lesson-overview|key-points|quiz|diagram|code-cell|glossary)\}.*?^\1\s*$", re.M | re.S)


def lessons() -> list[str]:
    return [e for e in toc_files(REPO) if re.match(r"book/0\d-[^/]+/(?!index$)", e)]


def source(entry: str) -> str:
    return (REPO / f"{entry}.md").read_text(encoding="utf-8")


def prose_words(text: str) -> int:
    text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)  # front matter
    text = NOT_PROSE.sub("", text)
    text = re.sub(r"\{[a-z:]+\}`[^`]*`", " ", text)  # roles: citations, links
    return len(CYRILLIC_WORD.findall(text))


def test_every_module_has_three_to_five_lessons():
    """Is each module 0-9 in the outline with 3-5 lessons?"""
    for module in MODULES:
        count = sum(1 for e in lessons() if e.startswith(f"book/0{module}-"))
        assert 3 <= count <= 5, f"module {module}: {count} lessons"


@pytest.mark.parametrize("entry", lessons())
def test_lesson_anatomy(entry):
    """Does the lesson have minutes, questions and objectives, a quiz, a trainer note and key points?"""
    text = source(entry)
    overview = re.search(r"\{lesson-overview\}\n:teaching: \d+\n:exercises: \d+", text)
    assert overview, "lesson-overview with :teaching: and :exercises: minutes"
    for block in ("{quiz}", "{trainer-note}", "{key-points}"):
        assert block in text, block
    assert "**Въпроси**" in text and "**Цели**" in text
    assert text.rfind("{key-points}") > text.rfind("\n## "), "key points close the lesson"


@pytest.mark.parametrize("entry", lessons())
def test_lesson_prose_length(entry):
    """Does the lesson hold at least 700 words of Bulgarian prose?"""
    assert prose_words(source(entry)) >= MIN_WORDS


@pytest.mark.parametrize("entry", [e for e in lessons() if not e.startswith("book/00-")])
def test_lesson_links_its_module_exercise(entry):
    """Does a lesson of modules 1-9 link to an exercise notebook of its own module?"""
    module = entry.split("/")[1][:2]
    assert re.search(rf"\{{interactive\}}`exercises/{module}-[^`]+\.ipynb`", source(entry)), entry


def test_each_module_has_an_exercise_notebook():
    """Is there at least one practice notebook for every module 1-9?"""
    for module in range(1, 10):
        assert list((REPO / "exercises").glob(f"0{module}-*.ipynb")), module


def test_bibliography_has_sixty_traceable_sources():
    """Are there 60+ distinct sources, each with a URL or an official document identifier?"""
    entries = {}
    for bib in (REPO / "book").glob("references*.bib"):
        for key, entry in parse_file(str(bib)).entries.items():
            assert key not in entries, f"duplicate key {key}"
            entries[key] = entry
    assert len(entries) >= 60, len(entries)
    for key, entry in entries.items():
        fields = " ".join(f"{name}={value}" for name, value in entry.fields.items())
        assert re.search(r"\\url\{|https?://|ДВ|бр\.|OJ |CELEX|ECLI|isbn=|doi=", fields, re.I), key


def glossary_terms() -> dict[str, str]:
    terms = {}
    for fragment in sorted((REPO / "book" / "_glossary").glob("*.md")):
        for term, definition in re.findall(r"^(\S[^\n]*)\n  ([^\n]+)", fragment.read_text(encoding="utf-8"), re.M):
            if not term.startswith("```"):
                terms[term.strip()] = definition
    return terms


def test_glossary_has_eighty_terms_with_english():
    """Does the glossary define 80+ terms, each with its English equivalent?"""
    terms = glossary_terms()
    assert len(terms) >= 80, len(terms)
    missing = [t for t, d in terms.items() if not d.startswith("*англ.*")]
    assert not missing, missing


def test_every_glossary_term_is_used_in_the_text():
    """Is each glossary term linked from at least one page of the course?"""
    used = set()
    for page in (REPO / "book").rglob("*.md"):
        if "_glossary" in page.parts:
            continue
        for text, target in re.findall(r"\{term\}`([^`<]*)(?:<([^>]+)>)?`", page.read_text(encoding="utf-8")):
            used.add((target or text).strip().lower())
    unused = [t for t in glossary_terms() if t.lower() not in used]
    assert not unused, unused


def test_the_five_course_diagrams_exist():
    """Are the diagrams the syllabus asks for drawn from text somewhere in the book?"""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "book").rglob("*.md"))
    kinds = set(re.findall(r"\{diagram\} (\w+)", text))
    assert {"tree", "ladder", "cycle", "grid"} <= kinds, kinds
    assert len(re.findall(r"\{diagram\}", text)) >= 5
