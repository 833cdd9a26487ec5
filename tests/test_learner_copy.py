"""The learner's own copy of each exercise (issue 19, item 3): the book's link opens a copy in the learner's
folder, answers are saved there and kept between sessions, the kit's exercises/ stay as git has them.

Servers are started as `make start` starts them (civickit start, the learner's mode), the browser is Chromium.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import unquote

import pytest

from civickit import learner_copy
from civickit.learner_copy import FOLDER, RECORD
from conftest import REPO, copy_kit, kit_server

EXERCISE = "05-consultation-deadlines.ipynb"
LESSON = "course/book/05-dialogue/public-consultations.html"
ANSWER_LINE = "days = ..."  # the first line of the cell where the learner writes the number of days
LONG = 120_000


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    """(status, Location or body) of one request, redirects not followed."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location") or err.read().decode("utf-8", "replace")


def git_version(path: str) -> bytes:
    """The file as git has it; the working tree's file when the developer's checkout changed it (CI: the same)."""
    if (REPO / ".git").exists():
        changed = subprocess.run(["git", "-C", str(REPO), "diff", "--quiet", "HEAD", "--", path]).returncode
        if changed == 0:
            return subprocess.run(["git", "-C", str(REPO), "show", f"HEAD:{path}"], capture_output=True, check=True).stdout
    return (REPO / path).read_bytes()


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*")} if folder.exists() else {}


def lab_page(browser):
    # tall, so JupyterLab renders every cell of the exercise (it renders only the cells in view)
    context = browser.new_context(locale="bg-BG", viewport={"width": 1280, "height": 4000})
    context.set_default_timeout(LONG)
    return context, context.new_page()


def open_from_book(page, srv) -> str:
    """Click the lesson's '▶ Отворете упражнението' and wait for JupyterLab; the path it opened."""
    page.goto(srv.url(LESSON))
    page.locator("a.civickit-open-exercises").first.click()
    page.wait_for_url(lambda url: f"/{FOLDER}/{EXERCISE}" in unquote(url), timeout=LONG)
    # the path the link redirected to (JupyterLab later rewrites its address to the file browser's folder)
    opened = unquote(page.url).split("/lab/tree/", 1)[1].split("?", 1)[0]
    page.locator(".jp-Notebook .jp-RenderedMarkdown h1").first.wait_for()
    return opened


def wait_for_file_text(path: Path, text: str, seconds: float = 30) -> str:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.is_file() and text in (content := path.read_text(encoding="utf-8")):
            return content
        time.sleep(0.5)
    raise AssertionError(f"{text!r} did not reach {path} within {seconds} s")


