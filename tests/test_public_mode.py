"""Public mode (`civickit public`): only the apps, no way to run code from the browser."""

from __future__ import annotations

import asyncio
import datetime
import html
import json
import re
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest


pytestmark = pytest.mark.slow


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, ""


def test_root_holds_only_the_apps(public_server):
    """Does the public root list the case studies and nothing from assignments or the book?"""
    status, page = get(public_server + "/voila/tree")
    assert status == 200 and "paris-participatory-budget" in page
    for path in ("/voila/render/../assignments/public-consultation/public-consultation.ipynb",
                 "/voila/files/../assignments/public-consultation/public-consultation.ipynb",
                 "/voila/render/assignments/public-consultation/public-consultation.ipynb",
                 "/api/contents/", "/lab"):
        assert get(public_server + path)[0] in (403, 404), path


def message(msg_type: str, content: dict) -> dict:
    return {
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "learner", "session": uuid.uuid4().hex,
                   "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "version": "5.3"},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": [],
    }


async def talk(ws_url: str, probe: dict, attack: dict, seconds: float = 6.0) -> list[dict]:
    """Sends `probe` and waits for its reply (the channel is up), then sends `attack`; returns what came back."""
    from tornado.websocket import websocket_connect

    conn = await websocket_connect(ws_url)
    loop = asyncio.get_running_loop()
    received, sent_attack = [], False
    await conn.write_message(json.dumps(probe))
    deadline = loop.time() + 30
    while loop.time() < deadline:
        try:
            raw = await asyncio.wait_for(conn.read_message(), timeout=max(0.1, deadline - loop.time()))
        except asyncio.TimeoutError:
            break
        if raw is None:
            break
        if not isinstance(raw, str):
            continue
        reply = json.loads(raw)
        received.append(reply)
        if not sent_attack and reply.get("parent_header", {}).get("msg_id") == probe["header"]["msg_id"] \
                and reply.get("msg_type") == "kernel_info_reply":
            await conn.write_message(json.dumps(attack))
            sent_attack, deadline = True, loop.time() + seconds
    conn.close()
    return received


def run_async(coro):
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event loop in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def test_execute_request_over_the_websocket_is_ignored(public_server, tmp_path):
    """Is an execute request sent by hand to the app's kernel dropped, while widget traffic still flows?"""
    status, page = get(public_server + "/voila/render/paris-participatory-budget.ipynb")
    assert status == 200
    kernel_id = re.search(r'"kernelId":\s*"([0-9a-f-]+)"', page).group(1)
    marker = Path("/tmp") / f"civickit-pwned-{uuid.uuid4().hex}"
    execute = message("execute_request", {"code": f"open({str(marker)!r}, 'w').write('x')", "silent": False,
                                          "store_history": False, "user_expressions": {}, "allow_stdin": False})
    info = message("kernel_info_request", {})
    ws_url = public_server.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
    replies = run_async(talk(ws_url, probe=info, attack=execute))
    answered = {r.get("parent_header", {}).get("msg_id") for r in replies}
    assert info["header"]["msg_id"] in answered  # the channel works: widget-level traffic is answered
    assert execute["header"]["msg_id"] not in answered
    assert not marker.exists()


def test_same_execute_request_runs_on_the_token_protected_server(server):
    """Control: is the very same request executed where execution is allowed (make start, with the token)?

    Without this, the public-mode test could pass because the request was malformed.
    """
    req = urllib.request.Request(server.url("api/kernels"), data=b"{}", method="POST",
                                 headers={"Content-Type": "application/json"})
    kernel_id = json.loads(urllib.request.urlopen(req, timeout=30).read())["id"]
    execute = message("execute_request", {"code": "1 + 1", "silent": False, "store_history": False,
                                          "user_expressions": {}, "allow_stdin": False})
    info = message("kernel_info_request", {})
    ws_url = server.url(f"api/kernels/{kernel_id}/channels").replace("http://", "ws://")
    replies = run_async(talk(ws_url, probe=info, attack=execute))
    assert any(r.get("msg_type") == "execute_reply" and r["parent_header"]["msg_id"] == execute["header"]["msg_id"]
               for r in replies)


# --- Public root page, culling and cell timeout -------------------------------------------------

ENGLISH_UI = ("Select items", "Voilà Home", "Voila Home", "open with")


@pytest.mark.browser
def test_root_page_is_bulgarian_and_lists_the_apps_by_title(public_server, page):
    """Does the public root show Bulgarian headings and every app under its Bulgarian title, with no English UI,
    no serious accessibility problem and nothing fetched from outside?"""
    from axe_playwright_python.sync_playwright import Axe

    from civickit.app_catalog import apps
    from conftest import REPO

    page.goto(public_server + "/", timeout=120_000)
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "bg"
    assert page.get_by_role("heading", name="Казуси на добри практики", exact=True).is_visible()
    assert page.get_by_role("heading", name="Инструменти", exact=True).is_visible()
    text = page.locator("body").inner_text()
    for english in ENGLISH_UI:
        assert english not in text, english
    for app in apps(REPO):
        link = page.get_by_role("link", name=app.title, exact=True)
        assert link.get_attribute("href") == f"/voila/render/{app.path}", app.path
    bad = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], [(v["id"], v["help"]) for v in bad]
    page.get_by_role("link", name="Граждански бюджет на Париж", exact=True).click()
    page.locator(".civickit-result").first.wait_for(timeout=120_000)
    assert page.locator("html").get_attribute("lang") == "bg"  # the app, too, is declared Bulgarian
    assert page.outside_requests == []


