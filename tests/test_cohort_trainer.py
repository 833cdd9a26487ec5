"""The trainer's steps after release: due dates and late policy, collecting a zip or folder, the cohort
report with charts, certificates. Real nbgrader runs in a copy of the kit; nothing is mocked."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import zipfile
from datetime import datetime

import pytest

from civickit.deadlines import parse_local, penalty
from civickit.errors import KitError
from civickit.zip_collect import match
from conftest import ASSIGNMENT, BIN, autograded_points, copy_kit, kit_env, nbgrader, run

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
DUE = "2026-12-15 23:59"  # Europe/Sofia, winter time: 21:59:00 UTC
ROSTER = (
    "id,first_name,last_name,email\n"
    "maria,Мария,Иванова,maria@example.org\n"
    "petar,Петър,Петров,petar@example.org\n"
    "georgi,Георги,Георгиев,georgi@example.org\n"
    "ivan,Иван,Неподалов,ivan@example.org\n"
    "eli,Елица,Стоянова,eli@example.org\n"
)


# --- pure rules -------------------------------------------------------------------------------------

def test_due_date_is_converted_with_daylight_saving():
    """Is local Sofia time turned into the right UTC both in winter and in summer?"""
    assert parse_local(DUE, "Europe/Sofia").utcoffset().total_seconds() == 2 * 3600
    assert parse_local("2026-07-01 12:00", "Europe/Sofia").utcoffset().total_seconds() == 3 * 3600


@pytest.mark.parametrize("when", ["2026-03-29 03:30", "2026-10-25 03:30", "15.12.2026"])
def test_impossible_or_ambiguous_due_date_is_refused(when):
    """Is a time skipped or repeated by a daylight-saving change (or a wrong format) refused, not guessed?"""
    with pytest.raises(KitError):
        parse_local(when, "Europe/Sofia")


def test_late_rules():
    """Does each rule take what it says: nothing on time, all for 'zero', 10 % per started day?"""
    per_day = {"rule": "per-day", "percent": 10}
    assert penalty({"rule": "zero"}, 5, 0) is None
    assert penalty({"rule": "zero"}, 5, 1) == 5
    assert penalty({"rule": "accept"}, 5, 10**6) is None
    assert penalty(per_day, 5, 1) == pytest.approx(0.5)
    assert penalty(per_day, 5, 86400 + 1) == pytest.approx(1.0)
    assert penalty(per_day, 5, 86400 * 30) == 5


def test_file_names_map_to_learners():
    """Do the names trainers receive (folder per learner, id_notebook, Moodle) map to the right learner?"""
    learners = {"maria": ("Мария", "Иванова"), "ana_m": ("Ана", "Маринова"), "ana": ("Ана", "Петкова")}
    nbs = [NOTEBOOK]
    assert match(f"maria/{NOTEBOOK}", nbs, learners).student == "maria"
    assert match(f"ana_m_{NOTEBOOK}", nbs, learners).student == "ana_m"
    assert match(f"ana_{NOTEBOOK}", nbs, learners).student == "ana"
    moodle = match(f"Мария Иванова_81234_assignsubmission_file_/{NOTEBOOK}", nbs, learners)
    assert (moodle.student, moodle.notebook) == ("maria", NOTEBOOK)
    renamed = match("maria/public-consultation (1).ipynb", nbs, learners)
    assert renamed.notebook == NOTEBOOK and "taken as" in renamed.note
    assert "unknown learner id 'stranger'" in match(f"stranger/{NOTEBOOK}", nbs, learners).problem
    assert "no learner named 'Иван Иванов'" in match(f"Иван Иванов_1_assignsubmission_file_/{NOTEBOOK}", nbs, learners).problem


# --- a real cohort ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    base = tmp_path_factory.mktemp("trainer")
    root = copy_kit(base / "kit")
    return root, base / "workspace", kit_env(root, base / "workspace")


def civickit(kit, *args, expect=0):
    root, _, env = kit
    return run([BIN / "civickit", "cohort", *args], cwd=root, env=env, expect=expect)


def submit(kit, student, source, timestamp):
    """A submission as nbgrader's collect leaves it: the notebook and the exact timestamp.txt."""
    root, work, _ = kit
    dest = work / "submitted" / student / ASSIGNMENT
    dest.mkdir(parents=True)
    shutil.copy(source, dest / NOTEBOOK)
    (dest / "timestamp.txt").write_text(timestamp, encoding="utf-8")


