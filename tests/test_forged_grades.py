"""Answers that try to forge their grade, graded by `civickit cohort autograde` with the sandbox on.

Each learner submits the solution with one part replaced by a wrong answer plus a trick that made
plain nbgrader (tests run in the learner's kernel after the learner's code) give that part full
marks. The test cells now run in the grader (civickit.trusted_check): every trick must leave the
wrong part, and the parts built on it, at exactly 0, and the honest learner at full marks.
"""

from __future__ import annotations

import csv
import json

import pytest

from conftest import BIN, copy_kit, kit_env, run

pytestmark = pytest.mark.slow

WRONG_LENGTH = "def consultation_length(published, closes):\n    return 0\n"

# public-consultation: part 1 consultation_length (2 points), part 2 meets_legal_minimum (2), part 3
# share_compliant (1, computed from parts 1 and 2). (answer cell replaced, code, score now, score before)
CONSULTATION_TRICKS = {
    "transformer": ("consultation_length_answer",
                    "def _no_tests(lines):\n"
                    "    return ['pass\\n'] if any('assert' in line for line in lines) else lines\n"
                    "get_ipython().input_transformers_cleanup.append(_no_tests)\n" + WRONG_LENGTH, 2),
    "do_execute": ("consultation_length_answer",
                   "_kernel = get_ipython().kernel\n_real = _kernel.do_execute\n"
                   "def _no_tests(code, *args, **kwargs):\n"
                   "    return _real('pass' if 'assert' in code else code, *args, **kwargs)\n"
                   "_kernel.do_execute = _no_tests\n" + WRONG_LENGTH, 2),
    "always_equal": ("consultation_length_answer",
                     "class Days(float):\n    def __eq__(self, other):\n        return True\n"
                     "    __hash__ = float.__hash__\n\n"
                     "def consultation_length(published, closes):\n    return Days(0)\n", 2),
    "lying_object": ("consultation_length_answer",
                     "class Anything:\n"
                     "    def __eq__(self, other):\n        return True\n"
                     "    def __bool__(self):\n        return True\n"
                     "    def __ge__(self, other):\n        return True\n\n"
                     "def consultation_length(published, closes):\n    return Anything()\n", 2),
    "guard_off": ("consultation_length_answer",
                  "import importlib\n"
                  "importlib.import_module('civickit.' + 'own_work').require_own_work = lambda *a, **k: None\n\n"
                  "def consultation_length(published, closes):\n"
                  "    return importlib.import_module('civickit.' + 'consultations').consultation_length(published, closes)\n",
                  2),
    # The reference's has_reason uses isinstance(reason, str): patched, the expected share becomes the
    # share of 30-day consultations, which is this wrong answer (it ignores the stated reasons).
    "isinstance": ("share_compliant_answer",
                   "import builtins\n_real = builtins.isinstance\n"
                   "builtins.isinstance = lambda o, c: False if c is str and type(o) is str and len(o) >= 30 else _real(o, c)\n"
                   "days = [consultation_length(p, c) for p, c in zip(consultations['published'], consultations['closes'])]\n"
                   "share_compliant = sum(d >= 30 for d in days) / len(days)\n", 4),
}
# Part 2 written without isinstance, so the patch above does not break the learner's own answer.
OWN_MINIMUM = ("def meets_legal_minimum(days, exceptional_reason):\n"
               "    has_reason = type(exceptional_reason) is str and exceptional_reason.strip() != ''\n"
               "    return days >= (14 if has_reason else 30)\n")

# needs-assessment: clean_survey changes the table it is given (its hidden test checks raw.equals(before)).
MUTATING_CLEAN = ("def clean_survey(df):\n"
                  "    df['municipality'] = df['municipality'].str.strip().str.capitalize()\n"
                  "    return df.drop_duplicates(subset='org_id', keep='first').reset_index(drop=True)\n"
                  "survey_clean = clean_survey(survey)\n")
SURVEY_TRICKS = {
    "equals_patch": "import pandas as pd\npd.DataFrame.equals = lambda self, other: True\n" + MUTATING_CLEAN,
    "mutator": MUTATING_CLEAN,  # an honest mistake: same score as plain nbgrader gives it
}
SURVEY_LOST = 2  # clean_survey_normalises_municipality


