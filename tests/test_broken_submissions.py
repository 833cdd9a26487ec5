"""Broken notebooks that come through nbgrader's exchange: learners fetch, damage their notebook, submit;
the trainer runs `civickit cohort collect` and `civickit cohort autograde`. nbgrader itself says only
"Please see the above traceback"; the trainer must read which file is wrong, what is wrong and what to do,
on screen, in the grading log and in `civickit cohort status`.
"""

from __future__ import annotations

import json

import pytest

from conftest import ASSIGNMENT, cohort_commands, copy_kit, kit_env

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
ANSWER = "consultation_length_answer"
ROSTER = "id,first_name,last_name,email\n" + "".join(
    f"{s},Име,Фамилия,{s}@example.org\n" for s in ("honest", "surrogate", "nulbyte", "nometa", "notjson"))


def answer_cell(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == ANSWER)


def damaged(solution: dict, student: str) -> bytes:
    """The bytes a learner's editor (or the learner) left in the notebook file."""
    nb = json.loads(json.dumps(solution))
    if student == "honest":
        return json.dumps(nb, ensure_ascii=False).encode()
    if student == "surrogate":  # valid JSON (an escape), but no UTF-8 text: nbgrader cannot write it
        answer_cell(nb)["source"] = "label = '\ud83d'\n" + "".join(answer_cell(nb)["source"])
        return json.dumps(nb).encode()
    if student == "nulbyte":  # a raw NUL byte inside a string of the file
        answer_cell(nb)["source"] = "label = 'NULHERE'\n" + "".join(answer_cell(nb)["source"])
        return json.dumps(nb, ensure_ascii=False).encode().replace(b"NULHERE", b"a\0b")
    if student == "nometa":
        del nb["metadata"]
        return json.dumps(nb, ensure_ascii=False).encode()
    return json.dumps(nb, ensure_ascii=False).encode()[:5000]  # notjson: the file cut short


EXPECTED = {  # what the trainer must read about each learner's file
    "surrogate": "not a valid notebook: lone surrogate U+D83D",
    "nulbyte": "not a valid notebook: not JSON (Invalid control character",
    "nometa": "not a valid notebook: 'metadata' is a required property",
    "notjson": "not a valid notebook: not JSON",
}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    base = tmp_path_factory.mktemp("broken")
    root = copy_kit(base / "kit")
    work = base / "workspace"
    env = kit_env(root, work)
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    civickit, learner = cohort_commands(root, env, base / "homes")

    civickit("init")
    civickit("roster", str(roster))
    civickit("release", ASSIGNMENT)
    solution = json.loads((root / "assignments" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    sent = {}
    for student in ("honest", *EXPECTED):
        learner(student, "fetch_assignment", ASSIGNMENT)
        sent[student] = damaged(solution, student)
        (base / "homes" / student / ASSIGNMENT / NOTEBOOK).write_bytes(sent[student])
        learner(student, "submit", ASSIGNMENT)
    civickit("collect", ASSIGNMENT)
    result = civickit("autograde", ASSIGNMENT, expect=1)  # 1: some learners could not be graded
    status = civickit("status", "--assignment", ASSIGNMENT)
    log = [json.loads(line) for line in (work / "grading-log" / f"{ASSIGNMENT}.jsonl").read_text(encoding="utf-8").splitlines()]
    return work, result, status, {r["student"]: r for r in log}, sent


def screen_line(result, student: str) -> str:
    return next(line for line in result.stdout.splitlines() if line.strip().startswith(f"{student}:"))


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_trainer_reads_which_file_is_broken_and_how(cohort, student):
    """Does autograde's screen name the learner's file, what is wrong with it and what to do, instead of
    nbgrader's "Please see the above traceback"?"""
    _, result, _, _, _ = cohort
    line = screen_line(result, student)
    assert f"submitted/{student}/{ASSIGNMENT}/{NOTEBOOK}: {EXPECTED[student]}" in line, line
    assert "submit again" in line and f"civickit cohort autograde {ASSIGNMENT}" in line, line
    assert "traceback" not in line.lower(), line


@pytest.mark.parametrize("student", sorted(EXPECTED))
def test_grading_log_and_status_say_the_same(cohort, student):
    """Do the grading log and `civickit cohort status` keep that reason, so a trainer who comes back later reads it?"""
    _, _, status, log, _ = cohort
    assert log[student]["status"] == "failed"
    assert EXPECTED[student] in log[student]["reason"] and "traceback" not in log[student]["reason"].lower()
    line = next(line for line in status.stdout.splitlines() if line.strip().startswith(f"{student}: submitted/"))
    assert EXPECTED[student] in line


def test_broken_submissions_stay_as_sent_and_the_honest_one_is_graded(cohort):
    """Is each broken notebook kept byte for byte as the learner sent it, and is the honest learner graded in full?"""
    from nbgrader.api import Gradebook

    work, result, _, log, sent = cohort
    for student in EXPECTED:
        assert (work / "submitted" / student / ASSIGNMENT / NOTEBOOK).read_bytes() == sent[student]
    assert log["honest"]["status"] == "graded" and "Autograded 1 of 5" in result.stdout
    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        assert gb.find_submission(ASSIGNMENT, "honest").score == 5