@pytest.fixture(scope="module")
def graded(kit, tmp_path_factory):
    """Мария 1 s before the deadline, Петър 1 s after (rule: zero), Георги on time with the untouched
    release, Елица a file that is not a notebook, Иван nothing. Graded as a trainer does (nbgrader underneath)."""
    root, work, env = kit
    roster = tmp_path_factory.mktemp("roster") / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    civickit(kit, "init")
    civickit(kit, "roster", str(roster))
    civickit(kit, "due", ASSIGNMENT, DUE, "--late", "zero")  # before release: release must keep it
    civickit(kit, "release", ASSIGNMENT)
    solution = root / "assignments" / ASSIGNMENT / NOTEBOOK
    submit(kit, "maria", solution, "2026-12-15 21:58:59.000000 UTC")
    submit(kit, "petar", solution, "2026-12-15 23:59:01.000000 Europe/Sofia")
    submit(kit, "georgi", work / "release" / ASSIGNMENT / NOTEBOOK, "2026-12-10 09:00:00.000000 Europe/Sofia")
    broken = work / "broken.ipynb"
    broken.write_text("това не е тетрадка", encoding="utf-8")
    submit(kit, "eli", broken, "2026-12-10 09:00:00.000000 Europe/Sofia")
    out = civickit(kit, "autograde", ASSIGNMENT, expect=1).stdout  # 1: a learner could not be graded
    assert "Autograded 3 of 4" in out
    return work


def gradebook_rows(work):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{work / 'gradebook.db'}") as gb:
        return {s.student.id: (s.score, s.late_submission_penalty, s.total_seconds_late)
                for s in gb.assignment_submissions(ASSIGNMENT)}


def exported(kit):
    civickit(kit, "export")
    with (kit[1] / "reports" / "grades.csv").open(encoding="utf-8", newline="") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


@pytest.mark.slow
def test_one_second_before_is_on_time_one_after_is_late(kit, graded):
    """With the rule 'zero', does 1 s before the deadline keep full points and 1 s after score 0, in the
    gradebook (nbgrader's late penalty), in nbgrader's own export and in civickit's export?"""
    full = autograded_points(kit[0] / "assignments" / ASSIGNMENT / NOTEBOOK)
    book = gradebook_rows(graded)
    assert book["maria"] == (full, 0.0, 0.0)
    assert book["petar"] == (full, full, 1.0)
    rows = exported(kit)
    assert float(rows["maria"]["score"]) == full and float(rows["maria"]["late_penalty"]) == 0
    assert float(rows["petar"]["score"]) == 0 and float(rows["petar"]["late_penalty"]) == full
    assert rows["petar"]["seconds_late"] == "1"
    out = kit[1] / "nbgrader-export.csv"
    nbgrader(kit[0], kit[2], "export", f"--to={out}")
    with out.open(encoding="utf-8") as fh:
        theirs = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert float(theirs["petar"]["score"]) == 0 and float(theirs["maria"]["score"]) == full
    assert theirs["maria"]["duedate"] == "2026-12-15 21:59:00"


@pytest.mark.slow
def test_changed_rule_and_manual_points_are_reflected(kit, graded):
    """After switching to −10 % per day and adding manual points, does the export take 10 % of the new score?"""
    from nbgrader.api import Gradebook

    civickit(kit, "due", ASSIGNMENT, DUE, "--late", "per-day", "--percent", "10")
    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gb:
        grade = gb.find_grade("recommendation", ASSIGNMENT, ASSIGNMENT, "petar")
        grade.manual_score = 3
        gb.db.commit()
    rows = exported(kit)
    full = autograded_points(kit[0] / "assignments" / ASSIGNMENT / NOTEBOOK) + 3
    assert float(rows["petar"]["score"]) == pytest.approx(full * 0.9, abs=0.01)
    civickit(kit, "due", ASSIGNMENT, DUE, "--late", "zero")
    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gb:
        gb.find_grade("recommendation", ASSIGNMENT, ASSIGNMENT, "petar").manual_score = None
        gb.db.commit()
    assert float(exported(kit)["petar"]["score"]) == 0


