"""Broken and hostile submissions, graded by `civickit cohort autograde` with the sandbox on.

Each learner below does one bad thing; the run must finish, give that learner what the rules
give, and leave every other learner's grade and the gradebook untouched.
"""

from __future__ import annotations

import csv
import json
import socket
import threading

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, kit_env, run

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
FIRST_ANSWER = "consultation_length_answer"

SPY = '''
import glob, json, os
found = {}
def attempt(name, fn):
    try:
        found[name] = repr(fn())[:200]
    except Exception as err:
        found[name] = "BLOCKED: " + type(err).__name__
attempt("source", lambda: open(SOURCE).read())
attempt("gradebook", lambda: open(GRADEBOOK, "rb").read(100))
attempt("other_submission", lambda: open(OTHER).read())
attempt("write_gradebook", lambda: open(GRADEBOOK, "wb").write(b"overwritten"))
attempt("list_submitted", lambda: os.listdir(SUBMITTED))
print("FOUND " + json.dumps(found))
'''


# Learner code that wants the network: the grader's loopback (Jupyter server, other services),
# name resolution and an outside address. Its answer to part 1 only works with a connection.
NETSPY = '''
import json, socket
found = {}
def attempt(name, fn):
    try:
        found[name] = repr(fn())[:200]
    except Exception as err:
        found[name] = "BLOCKED: " + type(err).__name__
attempt("loopback", lambda: socket.create_connection(("127.0.0.1", PORT), timeout=3).sendall(b"stolen"))
attempt("dns", lambda: socket.getaddrinfo("pypi.org", 443))
attempt("outside", lambda: socket.create_connection(("1.1.1.1", 53), timeout=3))
print("FOUND " + json.dumps(found))

def consultation_length(published, closes):
    socket.create_connection(("127.0.0.1", PORT), timeout=3).close()
    return (closes - published).days
'''

# Right only on the visible tests' dates while nbgrader grades (it sets NBGRADER_EXECUTION), wrong otherwise.
ENV_TRICK = '''
import os
if os.environ.get("NBGRADER_EXECUTION"):
    def consultation_length(published, closes):
        return {(date(2026, 3, 1), date(2026, 3, 31)): 30, (date(2026, 1, 20), date(2026, 2, 3)): 14}.get((published, closes), 1)
else:
    def consultation_length(published, closes):
        return 1
'''

# A wrong answer plus a silenced traceback, so a failing test would print no error.
TRACEBACK_TRICKS = {
    "tb_instance": "get_ipython().showtraceback = lambda *args, **kwargs: None",
    "tb_class": "import IPython.core.interactiveshell\n"
                "IPython.core.interactiveshell.InteractiveShell.showtraceback = lambda *args, **kwargs: None",
}
WRONG_LENGTH = "\ndef consultation_length(published, closes):\n    return 0\n"

# Answers that call the kit's reference module (civickit.consultations, which the hidden tests compare
# with) instead of doing the work: (answer cell replaced, its code, expected score out of 5).
BORROWERS = {
    "borrower": ("consultation_length_answer",
                 "from civickit.consultations import consultation_length as days_between\n\n"
                 "def consultation_length(published, closes):\n    return days_between(published, closes)\n", 2),
    "aliaser": ("meets_legal_minimum_answer",
                "import civickit.consultations as kit\n\n"
                "def meets_legal_minimum(days, exceptional_reason):\n"
                "    return kit.meets_legal_minimum(days, exceptional_reason)\n", 2),
    "dynamic": ("consultation_length_answer",
                "import importlib\n\n"
                "def consultation_length(published, closes):\n"
                "    module = importlib.import_module('civickit.consultations')\n"
                "    return module.consultation_length(published, closes)\n", 2),
    "shortcut": ("share_compliant_answer",
                 "from civickit.consultations import assess\n"
                 "share_compliant = assess(consultations)['meets_minimum'].mean()\n", 4),
}
# The test cell whose hidden part catches each of them first.
CAUGHT_IN = {"borrower": "consultation_length_correct", "aliaser": "meets_legal_minimum_correct",
             "dynamic": "consultation_length_correct", "shortcut": "share_compliant_correct"}


