"""Public mode (`civickit public`): only the apps, no way to run code from the browser."""

from __future__ import annotations

import asyncio
import datetime
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