@pytest.mark.browser
@pytest.mark.slow
def test_answer_goes_to_the_learners_copy_and_stays_after_a_restart(built_book, planted_kit, browser, tmp_path):
    """Typed and saved (Ctrl+S) in the exercise opened from the book, does the answer land in the learner's
    copy, the kit's file stay byte-identical to git's, and the copy with the answer open again after a restart?"""
    workspace = planted_kit / f".copy-cohort-{uuid.uuid4().hex[:6]}"
    kit_file = planted_kit / "exercises" / EXERCISE
    assert kit_file.read_bytes() == git_version(f"exercises/{EXERCISE}")
    marker = f"ANSWER-{uuid.uuid4().hex[:10]}"
    with kit_server(planted_kit, workspace, tmp_path / "first.log") as srv:
        context, page = lab_page(browser)
        opened = open_from_book(page, srv)
        copy = planted_kit / opened
        assert copy == workspace / FOLDER / EXERCISE and copy.is_file()
        line = page.locator(".jp-CodeCell .cm-line", has_text=ANSWER_LINE).first
        line.click()
        page.keyboard.press("End")
        page.keyboard.press("Shift+Home")
        page.keyboard.type(f"days = 14  # {marker}")
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        saved = wait_for_file_text(copy, marker)
        context.close()
    # the learner's copy holds the answer; the kit's notebook is what git has
    assert marker in "".join(c for cell in json.loads(saved)["cells"] for c in cell["source"])
    assert kit_file.read_bytes() == git_version(f"exercises/{EXERCISE}")
    assert marker not in kit_file.read_text(encoding="utf-8")

    with kit_server(planted_kit, workspace, tmp_path / "second.log") as srv:
        context, page = lab_page(browser)
        assert open_from_book(page, srv) == opened  # the same copy, not a new one
        page.locator(".jp-CodeCell .cm-line", has_text=marker).first.wait_for()
        context.close()
    assert marker in copy.read_text(encoding="utf-8")
    assert kit_file.read_bytes() == git_version(f"exercises/{EXERCISE}")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name, status", [
    ("..%2F..%2F_config.yml", 400),
    ("..%2Fexercises%2F" + EXERCISE, 400),
    ("%2Fetc%2Fpasswd", 400),
    ("_config.yml", 400),
    (".civickit-copies.json", 400),
    ("no-such-exercise.ipynb", 404),
])
def test_a_bad_name_gets_an_error_and_nothing_is_written(server, name, status):
    """Does a path, a file that is not an exercise or an unknown exercise get 400/404 in Bulgarian, with no
    file written in the workspace or the kit?"""
    workspace = server.root / ".server-cohort"
    before_work, before_kit = snapshot(workspace), snapshot(server.root / "exercises")
    got, body = fetch(server.url(f"civickit/exercise/{name}"))
    assert got == status, body
    assert "упражнение" in body and "lab/tree" not in body
    assert snapshot(workspace) == before_work and snapshot(server.root / "exercises") == before_kit


@pytest.mark.browser
@pytest.mark.slow
def test_without_the_token_nothing_is_copied(server):
    """Does the exercise link refuse a request without the server's token, making no copy?"""
    workspace = server.root / ".server-cohort"
    before = snapshot(workspace)
    got, where = fetch(server.url(f"civickit/exercise/{EXERCISE}", token=False))
    assert got in (302, 403) and "lab/tree" not in where
    assert snapshot(workspace) == before


@pytest.mark.browser
@pytest.mark.slow
def test_the_kits_exercise_cannot_be_saved_over(server):
    """In the learner's mode, is a save into the kit's exercises/ refused with a Bulgarian reason, the file unchanged?"""
    path = f"exercises/{EXERCISE}"
    before = (server.root / path).read_bytes()
    model = {"type": "notebook", "format": "json", "content": json.loads(before)}
    model["content"]["cells"][0]["source"] = "overwritten"
    got, body = fetch(server.url(f"api/contents/{path}"), "PUT", json.dumps(model).encode(),
                      {"Content-Type": "application/json"})
    assert got == 403
    assert FOLDER in json.loads(body)["message"]
    assert (server.root / path).read_bytes() == before


@pytest.fixture(scope="module")
def own_kit(tmp_path_factory):
    """A copy of the kit of its own (its exercise is changed below), served unbuilt: only the links matter."""
    return copy_kit(tmp_path_factory.mktemp("own-kit") / "civickit")


@pytest.mark.browser
@pytest.mark.slow
def test_a_newer_kit_version_keeps_the_copy_and_offers_a_fresh_one(own_kit, browser, tmp_path):
    """After the kit's exercise changes, does the link say so and keep the learner's copy untouched, and does
    'fresh copy' open the new version under another name, which the link opens from then on?"""
    workspace = own_kit / ".cohort"
    folder = workspace / FOLDER
    with kit_server(own_kit, workspace, tmp_path / "server.log") as srv:
        got, where = fetch(srv.url(f"civickit/exercise/{EXERCISE}"))
        assert got == 302 and unquote(where).endswith(f"lab/tree/.cohort/{FOLDER}/{EXERCISE}")
        mine = folder / EXERCISE
        mine.write_text(mine.read_text(encoding="utf-8").replace("days = ...", "days = 14"), encoding="utf-8")
        answered = mine.read_bytes()
        # a newer kit version (what `git pull` brings)
        kit_file = own_kit / "exercises" / EXERCISE
        nb = json.loads(kit_file.read_text(encoding="utf-8"))
        nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "Нова задача (пример)"})
        kit_file.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")

        context, page = lab_page(browser)
        page.goto(srv.url(f"civickit/exercise/{EXERCISE}"))
        assert page.locator("h1").inner_text() == "Упражнението е обновено"
        assert page.locator("html").get_attribute("lang") == "bg"
        page.get_by_role("button", name="Отворете ново копие на обновеното упражнение").click()
        fresh_name = EXERCISE.replace(".ipynb", f"{learner_copy.FRESH_SUFFIX}.ipynb")
        page.wait_for_url(lambda url: unquote(url).split("?")[0].endswith(f"/{FOLDER}/{fresh_name}"), timeout=LONG)
        page.locator(".jp-Notebook .jp-RenderedMarkdown", has_text="Нова задача (пример)").first.wait_for()
        context.close()
        assert mine.read_bytes() == answered  # the old copy and its answer are as they were
        assert (folder / fresh_name).read_bytes() == kit_file.read_bytes()
        got, where = fetch(srv.url(f"civickit/exercise/{EXERCISE}"))
        assert got == 302 and unquote(where).endswith(f"/{FOLDER}/{fresh_name}")


