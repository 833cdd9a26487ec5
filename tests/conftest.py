"""Shared fixtures: a planted copy of the kit, its strict book build, and a running server.

Markers planted in the copy's assignment (solution and hidden tests) must never reach
anything a learner sees: the built book, nbgrader's release, a learner's feedback.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from civickit.paths import kit_environment

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ASSIGNMENT = "public-consultation"
SOLUTION_MARKER = f"SOLUTION-MARKER-{uuid.uuid4().hex}"
HIDDEN_MARKER = f"HIDDEN-MARKER-{uuid.uuid4().hex}"
TRAINER_MARKER = f"TRAINER-MARKER-{uuid.uuid4().hex}"
TRAINER_PAGE = "book/00-how-to/trainers"
COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".cohort", ".git", "__pycache__", ".pytest_cache", "*.egg-info")


HOME_VARIABLES = ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
                  "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "IPYTHONDIR")


@pytest.fixture(scope="session", autouse=True)
def isolated_home(tmp_path_factory):
    """Every test and every command it starts gets a fresh HOME: nothing of a run lands in the real one
    (nbgrader, Jupyter and IPython write caches, runtime files and settings under HOME)."""
    home = tmp_path_factory.mktemp("home")
    saved = {name: os.environ.get(name) for name in HOME_VARIABLES}
    for name in HOME_VARIABLES:
        os.environ.pop(name, None)
    os.environ["HOME"] = str(home)
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def run(cmd, cwd, env=None, expect=0, timeout=900):
    """Run a real command; fail with its output when the return code is not the expected one."""
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if expect is not None and result.returncode != expect:
        pytest.fail(f"{' '.join(map(str, cmd))} returned {result.returncode}, expected {expect}\n"
                    f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}")
    return result


def plant_markers(notebook: Path) -> None:
    """Put a marker inside every solution region and every hidden-test region."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        src = src.replace("### BEGIN SOLUTION\n", f"### BEGIN SOLUTION\n# {SOLUTION_MARKER}\n")
        src = src.replace("### BEGIN HIDDEN TESTS\n", f"### BEGIN HIDDEN TESTS\n# {HIDDEN_MARKER}\n")
        cell["source"] = src
    notebook.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding="utf-8")


def copy_kit(dest: Path) -> Path:
    shutil.copytree(REPO, dest, ignore=COPY_IGNORE)
    return dest


@pytest.fixture(scope="session")
def planted_kit(tmp_path_factory) -> Path:
    """A copy of the whole kit with markers in the assignment (solution, hidden tests) and in a trainer note."""
    root = copy_kit(tmp_path_factory.mktemp("kit") / "civickit")
    for nb in (root / "assignments").rglob("*.ipynb"):
        plant_markers(nb)
    page = root / f"{TRAINER_PAGE}.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n:::{{trainer-note}}\n{TRAINER_MARKER}\n:::\n", encoding="utf-8")
    return root


def kit_env(root: Path, workspace: Path | None = None) -> dict[str, str]:
    env = kit_environment(root)
    if workspace is not None:
        env["CIVICKIT_WORKSPACE"] = str(workspace)
    return env


@pytest.fixture(scope="session")
def built_book(planted_kit) -> Path:
    """The strict CI build of the planted copy: every page, warnings are errors."""
    run([BIN / "civickit", "build", "--strict", "--all"], cwd=planted_kit, env=kit_env(planted_kit))
    return planted_kit / "_build" / "html"


def nbgrader(root: Path, env: dict, *args: str, expect: int = 0):
    return run([BIN / "nbgrader", *args], cwd=root, env=env, expect=expect)


