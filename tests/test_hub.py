"""Does a cohort work on `civickit hub`? A real JupyterHub, real Linux accounts, real nbgrader.

One trainer and two learners sign up and log in; everything after goes through the hub's REST API
and the users' own servers (nbgrader's server extensions, the contents API, a kernel of the user):
release, fetch, answer, submit, collect, autograde; isolation between learners; refusal without login;
launcher cards that open the user's own Voila; learners' servers at a lower CPU priority; idle culling
that keeps the learner's work. The accounts, homes, exchange and every process the test started are
removed at the end, also when it fails.
"""

from __future__ import annotations

import html
import json
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psutil
import pytest
import requests
import websocket

from conftest import ASSIGNMENT, BIN, REPO, HIDDEN_MARKER, SOLUTION_MARKER, autograded_points, free_port, kit_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.geteuid() != 0, reason="the hub creates Linux accounts: run as root (CI does)"),
]

PASSWORD = "Ямбол-2026-курс"  # Cyrillic on purpose: learners type what their keyboard has
TRAINER, LEARNER_A, LEARNER_B = "trainer", "ana", "boris"
COURSE_ID = "civickit"
NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"


def wait_until(check, what: str, seconds: float = 120, every: float = 1.0):
    """Poll until `check()` returns something truthy; the deadline only bounds a hang, it asserts no speed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(every)
    pytest.fail(f"gave up waiting for {what} after {seconds} s")


def describe(processes) -> list[str]:
    out = []
    for p in processes:
        try:
            out.append(f"{p.pid} {p.username()} {' '.join(p.cmdline())[:150]}")
        except psutil.Error:
            pass
    return out


class Hub:
    """One `civickit hub start` process on loopback, with this test's prefix, homes and exchange."""

    def __init__(self, root: Path, base: Path, prefix: str):
        self.root, self.base, self.prefix = root, base, prefix
        self.state, self.exchange, self.homes = base / "state", base / "exchange", base / "homes"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.group = prefix + "hub"
        self.proc: subprocess.Popen | None = None

    def start(self, idle_timeout: int) -> None:
        self.port = free_port()  # a restart does not wait for the old sockets to close
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [BIN / "civickit", "hub", "start", "--trainer", TRAINER, "--port", str(self.port),
               "--hub-port", str(free_port()), "--proxy-api-port", str(free_port()),
               "--state", self.state, "--exchange", self.exchange, "--home-base", self.homes,
               "--user-prefix", self.prefix, "--group", self.group, "--idle-timeout", str(idle_timeout), "--memory-limit", "4G"]
        log = (self.base / "hub.log").open("a")
        self.proc = subprocess.Popen(list(map(str, cmd)), cwd=self.root, env=kit_env(self.root),
                                     stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._answers, "the hub to answer", 90, 0.5)

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            pytest.fail(f"the hub exited with {self.proc.returncode}:\n{self.log()[-3000:]}")
        try:
            return requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # the hub stops the proxy, the culler and every user's server
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return (self.base / "hub.log").read_text(errors="replace")

    @property
    def admin(self) -> dict:
        return {"Authorization": f"token {(self.state / 'admin-token').read_text().strip()}"}

    def api(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.url}/hub/api/{path}", headers=self.admin, timeout=30, **kw)

    def server_ready(self, name: str) -> bool:
        servers = self.api("GET", f"users/{name}").json().get("servers", {})
        return bool(servers.get("", {}).get("ready"))

    def spawn(self, name: str) -> None:
        r = self.api("POST", f"users/{name}/server")
        # logging in through the form already starts the server (the hub's /hub/spawn)
        assert r.status_code in (201, 202) or "already running" in r.text, r.text
        wait_until(lambda: self.server_ready(name), f"the server of {name}", 120)

    def system_name(self, name: str) -> str:
        return self.prefix + name


