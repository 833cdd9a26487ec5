"""A real cohort whose one learner answers with math, honest HTML and hostile HTML, autograded and given
feedback by the kit, on a server started as `make start` starts it (tests/test_feedback_safe_html.py,
tests/test_mathjax_offline.py)."""

from __future__ import annotations

import base64
import json
import struct
import uuid
import zlib
from pathlib import Path

from conftest import ASSIGNMENT, BIN, Server, copy_kit, free_port, kit_env, run, running

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
LEARNER = "hacker"
DUE = "2026-12-15 23:59"  # winter time: 21:59 UTC
PWNED = f"pwned-{uuid.uuid4().hex}"  # in every URL and marker the hostile HTML would set


def png(width: int = 4, height: int = 4) -> str:
    """A real red PNG, base64."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
    return base64.b64encode(raw).decode()


def hostile(where: str, server: str) -> str:
    """Every way seen of making a page run script or fetch something; each would set window.__pwned."""
    mark = f"window.__pwned='{where}'"
    return (f"<script>{mark};fetch('{server}/{PWNED}-script')</script>"
            f"<img src='{server}/{PWNED}-img' onerror=\"{mark}\">"
            f"<img src='http://{PWNED}.invalid/x.png'>"
            f"<iframe src=\"javascript:parent.__pwned='{where}'\"></iframe>"
            f"<iframe src='{server}/{PWNED}-iframe'></iframe>"
            f"<a class='jslink' href=\"javascript:{mark}\">връзка</a>"
            f"<svg><script>{mark}</script></svg><svg onload=\"{mark}\"></svg>"
            f"<div style=\"background:url('{server}/{PWNED}-css')\">стил</div>"
            f"<style>body{{background:url('{server}/{PWNED}-style')}}</style>"
            f"<object data='{server}/{PWNED}-object'></object>"
            f"<form action='{server}/{PWNED}-form'><input autofocus onfocus=\"{mark}\"></form>")


def answers(server: str) -> tuple[str, str]:
    """(markdown answer, code answer) of the learner."""
    image = png()
    markdown = (f"Честен отговор: срокът е $x^2$ дни, а $\\href{{javascript:window.__pwned='tex'}}{{y}}$ е връзка.\n\n"
                "| община | дни |\n|---|---|\n| Ямбол | 30 |\n\n"
                f"![диаграма](data:image/png;base64,{image})\n\n"
                + hostile("markdown", server) + "\n\n"
                f"<math><mtext><table><mglyph><style><img src='{server}/{PWNED}-mxss' onerror=\"window.__pwned='mxss'\">")
    code = ("import base64\n"
            "import pandas as pd\n"
            "from IPython.display import HTML, Image, Javascript, Markdown, display\n"
            "share = 0.5\n"
            f"display(HTML({hostile('output', server)!r}))\n"
            "display(Javascript(\"window.__pwned = 'javascript-output'\"))\n"
            f"display(Markdown({hostile('markdown-output', server)!r}))\n"
            "display(pd.DataFrame({'община': ['Сливен'], 'дни': [14]}))\n"
            f"display(Image(data=base64.b64decode({image!r})))\n"
            "print('Честен изход')\n")
    return markdown, code


def learner_notebook(release: Path, server: str) -> str:
    nb = json.loads(release.read_text(encoding="utf-8"))
    markdown, code = answers(server)
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id == "recommendation":
            cell["source"] = markdown
        elif grade_id == "share_compliant_answer":
            cell["source"] = code
    return json.dumps(nb, ensure_ascii=False)


def graded_cohort(base: Path):
    """The kit copy, its server (`civickit start`, default workspace .cohort/), and the learner's
    submission (on time for DUE) autograded by the kit and its feedback generated with the kit's config."""
    root = copy_kit(base / "kit")
    env = kit_env(root)
    port, token = free_port(), uuid.uuid4().hex
    server = f"http://127.0.0.1:{port}"

    def civickit(*args, expect=0):
        return run([BIN / "civickit", "cohort", *args], cwd=root, env=env, expect=expect)

    roster = base / "roster.csv"
    roster.write_text(f"id,first_name,last_name,email\n{LEARNER},Хакер,Хакеров,hacker@example.org\n", encoding="utf-8")
    civickit("init")
    civickit("roster", str(roster))
    civickit("due", ASSIGNMENT, DUE)  # Europe/Sofia, the cohort's default zone
    civickit("release", ASSIGNMENT)
    work = root / ".cohort"
    dest = work / "submitted" / LEARNER / ASSIGNMENT
    dest.mkdir(parents=True)
    (dest / NOTEBOOK).write_text(learner_notebook(work / "release" / ASSIGNMENT / NOTEBOOK, server), encoding="utf-8")
    (dest / "timestamp.txt").write_text("2026-12-10 09:00:00.000000 Europe/Sofia", encoding="utf-8")
    civickit("autograde", ASSIGNMENT)
    run([BIN / "nbgrader", "generate_feedback", ASSIGNMENT], cwd=root, env=env)  # the HTML `cohort feedback` releases
    feedback = work / "feedback" / LEARNER / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert feedback.is_file()
    start_env = {**env, "CIVICKIT_TOKEN": token}
    # Formgrader is the trainer's: the trainer's mode of `make start` (make start MODE=trainer)
    cmd = [BIN / "civickit", "start", "--no-build", "--port", str(port), "--mode", "trainer"]
    with running(cmd, root, start_env, f"{server}/api/status", base / "server.log"):
        yield Server(root, port, token), work, feedback


def submission_url(srv: Server, work: Path) -> str:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        notebook_id = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, LEARNER).id
    return srv.url(f"formgrader/submissions/{notebook_id}/")


def feedback_url(srv: Server, work: Path, feedback: Path) -> str:
    return srv.url("files/" + feedback.relative_to(srv.root).as_posix())


def open_recording(browser, url: str):
    """A page at url, and every request it made (the page's own and its frames')."""
    context = browser.new_context(locale="bg-BG")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="load", timeout=120_000)
    return context, page, requests
