"""The case-study apps read like the book, on a desktop and on a 390×844 phone, in Chromium through public Voila.

What a learner sees: a text column of about 70 characters (not the window's width), the mechanism as the book's
SVG diagram (not ASCII arrows), nothing cut off or scrolling sideways on a phone, and no serious axe finding.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import REPO, open_app


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
SCREENS = {"desktop": DESKTOP, "phone": PHONE}
NOTEBOOKS = sorted(p.name for p in (REPO / "practices").glob("*.ipynb"))
PRACTICES = REPO / "src" / "civickit" / "data" / "practices"
# The mechanism as the notebooks drew it before the apps had the book's diagrams.
ARROWS = ("↓", "→", "←", "↑", "-->", "==>")


def mechanism(notebook: str) -> dict | None:
    facts = PRACTICES / notebook.replace(".ipynb", ".json")
    return json.loads(facts.read_text(encoding="utf-8"))["mechanism"] if facts.is_file() else None


@pytest.fixture
def screen_page(browser, request):
    context = browser.new_context(locale="bg-BG", **SCREENS[request.param])
    page = context.new_page()
    yield page
    context.close()


def open_live_app(page, url):
    """Opens the app and waits until the live widgets have replaced the first frame (the layout then is final)."""
    open_app(page, url)
    page.wait_for_function("!document.querySelector('.civickit-first-frame')", timeout=60_000)
    page.wait_for_load_state("networkidle")


# Width of each visible text paragraph, in its own font's `ch` (the width of "0"), and the widest one.
PARAGRAPH_WIDTHS = """() => {
  const widths = [];
  for (const p of document.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li')) {
    const box = p.getBoundingClientRect();
    if (!box.width || p.innerText.trim().length < 120) continue;  // a long paragraph fills its column
    const ruler = document.createElement('span');
    ruler.style.cssText = 'display:inline-block;width:100ch;visibility:hidden;position:absolute';
    p.appendChild(ruler);
    const ch = ruler.getBoundingClientRect().width / 100;
    ruler.remove();
    widths.push(box.width / ch);
  }
  return widths;
}"""


def check_text_width(page, screen: str) -> None:
    """Every long paragraph at most 80 characters wide; on a desktop at least 45 (a column, not a sliver)."""
    widths = page.evaluate(PARAGRAPH_WIDTHS)
    assert widths, "no long paragraph found to measure"
    assert max(widths) <= 80, widths
    if screen == "desktop":
        assert min(widths) >= 45, widths


def check_diagram(page, notebook: str) -> None:
    """The mechanism as one visible SVG named by its Bulgarian caption, with every step, readable, no ASCII arrows."""
    for block in page.locator("pre").all_inner_texts():
        assert not any(a in block for a in ARROWS), block
    if mechanism(notebook) is None:  # the explorer lists the cases; it has no mechanism of its own
        return
    caption = mechanism(notebook)["caption"]
    assert any("а" <= c <= "я" for c in caption.lower())
    visible = [d for d in page.get_by_role("img", name=caption, exact=True).all() if d.is_visible()]
    assert len(visible) == 1, f"{len(visible)} visible drawings named {caption!r}"
    svg = visible[0]
    assert svg.evaluate("e => e.tagName.toLowerCase()") == "svg"
    # Every step of the facts file is in the drawing, so the app draws the one source.
    text = svg.evaluate("e => e.textContent")
    for step in mechanism(notebook)["steps"]:
        for word in step.split():
            assert word in text, word
    # Shrunk to the screen, the boxes' 13 px labels must stay readable (at least 10 px).
    scale = svg.evaluate("e => e.getBoundingClientRect().width / e.viewBox.baseVal.width")
    assert 13 * scale >= 10, f"diagram text drawn at {13 * scale:.1f} px"


def check_no_overflow(page) -> None:
    """The page no wider than the screen, and every table cell, drawing and image ending inside it."""
    sizes = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1], f"page {sizes[0]} px wide on a {sizes[1]} px screen"
    # Not counted: the column headers a card layout keeps for screen readers only, and tables inside a
    # labelled, focusable scroll region (civickit.stack_table.scroll_region), which scroll by design.
    cut = page.evaluate("""() => [...document.querySelectorAll('td, th, svg, img')]
        .filter(e => !e.closest('table.civickit-stack thead, .civickit-scroll'))
        .filter(e => e.getBoundingClientRect().width && e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.tagName + ': ' + (e.innerText || e.getAttribute('aria-label') || '').slice(0, 40))""")
    assert cut == []


def check_axe(page) -> None:
    """No serious or critical axe-core finding (e.g. a scroll area the keyboard cannot reach)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


