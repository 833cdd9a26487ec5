"""The book as a learner meets it on `civickit start`: the ☰ outline on a phone and a desktop,
a console without errors, and a Bulgarian bibliography whose labels are the ones the text cites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
LESSON = "course/book/05-dialogue/participation-levels.html"
BIBLIOGRAPHY = "course/book/bibliography.html"
# A label pybtex's alpha style makes: "Arn69", "CPV+06".
ALPHA_LABEL = re.compile(r"^\S{1,6}\d{2}[a-z]?$")
AUTHOR_YEAR_LABEL = re.compile(r"^\S.*, (\d{4}[а-я]?|б\.г\.(-[а-я])?)$")
VISITED = re.compile(r"Посетен\b.*?(?:г\.|\.(?=\s|$))")  # to the sentence's end
ONE_VISITED_PHRASING = re.compile(r"^Посетен през (януари|февруари|март|април|май|юни|юли|август|септември|октомври|ноември|декември) \d{4} г\.$")


@pytest.fixture
def screen(browser, request):
    """A fresh browser context of the screen size named by the test's parameter."""
    context = browser.new_context(locale="bg-BG", **SCREENS[request.param])
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    page.on("console", lambda msg: page.problems.append(f"console {msg.type}: {msg.text} {msg.location}")
            if msg.type == "error" else None)
    yield page
    context.close()


def visible_toggle(page):
    toggles = page.locator(".primary-toggle").filter(visible=True)
    assert toggles.count() == 1, "exactly one ☰ button on screen"
    return toggles.first


def outline_link(page, current: str):
    """A lesson link in the outline that is on screen and leads away from the current page."""
    links = page.locator("nav.bd-docs-nav a.reference.internal").filter(visible=True)
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href") or ""
        if href.endswith(".html") and Path(href).name not in (Path(current).name, "index.html"):
            return links.nth(i)
    raise AssertionError("no lesson link visible in the outline")


@pytest.mark.parametrize("screen", ["phone"], indirect=True)
def test_menu_opens_the_outline_on_a_phone(server, screen):
    """On a 390×844 phone, does tapping ☰ open the outline, and does a lesson link in it work?"""
    page = screen
    page.goto(server.url(LESSON))
    page.wait_for_load_state("networkidle")
    assert not page.locator("nav.bd-docs-nav").first.is_visible(), "the outline starts closed on a phone"
    visible_toggle(page).tap()
    page.locator("#pst-primary-sidebar-modal[open] nav.bd-docs-nav").wait_for(state="visible", timeout=5_000)
    link = outline_link(page, LESSON)
    target = link.get_attribute("href")
    link.tap()
    page.wait_for_url(re.compile(re.escape(Path(target).name)), timeout=15_000)
    assert page.locator("article h1").first.is_visible()


@pytest.mark.parametrize("screen", ["phone"], indirect=True)
def test_page_contents_button_opens_on_a_phone(server, screen):
    """On a phone, does the lesson's contents button (same theme bug as ☰) open the list of its sections?"""
    page = screen
    page.goto(server.url(LESSON))
    page.wait_for_load_state("networkidle")
    buttons = page.locator(".secondary-toggle").filter(visible=True)
    assert buttons.count() == 1
    buttons.first.tap()
    page.locator("#pst-secondary-sidebar-modal[open] nav.page-toc").first.wait_for(state="visible", timeout=5_000)


@pytest.mark.parametrize("screen", ["desktop"], indirect=True)
def test_menu_hides_and_shows_the_outline_on_a_desktop(server, screen):
    """On a desktop, does ☰ hide the outline and bring it back, with its lesson links working?"""
    page = screen
    page.goto(server.url(LESSON))
    page.wait_for_load_state("networkidle")
    outline = page.locator("#pst-primary-sidebar nav.bd-docs-nav")
    assert outline.is_visible(), "the outline is open on a wide screen"
    visible_toggle(page).click()
    outline.wait_for(state="hidden", timeout=5_000)
    visible_toggle(page).click()
    outline.wait_for(state="visible", timeout=5_000)
    link = outline_link(page, LESSON)
    target = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(Path(target).name)), timeout=15_000)


@pytest.mark.parametrize("screen", ["phone", "desktop"], indirect=True)
def test_book_pages_log_no_javascript_error(server, screen):
    """Do the landing page, a lesson and the bibliography open without any error in the console?"""
    for path in ("course/index.html", LESSON, BIBLIOGRAPHY):
        screen.goto(server.url(path))
        screen.wait_for_load_state("networkidle")
    assert screen.problems == []


