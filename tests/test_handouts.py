"""civickit handouts: PDFs printed by Chromium from a real strict build of the learner edition.

The expected text comes from the lesson sources (titles, a paragraph, a trainer note, a quiz), so the
checks follow the book as it grows (modules 8 and 9 included) and fail if the PDF holds tofu or unmapped
glyphs instead of Cyrillic text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from civickit.checks import toc_files
from conftest import BIN, TRAINER_MARKER, TRAINER_PAGE, kit_env, run

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LESSON = "book/01-civil-society/forms"
PLAIN = re.compile(r"^[А-Яа-яЁёЪъЬьЮюЯяA-Za-z0-9 ,.;:?!%–—„“()-]+$")


def flat(text: str) -> str:
    """PDF text with line breaks and repeated spaces folded, as a reader sees it."""
    return " ".join(text.split())


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [flat(page.extract_text()) for page in PdfReader(path).pages]


def source(root: Path, docname: str) -> str:
    return (root / f"{docname}.md").read_text(encoding="utf-8")


def title_of(root: Path, docname: str) -> str:
    return re.search(r"^# (.+)$", source(root, docname), re.M).group(1).strip()


def plain_run(text: str, words: int = 8) -> str:
    """The first `words` words of the first line of `text` without markup (links, roles, emphasis)."""
    for line in text.splitlines():
        line = line.strip().removeprefix("- ")
        for piece in re.split(r"\*\*[^*]+\*\*", line):
            piece = piece.strip(" :")
            if PLAIN.match(piece) and len(piece.split()) >= words:
                return " ".join(piece.split()[:words])
    raise AssertionError(f"no plain run of {words} words in: {text[:200]}")


def block(text: str, directive: str) -> str:
    """The body of the first `:::{directive}` block."""
    return re.search(r"^:::\{" + re.escape(directive) + r"\}.*?\n(.*?)^:::\s*$", text, re.M | re.S).group(1)


@pytest.fixture(scope="module")
def handouts(built_book, planted_kit, tmp_path_factory) -> Path:
    """Every handout and the whole learner edition, printed by the real command from the strict build."""
    out = tmp_path_factory.mktemp("handouts")
    result = run([BIN / "civickit", "handouts", "--no-build", "--out", str(out)], cwd=planted_kit,
                 env=kit_env(planted_kit), timeout=1800)
    pages = toc_files(planted_kit)
    # One progress line per page of the outline, then the edition.
    assert len(re.findall(r"^\[\s*\d+/\d+\] ", result.stdout, re.M)) == len(pages), result.stdout
    assert "Whole learner edition:" in result.stdout
    return out


def test_lesson_handout_prints_cyrillic_text(handouts, planted_kit):
    """Does a lesson's handout hold its Bulgarian title, a paragraph and a footer with title and page numbers as real text?"""
    text = pdf_text(handouts / f"{LESSON.removeprefix('book/')}.pdf")
    whole = " ".join(text)
    title = title_of(planted_kit, LESSON)
    assert title in text[0]
    body = source(planted_kit, LESSON).split("\n## ", 1)[1]  # after the lesson overview
    assert plain_run(body) in whole
    assert 2 <= len(text) <= 20
    assert all(f"стр. {i} от {len(text)}" in page for i, page in enumerate(text, 1))
    assert all(title in page for page in text), "every page's footer names the lesson"


def test_quiz_prints_as_question_without_answer(handouts, planted_kit):
    """Is a quiz printed as its question and options, without the explanation of the right answer or the solutions?"""
    whole = " ".join(pdf_text(handouts / f"{LESSON.removeprefix('book/')}.pdf"))
    src = source(planted_kit, LESSON)
    quiz = re.search(r"^:::\{quiz\} (.+)$\n:correct: \d+\n:explanation: (.+)$", src, re.M)
    assert flat(quiz.group(1)) in whole
    assert flat(quiz.group(2)) not in whole
    solution = re.search(r"^::::\{dropdown\} Решение\n(.*?)^::::\s*$", src, re.M | re.S)
    assert plain_run(solution.group(1), 6) not in whole


def test_learner_edition_in_outline_order(handouts, planted_kit):
    """Is the whole learner edition one PDF of every outline page in order, each bookmarked where its title stands?"""
    from pypdf import PdfReader

    edition = handouts / "learner-edition.pdf"
    reader = PdfReader(edition)
    text = pdf_text(edition)
    pages = toc_files(planted_kit)
    printed = sum(len(PdfReader(handouts / f"{doc.removeprefix('book/')}.pdf").pages) for doc in pages)
    assert len(text) > printed >= len(pages), "cover and contents, then every page"

    def flatten(items):
        for item in items:
            yield from flatten(item) if isinstance(item, list) else [item]

    marks = [(flat(m.title), reader.get_destination_page_number(m)) for m in flatten(reader.outline)]
    starts = {}
    for doc in pages:
        title = title_of(planted_kit, doc)
        found = [number for name, number in marks if name == title]
        assert found, f"no bookmark for {doc} ({title})"
        starts[doc] = found[0]
        assert title in text[starts[doc]], f"{doc} does not start where its bookmark points"
    order = [starts[doc] for doc in pages]
    assert order == sorted(order) and len(set(order)) == len(order), "pages out of outline order"
    first_of = lambda prefix: next(starts[d] for d in pages if d.startswith(prefix))  # noqa: E731
    assert first_of("book/01-") < first_of("book/02-")
    # Continuous numbering from the first page after the contents.
    assert f"стр. {starts[LESSON] - starts[pages[0]] + 1}" in text[starts[LESSON]]


def test_no_trainer_note_in_learner_pdfs(handouts, planted_kit):
    """Is a real lesson's trainer note, and a planted one, absent from its handout and from the whole edition?"""
    note = plain_run(block(source(planted_kit, LESSON), "trainer-note"))
    lesson = " ".join(pdf_text(handouts / f"{LESSON.removeprefix('book/')}.pdf"))
    edition = " ".join(pdf_text(handouts / "learner-edition.pdf"))
    trainers = " ".join(pdf_text(handouts / f"{TRAINER_PAGE.removeprefix('book/')}.pdf"))
    assert title_of(planted_kit, TRAINER_PAGE) in trainers
    for text in (lesson, edition, trainers):
        assert note not in text
        assert TRAINER_MARKER not in text


def test_unknown_page_is_refused(built_book, planted_kit, tmp_path):
    """Does naming a page that is not in the outline stop with a message that names it?"""
    result = run([BIN / "civickit", "handouts", "--no-build", "--out", str(tmp_path), "01-civil-society/nowhere"],
                 cwd=planted_kit, env=kit_env(planted_kit), expect=2)
    assert "'01-civil-society/nowhere' is not a page of _toc.yml" in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))