# One page load per app and screen for all four checks: Voila pages are the slow part of this file.
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("screen_page", list(SCREENS), indirect=True)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_app_reads_well_at_this_size(screen_page, voila_base, notebook):
    """On a desktop and on a 390×844 phone: is the text column at most 80 characters wide (at least 45 on a desktop, not the window's ~190), the mechanism the book's SVG diagram named in Bulgarian with no ASCII arrows, nothing wider than the screen, and no serious or critical axe finding?"""
    screen = "phone" if screen_page.viewport_size["width"] < 500 else "desktop"
    open_live_app(screen_page, voila_base + notebook)
    check_text_width(screen_page, screen)
    check_diagram(screen_page, notebook)
    check_no_overflow(screen_page)
    check_axe(screen_page)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("screen_page", list(SCREENS), indirect=True)
def test_paris_votes_are_a_chart_that_follows_the_envelope(screen_page, voila_base):
    """Is there one bar per project on the ballot, dark for each funded one, and do they follow a 5 M € envelope?"""
    from civickit.datasets import load_table

    page = screen_page
    projects = len(load_table("paris_ballot_example"))
    open_live_app(page, voila_base + "paris-participatory-budget.ipynb")
    chart = page.get_by_role("img", name="Гласове по проекти (измислен пример)")
    assert chart.is_visible()

    def funded_in_summary() -> int:
        return int(page.locator(".civickit-summary").first.inner_text().split("Финансирани проекти: ")[1].split(" ")[0])

    def dark_bars() -> int:
        return chart.locator("rect.bar[fill='#1b5e9a']").count()

    assert chart.locator("rect.bar").count() == projects
    before = funded_in_summary()
    assert dark_bars() == before
    field = page.get_by_label("Бюджет (млн €)")
    field.fill("5")
    field.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('svg.chart rect.bar[fill=\"#1b5e9a\"]').length !== n", arg=before, timeout=30_000
    )
    assert dark_bars() == funded_in_summary() < before
    # On the phone the ballot is one card per project: the cost is labelled inside the card, on the screen.
    if page.viewport_size["width"] < 500:
        cell = page.locator("table.civickit-ballot td[data-label='Цена']").first
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("e => getComputedStyle(e, '::before').content", cell.element_handle()) == '"Цена: "'


# Without a browser: the drawings and the chart as markup.

SVG_NS = "{http://www.w3.org/2000/svg}"


def test_every_case_study_has_its_mechanism_in_the_facts_file():
    """Does each case study with a notebook keep its diagram's steps in its facts file (one source)?"""
    from civickit.casestudy import practices

    for slug, practice in practices().items():
        assert practice.get("mechanism"), slug
        notebook = (REPO / practice["notebook"]).read_text(encoding="utf-8")
        assert f'mechanism_html(\\"{slug}\\")' in notebook, slug


@pytest.mark.parametrize("slug", ["paris-participatory-budget", "poland-civic-initiatives-fund", "leader-local-action-groups"])
def test_mechanism_html_is_a_wide_and_a_narrow_drawing(slug):
    """Are both drawings well-formed SVG named by the caption, with their own arrow marker, the phone one at most 370 px wide?"""
    from civickit.casestudy import load_practice, mechanism_html

    figure = ET.fromstring(mechanism_html(slug))
    caption = load_practice(slug)["mechanism"]["caption"]
    drawings = figure.findall(f"{SVG_NS}svg")
    assert [d.get("class") for d in drawings] == ["civickit-diagram-wide", "civickit-diagram-narrow"]
    for drawing in drawings:
        title = drawing.find(f"{SVG_NS}title")
        assert title.text == caption and drawing.get("aria-labelledby") == title.get("id")
        marker = drawing.find(f"{SVG_NS}defs/{SVG_NS}marker").get("id")
        refs = {e.get("marker-end") for e in drawing.iter() if e.get("marker-end")}
        assert refs == {f"url(#{marker})"}
    narrow = drawings[1]
    assert float(narrow.get("width")) <= 370
    ys = [float(r.get("y")) for r in narrow.iter(f"{SVG_NS}rect")]
    assert ys == sorted(ys) and len(set(ys)) == len(ys), "the phone drawing goes top to bottom"


def test_mechanism_needs_kind_caption_and_steps():
    """Is a facts file whose mechanism lacks steps refused with its name?"""
    from civickit.casestudy import check, load_practice
    from civickit.errors import KitError

    practice = dict(load_practice("sofia-civic-budget"), mechanism={"kind": "chain", "caption": "Х", "steps": []})
    with pytest.raises(KitError, match="sofia.json: mechanism.steps"):
        check(practice, "sofia.json")


