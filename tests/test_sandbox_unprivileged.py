"""The sandbox when the trainer is not root: `civickit cohort autograde` run by an ordinary account.

civickit.sandbox has two ways in: under root the kernel gives up root itself; under any other account
bubblewrap maps the sandbox user in a user namespace of its own (--unshare-user). The rest of the suite
runs as root, so this file makes a throwaway account and has it grade the same spying answer as
tests/test_sandbox.py: the same confinement must hold.

The venv's Python lives under /root here (pyenv; /root is 0700). Each of the account's commands runs in a
private mount namespace in which /root is a world-traversable RAM disk holding only the Python's folder
(bound back in): the machine's /root keeps its mode and ACL, so hub tests running at the same time,
which grant their groups a way through /root by an ACL, are not disturbed.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from conftest import ASSIGNMENT, BIN, HOME_VARIABLES, REPO, copy_kit, kit_env
from test_sandbox import ANSWER, LEFT_BEHIND, findings, spy_notebook

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
SECRET = f"secret-{uuid.uuid4().hex}"
# Put before the spying answer: the grading machine's loopback (a port the test listens on) and a name server.
NETSPY = r"""
import json as _json, socket as _socket
_net = {}
for _name, _try in (("loopback", lambda: _socket.create_connection(("127.0.0.1", PORT), timeout=3).close()),
                    ("dns", lambda: _socket.getaddrinfo("pypi.org", 443))):
    try:
        _try()
        _net[_name] = "reached"
    except OSError as _err:
        _net[_name] = "BLOCKED: " + type(_err).__name__
print("NET " + _json.dumps(_net))
"""
TOOLS = ("useradd", "userdel", "groupdel", "unshare", "setpriv", "mount", "bwrap")


def closed_folder(path: str) -> tuple[str, str] | None:
    """The one folder above PATH that others cannot traverse, and its child on the way to PATH (or None)."""
    parts = Path(os.path.realpath(path)).parts
    closed = [i for i in range(1, len(parts)) if not os.stat(os.path.join(*parts[:i + 1])).st_mode & stat.S_IXOTH]
    if not closed:
        return None
    if len(closed) > 1 or closed[0] + 1 >= len(parts):
        pytest.skip(f"the way to {path} has more than one folder others cannot traverse; this test opens one")
    i = closed[0]
    return os.path.join(*parts[:i + 1]), os.path.join(*parts[:i + 2])


@pytest.fixture(scope="module")
def account():
    """A fresh system account with its own group, removed after the module."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a throwaway account and a mount namespace (run the suite as root)")
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")
    name = f"cksb{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                   check=True, capture_output=True)
    try:
        yield pwd.getpwnam(name)
    finally:
        subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", name], capture_output=True)