def disabled_extensions(lab_html: str) -> set[str]:
    """The JupyterLab extensions a page has switched off (its embedded page config)."""
    import re

    match = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', lab_html, re.S)
    assert match, "no page config in the JupyterLab page"
    disabled = json.loads(match.group(1)).get("disabledExtensions", [])
    return set(disabled if isinstance(disabled, list) else [k for k, v in disabled.items() if v])


def form(session: requests.Session, url: str, data: dict) -> requests.Response:
    """A form POST the way a browser sends it: with the _xsrf value the page set as a cookie."""
    session.get(url, timeout=30)
    xsrf = session.cookies.get("_xsrf")
    return session.post(url, data={**data, "_xsrf": xsrf}, timeout=30)


class UserServer:
    """A user's own Jupyter server behind the hub, reached with a token the hub issued to that user."""

    def __init__(self, hub: Hub, name: str):
        self.hub, self.name = hub, name
        r = hub.api("POST", f"users/{name}/tokens", json={"note": "civickit hub test", "expires_in": 3600})
        assert r.status_code == 201, r.text
        self.headers = {"Authorization": f"token {r.json()['token']}"}
        self.base = f"{hub.url}/user/{name}"

    def request(self, method: str, path: str, **kw) -> requests.Response:
        return requests.request(method, f"{self.base}/{path}", headers=self.headers, timeout=300, **kw)

    def nbgrader(self, path: str, **data) -> dict:
        r = self.request("POST", path, data=data)
        assert r.status_code == 200, f"{path}: {r.status_code} {r.text[:2000]}"
        return r.json()

    def read(self, path: str) -> requests.Response:
        return self.request("GET", f"api/contents/{path}")

    def run_python(self, code: str, kernel: str | None = None) -> str:
        """Run code in a kernel of this user's server (a new one unless given); returns what it printed."""
        own = kernel is None
        if own:
            kernel = self.request("POST", "api/kernels", json={"name": "python3"}).json()["id"]
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{kernel}/channels"
        ws = websocket.create_connection(ws_url, header=[f"{k}: {v}" for k, v in self.headers.items()], timeout=300)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                           "session": uuid.uuid4().hex, "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell",
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False},
            }))
            out = []
            while True:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    out.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    return "".join(out)
        finally:
            ws.close()
            if own:
                self.request("DELETE", f"api/kernels/{kernel}")


ACL = "system.posix_acl_access"
ACL_UNDEFINED_ID = 0xFFFFFFFF


def let_group_through(group: str, paths) -> list[tuple[str, int, bytes | None]]:
    """Grant `group` traverse (x) on each private folder above the kit's Python, by a POSIX ACL.

    Here the venv's Python lives under /root (pyenv, 0700): without this no learner account could start
    a server, and `civickit hub start` says so (see check_interpreter). Returns what to restore.
    """
    import grp
    import struct

    gid = grp.getgrnam(group).gr_gid
    changed = []
    for folder in sorted({a for p in paths for a in Path(p).resolve().parents}):
        mode = folder.stat().st_mode
        if mode & 0o001:
            continue
        try:
            before = os.getxattr(folder, ACL)
        except OSError:
            before = None
        if before is not None:
            pytest.skip(f"{folder} already has an ACL; not touching it")
        owner = (mode >> 6) & 7
        group_obj = (mode >> 3) & 7
        entries = [(0x01, owner, ACL_UNDEFINED_ID), (0x04, group_obj, ACL_UNDEFINED_ID), (0x08, 1, gid),
                   (0x10, group_obj | 1, ACL_UNDEFINED_ID), (0x20, mode & 7, ACL_UNDEFINED_ID)]
        os.setxattr(folder, ACL, struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *e) for e in entries))
        changed.append((str(folder), mode & 0o7777, before))
    return changed


def restore_folders(changed) -> None:
    for folder, mode, _before in changed:
        os.removexattr(folder, ACL)
        os.chmod(folder, mode)