def answer_cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def grade(base, assignment: str, submissions: dict) -> tuple:
    """Autograde {learner: notebook} with `civickit cohort autograde`; the learners' scores and the workspace."""
    root = copy_kit(base / "kit")
    workspace = base / "workspace"
    env = kit_env(root, workspace)
    run([BIN / "civickit", "cohort", "init"], cwd=root, env=env)
    run([BIN / "nbgrader", "db", "assignment", "add", assignment], cwd=root, env=env)
    run([BIN / "nbgrader", "generate_assignment", assignment, "--force"], cwd=root, env=env)
    for student, nb in submissions.items():
        folder = workspace / "submitted" / student / assignment
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
        (folder / f"{assignment}.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    result = run([BIN / "civickit", "cohort", "autograde", assignment, "--timeout", "30"], cwd=root, env=env, expect=None)
    run([BIN / "civickit", "cohort", "export"], cwd=root, env=env)
    with (workspace / "reports" / "grades.csv").open(encoding="utf-8", newline="") as fh:
        scores = {r["student_id"]: float(r["score"]) for r in csv.DictReader(fh)}
    return scores, workspace, result


def solution(assignment: str) -> dict:
    from conftest import REPO

    return json.loads((REPO / "assignments" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def consultation(tmp_path_factory):
    submissions = {"honest": solution("public-consultation")}
    for student, (grade_id, code, _) in CONSULTATION_TRICKS.items():
        nb = solution("public-consultation")
        answer_cell(nb, grade_id)["source"] = code
        if student == "isinstance":
            answer_cell(nb, "meets_legal_minimum_answer")["source"] = OWN_MINIMUM
        submissions[student] = nb
    return grade(tmp_path_factory.mktemp("forged"), "public-consultation", submissions)


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    submissions = {"honest": solution("needs-assessment")}
    for student, code in SURVEY_TRICKS.items():
        nb = solution("needs-assessment")
        answer_cell(nb, "clean_survey_answer")["source"] = code
        submissions[student] = nb
    return grade(tmp_path_factory.mktemp("forged-survey"), "needs-assessment", submissions)


def graded_cell(workspace, student: str, assignment: str, grade_id: str) -> dict:
    nb = json.loads((workspace / "autograded" / student / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    return answer_cell(nb, grade_id)


@pytest.mark.parametrize("student", sorted(CONSULTATION_TRICKS))
def test_trick_gives_the_wrong_part_zero(consultation, student):
    """Does a trick (tests switched off by an input transformer or a wrapped do_execute, an always-equal
    float, an object whose __eq__/__bool__ lie, the own-work guard switched off before calling the reference,
    a patched builtins.isinstance) leave the wrong part and the parts built on it at exactly 0?"""
    scores, _, _ = consultation
    assert scores["honest"] == 5
    assert scores[student] == CONSULTATION_TRICKS[student][2]


def test_every_trick_is_graded(consultation):
    """Does the run grade every learner (no trick makes the grading itself fail)?"""
    _, _, result = consultation
    assert result.returncode == 0, result.stdout + result.stderr


def test_reference_module_is_refused_with_a_reason(consultation):
    """Does the answer that switched the guard off and imported the reference module fail as NotOwnWork?"""
    _, workspace, _ = consultation
    errors = [o for o in graded_cell(workspace, "guard_off", "public-consultation", "consultation_length_correct")["outputs"]
              if o["output_type"] == "error"]
    assert errors and errors[0]["ename"] == "NotOwnWork", errors
    assert "Отговорът „consultation_length“ не е изцяло ваш код" in errors[0]["evalue"]


def test_patched_equals_does_not_hide_a_changed_input(survey):
    """Does monkeypatching pandas.DataFrame.equals in the learner's kernel hide that clean_survey changes its
    input? (It must not: the same 2 points are lost as by the honest learner with that mistake.)"""
    from conftest import REPO, autograded_points

    scores, _, result = survey
    full = autograded_points(REPO / "assignments" / "needs-assessment" / "needs-assessment.ipynb")
    assert result.returncode == 0, result.stdout + result.stderr
    assert scores["honest"] == full
    assert scores["mutator"] == full - SURVEY_LOST
    assert scores["equals_patch"] == full - SURVEY_LOST