@pytest.mark.slow
def test_bad_due_date_names_the_problem(kit, graded):
    """Is a due date in a DST gap refused with a line saying so, leaving the old due date?"""
    before = json.loads((graded / "cohort.json").read_text(encoding="utf-8"))
    result = civickit(kit, "due", ASSIGNMENT, "2026-03-29 03:30", expect=2)
    assert "daylight-saving" in result.stderr
    assert json.loads((graded / "cohort.json").read_text(encoding="utf-8")) == before


# --- report -----------------------------------------------------------------------------------------

def bars(html: str, title: str) -> list[float]:
    svg = html[html.index(f"<title>{title}"):]
    svg = svg[: svg.index("</svg>")]
    return [float(v) for v in re.findall(r"class='bar' data-value='([0-9.]+)'", svg)]


@pytest.mark.slow
def test_report_tells_the_trainer_what_happened(kit, graded):
    """Does the Bulgarian report show the gradebook's numbers, the non-submitter, the late learner and why
    points were lost, as one file with no URL in it?"""
    civickit(kit, "report")
    html = (graded / "reports" / "report-bg.html").read_text(encoding="utf-8")
    assert not re.search(r"(https?:)?//[a-z]", html) and "<script" not in html and "<link" not in html
    # distribution: maria 5/8 -> 60–70 %, four learners at 0 -> 0–10 %
    hist = bars(html, f"Разпределение на резултатите (брой обучаеми по дял от максимума): {ASSIGNMENT}")
    assert hist[0] == 4 and hist[6] == 1 and sum(hist) == 5
    # difficulty: every autograded cell is right for maria and petar, wrong for georgi -> 2/3
    difficulty = bars(html, f"Трудност по въпроси (среден дял от точките на клетката): {ASSIGNMENT}")
    assert difficulty[:3] == [pytest.approx(2 / 3)] * 3
    missing = html[html.index("<ul class='missing'>"):]
    assert "Иван Неподалов (ivan)" in missing[: missing.index("</ul>")]
    reasons = {sid: " ".join(line for line in html.splitlines() if line.startswith(f"<tr data-learner='{sid}'"))
               for sid in ("maria", "petar", "georgi", "ivan", "eli")}
    assert "предадено 1 с след срока" in reasons["petar"] and "0 точки" in reasons["petar"]
    assert "няма отговор" in reasons["georgi"] and "не е предал(а)" in reasons["ivan"]
    assert "след срока" not in reasons["maria"]
    assert "автоматичната проверка не завърши: " in reasons["eli"] and "не е предал" not in reasons["eli"]
    assert "Елица" not in missing[: missing.index("</ul>")]
    assert "15.12.2026 г. 23:59" in html


@pytest.mark.slow
def test_report_in_english(kit, graded):
    civickit(kit, "report", "--lang", "en")
    html = (graded / "reports" / "report-en.html").read_text(encoding="utf-8")
    assert "Not submitted" in html and "submitted 1 s after the deadline" in html
    assert "http" not in html


# --- status -----------------------------------------------------------------------------------------

def files_of(folder) -> dict:
    """Every file under folder with its size and modification time, to prove a command wrote nothing."""
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def status_row(out: str, assignment: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith(assignment + " "))
    return re.split(r"\s{2,}", line.strip())


@pytest.mark.slow
def test_status_shows_where_the_cohort_stands(kit, graded):
    """After release, four submissions (Петър 1 s late, Елица's not a notebook) and autograde, does the status
    give each assignment's counts, the due date in Europe/Sofia, the failed learner's logged reason and,
    for one assignment, each learner's time, lateness and score; all without writing to the workspace?"""
    before = files_of(graded)
    out = civickit(kit, "status").stdout
    assert status_row(out, ASSIGNMENT) == [ASSIGNMENT, "yes", "2026-12-15 23:59 Europe/Sofia", "a late submission scores 0",
                                           "4 of 5 (1 late)", "3", "1"]
    assert status_row(out, "stakeholders") == ["stakeholders", "no", "no due date", "-", "0 of 5", "0", "0"]
    assert len([line for line in out.splitlines() if line.split(" ")[0] in os.listdir(kit[0] / "assignments")]) == 6
    reason = civickit_log_reason(graded, "eli")
    assert reason and f"{ASSIGNMENT} / eli: {reason}" in out
    per = civickit(kit, "status", "--assignment", ASSIGNMENT).stdout
    full = autograded_points(kit[0] / "assignments" / ASSIGNMENT / NOTEBOOK)  # 5 of 8: 3 are graded by hand
    rows = {line.split()[0]: line for line in per.splitlines()[3:] if line and not line.startswith(" ")}
    assert re.search(rf"Мария Иванова\s+2026-12-15 23:58:59\s+on time\s+graded\s+{full:g} of 8$", rows["maria"])
    assert re.search(rf"Петър Петров\s+2026-12-15 23:59:01\s+late\s+graded\s+0 of 8$", rows["petar"])
    assert re.search(r"Елица Стоянова\s+2026-12-10 09:00:00\s+on time\s+failed$", rows["eli"])
    assert re.search(r"Иван Неподалов\s+-\s+-\s+not submitted$", rows["ivan"])
    assert "times in Europe/Sofia" in per and f"  eli: {reason}" in per
    assert files_of(graded) == before


