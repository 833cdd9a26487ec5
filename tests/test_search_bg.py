"""The book's search in Bulgarian: any form of a word finds the pages of all its forms.

The index is stemmed in Python (civickit.search_bg) and the query in the browser (the JavaScript
Sphinx writes into language_data.js); both are compared here on the book's own words, run in node.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from bs4 import BeautifulSoup

from civickit.search_bg import BULGARIAN_STOPWORDS, SearchBulgarian, is_bulgarian, javascript

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")

# Forms of one word each (nominative, plural, articles, adjectives' genders): one stem per group.
SAME_WORD = [
    ["консултация", "консултации", "консултацията", "консултациите"],
    ["организация", "организации", "организацията", "организациите"],
    ["проект", "проекти", "проектът", "проекта", "проектите"],
    ["читалище", "читалища", "читалището", "читалищата"],
    ["община", "общини", "общината", "общините"],
    ["гражданин", "граждани", "гражданите", "гражданина"],
    ["граждански", "гражданска", "гражданско", "гражданския", "гражданският", "гражданската", "гражданските"],
    ["участник", "участници", "участника", "участниците"],
    ["участие", "участия", "участието"],
    ["общност", "общности", "общността", "общностите"],
    ["план", "планове", "плановете", "планът"],
    ["местен", "местна", "местно", "местни", "местната"],
    ["малък", "малка", "малки", "малкият"],
    ["резултат", "резултати", "резултата", "резултатът", "резултатите"],
    ["място", "места", "мястото", "местата"],
    ["музей", "музея", "музеят", "музеи", "музеите"],
]
# Different words that must stay apart.
DIFFERENT_WORDS = [("консултация", "консултант"), ("проект", "програма"), ("читалище", "читател"),
                   ("организация", "организатор"), ("община", "общност"), ("карта", "карат")]
THREE_FORMS = ("консултация", "консултации", "консултацията")
WORD = re.compile(r"\w+")  # Sphinx's Python splitter


def node_stems(code_file: Path, words: list[str], tmp: Path) -> list[str]:
    """Stems of `words` by the JavaScript Stemmer defined in `code_file`, run in node as the browser runs it."""
    driver = tmp / "stem-words.js"
    driver.write_text(
        "const fs = require('fs'), vm = require('vm');\n"
        "vm.runInThisContext(fs.readFileSync(process.argv[2], 'utf8'));\n"  # `var Stemmer` becomes global
        "const stemmer = new Stemmer();\n"
        "const words = JSON.parse(fs.readFileSync(0, 'utf8'));\n"
        "process.stdout.write(JSON.stringify(words.map((w) => stemmer.stemWord(w))));\n",
        encoding="utf-8")
    result = subprocess.run([NODE, str(driver), str(code_file)], input=json.dumps(words), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def page_words(html_dir: Path) -> dict[str, set[str]]:
    """docname -> lower-case words of the page's main content (what Sphinx indexes of it)."""
    pages = {}
    for file in sorted(html_dir.rglob("*.html")):
        rel = file.relative_to(html_dir).with_suffix("").as_posix()
        if rel.startswith(("_static", "genindex", "search")):
            continue
        main = BeautifulSoup(file.read_text(encoding="utf-8"), "lxml").select_one("[role=main]")
        if main is not None:
            pages[rel] = {w.lower() for w in WORD.findall(main.get_text(" "))}
    return pages


def test_forms_of_a_word_share_one_stem():
    """Do the forms of a noun or adjective (article, plural, gender) get one stem, and different words different ones?"""
    lang = SearchBulgarian({})
    for forms in SAME_WORD:
        stems = {form: lang.stem(form) for form in forms}
        assert len(set(stems.values())) == 1, stems
    for one, other in DIFFERENT_WORDS:
        assert lang.stem(one) != lang.stem(other), (one, other)
    assert lang.stem("Консултацията") == lang.stem("консултация"), "capitals are folded"


def test_stop_words_and_english_words():
    """Are Bulgarian stop words left out of the index, and English words stemmed as Sphinx's English search does?"""
    lang = SearchBulgarian({})
    for word in ("които", "между", "това", "the", "and"):
        assert not lang.word_filter(lang.stem(word)), word
    assert lang.word_filter(lang.stem("читалище"))
    assert lang.stem("participation") == lang.stem("participating") == "particip"
    assert lang.stem("budgets") == "budget"
    assert {w for w in BULGARIAN_STOPWORDS if lang.stem(w) != w} == set(), "stop words are kept whole"


@needs_node
def test_javascript_stems_the_groups_as_python_does(tmp_path):
    """Does the query-side JavaScript, run in node, give every form of the groups the stem Python gives it?"""
    code = tmp_path / "language-stemmer.js"
    code.write_text(javascript(), encoding="utf-8")
    words = sorted({w for forms in SAME_WORD for w in forms} | {w for pair in DIFFERENT_WORDS for w in pair}
                   | set(BULGARIAN_STOPWORDS) | {"participatory", "budgets", "open", "data"})
    lang = SearchBulgarian({})
    assert dict(zip(words, node_stems(code, words, tmp_path))) == {w: lang.stem(w) for w in words}


