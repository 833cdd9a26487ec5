"""What a learner's code can reach while it is graded, through the CLI and through Formgrader's own API.

A spying answer records what it sees (user, capabilities, environment, files, limits) and prints it;
the answer itself is right, so it scores as the honest solution does. The trainer's environment holds
a planted token and a roster with e-mails sits outside the workspace: none of it may be reachable.
"""

from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from conftest import ASSIGNMENT, BIN, REPO, copy_kit, free_port, kit_env, run, running

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
ANSWER = "consultation_length_answer"
SECRET = f"secret-{uuid.uuid4().hex}"
LEFT_BEHIND = "left-behind.txt"

SPY = r'''
import json, os, resource, signal, time
seen = {"uid": os.getuid(), "env": dict(os.environ), "top": sorted(os.listdir("/"))}
seen["cap"] = [l.split()[1] for l in open("/proc/self/status") if l.startswith("CapEff")][0]
seen["reach"] = {p: sorted(os.listdir(p)) if os.path.isdir(p) else os.path.exists(p) for p in PROBES}
children, seen["fork_error"] = [], None
for _ in range(300):
    try:
        pid = os.fork()
    except OSError as err:
        seen["fork_error"] = type(err).__name__
        break
    if pid == 0:
        time.sleep(60)
        os._exit(0)
    children.append(pid)
seen["forked"] = len(children)
for pid in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
written = 0
try:
    for i in range(20):
        with open(f"/tmp/fill{i}", "wb") as fh:
            fh.write(b"x" * 32 * 1024 * 1024)
        written += 32
except OSError as err:
    seen["tmp_error"] = type(err).__name__
seen["tmp_mb"] = written
try:
    open("big.bin", "wb").write(b"x" * 100 * 1024 * 1024)
    seen["big_file"] = "written"
except OSError as err:
    seen["big_file"] = type(err).__name__
open(LEFT, "w").write("learner output")
print("SPY " + json.dumps(seen))
print("x" * 5_000_000)
'''


def spy_notebook(source: dict, probes: list[str]) -> dict:
    nb = json.loads(json.dumps(source))
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == ANSWER)
    code = SPY.replace("PROBES", repr(probes)).replace("LEFT", repr(LEFT_BEHIND))
    cell["source"] = code + "\n" + "".join(cell["source"])
    return nb