def test_labelled_bars_draws_one_bar_per_row_with_a_text_alternative():
    """Does the chart draw a bar per row in proportion, named by its title, with the legend and description as text?"""
    from civickit.svg_charts import labelled_bars

    markup = labelled_bars([("Първи проект", 200, "200 ✔", "#1b5e9a"), ("Втори", 50, "50 ✘", "#8a8a8a")], 200, "Гласове",
                           legend=[("#1b5e9a", "✔ финансиран")], description="Първи проект: 200 гласа")
    root = ET.fromstring(markup)
    bars = [r for r in root.iter("rect") if r.get("class") == "bar"]
    assert [float(b.get("width")) for b in bars] == [300.0, 75.0]
    assert root.get("aria-label") == "Гласове" and root.find("title").text == "Гласове"
    assert root.find("desc").text == "Първи проект: 200 гласа"
    assert "✔ финансиран" in "".join(root.itertext())


def test_apps_stylesheet_is_inlined_without_jinja_markup():
    """Is the apps' CSS included by the kit's Voila template, and free of what Jinja would read as its own markup?"""
    folder = REPO / "src" / "civickit" / "jupyter_data" / "voila" / "templates" / "civickit"
    css = (folder / "civickit-apps.css").read_text(encoding="utf-8")
    assert "{% include 'civickit-apps.css' %}" in (folder / "index.html.j2").read_text(encoding="utf-8")
    assert not re.search(r"\{[#%{]", css)


def test_book_directive_draws_a_practice_from_its_facts_file():
    """Does :practice: give the book the app's steps and caption, and refuse a kind the facts file does not draw?"""
    from civickit.casestudy import load_practice
    from civickit.diagrams import practice_lines, svg

    kind, lines, caption = practice_lines("paris-participatory-budget")
    mechanism = load_practice("paris-participatory-budget")["mechanism"]
    assert (kind, caption) == (mechanism["kind"], mechanism["caption"])
    # Box labels wrap into lines (tspans), so compare without the spaces where they break.
    text = "".join(ET.fromstring(svg(kind, lines, caption)).itertext()).replace(" ", "")
    assert all(step.replace(" ", "") in text for step in mechanism["steps"])
    book = (REPO / "book" / "07-good-practices" / "paris-participatory-budget.md").read_text(encoding="utf-8")
    assert ":practice: paris-participatory-budget" in book


def test_leader_shares_chart_marks_the_limit_on_every_bar():
    """Does the LEADER app's chart draw one bar per interest group, the limit across each bar at its share, and red for a group over it?"""
    from civickit.leader import EXAMPLES, check, composition, result_html
    from civickit.svg_charts import LB_VALUE_W, LB_W

    reds = 0
    for rows in EXAMPLES.values():
        result = check(composition(rows))
        chart = ET.fromstring(re.search(r"<svg class='chart.*?</svg>", result_html(result)).group(0))
        bars = [r for r in chart.iter("rect") if r.get("class") == "bar"]
        limits = [line for line in chart.iter("line") if line.get("class") == "threshold"]
        assert len(bars) == len(limits) == len(result["groups"])
        assert {float(line.get("x1")) for line in limits} == {round((LB_W - LB_VALUE_W) * result["limit"], 1)}
        over = sorted(result["groups"].loc[result["groups"]["over"], "share"].round(6))
        red = sorted(round(float(b.get("data-value")), 6) for b in bars if b.get("fill") == "#b3261e")
        assert red == over
        reds += len(red)
    assert reds, "some example body breaks the balance"
    assert chart.get("aria-label").startswith("Дялове от гласовете по групи по интереси")


def test_chitalishta_and_ppn_compare_their_numbers_in_a_chart():
    """Do the chitalishta views and the PPN seats show an SVG chart named like their table, with a bar per row in proportion?"""
    from civickit import chitalishta, ppn

    for view in list(chitalishta.VIEWS)[:3]:  # the fourth compares two years: its table shows the change
        page = chitalishta.result_html(view)
        chart = ET.fromstring(re.search(r"<svg class='chart.*?</svg>", page).group(0))
        caption = re.search(r"<caption>(.*?)</caption>", page).group(1)
        assert chart.get("aria-label") == caption
        values = [float(b.get("data-value")) for b in chart.iter("rect") if b.get("class") == "bar"]
        widths = [float(b.get("width")) for b in chart.iter("rect") if b.get("class") == "bar"]
        assert len(values) == page.count("<tr>") - 1  # one bar per table row (the header row aside)
        assert widths.index(max(widths)) == values.index(max(values))
    page = ppn.result_html(ppn.IRELAND_2022, 10)
    chart = ET.fromstring(re.search(r"<svg class='chart.*?</svg>", page).group(0))
    seats = [b for b in chart.iter("rect") if b.get("class") == "bar"][1::2]
    assert [round(float(b.get("data-value")) * 10) for b in seats] == [8, 2, 0]