@pytest.mark.slow
def test_strict_build_indexes_bulgarian_stems(built_book):
    """Does the strict (warning-free) build index the stems and ship the Bulgarian stemmer to the browser?"""
    text = (built_book / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[len("Search.setIndex("):-1])
    terms = index["terms"]
    lang = SearchBulgarian({})
    assert lang.stem("консултация") in terms
    assert not {"консултация", "консултации", "консултацията"} & set(terms), "word forms are not terms of their own"
    assert not {"които", "между", "това"} & set(terms), "stop words are not indexed"
    language_data = (built_book / "_static" / "language_data.js").read_text(encoding="utf-8")
    assert "var BULGARIAN_STEM_RULES = " in language_data and "PorterStemmer=function" in language_data
    stopwords = json.loads(language_data.split("var stopwords = ", 1)[1].split(";", 1)[0])
    assert {"които", "между", "the"} <= set(stopwords), "the query drops stop words too"


@needs_node
@pytest.mark.slow
def test_browser_and_index_stem_the_books_words_alike(built_book, tmp_path):
    """On every word of the built book, does the shipped language_data.js (node) stem as the index (Python) did?"""
    words = sorted(set().union(*page_words(built_book).values()))
    cyrillic = [w for w in words if is_bulgarian(w)]
    assert len(cyrillic) > 2000 and len(words) - len(cyrillic) > 100, "Bulgarian and English words to compare"
    lang = SearchBulgarian({})
    python = [lang.stem(w) for w in words]
    js = node_stems(built_book / "_static" / "language_data.js", words, tmp_path)
    differ = [(w, p, j) for w, p, j in zip(words, python, js) if p != j]
    assert differ == [], f"{len(differ)} words stemmed differently, e.g. {differ[:10]}"
    changed = sum(1 for w, p in zip(words, python) if is_bulgarian(w) and p != w)
    assert changed > len(cyrillic) / 2, "most Bulgarian word forms are reduced to a stem"


def found_pages(page, server, query: str) -> set[str]:
    """Docnames the book's search page lists for `query`, once it says in Bulgarian that it has finished."""
    page.goto(server.url(f"course/search.html?q={quote(query)}"))
    summary = page.locator("#search-results p.search-summary")
    summary.filter(has_text=re.compile(r"\S")).wait_for(timeout=120_000)
    hrefs = page.locator("#search-results ul.search > li > a").evaluate_all("links => links.map((a) => a.href)")
    assert page.locator("#search-results h2").inner_text() == "Резултати от търсенето"
    assert summary.inner_text() == f"Търсенето приключи. Намерени страници: {len(hrefs)}."
    return {re.sub(r"^/course/|\.html$", "", urlparse(href).path) for href in hrefs}


@pytest.mark.browser
@pytest.mark.slow
def test_any_form_finds_the_same_pages_in_chromium(server, built_book, browser):
    """In Chromium, do консултация, консултации and консултацията find the same pages, at least every page
    that contains one of the three (all the English index found for them together)?"""
    containing = {form: {doc for doc, words in page_words(built_book).items() if form in words} for form in THREE_FORMS}
    assert all(containing.values()) and len(set(map(frozenset, containing.values()))) > 1, "the forms are on different pages"
    every_page = set().union(*containing.values())
    context = browser.new_context(locale="bg-BG")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        found = {form: found_pages(page, server, form) for form in THREE_FORMS}
    finally:
        context.close()
    assert errors == []
    assert found[THREE_FORMS[0]] == found[THREE_FORMS[1]] == found[THREE_FORMS[2]], {f: len(p) for f, p in found.items()}
    assert every_page <= found[THREE_FORMS[0]], sorted(every_page - found[THREE_FORMS[0]])


def sphinx_build(src: Path, out: Path, *options: str):
    result = subprocess.run([str(Path(sys.executable).parent / "sphinx-build"), "-q", "-W", "-b", "html", *options,
                             str(src), str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    text = (out / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[len("Search.setIndex("):-1])["terms"]


@pytest.mark.slow
def test_new_rules_leave_no_terms_of_the_old_index(tmp_path):
    """When the rules change and every page is read again, does the index hold only the new pages' terms
    (Sphinx would keep every old term with an empty page list)?"""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["civickit.search_bg"]\nlanguage = "bg"\n', encoding="utf-8")
    (src / "index.rst").write_text("Начало\n======\n\n.. toctree::\n\n   page\n", encoding="utf-8")
    page = src / "page.rst"
    page.write_text("Консултации\n===========\n\nОбществените консултации на общината.\n", encoding="utf-8")
    lang = SearchBulgarian({})
    first = sphinx_build(src, out, "-D", "civickit_search_bg_rules=rules-before")
    assert lang.stem("консултациите") in first
    page.write_text("Читалища\n========\n\nЧиталището в селото.\n", encoding="utf-8")
    second = sphinx_build(src, out)  # the rules' fingerprint differs: every page is read again
    assert lang.stem("читалището") in second
    assert lang.stem("консултациите") not in second and lang.stem("общината") not in second
    assert [term for term, pages in second.items() if pages == []] == []