def as_user(user, cmd, cwd, env, stash: Path, expect=0):
    """Run CMD as USER, in a private mount namespace where the folder above the Python is open (see above)."""
    opening = closed_folder(sys.base_prefix)
    script = "set -e\n"
    if opening:
        closed, inner = opening
        script += (f"mkdir -p '{stash}' && mount --bind '{inner}' '{stash}'\n"
                   f"mount -t tmpfs -o mode=0755,size=1m civickit-open '{closed}'\n"
                   f"mkdir -p '{inner}' && mount --bind '{stash}' '{inner}'\n")
    script += f'exec setpriv --reuid={user.pw_uid} --regid={user.pw_gid} --clear-groups -- "$@"\n'
    full = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *map(str, cmd)]
    result = subprocess.run(full, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    if expect is not None and result.returncode != expect:
        pytest.fail(f"{' '.join(map(str, cmd))} as {user.pw_name} returned {result.returncode}, expected {expect}\n"
                    f"--- stdout\n{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="module")
def graded(account):
    # Not under pytest's own tmp folder: /tmp/pytest-of-root is 0700 and stays so.
    base = Path(tempfile.mkdtemp(prefix="civickit-unprivileged-"))
    try:
        root = copy_kit(base / "kit")
        workspace = root / ".cohort"
        home = base / "home"
        home.mkdir()
        roster = base / "trainer-files" / "roster.csv"
        roster.parent.mkdir()
        roster.write_text("id,first_name,last_name,email\nspy,Спас,Шпионов,spy@example.org\n", encoding="utf-8")
        env = kit_env(root, workspace)
        for name in HOME_VARIABLES:
            env.pop(name, None)
        env.update(HOME=str(home), USER=account.pw_name, LOGNAME=account.pw_name,
                   JUPYTERHUB_API_TOKEN=SECRET, CIVICKIT_TRAINER_NOTE=SECRET)  # as when grading from a hub terminal
        os.chmod(base, 0o755)
        subprocess.run(["chown", "-R", f"{account.pw_uid}:{account.pw_gid}", str(base)], check=True)
        stash = base / "stash"
        civickit = lambda *a: as_user(account, [BIN / "civickit", "cohort", *a], root, env, stash)
        civickit("init")
        civickit("release", ASSIGNMENT)
        probes = [str(REPO / ".git"), str(REPO / "assignments"), str(REPO / "README.md"), str(root), str(workspace),
                  str(roster), str(home), "/etc/shadow", "/root/.bash_history"]
        source = json.loads((root / "assignments" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
        folder = workspace / "submitted" / "spy" / ASSIGNMENT
        listener = socket.create_server(("127.0.0.1", 0))
        listener.setblocking(False)
        nb = spy_notebook(source, probes)
        cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == ANSWER)
        cell["source"] = NETSPY.replace("PORT", str(listener.getsockname()[1])) + cell["source"]
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
        (folder / NOTEBOOK).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        subprocess.run(["chown", "-R", f"{account.pw_uid}:{account.pw_gid}", str(workspace)], check=True)
        result = civickit("autograde", ASSIGNMENT)
        yield workspace, probes, result, listener
        listener.close()
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_autograde_ran_as_the_account(graded, account):
    """Did the whole grading run as the ordinary account (its files in the workspace are its own)?"""
    workspace, _, result, _ = graded
    assert "Autograded 1 of 1" in result.stdout
    assert (workspace / "autograded" / "spy" / ASSIGNMENT / NOTEBOOK).stat().st_uid == account.pw_uid


def test_learner_code_runs_as_the_sandbox_user_without_capabilities(graded):
    """Is the learner's code uid 65534 with no capabilities inside its own user namespace?"""
    seen, _ = findings(graded[0], "spy")
    assert seen["uid"] == 65534
    assert int(seen["cap"], 16) == 0


def test_trainer_environment_is_not_visible(graded):
    """Is the trainer's environment (a hub token, the kit's paths) kept out of the learner's kernel?"""
    workspace, _, _, _ = graded
    seen, _ = findings(workspace, "spy")
    assert SECRET not in json.dumps(seen["env"])
    assert not {"JUPYTERHUB_API_TOKEN", "CIVICKIT_WORKSPACE", "CIVICKIT_ROOT", "JUPYTER_CONFIG_PATH", "USER"} & set(seen["env"])
    assert not any(str(workspace.parent.parent) in value for value in seen["env"].values() if value != seen["env"]["HOME"])


def test_only_an_allow_list_of_paths_is_visible(graded):
    """Are the kit's .git and sources, the workspace, the account's home and files, /etc/shadow all out of reach?"""
    workspace, probes, _, _ = graded
    seen, _ = findings(workspace, "spy")
    cwd = workspace / "autograded" / "spy" / ASSIGNMENT
    expected = {p: [cwd.relative_to(p).parts[0]] if cwd.is_relative_to(p) else False for p in probes}
    assert seen["reach"] == expected
    tops = {part.split("/")[1] for part in (str(REPO), "/root/.pyenv", str(workspace))}
    allowed = {"bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "tmp", "dev", "proc", *tops}
    assert set(seen["top"]) <= allowed, seen["top"]


def test_processes_disk_and_output_are_limited(graded):
    """Are a fork bomb, a filled /tmp, a huge file and a 5 MB output line stopped at the sandbox's limits?"""
    from civickit.output_limits import LimitOutputSize
    from civickit.sandbox import PROCESS_LIMIT, RAM_DISK_BYTES

    seen, text = findings(graded[0], "spy")
    assert seen["fork_error"] == "BlockingIOError" and seen["forked"] < PROCESS_LIMIT
    assert seen["tmp_mb"] * 1024**2 <= RAM_DISK_BYTES and seen["tmp_error"] == "OSError"
    assert seen["big_file"] == "OSError"
    assert len(text) < LimitOutputSize.max_chars.default_value + 1000
    assert "изходът е съкратен" in text


def test_nothing_learner_code_writes_leaves_the_sandbox(graded):
    """Does a file the learner's code writes stay out of the autograded folder, and the score stay the solution's?"""
    from nbgrader.api import Gradebook

    workspace, _, _, _ = graded
    assert not list(workspace.glob(f"autograded/spy/**/{LEFT_BEHIND}"))
    assert not list(workspace.glob("autograded/spy/**/big.bin"))
    with Gradebook(f"sqlite:///{workspace / 'gradebook.db'}") as gb:
        assert gb.find_submission(ASSIGNMENT, "spy").score == 5


def test_no_network_not_even_loopback(graded):
    """Can the learner's code reach neither the grading machine's loopback nor a name server?"""
    workspace, _, _, listener = graded
    _, text = findings(workspace, "spy")
    net = json.loads(next(line for line in text.splitlines() if line.startswith("NET "))[4:])
    assert net["loopback"].startswith("BLOCKED") and net["dns"].startswith("BLOCKED"), net
    with pytest.raises(BlockingIOError):  # nobody knocked
        listener.accept()
