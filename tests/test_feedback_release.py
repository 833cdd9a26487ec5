"""`civickit cohort feedback` for a cohort collected both ways: through nbgrader's exchange and with
`collect --from`, plus one learner whose feedback cannot be made. Real nbgrader (exchange, sandboxed
autograde, generate_feedback, release_feedback, a learner's fetch_feedback) in a copy of the kit."""

from __future__ import annotations

import zipfile

import pytest
from nbgrader.utils import notebook_hash

from conftest import ASSIGNMENT, cohort_commands, copy_kit, kit_env

pytestmark = pytest.mark.slow

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
ROSTER = (
    "id,first_name,last_name,email\n"
    "maria,Мария,Иванова,maria@example.org\n"
    "petar,Петър,Петров,petar@example.org\n"
    "georgi,Георги,Георгиев,georgi@example.org\n"
    "eli,Елица,Стоянова,eli@example.org\n"
)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """maria submits through the exchange; petar, georgi and eli come in a Moodle zip. georgi's
    submission is as civickit collected it before it wrote secrets (none); eli's autograded notebook is
    damaged after grading, so nbgrader cannot make her feedback."""
    base = tmp_path_factory.mktemp("feedback")
    root = copy_kit(base / "kit")
    work = base / "workspace"
    env = kit_env(root, work)
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    civickit, learner = cohort_commands(root, env, base / "homes")

    civickit("init")
    civickit("roster", str(roster))
    civickit("release", ASSIGNMENT)
    learner("maria", "fetch_assignment", ASSIGNMENT)
    learner("maria", "submit", ASSIGNMENT)
    civickit("collect", ASSIGNMENT)
    solution = (root / "assignments" / ASSIGNMENT / NOTEBOOK).read_bytes()
    archive = base / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in ("Петър Петров", "Георги Георгиев", "Елица Стоянова"):
            zf.writestr(zipfile.ZipInfo(f"{name}_8123_assignsubmission_file_/{NOTEBOOK}", (2026, 12, 1, 10, 0, 0)), solution)
    civickit("collect", ASSIGNMENT, "--from", str(archive))
    (work / "submitted" / "georgi" / ASSIGNMENT / "submission_secret.txt").unlink(missing_ok=True)
    assert "Autograded 4 of 4" in civickit("autograde", ASSIGNMENT).stdout
    (work / "autograded" / "eli" / ASSIGNMENT / NOTEBOOK).write_text("{not json", encoding="utf-8")
    result = civickit("feedback", ASSIGNMENT, expect=1)  # 1: one learner has no feedback
    fetched = learner("maria", "fetch_feedback", ASSIGNMENT)
    return work, base, result, fetched


def line_of(result, student):
    return next(line for line in result.stdout.splitlines() if line.strip().startswith(f"{student}:"))


def released(work, student):
    secret = (work / "feedback" / student / ASSIGNMENT / "submission_secret.txt").read_text(encoding="utf-8")
    return work / "exchange" / "civickit" / "feedback" / f"{notebook_hash(secret=secret, notebook_id=ASSIGNMENT)}.html"


def test_exchange_learner_fetches_her_feedback_despite_the_others(cohort):
    """Does the learner who submitted through the exchange get her feedback in her own folder, although
    another learner's feedback failed and two came from a zip?"""
    work, base, result, fetched = cohort
    assert "Traceback" not in result.stdout + result.stderr
    mine = list((base / "homes" / "maria" / ASSIGNMENT / "feedback").rglob(f"{ASSIGNMENT}.html"))
    assert len(mine) == 1
    assert mine[0].read_bytes() == (work / "feedback" / "maria" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_bytes()
    assert "fetches it in JupyterLab" in line_of(result, "maria")


def test_zip_learners_feedback_is_made_and_the_trainer_told_where(cohort):
    """Do learners collected with --from get feedback made (with or without a secret), kept out of the
    exchange where they could never fetch it, with the file the trainer must send them named on screen?"""
    work, _, result, _ = cohort
    for student in ("petar", "georgi"):
        html = work / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert html.is_file() and "скрити тестове" in html.read_text(encoding="utf-8").lower()
        assert "outside the exchange" in line_of(result, student) and str(html) in line_of(result, student)
    assert not released(work, "petar").exists()
    assert not (work / "feedback" / "georgi" / ASSIGNMENT / "submission_secret.txt").exists()  # none made up
    assert "Feedback for public-consultation: 3 of 4 learners (1 to fetch in JupyterLab, 2 to send)." in result.stdout


def test_one_learners_failure_is_named_in_one_line(cohort):
    """Is the learner whose feedback nbgrader could not make named with the reason, and nobody else?"""
    _, _, result, _ = cohort
    eli = line_of(result, "eli")
    assert "no feedback" in eli and "nbgrader could not generate" in eli and "Please see the" not in eli
    assert [line for line in result.stdout.splitlines() if "no feedback" in line] == [eli]


def test_no_learner_can_reach_anothers_feedback(cohort):
    """Has every submission its own random secret, and is the one file in the exchange named by the
    secret of the learner who sent her work through it?"""
    work, _, _, _ = cohort
    secrets = {s: (work / "submitted" / s / ASSIGNMENT / "submission_secret.txt").read_text(encoding="utf-8")
               for s in ("maria", "petar")}
    assert secrets["maria"] != secrets["petar"] and all(len(s) == 128 for s in secrets.values())
    files = sorted(p.name for p in (work / "exchange" / "civickit" / "feedback").iterdir())
    assert files == [released(work, "maria").name]
