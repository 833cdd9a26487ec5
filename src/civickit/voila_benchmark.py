"""`civickit voila-benchmark`: how fast a case study opens in Chromium, and how the public server bears a class.

1. First render with the kit's public-mode settings (civickit.public_mode: a preheated kernel per app)
   against Voila's defaults (a kernel started and the notebook run on request), a few rounds each, on the
   same machine in one run; the ratio of the medians. Two moments are timed from navigation: the app on
   screen (its first frame, civickit.first_frame, or its live widget if that comes first) and the live
   widget ready to use (the browser has booted JupyterLab's scripts and fetched the widgets' state).
2. `learners` Chromium pages opening the same app at once on the kit's server: how many render, errors,
   p50/p95 time to render, and the peak memory of the server and its kernels.

Both servers run in the kit's environment, so both read jupyter_config/voila.json: the kit's template
(offline, drawn by the server, first frames), no sources, no tracebacks, only the widget managers loaded.
No page waits on a CDN, and the difference measured is what public mode adds (the preheated kernel, cull
and timeout settings); everything else is Voila's default in the "default" server. Figures are printed,
never asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from .errors import KitError
from .first_frame import FRAME_CLASS
from .paths import kit_environment
from .public_mode import command as kit_command

RENDER_TIMEOUT_S = 300


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_command(root: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "voila", str(root / "practices"), "--no-browser", "--Voila.ip=127.0.0.1",
            f"--port={port}", "--Voila.port_retries=0", "--VoilaConfiguration.template=civickit"]


@contextlib.contextmanager
def serving(cmd: list[str], root: Path, port: int, log: Path):
    """Runs a Voila server until the block ends; yields (process, base URL)."""
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=kit_environment(root), stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    raise KitError(f"The Voila server for the benchmark exited with {proc.returncode}; see {log}.")
                try:
                    urllib.request.urlopen(base + "/", timeout=5)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise KitError(f"The Voila server on port {port} did not answer within 120 s; see {log}.")
                    time.sleep(0.5)
            yield proc, base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def pool_filled(log: Path, app: str) -> int:
    """How many times Voila has logged the app's preheated pool as full."""
    return log.read_text(errors="replace").count(f"Kernel pool of {app} is filled")


def wait_for_pool(log: Path, app: str, at_least: int, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while pool_filled(log, app) < at_least:
        if time.monotonic() > deadline:
            raise KitError(f"The preheated kernel of {app} was not ready within {seconds:.0f} s; see {log}.")
        time.sleep(0.25)


def wait_until_quiet(pid: int, seconds: float = 120, busy_percent: float = 10) -> None:
    """Waits until the server and its kernels use (almost) no CPU for a second.

    Voila logs the pool as filled when the new kernel has started, while it is still running the notebook;
    a visit timed at that moment would wait for that run. In a training room the pool was filled minutes
    before the learner arrives: each visit here starts the same way, for both settings alike.
    """
    import psutil

    root = psutil.Process(pid)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        procs = [root, *root.children(recursive=True)]
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.cpu_percent(None)  # starts the measuring window
        time.sleep(1.0)
        used = 0.0
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                used += proc.cpu_percent(None)
        if used < busy_percent:
            return
    raise KitError(f"The Voila server (pid {pid}) and its kernels stayed busy for {seconds:.0f} s.")


class MemoryPeak:
    """Samples the resident memory of a process and all its children (the kernels) in a thread."""

    def __init__(self, pid: int):
        import psutil

        self.root, self.peak, self._stop = psutil.Process(pid), 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> int:
        import psutil

        total = 0
        for proc in [self.root, *self.root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.now())
            self._stop.wait(0.25)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# Marks, in the page, when the app is first painted (first frame or live widget) and when the live widget is.
# Playwright's own waiting is late by as long as the page's scripts keep the main thread busy (up to 0.5 s
# here), so the times are taken in the page: the next paint after the element entered the page, in ms
# from the start of navigation.
PAINT_MARKS = """
window.__civickit = {};
const civickitMark = (key, selector) => {
  if (window.__civickit[key + "_seen"] || !document.querySelector(selector)) return;
  window.__civickit[key + "_seen"] = true;
  requestAnimationFrame(() => setTimeout(() => { window.__civickit[key] = performance.now(); }));
};
new MutationObserver(() => {
  civickitMark("shown", ".%s, .civickit-result");
  civickitMark("live", ".civickit-result");
}).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
""" % FRAME_CLASS


async def open_app(browser, url: str) -> tuple[float | None, float | None, str | None]:
    """From navigation, in a fresh browser context: seconds until the app is painted (its first frame or
    its live widget, whichever comes first) and until its live widget is, or (None, None, why)."""
    context = await browser.new_context(locale="bg-BG")
    page = await context.new_page()
    await page.add_init_script(PAINT_MARKS)
    page_errors = []
    page.on("pageerror", lambda err: page_errors.append(str(err)))
    try:
        response = await page.goto(url, timeout=RENDER_TIMEOUT_S * 1000, wait_until="commit")
        if response is None or response.status != 200:
            return None, None, f"HTTP {response.status if response else 'no response'}"
        await page.wait_for_function("window.__civickit && window.__civickit.live !== undefined",
                                     timeout=RENDER_TIMEOUT_S * 1000)
        marks = await page.evaluate("window.__civickit")
        shown, live = marks["shown"] / 1000, marks["live"] / 1000
        if page_errors:
            return shown, live, f"script error: {page_errors[0][:120]}"
        return shown, live, None
    except Exception as err:  # a timeout or a crashed page is what we count as an error
        return None, None, f"{type(err).__name__}: {str(err).splitlines()[0][:120]}"
    finally:
        await context.close()


def fetch_html(url: str) -> float:
    """Seconds until the server has sent the whole page (Voila streams it while the notebook runs)."""
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=RENDER_TIMEOUT_S) as resp:
        resp.read()
    return time.perf_counter() - start


