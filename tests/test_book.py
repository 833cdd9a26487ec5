"""The book: strict build, every toc page built, no solution leaks, working interactive links."""

from __future__ import annotations

import posixpath
import re
import shutil

import pytest

from civickit.checks import toc_files
from conftest import ASSIGNMENT, BIN, HIDDEN_MARKER, SOLUTION_MARKER, TRAINER_MARKER, TRAINER_PAGE, kit_env, run

pytestmark = pytest.mark.slow


def test_every_toc_entry_is_built(built_book, planted_kit):
    """Does each _toc.yml entry become an HTML page (only_build_toc_files keeps the rest out)?"""
    for entry in toc_files(planted_kit):
        assert (built_book / f"{entry}.html").is_file(), entry
    built = {p.relative_to(built_book).with_suffix("").as_posix() for p in built_book.rglob("*.html")}
    pages = {b for b in built if not b.startswith(("_static", "genindex", "search", "index"))}
    assert pages == set(toc_files(planted_kit)), "pages built that are not in _toc.yml"


def test_no_solution_or_hidden_test_in_built_book(built_book):
    """Is no trace of an assignment's solution or hidden tests anywhere in the site (incl. _sources)?"""
    for path in built_book.parent.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SOLUTION_MARKER.encode() not in data, path
            assert HIDDEN_MARKER.encode() not in data, path
    assert not (built_book / "_sources").exists(), "page sources are published"


def test_theme_speaks_bulgarian(built_book):
    """Are the theme's buttons and search box in Bulgarian, with the kit's corrections applied?"""
    html = (built_book / "book/index.html").read_text(encoding="utf-8")
    assert 'title="Търсене"' in html and "Търсене в курса" in html
    assert 'placeholder="Search' not in html and 'title="Search"' not in html
    assert 'title="Светла"' in html
    for page in built_book.rglob("*.html"):
        assert "отворен брой" not in page.read_text(encoding="utf-8"), page
    # tooltips and landmark labels that screen readers announce, hard-coded in English by the theme
    lesson = (built_book / "book/01-civil-society/forms.html").read_text(encoding="utf-8")
    for english in ("Toggle primary sidebar", "Toggle secondary sidebar", 'title="Index"', 'aria-label="Main"'):
        assert english not in lesson, english
    assert 'title="Покажи или скрий съдържанието"' in lesson


def test_trainer_notes_absent_from_learner_edition(built_book):
    """Does the learner edition drop trainer notes?"""
    html = (built_book / f"{TRAINER_PAGE}.html").read_text(encoding="utf-8")
    assert TRAINER_MARKER not in html
    assert 'class="admonition trainer-note"' not in html


def test_lessons_open_with_overview_and_close_with_key_points(built_book, planted_kit):
    """Does every lesson page (a module 1-7 page other than its index) follow the lesson anatomy?"""
    lessons = [e for e in toc_files(planted_kit) if re.match(r"book/0[1-7]-[^/]+/(?!index$)", e)]
    assert lessons
    for entry in lessons:
        html = (built_book / f"{entry}.html").read_text(encoding="utf-8")
        assert "lesson-overview" in html and "key-points" in html, entry


def test_interactive_links_point_at_existing_notebooks(built_book, planted_kit):
    """Does every 'open interactively' link resolve, from its page, to a notebook on the same server?"""
    links = 0
    for page in built_book.rglob("*.html"):
        for href in re.findall(r'<a class="[^"]*civickit-open[^"]*" href="([^"]+)"', page.read_text(encoding="utf-8")):
            links += 1
            # The book is mounted at /course/: resolve the link as the browser would.
            served = posixpath.normpath(posixpath.join("/course", page.relative_to(built_book).parent.as_posix(), href))
            app, _, rest = served.lstrip("/").partition("/")
            route, _, target = rest.partition("/")
            # an exercise opens as the learner's copy through civickit/exercise/<name>, a case study in Voila
            assert (app, route) in (("civickit", "exercise"), ("voila", "render")), href
            notebook = f"exercises/{target}" if app == "civickit" else target
            assert notebook.split("/")[0] == ("exercises" if app == "civickit" else "practices"), href
            assert (planted_kit / notebook).is_file(), (page, href)
    assert links >= 2


@pytest.mark.slow
def test_trainer_edition_shows_trainer_notes(planted_kit):
    """Does the trainer edition keep the notes the learner edition hides?"""
    run([BIN / "civickit", "build", "--edition", "trainer", "--strict"], cwd=planted_kit, env=kit_env(planted_kit))
    html = (planted_kit / f"_build/trainer/_build/html/{TRAINER_PAGE}.html").read_text(encoding="utf-8")
    assert TRAINER_MARKER in html


def test_second_build_reuses_the_cache(built_book, planted_kit):
    """Does a second incremental build (what a second `make start` does) leave the built pages alone?"""
    env = kit_env(planted_kit)
    run([BIN / "civickit", "build"], cwd=planted_kit, env=env)
    before = {p: p.stat().st_mtime_ns for p in built_book.rglob("*.html")}
    result = run([BIN / "civickit", "build"], cwd=planted_kit, env=env)
    after = {p: p.stat().st_mtime_ns for p in built_book.rglob("*.html")}
    assert before == after, "pages were rewritten although nothing changed"
    assert "Executing" not in result.stdout + result.stderr


def test_a_workspace_inside_the_kit_never_becomes_pages(built_book, planted_kit):
    """Does a cohort workspace under another name inside the kit (its source/ links to the assignments with
    their solutions, learners' work) stay out of both editions of the book, under the strict build?"""
    ws = planted_kit / ".cohort-2026"  # hidden like the default .cohort, but another name
    (ws / "source").mkdir(parents=True)
    (ws / "cohort.json").write_text("{}", encoding="utf-8")
    (ws / "source" / ASSIGNMENT).symlink_to(planted_kit / "assignments" / ASSIGNMENT)
    try:
        for edition in ("learner", "trainer"):
            run([BIN / "civickit", "build", "--edition", edition, "--strict"], cwd=planted_kit, env=kit_env(planted_kit))
        for html in (built_book, planted_kit / "_build" / "trainer" / "_build" / "html"):
            assert not (html / ".cohort-2026").exists()
            assert not [p for p in html.rglob("*.html") if SOLUTION_MARKER in p.read_text(encoding="utf-8")]
    finally:
        shutil.rmtree(ws)