def civickit_log_reason(work, student) -> str:
    """The reason on the learner's last line of the grading log (the line the status must show)."""
    lines = (work / "grading-log" / f"{ASSIGNMENT}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if json.loads(line)["student"] == student][-1]["reason"]


def test_status_of_an_uninitialised_workspace(kit, tmp_path):
    """Does the status of a workspace without cohort.json, or without a gradebook, say to run
    `civickit cohort init`, exit 2 and create nothing (above all, no empty gradebook)?"""
    root = kit[0]
    missing = tmp_path / "no-workspace"
    result = run([BIN / "civickit", "cohort", "status"], cwd=root, env=kit_env(root, missing), expect=2)
    assert "civickit cohort init" in result.stderr and not missing.exists()
    half = tmp_path / "half"  # cohort.json written, gradebook never made (init stopped, or it was deleted)
    half.mkdir()
    (half / "cohort.json").write_text('{"timezone": "Europe/Sofia", "due": {}}', encoding="utf-8")
    result = run([BIN / "civickit", "cohort", "status"], cwd=root, env=kit_env(root, half), expect=2)
    assert "civickit cohort init" in result.stderr
    assert [p.name for p in half.iterdir()] == ["cohort.json"]
    assert not (root / ".cohort").exists()


# --- certificates -----------------------------------------------------------------------------------

def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.slow
def test_certificates_only_above_threshold_never_overwritten(kit, graded):
    """Does only Мария (5 of 8 points = 62,5 %) get a certificate with her Cyrillic name, course and date,
    and does a second run keep it unless --force?"""
    out = civickit(kit, "certificates", "--threshold", "60", "--hours", "40", "--date", "2026-12-20").stdout
    folder = graded / "certificates"
    assert sorted(p.name for p in folder.iterdir()) == ["maria.pdf"]
    text = pdf_text(folder / "maria.pdf")
    assert "Мария Иванова" in text and "20.12.2026 г." in text and "40 учебни часа" in text
    assert "Гражданското общество като партньор" in text
    assert "4 learner(s) below 60 %" in out
    stamp = (folder / "maria.pdf").stat().st_mtime_ns
    again = civickit(kit, "certificates", "--threshold", "60", "--hours", "40").stdout
    assert "kept" in again and (folder / "maria.pdf").stat().st_mtime_ns == stamp
    civickit(kit, "certificates", "--threshold", "60", "--hours", "40", "--force")
    assert (folder / "maria.pdf").stat().st_mtime_ns != stamp


def test_missing_font_is_explained(tmp_path):
    """Does a machine without DejaVu get told which Debian package to install?"""
    from civickit.certificates import font_files

    with pytest.raises(KitError, match="fonts-dejavu-core"):
        font_files(tmp_path)


# --- collecting a zip or a folder ---------------------------------------------------------------------

class WindowsZipInfo(zipfile.ZipInfo):
    """An entry as Windows' 'Send to > Compressed folder' writes it: cp866 name bytes, no UTF-8 flag."""

    __slots__ = ()

    def _encodeFilenameFlags(self):
        return self.filename.encode("cp866"), self.flag_bits


@pytest.fixture(scope="module")
def collect_kit(tmp_path_factory):
    base = tmp_path_factory.mktemp("zipcollect")
    root = copy_kit(base / "kit")
    kit = (root, base / "workspace", kit_env(root, base / "workspace"))
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    civickit(kit, "init")
    civickit(kit, "roster", str(roster))
    civickit(kit, "release", ASSIGNMENT)
    return kit, base


@pytest.mark.slow
def test_zip_from_moodle_and_email(collect_kit):
    """Are a Moodle folder, a Windows zip entry with Cyrillic and a learner folder collected, with their
    times; and are a zip-slip entry, an unknown id and a stray file refused and listed?"""
    kit, base = collect_kit
    work = kit[1]
    notebook = (work / "release" / ASSIGNMENT / NOTEBOOK).read_bytes()
    archive_path = base / "Предадени.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(f"Мария Иванова_81234_assignsubmission_file_/{NOTEBOOK}",
                                         (2026, 12, 15, 23, 59, 0)), notebook)
        archive.writestr(WindowsZipInfo(f"Петров Петър_81235_assignsubmission_file_{NOTEBOOK}", (2026, 12, 16, 8, 0, 0)),
                         notebook)
        archive.writestr(zipfile.ZipInfo(f"georgi/{NOTEBOOK}", (2026, 12, 1, 10, 0, 0)), notebook)
        archive.writestr(zipfile.ZipInfo(f"georgi_{NOTEBOOK}", (2026, 11, 30, 10, 0, 0)),
                         json.dumps(json.loads(notebook)))  # an older copy (other bytes)
        archive.writestr(zipfile.ZipInfo(f"stranger/{NOTEBOOK}", (2026, 12, 1, 10, 0, 0)), notebook)
        archive.writestr(f"../../escaped-{NOTEBOOK}", b"{}")
        archive.writestr("readme.txt", "здравейте")
    result = civickit(kit, "collect", ASSIGNMENT, "--from", str(archive_path))
    out = result.stdout
    assert not list(base.rglob(f"escaped-{NOTEBOOK}")) and not (base.parent / f"escaped-{NOTEBOOK}").exists()
    assert f"../../escaped-{NOTEBOOK}: path outside the archive" in out
    assert "unknown learner id 'stranger'" in out and "readme.txt: not a notebook" in out
    assert sorted(p.name for p in (work / "submitted").iterdir()) == ["georgi", "maria", "petar"]
    assert (work / "submitted" / "petar" / ASSIGNMENT / NOTEBOOK).read_bytes() == notebook
    assert (work / "submitted" / "georgi" / ASSIGNMENT / NOTEBOOK).read_bytes() == notebook
    assert f"georgi: 2 files for {NOTEBOOK}" in out and f"the newest, georgi/{NOTEBOOK}, is taken" in out
    stamp = (work / "submitted" / "maria" / ASSIGNMENT / "timestamp.txt").read_text()
    assert stamp.startswith("2026-12-15 21:59:00")  # 23:59 Sofia in the zip = 21:59 UTC
    assert not (work / "downloaded").exists()  # staging with learners' names is gone