def findings(workspace, student: str) -> tuple[dict, str]:
    nb = json.loads((workspace / "autograded" / student / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == ANSWER)
    text = "".join("".join(o.get("text", "")) for o in cell["outputs"] if o.get("output_type") == "stream")
    line = next(line for line in text.splitlines() if line.startswith("SPY "))
    return json.loads(line[4:]), text


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    base = tmp_path_factory.mktemp("sandbox")
    root = copy_kit(base / "kit")
    workspace = root / ".cohort"  # inside the served folder, as `civickit start` needs it
    roster = base / "trainer-files" / "roster.csv"
    roster.parent.mkdir()
    roster.write_text("id,first_name,last_name,email\nspy,Спас,Шпионов,spy@example.org\n", encoding="utf-8")
    env = kit_env(root, workspace)
    env["JUPYTERHUB_API_TOKEN"] = SECRET  # as when a trainer grades from a hub terminal
    env["CIVICKIT_TRAINER_NOTE"] = SECRET
    run([BIN / "civickit", "cohort", "init"], cwd=root, env=env)
    run([BIN / "civickit", "cohort", "release", ASSIGNMENT], cwd=root, env=env)
    probes = [str(REPO / ".git"), str(REPO / "assignments"), str(REPO / "README.md"), str(root), str(workspace),
              str(roster), env["HOME"], "/etc/shadow", "/root/.bash_history"]
    source = json.loads((root / "assignments" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    for student in ("spy", "fgspy"):
        folder = workspace / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
        (folder / NOTEBOOK).write_text(json.dumps(spy_notebook(source, probes), ensure_ascii=False), encoding="utf-8")
    return root, workspace, env, probes


@pytest.fixture(scope="module")
def graded(cohort):
    """spy graded by `civickit cohort autograde`, fgspy by Formgrader's Autograde API in `civickit start`'s server."""
    root, workspace, env, _ = cohort
    run([BIN / "civickit", "cohort", "autograde", ASSIGNMENT], cwd=root, env=env)
    port, token = free_port(), uuid.uuid4().hex
    server_env = dict(env, CIVICKIT_TOKEN=token)
    log = workspace.parent.parent / "server.log"
    # Formgrader's API runs in the trainer's mode of `make start` (make start MODE=trainer)
    with running([BIN / "civickit", "start", "--no-build", "--port", str(port), "--mode", "trainer"], root, server_env,
                 f"http://127.0.0.1:{port}/api/status", log):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/formgrader/api/submission/{ASSIGNMENT}/fgspy/autograde",
            data=b"", method="POST", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=600) as response:
            answer = json.loads(response.read())
    assert answer.get("success"), answer
    run([BIN / "civickit", "cohort", "feedback", ASSIGNMENT], cwd=root, env=env, expect=None)
    return workspace


STUDENTS = ["spy", "fgspy"]  # graded through the CLI, through Formgrader


@pytest.mark.parametrize("student", STUDENTS)
def test_learner_code_runs_unprivileged(graded, student):
    """Does learner code run as an unprivileged user with no capabilities, even when the trainer is root?"""
    seen, _ = findings(graded, student)
    assert seen["uid"] == 65534
    assert int(seen["cap"], 16) == 0


@pytest.mark.parametrize("student", STUDENTS)
def test_trainer_environment_is_not_visible(graded, student):
    """Is the trainer's environment (a hub token, the kit's paths) kept out of the learner's kernel?"""
    seen, _ = findings(graded, student)
    assert SECRET not in json.dumps(seen["env"])
    assert not {"JUPYTERHUB_API_TOKEN", "CIVICKIT_WORKSPACE", "CIVICKIT_ROOT", "JUPYTER_CONFIG_PATH"} & set(seen["env"])
    assert not any(str(graded.parent) in value for value in seen["env"].values() if value != seen["env"]["HOME"])


@pytest.mark.parametrize("student", STUDENTS)
def test_only_an_allow_list_of_paths_is_visible(graded, cohort, student):
    """Are the kit's .git and sources, the workspace, the trainer's home and files, /etc/shadow all out of reach?"""
    seen, _ = findings(graded, student)
    cwd = graded / "autograded" / student / ASSIGNMENT
    # Folders above the learner's own folder exist only as the path to it: nothing else is in them.
    expected = {p: [cwd.relative_to(p).parts[0]] if cwd.is_relative_to(p) else False for p in cohort[3]}
    assert seen["reach"] == expected
    tops = {part.split("/")[1] for part in (str(REPO), "/root/.pyenv")}
    allowed = {"bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "etc", "tmp", "dev", "proc", *tops}
    assert set(seen["top"]) <= allowed, seen["top"]


@pytest.mark.parametrize("student", STUDENTS)
def test_processes_disk_and_output_are_limited(graded, student):
    """Are a fork bomb, a filled /tmp, a huge file and a 5 MB output line all stopped at the sandbox's limits?"""
    from civickit.output_limits import LimitOutputSize
    from civickit.sandbox import PROCESS_LIMIT, RAM_DISK_BYTES

    seen, text = findings(graded, student)
    assert seen["fork_error"] == "BlockingIOError" and seen["forked"] < PROCESS_LIMIT
    assert seen["tmp_mb"] * 1024**2 <= RAM_DISK_BYTES and seen["tmp_error"] == "OSError"
    assert seen["big_file"] == "OSError"  # RLIMIT_FSIZE
    assert len(text) < LimitOutputSize.max_chars.default_value + 1000
    assert "изходът е съкратен" in text


@pytest.mark.parametrize("student", STUDENTS)
def test_files_written_by_learner_code_reach_nobody(graded, student):
    """Does a file that learner code writes while graded stay out of the autograded folder and the feedback?"""
    assert not list(graded.glob(f"autograded/{student}/**/{LEFT_BEHIND}"))
    assert not list(graded.glob(f"feedback/{student}/**/{LEFT_BEHIND}"))
    assert not list(graded.glob(f"autograded/{student}/**/big.bin"))


@pytest.mark.parametrize("student", STUDENTS)
def test_spying_answer_still_scores_as_the_solution(graded, student):
    """Does spying change nothing in the score: the right answer still gets its points?"""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gb:
        assert gb.find_submission(ASSIGNMENT, student).score == 5