def server_processes(hub: Hub, names) -> list[psutil.Process]:
    accounts = {hub.system_name(n) for n in names}
    found = []
    for p in psutil.process_iter(["username"]):
        if p.info["username"] in accounts:
            found.append(p)
    return found


def server_process(hub: Hub, name: str) -> psutil.Process:
    """The user's jupyterhub-singleuser process (its kernels are its children)."""
    found = [p for p in server_processes(hub, [name]) if "jupyterhub-singleuser" in " ".join(p.cmdline())]
    assert len(found) == 1, describe(server_processes(hub, [name]))
    return found[0]


def niceness(pid: int) -> int:
    """Field 19 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2:].split()[16])


def test_state_folders(tmp_path):
    """Does the hub's state folder stay root-only and the exchange open like /tmp (sticky)?"""
    from civickit.hub import HubSettings, prepare

    s = HubSettings(root=tmp_path, state=tmp_path / "state", exchange=tmp_path / "ex", home_base=tmp_path / "h",
                    trainers=["t"])
    prepare(s)
    assert (s.state.stat().st_mode & 0o777) == 0o700
    assert (s.exchange.stat().st_mode & 0o7777) == 0o1777
    assert (s.token_file.stat().st_mode & 0o777) == 0o600
    token = s.token_file.read_text()
    prepare(s)
    assert s.token_file.read_text() == token  # a restart keeps the services' token


def servers_gone(hub: Hub, names) -> None:
    """Every process of these accounts ends (polled; they may take a moment to exit after the hub's signal)."""
    deadline = time.monotonic() + 60
    while (left := server_processes(hub, names)) and time.monotonic() < deadline:
        time.sleep(1)
    assert not left, f"processes outlived their server: {describe(left)}"