def fetch_html_or_error(url: str) -> tuple[float | None, str | None]:
    try:
        return fetch_html(url), None
    except Exception as err:
        return None, f"{type(err).__name__}: {err}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def measure(root: Path, app: str, learners: int, rounds: int, logs: Path) -> dict:
    from playwright.async_api import async_playwright

    from .browser import CHROMIUM_ARGS, chromium_path, chromium_problem

    problem = chromium_problem()
    if problem:
        raise KitError(problem)
    if not (root / "practices" / app).is_file():
        raise KitError(f"No app practices/{app}; pass --app with a notebook path under practices/.")
    figures: dict = {"app": app, "learners": learners, "rounds": rounds}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)

        # Voila's defaults: every visit starts a kernel and runs the notebook.
        port = free_port()
        with serving(default_command(root, port), root, port, logs / "default.log") as (proc, base):
            url = base + "/voila/render/" + app
            await open_app(browser, url)  # warm the disk cache and Chromium, not counted
            figures["default_s"], figures["default_html_s"] = [], []
            for _ in range(rounds):
                wait_until_quiet(proc.pid)
                figures["default_s"].append(await open_app(browser, url))
            for _ in range(rounds):
                wait_until_quiet(proc.pid)
                figures["default_html_s"].append(fetch_html(url))

        # The kit's public mode: the visit takes a kernel that has already run the notebook.
        port = free_port()
        log = logs / "kit.log"
        with serving(kit_command(root, "127.0.0.1", port), root, port, log) as (proc, base):
            url = base + "/voila/render/" + app
            # Voila logs "filled" each time it refills the app's pool after a visit: visit n waits for fill n.
            wait_for_pool(log, app, 1)
            await open_app(browser, url)  # the same warm-up as above
            figures["kit_s"], figures["kit_html_s"] = [], []
            for visit in range(rounds):
                wait_for_pool(log, app, 2 + visit)
                wait_until_quiet(proc.pid)
                figures["kit_s"].append(await open_app(browser, url))
            for visit in range(rounds):
                wait_for_pool(log, app, 2 + rounds + visit)
                wait_until_quiet(proc.pid)
                figures["kit_html_s"].append(fetch_html(url))

            wait_for_pool(log, app, 2 + 2 * rounds)
            wait_until_quiet(proc.pid)
            with MemoryPeak(proc.pid) as memory:
                figures["idle_mb"] = memory.now() / 1e6
                crowd = await asyncio.gather(*(open_app(browser, url) for _ in range(learners)))
            figures["peak_mb"] = memory.peak / 1e6
            figures["crowd"] = crowd

            # The same class without Chromium on this machine: what the server alone takes to send the pages.
            wait_for_pool(log, app, 3 + 2 * rounds)
            wait_until_quiet(proc.pid)
            figures["crowd_html"] = await asyncio.gather(
                *(asyncio.to_thread(fetch_html_or_error, url) for _ in range(learners)))
        await browser.close()
    return figures


def run(root: Path, app: str = "paris-participatory-budget.ipynb", learners: int = 30, rounds: int = 3) -> dict:
    import signal

    # A terminated benchmark still stops the servers it started (their `finally`), instead of orphaning them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    logs = Path(tempfile.mkdtemp(prefix="civickit-voila-benchmark-"))
    figures = asyncio.run(measure(root, app, learners, rounds, logs))
    figures["logs"] = str(logs)
    for key in ("default_s", "kit_s"):
        failed = [why for shown, _, why in figures[key] if shown is None]
        if failed:
            raise KitError(f"A first render failed ({key}): {failed[0]}; server logs in {logs}.")
        figures[key.replace("_s", "_live_s")] = [live for _, live, _ in figures[key]]
        figures[key] = [shown for shown, _, _ in figures[key]]
    for shown in ("", "_live"):
        default, kit = (statistics.median(figures[f"{side}{shown}_s"]) for side in ("default", "kit"))
        figures[f"default{shown}_median_s"], figures[f"kit{shown}_median_s"] = default, kit
        figures[f"ratio{shown}"] = kit / default
    figures["default_html_median_s"] = statistics.median(figures["default_html_s"])
    figures["kit_html_median_s"] = statistics.median(figures["kit_html_s"])
    figures["html_ratio"] = figures["kit_html_median_s"] / figures["default_html_median_s"]
    crowd = figures["crowd"]
    figures["rendered"] = sum(1 for shown, live, _ in crowd if shown is not None and live is not None)
    figures["errors"] = [why for _, _, why in crowd if why]
    for name, index in (("", 0), ("_live", 1)):
        times = [run[index] for run in crowd if run[index] is not None and run[2] is None]
        figures[f"p50{name}_s"] = percentile(times, 0.50) if times else float("nan")
        figures[f"p95{name}_s"] = percentile(times, 0.95) if times else float("nan")
    served = [t for t, _ in figures["crowd_html"] if t is not None]
    figures["html_served"] = len(served)
    figures["html_errors"] = [why for _, why in figures["crowd_html"] if why]
    figures["html_p50_s"] = percentile(served, 0.50) if served else float("nan")
    figures["html_p95_s"] = percentile(served, 0.95) if served else float("nan")
    return figures