def bibliography_entries(page) -> list[tuple[str, str, str]]:
    """(id, label, entry text) of every entry on the bibliography page."""
    return page.eval_on_selector_all(
        "div.citation-list > div.citation",
        """els => els.map(e => [e.id,
                               e.querySelector('.label').textContent.replace(/[\\[\\]]/g, '').trim(),
                               e.querySelector('p').textContent.trim()])""",
    )


@pytest.fixture
def bibliography(server, page):
    page.goto(server.url(BIBLIOGRAPHY))
    page.wait_for_load_state("networkidle")
    return bibliography_entries(page)


def source_texts() -> list[str]:
    """Every field the sources themselves give (titles, journals, notes...), as the page prints them."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    def shown(latex: str) -> str:
        return Text.from_latex(re.sub(r"\\url\{([^}]*)\}", r"\1", latex)).render_as("text")

    texts = []
    for bib in sorted((REPO / "book").glob("*.bib")):
        for entry in parse_file(bib).entries.values():
            given = [value for name, value in entry.fields.items()
                     if name not in ("year", "month", "edition", "volume", "number", "pages")]
            given += [" ".join(p.first_names + p.middle_names + p.prelast_names + p.last_names + p.lineage_names)
                      for p in entry.persons.get("author", []) + entry.persons.get("editor", [])]
            # Only what says "and" matters here (and pybtex's LaTeX parser is slow on 1,500 fields).
            texts += [shown(value) for value in given if re.search(r"\band\b", value)]
    return sorted(set(texts), key=len, reverse=True)


def test_bibliography_labels_are_author_year_and_unique(bibliography):
    """Is every label author-year ("Arnstein, 1969"; "б.г." with а, б... when repeated), none pybtex's "[Arn69]", none twice?"""
    labels = [label for _, label, _ in bibliography]
    assert len(labels) > 300
    assert [label for label in labels if ALPHA_LABEL.match(label)] == []
    assert [label for label in labels if not AUTHOR_YEAR_LABEL.match(label)] == []
    assert len(set(labels)) == len(labels)
    assert "Arnstein, 1969" in labels


def test_text_cites_the_label_the_bibliography_shows(server, page, bibliography):
    """Does every citation in a lesson read "(label)" with exactly the label of the entry it links to?"""
    label_of = {entry_id: label for entry_id, label, _ in bibliography}
    page.goto(server.url(LESSON))
    citations = page.eval_on_selector_all(
        "span.bibtex-citation",
        "els => els.map(e => [e.textContent, [...e.querySelectorAll('a')].map(a => [a.textContent, a.hash.slice(1)])])",
    )
    assert citations, "the lesson cites sources"
    for text, links in citations:
        assert text == "(" + "; ".join(label for label, _ in links) + ")", text
        for label, target in links:
            assert label == label_of[target], (label, label_of[target])


def test_bibliography_entries_are_in_bulgarian(bibliography):
    """Are pybtex's English words ("and", "edition", "pp.", "vol.", "URL:") gone from the entries,
    and is the visit date written one way?"""
    sources = source_texts()
    english = []
    for _, label, text in bibliography:
        if re.search(r"\b(pp|vol|no)\.\s|\bURL:|\bedition\b|\beditors?\b", text):
            english.append((label, text))
        words_of_the_style = text
        for source in sources:  # a source's own title may say "and"; the style's words may not
            words_of_the_style = words_of_the_style.replace(source, " ")
        if re.search(r"\band\b", words_of_the_style):
            english.append((label, words_of_the_style))
    assert english == []
    phrasings = {m.group(0).strip() for _, _, text in bibliography for m in VISITED.finditer(text)}
    assert phrasings and all(ONE_VISITED_PHRASING.match(p) for p in phrasings), phrasings


@pytest.mark.parametrize("screen", ["phone", "desktop"], indirect=True)
@pytest.mark.parametrize("path", [BIBLIOGRAPHY, LESSON])
def test_bibliography_and_lesson_pass_axe(server, screen, path):
    """Does axe-core find no serious or critical violation on the bibliography and a lesson citing it?"""
    from axe_playwright_python.sync_playwright import Axe

    screen.goto(server.url(path))
    screen.wait_for_load_state("networkidle")
    results = Axe().run(screen)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