@pytest.fixture
def hub(planted_kit):
    # Folders the learners' accounts must traverse cannot sit under pytest's 0700 tmp dir.
    base = Path(tempfile.mkdtemp(prefix="civickit-hub-test-", dir="/tmp"))
    os.chmod(base, 0o755)
    prefix = f"ck{secrets.token_hex(3)}-"  # this run's accounts only: nothing else on the machine is touched
    h = Hub(planted_kit, base, prefix)
    h.homes.mkdir(mode=0o755)
    subprocess.run(["groupadd", "--system", h.group], check=True)
    changed = []
    try:
        changed = let_group_through(h.group, [os.path.realpath(sys.executable), sys.executable])
        yield h
    finally:
        h.stop()
        if (base / "hub.log").exists():
            print("--- hub log (tail)\n" + h.log()[-6000:])  # shown by pytest when the test failed
        for name in (TRAINER, LEARNER_A, LEARNER_B):
            account = h.system_name(name)
            for p in server_processes(h, [name]):
                p.kill()
            try:
                pwd.getpwnam(account)
            except KeyError:
                continue
            subprocess.run(["userdel", "--remove", account], capture_output=True)
        restore_folders(changed)
        subprocess.run(["groupdel", h.group], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_cohort_on_the_hub(hub, planted_kit):
    """Release, fetch, submit, collect, autograde across real accounts; isolation; culling; clean stop."""
    source = planted_kit / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    full = autograded_points(source)
    assert full > 0
    hub.start(idle_timeout=3600)

    # --- sign up, approval by the trainer, login (the forms a browser sends)
    sessions = {}
    for name in (TRAINER, LEARNER_A, LEARNER_B):
        s = requests.Session()
        r = form(s, f"{hub.url}/hub/signup", {"username": name, "signup_password": PASSWORD,
                                              "signup_password_confirmation": PASSWORD})
        assert r.status_code == 200, r.text[:500]
        sessions[name] = s
    # a name that cannot become a Linux account is refused at sign-up, before anything is created
    form(requests.Session(), f"{hub.url}/hub/signup", {"username": "../етц", "signup_password": PASSWORD,
                                                       "signup_password_confirmation": PASSWORD})
    refused = form(requests.Session(), f"{hub.url}/hub/login", {"username": LEARNER_A, "password": PASSWORD})
    assert "/hub/login" in refused.url, "a learner logged in before a trainer approved the sign-up"
    trainer = sessions[TRAINER]
    r = form(trainer, f"{hub.url}/hub/login", {"username": TRAINER, "password": PASSWORD})
    assert r.status_code == 200 and "/hub/login" not in r.url, r.url
    for learner in (LEARNER_A, LEARNER_B):
        r = trainer.get(f"{hub.url}/hub/authorize/{learner}", timeout=30)
        assert r.status_code == 200, r.text[:300]
        r = form(sessions[learner], f"{hub.url}/hub/login", {"username": learner, "password": PASSWORD})
        assert "/hub/login" not in r.url, f"{learner} could not log in after approval"
    groups = {g["name"]: sorted(g["users"]) for g in hub.api("GET", "groups").json()}
    assert sorted(u["name"] for u in hub.api("GET", "users").json()) == sorted([TRAINER, LEARNER_A, LEARNER_B])
    assert groups == {"trainers": [TRAINER], "learners": sorted([LEARNER_A, LEARNER_B])}

    # --- servers: each under its own Linux account, home private, course copied in
    for name in (TRAINER, LEARNER_A, LEARNER_B):
        hub.spawn(name)
        home = Path(pwd.getpwnam(hub.system_name(name)).pw_dir)
        assert (home.stat().st_mode & 0o777) == 0o700
    # CPU: learners' servers run at nice 10 (their kernels inherit it), the trainer's at 0 (hub_spawner.py)
    assert niceness(server_process(hub, LEARNER_A).pid) == 10
    assert niceness(server_process(hub, TRAINER).pid) == 0
    # the browser session of a learner reaches the learner's own JupyterLab (hub OAuth) ...
    lab = sessions[LEARNER_A].get(f"{hub.url}/user/{LEARNER_A}/lab", timeout=60)
    assert lab.status_code == 200 and "JupyterLab" in lab.text
    # the learner's JupyterLab hides the formgrader and the create-assignment toolbar; the trainer's shows them
    assert disabled_extensions(lab.text) >= {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"}
    trainer_lab = trainer.get(f"{hub.url}/user/{TRAINER}/lab", timeout=60)
    assert trainer_lab.status_code == 200
    assert not disabled_extensions(trainer_lab.text) & {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"}
    # ... but not another learner's
    other = sessions[LEARNER_A].get(f"{hub.url}/user/{LEARNER_B}/lab", timeout=60, allow_redirects=True)
    assert other.status_code in (403, 404) or f"/user/{LEARNER_B}/lab" not in other.url, other.url
    # without login a user's server answers nothing
    for name in (LEARNER_A, TRAINER):
        r = requests.get(f"{hub.url}/user/{name}/api/contents/", allow_redirects=False, timeout=30)
        assert r.status_code in (302, 401, 403), r.status_code
        assert "content" not in r.text
        if r.status_code == 302:
            assert "/hub/" in r.headers["Location"]

    t, a, b = (UserServer(hub, n) for n in (TRAINER, LEARNER_A, LEARNER_B))
    # a learner's own token opens only the learner's own server
    r = requests.get(f"{b.base}/api/contents/", headers=a.headers, allow_redirects=False, timeout=30)
    assert r.status_code in (302, 403, 404) and "content" not in r.text, r.status_code
    assert a.read("practices").status_code == 200 and a.read("exercises").status_code == 200
    assert a.read("course").status_code == 404, "a learner got the nbgrader source (solutions) in the home"
    assert t.read(f"course/assignments/{ASSIGNMENT}/{ASSIGNMENT}.ipynb").status_code == 200
    assert t.read("course/_config.yml").status_code == 200  # `civickit cohort` works in the trainer's terminal

    # learners have no formgrader; the trainer has it
    assert a.request("GET", "formgrader/api/assignments").status_code == 404
    assert t.request("GET", "formgrader/api/assignments").status_code == 200

    # --- trainer: generate and release through the formgrader's API
    assert t.nbgrader(f"formgrader/api/assignment/{ASSIGNMENT}/assign")["success"]
    assert t.nbgrader(f"formgrader/api/assignment/{ASSIGNMENT}/release")["success"]

    # --- learners: list, fetch (assignment list extension), the released version has no solution
    listed = a.request("GET", f"assignments?course_id={COURSE_ID}").json()
    assert listed["success"] and [x["assignment_id"] for x in listed["value"]] == [ASSIGNMENT], listed
    for learner in (a, b):
        assert learner.nbgrader("assignments/fetch", course_id=COURSE_ID, assignment_id=ASSIGNMENT)["success"]
        released = learner.read(NOTEBOOK)
        assert released.status_code == 200
        text = json.dumps(released.json()["content"])
        assert SOLUTION_MARKER not in text and HIDDEN_MARKER not in text

    # learner A answers with the assignment's solution; B submits the released notebook unchanged
    solution = json.loads(source.read_text(encoding="utf-8"))
    r = a.request("PUT", f"api/contents/{NOTEBOOK}", json={"type": "notebook", "format": "json", "content": solution})
    assert r.status_code == 200, r.text[:500]
    for learner in (a, b):
        assert learner.nbgrader("assignments/submit", course_id=COURSE_ID, assignment_id=ASSIGNMENT)["success"]

    # --- isolation, tried from learner A's own kernel (running as A's Linux account)
    home_b = pwd.getpwnam(hub.system_name(LEARNER_B)).pw_dir
    home_t = pwd.getpwnam(hub.system_name(TRAINER)).pw_dir
    inbound = hub.exchange / COURSE_ID / "inbound"
    probe = f"""
import os
for path in [{str(Path(home_b) / NOTEBOOK)!r}, {home_b!r}, {str(Path(home_t) / 'course/assignments' / ASSIGNMENT / (ASSIGNMENT + '.ipynb'))!r}]:
    try:
        open(path).read() if os.path.isfile(path) or not os.path.exists(path) else os.listdir(path)
        print('READ', path)
    except PermissionError:
        print('DENIED', path)
try:
    print('LISTED inbound', os.listdir({str(inbound)!r}))
except PermissionError:
    print('DENIED inbound')
print('WHOAMI', os.getuid())
import resource
print('RLIMIT_AS', resource.getrlimit(resource.RLIMIT_AS)[0])
print('NICE', os.getpriority(os.PRIO_PROCESS, 0))
"""
    out = a.run_python(probe)
    assert "READ" not in out and "LISTED" not in out, out
    assert out.count("DENIED") == 4, out
    assert f"WHOAMI {pwd.getpwnam(hub.system_name(LEARNER_A)).pw_uid}" in out
    assert f"RLIMIT_AS {4 * 1024**3}" in out  # --memory-limit 4G reached the learner's kernel
    assert "NICE 10" in out  # and so did the server's nice level

    # --- trainer: collect and autograde through the formgrader
    assert t.nbgrader(f"formgrader/api/assignment/{ASSIGNMENT}/collect")["success"]
    # nbgrader names a learner by the Linux account that owns the submission (it checks that owner)
    student_a, student_b = hub.system_name(LEARNER_A), hub.system_name(LEARNER_B)
    for student in (student_a, student_b):
        result = t.nbgrader(f"formgrader/api/submission/{ASSIGNMENT}/{student}/autograde")
        assert result["success"], result.get("log", result)[-2000:]
    submissions = {s["student"]: s for s in t.request("GET", f"formgrader/api/submissions/{ASSIGNMENT}").json()}
    assert sorted(submissions) == sorted([student_a, student_b])
    assert submissions[student_a]["code_score"] == pytest.approx(full), submissions[student_a]
    assert submissions[student_b]["code_score"] == 0, submissions[student_b]
    assert submissions[student_a]["max_code_score"] == pytest.approx(full)

    # the same through the kit's own commands in the trainer's terminal: sandboxed (bubblewrap) parallel
    # autograding as the trainer's account, then the export; the grades must not change
    out = t.run_python(f"""
import os, subprocess
for args in (["cohort", "init"], ["cohort", "autograde", {ASSIGNMENT!r}, "--force"], ["cohort", "export"]):
    r = subprocess.run(["civickit", *args], capture_output=True, text=True)
    print("EXIT", r.returncode, " ".join(args), r.stdout[-800:], r.stderr[-1500:])
print(open(os.path.expanduser("~/course/.cohort/reports/grades.csv"), encoding="utf-8").read())
""")
    assert out.count("EXIT 0") == 3, out
    assert student_a in out and student_b in out, out
    again = {s["student"]: s for s in t.request("GET", f"formgrader/api/submissions/{ASSIGNMENT}").json()}
    assert again[student_a]["code_score"] == pytest.approx(full) and again[student_b]["code_score"] == 0, again

    # --- memory of one learner's server, alone and with one kernel (for deploy/README.md)
    def rss_mb(name):
        return sum(p.memory_info().rss for p in server_processes(hub, [name])) / 1024**2

    idle_mb = rss_mb(LEARNER_B)
    kernel = b.request("POST", "api/kernels", json={"name": "python3"}).json()["id"]
    b.run_python("import pandas, ipywidgets, civickit.budget", kernel)
    busy_mb = rss_mb(LEARNER_B)
    b.request("DELETE", f"api/kernels/{kernel}")
    hub_side = [psutil.Process(hub.proc.pid), *psutil.Process(hub.proc.pid).children()]
    hub_mb = sum(p.memory_info().rss for p in hub_side if p.username() == "root")  # users' servers are children too
    print(f"\nRSS of one learner's server: {idle_mb:.0f} MB without a kernel, {busy_mb:.0f} MB with one kernel "
          f"(pandas, ipywidgets, civickit imported); hub + proxy + culler: {hub_mb / 1024**2:.0f} MB")

    # --- the launcher cards: each user's server lists them with its own prefix (what JupyterLab's launcher
    # asks for), and the learner's browser session opens the card's URL as the card's iframe would
    def cards(user: UserServer) -> dict[str, dict]:
        r = user.request("POST", "jupyterlab-app-launcher", json={"method": "init_launcher"})
        assert r.status_code == 200, r.text[:500]
        return {c["source"].rsplit("/practices/", 1)[-1]: c for c in r.json()}

    app = "sofia-civic-budget.ipynb"
    for user in (a, b, t):
        assert cards(user)[app]["source"] == f"/user/{user.name}/voila/render/practices/{app}"
    card = cards(a)[app]
    voila = sessions[LEARNER_A].get(hub.url + card["source"], timeout=300)
    assert voila.status_code == 200 and voila.url == hub.url + card["source"], (voila.status_code, voila.url)
    # Voila sends no charset and writes Cyrillic in headings as character references: read it as a browser would
    page = html.unescape(voila.content.decode("utf-8"))
    assert card["title"] in page, page[:500]  # the app, under its Bulgarian title
    assert "Traceback" not in page and "from civickit" not in page  # ran, sources stripped
    # the same URL for another learner's browser, and for nobody logged in: no app
    other = sessions[LEARNER_B].get(hub.url + card["source"], timeout=60)
    assert other.status_code in (403, 404) or other.url != hub.url + card["source"], (other.status_code, other.url)
    assert card["title"] not in html.unescape(other.content.decode("utf-8", "replace"))
    anonymous = requests.get(hub.url + card["source"], allow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 401, 403), anonymous.status_code
    assert card["title"] not in html.unescape(anonymous.content.decode("utf-8", "replace"))

    # --- idle culling: restart the hub with a short timeout; A's work must outlive both
    r = a.request("PUT", "api/contents/my-notes.txt", json={"type": "file", "format": "text", "content": "бележки"})
    assert r.status_code in (200, 201)
    hub.stop()
    everyone = [TRAINER, LEARNER_A, LEARNER_B]
    servers_gone(hub, everyone)
    hub.start(idle_timeout=10)
    hub.spawn(LEARNER_A)
    wait_until(lambda: not hub.api("GET", f"users/{LEARNER_A}").json()["servers"], "the culler", 180, 2)
    assert f"Culling server {LEARNER_A}" in hub.log()  # the idle culler stopped it, not a crash
    servers_gone(hub, [LEARNER_A])
    hub.spawn(LEARNER_A)
    a = UserServer(hub, LEARNER_A)
    assert a.read("my-notes.txt").json()["content"] == "бележки"
    kept = json.dumps(a.read(NOTEBOOK).json()["content"])
    assert SOLUTION_MARKER in kept, "the learner's answer did not survive the cull"

    # --- every process of this hub stops with it
    hub_pid = hub.proc.pid
    children = psutil.Process(hub_pid).children(recursive=True)
    assert any("configurable-http-proxy" in " ".join(p.cmdline()) for p in children)
    hub.stop()
    assert not psutil.pid_exists(hub_pid) or psutil.Process(hub_pid).status() == psutil.STATUS_ZOMBIE
    leftovers = [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not leftovers, [p.cmdline() for p in leftovers]
    servers_gone(hub, everyone)


@pytest.mark.parametrize("args, message", [
    (["--trainer", "Мария"], "Trainer name 'Мария' is not allowed"),
    (["--trainer", "maria", "--memory-limit", "lots"], "Memory limit 'lots' is not a size"),
])
def test_bad_settings_refused(args, message, tmp_path):
    """Does `civickit hub start` refuse bad settings with one line naming them, before creating anything?"""
    from click.testing import CliRunner

    from civickit.cli import main

    state = tmp_path / "state"
    result = CliRunner().invoke(main, ["hub", "start", *args, "--port", str(free_port()), "--state", str(state),
                                       "--exchange", str(tmp_path / "ex")], env={"CIVICKIT_ROOT": str(REPO)})
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not state.exists() and not (tmp_path / "ex").exists()


def test_home_provisioning_never_overwrites_nor_follows_links(tmp_path):
    """Does the spawn-time copy keep a learner's edits and refuse symlinks a learner planted (it runs as root)?"""
    from civickit.hub_home import provision

    root, home, outside = tmp_path / "kit", tmp_path / "home", tmp_path / "outside"
    for rel, text in {"exercises/a.ipynb": "A", "practices/p.ipynb": "P", "practices/tools/t.ipynb": "T",
                      "_build/html/index.html": "<html>", "assignments/x/x.ipynb": "SOLUTION"}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    home.mkdir()
    outside.mkdir()
    nobody = pwd.getpwnam("nobody")
    account = pwd.struct_passwd(("learner", "x", nobody.pw_uid, nobody.pw_gid, "", str(home), "/bin/sh"))

    assert provision(root, account, trainer=False) == {"exercises": 1, "practices": 2}
    assert (home / "practices/tools/t.ipynb").stat().st_uid == nobody.pw_uid
    assert (home / "_build/html/index.html").read_text() == "<html>"
    assert not (home / "course").exists()  # no solutions for a learner

    (home / "exercises/a.ipynb").write_text("my answer")
    shutil.rmtree(home / "practices")
    (home / "practices").symlink_to(outside)  # a learner's trap for root
    shutil.rmtree(home / "_build")
    (home / "_build").symlink_to(outside)
    assert provision(root, account, trainer=False) == {"exercises": 0, "practices": 0}
    assert (home / "exercises/a.ipynb").read_text() == "my answer"
    assert list(outside.iterdir()) == []

    assert provision(root, account, trainer=True)["course/assignments"] == 1
    assert (home / "course/assignments/x/x.ipynb").stat().st_uid == nobody.pw_uid