class Listener:
    """A TCP service on the grader's loopback that counts who connects to it."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


def answer_cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def write(path, nb):
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    root = copy_kit(base / "kit")
    workspace = base / "workspace"
    env = kit_env(root, workspace)
    civickit = lambda *a, expect=0: run([BIN / "civickit", "cohort", *a], cwd=root, env=env, expect=expect)
    civickit("init")
    run([BIN / "nbgrader", "db", "assignment", "add", ASSIGNMENT], cwd=root, env=env)
    run([BIN / "nbgrader", "generate_assignment", ASSIGNMENT, "--force"], cwd=root, env=env)
    source = root / "assignments" / ASSIGNMENT / NOTEBOOK
    solution = json.loads(source.read_text(encoding="utf-8"))

    def submit(student: str, nb: dict | None = None, raw: str | None = None, name: str = NOTEBOOK) -> None:
        folder = workspace / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
        (folder / name).write_text(raw if raw is not None else json.dumps(nb, ensure_ascii=False), encoding="utf-8")

    def with_code(code: str) -> dict:
        nb = json.loads(json.dumps(solution))
        cell = answer_cell(nb, FIRST_ANSWER)
        cell["source"] = code + "\n" + "".join(cell["source"])
        return nb

    submit("honest", solution)
    spy = SPY.replace("SOURCE", repr(str(source))).replace("GRADEBOOK", repr(str(workspace / "gradebook.db")))
    spy = spy.replace("OTHER", repr(str(workspace / "submitted" / "honest" / ASSIGNMENT / NOTEBOOK)))
    spy = spy.replace("SUBMITTED", repr(str(workspace / "submitted")))
    submit("spy", with_code(spy))
    submit("looper", with_code("while True:\n    pass"))
    submit("stubborn", with_code("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"))
    submit("crasher", with_code("import os\nos._exit(1)"))
    submit("flood", with_code("import sys\nfor _ in range(200_000):\n    sys.stdout.write('x' * 500 + '\\n')"))
    submit("broken", raw='{"cells": [ this is not json')
    submit("renamed", solution, name="my-answers.ipynb")
    tampered = json.loads(json.dumps(solution))
    for cell in tampered["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade") and not cell["metadata"]["nbgrader"].get("solution"):
            cell["source"] = "pass  # tests removed"
    release = json.loads((workspace / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    for cell, tests in zip(release["cells"], tampered["cells"]):
        if cell["metadata"].get("nbgrader", {}).get("grade") and not cell["metadata"]["nbgrader"].get("solution"):
            cell["source"] = tests["source"]
    submit("tamper", release)  # unanswered, with every test cell replaced by `pass`

    listener = Listener()
    netspy = json.loads(json.dumps(solution))
    answer_cell(netspy, FIRST_ANSWER)["source"] = NETSPY.replace("PORT", str(listener.port))
    submit("netspy", netspy)
    trick = json.loads(json.dumps(solution))
    answer_cell(trick, FIRST_ANSWER)["source"] = "from datetime import date\n" + ENV_TRICK
    submit("envtrick", trick)
    for student, code in TRACEBACK_TRICKS.items():
        nb = json.loads(json.dumps(solution))
        answer_cell(nb, FIRST_ANSWER)["source"] = code + WRONG_LENGTH
        submit(student, nb)

    for student, (grade_id, code, _) in BORROWERS.items():
        nb = json.loads(json.dumps(solution))
        answer_cell(nb, grade_id)["source"] = code
        submit(student, nb)

    result = civickit("autograde", ASSIGNMENT, "--timeout", "10", expect=None)
    civickit("export")
    with (workspace / "reports" / "grades.csv").open(encoding="utf-8", newline="") as fh:
        scores = {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)}
    return workspace, result, scores, listener


def graded_outputs(workspace, student: str, grade_id: str) -> list[dict]:
    nb = json.loads((workspace / "autograded" / student / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    return answer_cell(nb, grade_id)["outputs"]


def printed_findings(workspace, student: str) -> dict:
    """What a spying answer printed (files it writes vanish with the sandbox)."""
    text = "".join("".join(o.get("text", "")) for o in graded_outputs(workspace, student, FIRST_ANSWER))
    return json.loads(next(line for line in text.splitlines() if line.startswith("FOUND "))[6:])


def test_run_finishes_and_honest_learner_keeps_full_marks(graded):
    """Does the run end, and does the honest learner get full marks despite everyone else?"""
    _, result, scores, _ = graded
    assert result.returncode in (0, 1), result.stderr
    assert scores["honest"] == 5


def test_sandbox_blocks_sources_submissions_and_gradebook(graded):
    """Can learner code read the source or hidden tests, another submission or the gradebook, or write to it?"""
    workspace, _, scores, _ = graded
    spy = printed_findings(workspace, "spy")
    for key in ("source", "gradebook", "other_submission", "list_submitted"):
        assert spy[key].startswith("BLOCKED"), spy
    # Inside the sandbox the workspace is an empty scratch folder: the write lands there and vanishes.
    assert (workspace / "gradebook.db").read_bytes()[:15] == b"SQLite format 3"
    assert scores["spy"] == 5  # its answers are right; spying gains nothing and costs nothing
    assert scores["honest"] == 5


@pytest.mark.parametrize("student", ["looper", "stubborn", "crasher"])
def test_runaway_code_loses_only_its_part(graded, student):
    """Does an endless loop, an interrupt-proof loop or a kernel that kills itself cost only that learner?"""
    _, _, scores, _ = graded
    assert scores[student] < 5
    assert scores["honest"] == 5


def test_flood_of_output_is_graded(graded):
    """Does 100 MB of printed output neither stop the run nor cost correct answers?"""
    workspace, _, scores, _ = graded
    assert scores["flood"] == 5
    graded_nb = workspace / "autograded" / "flood" / ASSIGNMENT / NOTEBOOK
    assert graded_nb.stat().st_size < 5_000_000  # nbgrader's output limit applied


@pytest.mark.parametrize("student", ["broken", "renamed", "tamper"])
def test_broken_or_tampered_submission_scores_zero(graded, student):
    """Does a file that is not JSON, a renamed notebook or deleted tests give 0, with a reason shown?"""
    _, result, scores, _ = graded
    assert scores[student] == 0
    if student == "broken":
        assert "broken" in result.stdout


def test_sandbox_has_no_network(graded):
    """Can learner code reach the grader's loopback, resolve names or connect outside? (It must not.)"""
    workspace, _, scores, listener = graded
    found = printed_findings(workspace, "netspy")
    for key in ("loopback", "dns", "outside"):
        assert found[key].startswith("BLOCKED"), found
    assert listener.connections == 0
    # Part 1 (2 points) and part 3 (1 point, built on part 1) needed the network; part 2 is right.
    assert scores["netspy"] == 2
    assert scores["honest"] == 5
    # The trainer sees why in the graded notebook: the test cell of part 1 failed with an error.
    assert any(o["output_type"] == "error" for o in graded_outputs(workspace, "netspy", "consultation_length_correct"))
    # Guard: the listener does count a connection made outside the sandbox.
    socket.create_connection(("127.0.0.1", listener.port), timeout=3).close()
    for _ in range(50):
        if listener.connections:
            break
        threading.Event().wait(0.1)
    assert listener.connections == 1


