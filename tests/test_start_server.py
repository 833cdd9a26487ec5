"""The server `make start` launches: book, JupyterLab and Voila on one token-protected port."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "exercises/05-consultation-deadlines.ipynb"
CASE_STUDY = "practices/paris-participatory-budget.ipynb"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status_without_token(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(url, timeout=10) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location", "") or ""


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as the kernel writes them) of sockets listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except FileNotFoundError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if state == "0A" and int(hexport, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def test_server_listens_on_loopback_only(server):
    """Does the server listen on 127.0.0.1 and on no other address?"""
    info = json.loads(urllib.request.urlopen(server.url("api/status"), timeout=10).read())
    assert "started" in info
    assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, little-endian hex


@pytest.mark.parametrize(
    "path",
    ["course/index.html", "lab/tree/" + NOTEBOOK, "voila/render/" + CASE_STUDY, "api/kernels", "api/contents/" + NOTEBOOK],
)
def test_requests_without_token_are_refused(server, path):
    """Does every part of the server refuse a request that carries no token?"""
    code, where = status_without_token(server.url(path, token=False))
    assert code in (302, 403), (path, code)
    if code == 302:
        assert "/login" in where, where


def test_kernel_start_without_token_is_refused(server):
    """Can nobody start a kernel (run code) without the token?"""
    req = urllib.request.Request(server.url("api/kernels", token=False), data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(req, timeout=10)
    assert err.value.code == 403


def test_book_landing_page_in_chromium(server, page):
    """Does the landing URL show the course book, with nothing fetched from outside?"""
    page.goto(server.url("course/index.html"))
    page.wait_for_load_state("networkidle")
    assert "Гражданското общество" in page.title()
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.outside_requests == []


def test_open_interactively_link_opens_the_exercise_in_jupyterlab(server, page):
    """Does the lesson's 'open in JupyterLab' button open that exercise (the learner's copy) on the same server?"""
    from urllib.parse import unquote

    from civickit.learner_copy import FOLDER

    page.goto(server.url("course/book/05-dialogue/public-consultations.html"))
    page.locator("a.civickit-open-exercises").first.click()
    page.wait_for_url(lambda url: f"/lab/tree/.server-cohort/{FOLDER}/05-consultation-deadlines.ipynb" in unquote(url),
                      timeout=60_000)
    heading = page.locator(".jp-Notebook .jp-RenderedMarkdown h1", has_text="Самопроверка: срокове на обществените консултации")
    heading.wait_for(timeout=90_000)
    assert page.outside_requests == []


def test_jupyterlab_asks_nothing_about_news_or_updates(server, page):
    """Does JupyterLab open without its English 'official Jupyter news?' question (it would fetch from the internet)?"""
    page.goto(server.url("lab/tree/" + NOTEBOOK), timeout=120_000)
    page.locator(".jp-Notebook .jp-RenderedMarkdown h1").first.wait_for(timeout=120_000)
    page.wait_for_timeout(5_000)  # the question comes as a toast a moment after the notebook opens
    assert page.get_by_text("Jupyter news").count() == 0
    with urllib.request.urlopen(server.url("lab/api/news"), timeout=10) as resp:
        assert json.load(resp)["news"] == []
    assert page.outside_requests == []


def test_voila_url_renders_the_case_study(server, page):
    """Does the case study render through Voila on the same server?"""
    page.goto(server.url("voila/render/" + CASE_STUDY), timeout=120_000)
    page.locator(".civickit-summary").first.wait_for(timeout=120_000)
    assert "Финансирани проекти" in page.locator(".civickit-summary").first.inner_text()
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.outside_requests == []


def test_formgrader_is_served(trainer_server, page):
    """Is nbgrader's formgrader there for the trainer (make start MODE=trainer)?"""
    page.goto(trainer_server.url("formgrader"))
    page.get_by_text("public-consultation").first.wait_for(timeout=60_000)


def open_launcher(server, page):
    """JupyterLab in a fresh workspace, so the Launcher shows whatever another test left open."""
    import uuid

    from civickit.launcher import SECTION

    page.goto(server.url(f"lab/workspaces/test-{uuid.uuid4().hex[:8]}?reset"), timeout=120_000)
    section = page.locator(".jp-Launcher-section", has_text=SECTION)
    section.wait_for(timeout=120_000)
    return section


def test_launcher_has_a_card_for_every_app(server, page):
    """Does the JupyterLab launcher show one card per case study and tool, under their Bulgarian titles?"""
    from civickit.app_catalog import apps

    section = open_launcher(server, page)
    shown = section.locator(".jp-LauncherCard").all_inner_texts()
    expected = [app.title for app in apps(server.root)]
    assert len(expected) >= 17
    assert sorted(card.strip().replace("\u00ad", "") for card in shown) == sorted(expected)  # soft hyphens aside
    assert page.outside_requests == []


def test_launcher_titles_break_only_at_syllables(server, page):
    """Does every card title fit its card with no word cut where JupyterLab runs out of room (only at a soft
    hyphen, where the learner sees a hyphen), and is every title shown in full?"""
    section = open_launcher(server, page)
    section.locator(".jp-LauncherCard").first.wait_for()
    cut, clipped = page.evaluate(r"""() => {
        const cut = [], clipped = [];
        for (const p of document.querySelectorAll('.jp-Launcher-section .jp-LauncherCard-label p')) {
            if (p.scrollHeight > p.clientHeight + 1 || p.scrollWidth > p.clientWidth + 1) clipped.push(p.textContent);
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (const m of node.textContent.matchAll(/\S+/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (lines.size > 1 && !m[0].includes('\u00ad')) cut.push(m[0]);
                }
            }
        }
        return [cut, clipped];
    }""")
    assert cut == [] and clipped == []


def test_launcher_card_opens_the_app_in_voila(server, page):
    """Does a card open the case study in a JupyterLab tab through the same server's Voila, rendered and live?"""
    section = open_launcher(server, page)
    section.locator(".jp-LauncherCard", has_text="Граждански бюджет на Париж").click()
    frame = page.locator("iframe").first
    frame.wait_for(timeout=60_000)
    assert frame.get_attribute("src").startswith("/voila/render/practices/paris-participatory-budget.ipynb")
    summary = page.frame_locator("iframe").locator(".civickit-summary").first
    summary.wait_for(timeout=120_000)
    assert "Финансирани проекти" in summary.inner_text()
    page.wait_for_load_state("networkidle")
    assert page.outside_requests == []