SLOW_NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# Бавно приложение"},
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
         # Appends to a file of its own for ten minutes unless it is stopped: the test watches the files stop growing.
         "source": "import os, time\nmine = os.path.join(os.environ['CIVICKIT_SLOW_DIR'], f'{os.getpid()}.txt')\n"
                   "for _ in range(3000):\n    with open(mine, 'a') as f:\n        f.write('.')\n    time.sleep(0.2)"},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}
CULL_SECONDS, CELL_TIMEOUT = 4, 3


@pytest.fixture(scope="module")
def strict_public(tmp_path_factory):
    """`civickit public` with a 4-second idle cull and a 3-second cell timeout, over a kit holding one case study
    and an app whose cell would run for ten minutes."""
    from conftest import BIN, REPO, free_port, kit_env, running

    root = tmp_path_factory.mktemp("strict-kit")
    for name in ("_config.yml", "_toc.yml"):
        (root / name).write_bytes((REPO / name).read_bytes())
    (root / "practices").mkdir()
    paris = "paris-participatory-budget.ipynb"
    (root / "practices" / paris).write_bytes((REPO / "practices" / paris).read_bytes())
    (root / "practices" / "slow-app.ipynb").write_text(json.dumps(SLOW_NOTEBOOK), encoding="utf-8")
    marker = root / "slow-runs"
    marker.mkdir()
    env = kit_env(root)
    env["CIVICKIT_SLOW_DIR"] = str(marker)
    port = free_port()
    cmd = [BIN / "civickit", "public", "--port", str(port), "--cull-idle", str(CULL_SECONDS),
           "--cell-timeout", str(CELL_TIMEOUT)]
    with running(cmd, root, env, f"http://127.0.0.1:{port}/", root / "public.log") as proc:
        yield f"http://127.0.0.1:{port}", proc, marker


def kernel_ids(proc) -> set[str]:
    """Ids of the kernels the public server runs, read from its kernel processes' connection files."""
    import psutil

    ids = set()
    for child in psutil.Process(proc.pid).children(recursive=True):
        try:
            found = re.search(r"kernel-([0-9a-f-]{36})\.json", " ".join(child.cmdline()))
        except psutil.NoSuchProcess:
            continue
        if found:
            ids.add(found.group(1))
    return ids


def wait_until(condition, seconds: float = 90, step: float = 0.5):
    """Polls `condition` until it is true or `seconds` pass; returns its last value (a deadline, not a timing)."""
    import time

    deadline = time.monotonic() + seconds
    while not (value := condition()) and time.monotonic() < deadline:
        time.sleep(step)
    return value


@pytest.mark.browser
def test_kernel_of_a_closed_app_is_culled_and_the_pool_stays(strict_public, browser):
    """Is the kernel of an app the learner has left stopped after the idle time, while preheated kernels stay?"""
    base, proc, _ = strict_public
    assert wait_until(lambda: len(kernel_ids(proc)) >= 2)  # one preheated kernel per app
    context = browser.new_context(locale="bg-BG")
    page = context.new_page()
    page.goto(base + "/voila/render/paris-participatory-budget.ipynb", timeout=120_000)
    page.locator(".civickit-result").first.wait_for(timeout=120_000)
    used = page.evaluate("() => JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
    assert used in kernel_ids(proc)
    assert page.locator(".civickit-result").first.inner_text().strip()
    context.close()  # the learner leaves: the websocket closes, the kernel goes idle
    assert wait_until(lambda: used not in kernel_ids(proc)), "the idle kernel was not culled"
    assert wait_until(lambda: len(kernel_ids(proc)) >= 2), "the preheated pool was culled or not refilled"


def test_a_runaway_cell_is_stopped(strict_public):
    """Is a cell that runs past the timeout interrupted (it stops working), with a Bulgarian message for the learner?"""
    import time

    from civickit.public_mode import CELL_ERROR_TEXT

    base, _, marker = strict_public
    status, page = get(base + "/voila/render/slow-app.ipynb")
    page = html.unescape(page)  # nbconvert writes Cyrillic headings as character references
    assert status == 200
    assert CELL_ERROR_TEXT in page
    assert "There was an error" not in page and "Please run Voil" not in page  # no English advice to operators
    assert "Бавно приложение" in page

    def sizes():
        return {p.name: p.stat().st_size for p in marker.glob("*.txt")}

    def settled():
        """No run of the cell wrote during the last second (it writes every 0.2 s while it runs)."""
        before = sizes()
        time.sleep(1)
        return bool(before) and sizes() == before

    # The learner's (preheated) kernel and the one Voila starts to refill the pool both run the cell: each stops.
    assert wait_until(settled, seconds=90), f"a run of the cell is still going after the timeout: {sizes()}"