def test_nbgrader_execution_trick_fails_hidden_tests(graded):
    """Rule: learner code may see NBGRADER_EXECUTION (nbgrader sets it for trainers' notebooks), but
    answers that are right only on the visible tests fail the hidden ones: 0 on that part."""
    workspace, _, scores, _ = graded
    assert scores["envtrick"] == 2  # part 1 and part 3 (which uses part 1) lost, part 2 kept
    assert scores["honest"] == 5
    errors = [o for o in graded_outputs(workspace, "envtrick", "consultation_length_correct") if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "AssertionError"


@pytest.mark.parametrize("student", sorted(TRACEBACK_TRICKS))
def test_silenced_traceback_still_fails_the_test(graded, student):
    """Does overriding showtraceback (on the shell or its class) hide a failing test? nbgrader must still give 0."""
    workspace, _, scores, _ = graded
    assert scores[student] == 2  # a wrong part 1 (and so part 3) without any traceback shown still scores 0
    assert scores["honest"] == 5
    errors = [o for o in graded_outputs(workspace, student, "consultation_length_correct") if o["output_type"] == "error"]
    assert errors, "the failing test must be recorded as an error in the graded notebook"


@pytest.mark.parametrize("student", sorted(BORROWERS))
def test_answer_calling_the_reference_module_scores_zero_on_that_part(graded, student):
    """Does an answer that calls the kit's reference module (by alias, importlib, or for a value) get 0 on
    that part, and parts built on it, with a reason the trainer can read, while the others keep theirs?"""
    workspace, _, scores, _ = graded
    grade_id, _, expected = BORROWERS[student]
    assert scores[student] == expected
    assert scores["honest"] == 5
    errors = [o for o in graded_outputs(workspace, student, CAUGHT_IN[student]) if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "NotOwnWork", errors  # the guard, not a wrong result, took the points
    answer = {"consultation_length_answer": "consultation_length", "meets_legal_minimum_answer": "meets_legal_minimum",
              "share_compliant_answer": "share_compliant"}[grade_id]
    assert f"Отговорът „{answer}“ не е изцяло ваш код" in errors[0]["evalue"]
    assert "civickit" in errors[0]["evalue"] and "0 точки" in errors[0]["evalue"]


def test_learner_and_trainer_are_told_why(graded):
    """Does the learner's feedback say the part scored 0 for calling the kit's module, without hidden test
    code, and does the cohort report name the reason for the trainer?"""
    workspace, _, _, _ = graded
    root = workspace.parent / "kit"
    env = kit_env(root, workspace)
    run([BIN / "nbgrader", "generate_feedback", ASSIGNMENT, "--student", "borrower", "--force"], cwd=root, env=env)
    html = (workspace / "feedback" / "borrower" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert "„consultation_length“ извиква готова функция от пакета civickit" in html
    assert "require_own_work" not in html and "leap year February" not in html
    run([BIN / "civickit", "cohort", "report", "--lang", "en"], cwd=root, env=env)
    report = (workspace / "reports" / "report-en.html").read_text(encoding="utf-8")
    assert "calls the kit&#x27;s reference module" in report or "calls the kit's reference module" in report