def autograded_points(notebook: Path) -> float:
    """Points of the autograder test cells of a source notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    meta = [c.get("metadata", {}).get("nbgrader", {}) for c in cells]
    return sum(m.get("points", 0) for m in meta if m.get("grade") and not m.get("solution"))


def grading_cycle(root: Path, env: dict, workspace: Path, assignment: str, learners: dict, answers: dict) -> None:
    """generate -> learners submit (a folder each) -> autograde -> feedback -> export, as a trainer runs it.

    learners: {id: (first name, last name)}; answers: {id: folder whose notebooks the learner submits}.
    """
    for sid, (first, last) in learners.items():
        nbgrader(root, env, "db", "student", "add", sid, f"--first-name={first}", f"--last-name={last}")
    nbgrader(root, env, "db", "assignment", "add", assignment)
    nbgrader(root, env, "generate_assignment", assignment, "--force")
    for sid, folder in answers.items():
        dest = workspace / "submitted" / sid / assignment
        shutil.copytree(folder if folder != "release" else workspace / "release" / assignment, dest)
        (dest / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
    nbgrader(root, env, "autograde", assignment)
    nbgrader(root, env, "generate_feedback", assignment)
    nbgrader(root, env, "export", f"--to={workspace / 'grades.csv'}")


def cohort_commands(root: Path, env: dict, homes: Path):
    """`civickit cohort ...` as the trainer runs it, and nbgrader's exchange commands as a learner runs
    them, each learner in a home of their own under `homes`."""
    def civickit(*args, expect=0):
        return run([BIN / "civickit", "cohort", *args], cwd=root, env=env, expect=expect)

    def learner(student, *args):
        home = homes / student
        home.mkdir(parents=True, exist_ok=True)
        return run([BIN / "nbgrader", *args, "--course=civickit", f"--student={student}",
                    f"--Exchange.assignment_dir={home}"], cwd=home, env=env)

    return civickit, learner


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers, even if with 403
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


class Server:
    def __init__(self, root: Path, port: int, token: str, log: Path | None = None):
        self.root, self.port, self.token, self.log = root, port, token, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str, token: bool = True) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}" + (f"{sep}token={self.token}" if token else "")


@contextlib.contextmanager
def running(cmd: list, cwd: Path, env: dict, ready_url: str, log_path: Path, seconds: float = 90):
    """Starts a real server, waits until `ready_url` answers, and stops it (and only it) afterwards."""
    with log_path.open("w") as log:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_http(ready_url, proc, seconds)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextlib.contextmanager
def kit_server(root: Path, workspace: Path, log: Path, *options: str):
    """`civickit start` as `make start` runs it (learner's mode unless `options` say otherwise), on a free port."""
    port, token = free_port(), uuid.uuid4().hex
    env = kit_env(root, workspace)
    env["CIVICKIT_TOKEN"] = token
    cmd = [BIN / "civickit", "start", "--no-build", "--port", str(port), *options]
    with running(cmd, root, env, f"http://127.0.0.1:{port}/api/status", log):
        yield Server(root, port, token, log)


@pytest.fixture(scope="session")
def server(built_book, planted_kit, tmp_path_factory):
    """`civickit start` as `make start` runs it (the learner's mode), on a free port, serving the planted copy."""
    # Inside the served folder, as `civickit start` requires (JupyterLab opens the learner's notebooks there).
    log = tmp_path_factory.mktemp("server-log") / "server.log"
    with kit_server(planted_kit, planted_kit / ".server-cohort", log) as srv:
        yield srv


@pytest.fixture(scope="session")
def trainer_server(built_book, planted_kit, tmp_path_factory):
    """`make start MODE=trainer`: the same planted copy with nbgrader's trainer tools (its own workspace)."""
    log = tmp_path_factory.mktemp("trainer-server-log") / "server.log"
    with kit_server(planted_kit, planted_kit / ".trainer-cohort", log, "--mode", "trainer") as srv:
        yield srv


@pytest.fixture(scope="session")
def public_server(tmp_path_factory):
    """`civickit public` as a trainer starts it: standalone Voila over practices/ only, no login."""
    port = free_port()
    cmd = [BIN / "civickit", "public", "--port", str(port)]
    log = tmp_path_factory.mktemp("public") / "public.log"
    with running(cmd, REPO, kit_env(REPO), f"http://127.0.0.1:{port}/", log):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def voila_base(public_server) -> str:
    """Prefix of an app's URL in public mode: voila_base + "tools/budget-calculator.ipynb"."""
    return public_server + "/voila/render/"


def open_app(page, url):
    """Opens a Voila app and waits until its result is on screen."""
    page.goto(url, timeout=120_000)
    page.locator(".civickit-result").first.wait_for(timeout=120_000)
    return page


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from civickit.browser import CHROMIUM_ARGS, chromium_path, chromium_problem

    problem = chromium_problem()
    if problem:
        pytest.fail(problem)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records every request leaving this machine."""
    context = browser.new_context(locale="bg-BG")
    pg = context.new_page()
    pg.outside_requests = []

    def watch(request):
        host = request.url.split("/")[2] if "://" in request.url else ""
        if request.url.startswith(("http://", "https://", "ws://", "wss://")) and not host.startswith(("127.0.0.1", "localhost")):
            pg.outside_requests.append(request.url)

    pg.on("request", watch)
    yield pg
    context.close()