@pytest.mark.slow
def test_second_submission_newer_wins_older_is_kept_aside(collect_kit):
    """Does a newer file replace a learner's submission (the old one kept in superseded/), and an older one
    change nothing, both said on screen?"""
    kit, base = collect_kit
    work = kit[1]
    folder = base / "email" / "maria"
    folder.mkdir(parents=True)
    answer = json.loads((work / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))
    answer["cells"][0]["source"] = "втори опит"
    (folder / NOTEBOOK).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    os.utime(folder / NOTEBOOK, (datetime(2026, 12, 17, 9, 0).timestamp(),) * 2)  # after the zip's 15.12
    out = civickit(kit, "collect", ASSIGNMENT, "--from", str(base / "email")).stdout
    assert "maria: newer submission" in out
    assert "втори опит" in (work / "submitted" / "maria" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")
    assert list((work / "superseded" / "maria" / ASSIGNMENT).iterdir())
    old = base / "old" / "maria"
    old.mkdir(parents=True)
    answer["cells"][0]["source"] = "стар опит"
    (old / NOTEBOOK).write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    os.utime(old / NOTEBOOK, (datetime(2026, 1, 1).timestamp(),) * 2)
    out = civickit(kit, "collect", ASSIGNMENT, "--from", str(base / "old")).stdout
    assert "not replaced: maria" in out
    assert "втори опит" in (work / "submitted" / "maria" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8")
    civickit(kit, "erase", "maria", "--yes")
    assert not (work / "superseded" / "maria").exists() and not (work / "submitted" / "maria").exists()