def test_copies_are_made_once_and_never_overwritten(tmp_path, monkeypatch):
    """Does a second open reuse the copy, a changed kit notebook leave it alone (only flag it), 'keep' stop
    the question, and 'fresh' pick a free name next to the old copy?"""
    monkeypatch.delenv("CIVICKIT_WORKSPACE", raising=False)
    (tmp_path / "exercises").mkdir()
    kit = tmp_path / "exercises" / "a.ipynb"
    kit.write_text('{"v": 1}', encoding="utf-8")
    first = learner_copy.open_copy(tmp_path, "a.ipynb")
    assert first.copy == tmp_path / ".cohort" / FOLDER / "a.ipynb" and not first.kit_changed
    first.copy.write_text('{"v": 1, "answer": 14}', encoding="utf-8")
    assert learner_copy.open_copy(tmp_path, "a.ipynb") == first
    kit.write_text('{"v": 2}', encoding="utf-8")
    assert learner_copy.open_copy(tmp_path, "a.ipynb").kit_changed
    assert first.copy.read_text(encoding="utf-8") == '{"v": 1, "answer": 14}'
    assert learner_copy.keep_copy(tmp_path, "a.ipynb") == first.copy
    assert not learner_copy.open_copy(tmp_path, "a.ipynb").kit_changed
    kit.write_text('{"v": 3}', encoding="utf-8")
    (first.copy.parent / "a-нова-версия.ipynb").write_text("taken", encoding="utf-8")
    fresh = learner_copy.fresh_copy(tmp_path, "a.ipynb")
    assert fresh.name == "a-нова-версия-2.ipynb" and fresh.read_text(encoding="utf-8") == '{"v": 3}'
    assert (first.copy.parent / "a-нова-версия.ipynb").read_text(encoding="utf-8") == "taken"
    assert learner_copy.open_copy(tmp_path, "a.ipynb") == learner_copy.Opened(fresh, kit_changed=False)
    # a lost record: the copy on disk is adopted, not overwritten
    (first.copy.parent / RECORD).unlink()
    assert learner_copy.open_copy(tmp_path, "a.ipynb").copy == first.copy
    assert first.copy.read_text(encoding="utf-8") == '{"v": 1, "answer": 14}'


@pytest.mark.parametrize("name", ["../_config.yml", "a/../b.ipynb", ".hidden.ipynb", "a..ipynb", "a.txt", ""])
def test_bad_names_are_refused_before_anything_is_written(tmp_path, monkeypatch, name):
    """Is a name that is not an exercise's file name refused without creating the learner's folder?"""
    monkeypatch.delenv("CIVICKIT_WORKSPACE", raising=False)
    (tmp_path / "exercises").mkdir()
    with pytest.raises(learner_copy.BadName):
        learner_copy.open_copy(tmp_path, name)
    with pytest.raises(learner_copy.UnknownExercise):
        learner_copy.open_copy(tmp_path, "missing.ipynb")
    assert not (tmp_path / ".cohort").exists()
