"""A trainer's own nbgrader assignment (English, two notebooks, an image, a data file) graded by the kit.

`civickit cohort assignments add` brings it into the cohort's workspace, never into the kit's tracked
assignments/; release, two learners' fetch and submit through nbgrader's exchange, collect, sandboxed
autograde (test cells in the trusted checker), feedback, status and export run on it as on the kit's
own. Its released stubs are nbgrader's English ones, so an untouched answer cell from an upstream
release (made by plain nbgrader) scores 0 instead of waiting for manual grading.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import shutil
import subprocess

import nbformat
import pytest

from conftest import ASSIGNMENT, BIN, autograded_points, copy_kit, kit_env, run

pytestmark = pytest.mark.slow

FOREIGN = "ps1"
EN_TEXT_STUB = "YOUR ANSWER HERE"
BG_CODE_STUB = "# ВАШИЯТ КОД ТУК"
# A 1x1 PNG: the image a markdown cell shows.
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
SECRET_PNG = PNG + b"not for learners"
MEMBERS_CSV = "name,age\nAna,31\nBoris,45\nVera,20\n"
ROSTER = "id,first_name,last_name,email\nana,Ana,Petrova,ana@example.org\nboris,Boris,Kolev,boris@example.org\n"
ANSWERS = {  # what a learner who solved everything writes in place of each code stub
    "count_members": "def count_members(rows):\n    return len(rows)",
    "average_age": "def average_age(rows):\n    return sum(int(r['age']) for r in rows) / len(rows)",
    "greet": "def greet(name):\n    return f'Hello, {name}!'",
}


def _cell(kind, source, grade_id=None, *, solution=False, grade=False, locked=False, points=None):
    cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
    if grade_id:
        meta = {"grade_id": grade_id, "solution": solution, "grade": grade, "locked": locked, "schema_version": 3}
        if points is not None:
            meta["points"] = points
        cell.metadata["nbgrader"] = meta
    return cell


def _notebook(cells, **metadata):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata.update(metadata)
    return nb


def build_foreign(folder):
    """ps1 as an upstream nbgrader course has it in source/: plain asserts, hidden tests, a file read by code."""
    (folder / "images").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "images" / "logo.png").write_bytes(PNG)
    (folder / "data" / "members.csv").write_text(MEMBERS_CSV, encoding="utf-8")
    problem1 = _notebook([
        _cell("markdown", "# Problem 1: members\n\n![Our logo](images/logo.png)\n\nThe members are in `data/members.csv`."),
        _cell("code", "import csv\n\nwith open('data/members.csv', encoding='utf-8') as fh:\n    members = list(csv.DictReader(fh))",
              "load_members", locked=True),
        _cell("code", "def count_members(rows):\n    ### BEGIN SOLUTION\n    return len(rows)\n    ### END SOLUTION",
              "count_members", solution=True),
        _cell("code", "\"\"\"Does count_members count the rows of the file?\"\"\"\nassert count_members(members) == 3\n"
                      "### BEGIN HIDDEN TESTS\nassert count_members([]) == 0\n"
                      "with open('data/members.csv', encoding='utf-8') as fh:\n"
                      "    assert count_members(list(csv.DictReader(fh))) == 3\n### END HIDDEN TESTS",
              "test_count_members", grade=True, locked=True, points=2),
        _cell("code", "def average_age(rows):\n    ### BEGIN SOLUTION\n    return sum(int(r['age']) for r in rows) / len(rows)\n"
                      "    ### END SOLUTION", "average_age", solution=True),
        _cell("code", "\"\"\"Is the average age of the members 32?\"\"\"\nassert average_age(members) == 32",
              "test_average_age", grade=True, locked=True, points=1),
    ])
    problem2 = _notebook([
        _cell("markdown", "# Problem 2: greetings\n\n![Our logo](images/logo.png)"),
        _cell("code", "def greet(name):\n    ### BEGIN SOLUTION\n    return f'Hello, {name}!'\n    ### END SOLUTION",
              "greet", solution=True),
        _cell("code", "\"\"\"Does greet greet by name?\"\"\"\nassert greet('Ana') == 'Hello, Ana!'\n"
                      "### BEGIN HIDDEN TESTS\nassert greet('Vera') == 'Hello, Vera!'\n### END HIDDEN TESTS",
              "test_greet", grade=True, locked=True, points=1),
        _cell("markdown", "Why should a greeting use the person's name? (graded by hand)", "explain_header", locked=True),
        _cell("markdown", "People answer more readily when addressed by name.", "explain", solution=True, grade=True,
              points=2),
    ])
    nbformat.write(problem1, folder / "problem1.ipynb")
    nbformat.write(problem2, folder / "problem2.ipynb")
    return folder


def upstream_release(base, source):
    """The learners' version as the upstream course released it: plain nbgrader, none of the kit's config."""
    course = base / "upstream"
    shutil.copytree(source, course / "source" / FOREIGN)
    (course / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'upstream'\n",
                                               encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "CIVICKIT"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    run([BIN / "nbgrader", "generate_assignment", FOREIGN, "--force"], cwd=course, env=env)
    return course / "release" / FOREIGN


def answer_stubs(notebook, answers):
    """A learner's edit: each answer cell named in `answers` holds the answer instead of its stub."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            stub = "# YOUR CODE HERE\n    raise NotImplementedError()" if cell.cell_type == "code" else EN_TEXT_STUB
            assert stub in cell.source, (notebook, cell.source)
            cell.source = answers[grade_id]
    nbformat.write(nb, notebook)


def git(root, *args):
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root,
                          capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """A kit copy under git with its default workspace (.cohort/) and ps1 brought in from outside it."""
    base = tmp_path_factory.mktemp("foreign")
    root = copy_kit(base / "kit")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "kit")
    env = kit_env(root)
    assert env["CIVICKIT_WORKSPACE"] == str(root / ".cohort")
    source = build_foreign(base / "elsewhere" / FOREIGN)

    def civickit(*args, expect=0):
        return run([BIN / "civickit", "cohort", *args], cwd=root, env=env, expect=expect)

    civickit("init")
    (base / "roster.csv").write_text(ROSTER, encoding="utf-8")
    civickit("roster", str(base / "roster.csv"))
    return {"base": base, "root": root, "env": env, "work": root / ".cohort", "source": source, "civickit": civickit}


def learner(cohort, student, *args):
    """nbgrader as a learner runs it (JupyterLab's Assignments panel does the same), in the learner's own folder,
    with a submit cache of their own as each learner has on their own account (nbgrader's fetch_feedback
    takes every feedback whose submission is in the cache it is given)."""
    home = cohort["base"] / "homes" / student
    home.mkdir(parents=True, exist_ok=True)
    return run([BIN / "nbgrader", *args, "--course=civickit", f"--student={student}", f"--Exchange.assignment_dir={home}",
                f"--Exchange.cache={cohort['base'] / 'caches' / student}"], cwd=home, env=cohort["env"])


@pytest.fixture(scope="module")
def graded(cohort):
    """ana solves everything and explains; boris gets count_members wrong and hands in problem2 as the upstream
    release gave it to him (made by plain nbgrader, untouched)."""
    civickit = cohort["civickit"]
    out = civickit("assignments", "add", str(cohort["source"])).stdout
    assert f"Added {FOREIGN}: 2 notebook(s) (problem1.ipynb, problem2.ipynb)" in out
    civickit("release", FOREIGN)
    upstream = upstream_release(cohort["base"], cohort["source"])
    homes = cohort["base"] / "homes"
    for student in ("ana", "boris"):
        learner(cohort, student, "fetch_assignment", FOREIGN)
    answer_stubs(homes / "ana" / FOREIGN / "problem1.ipynb", ANSWERS)
    # ana's answer also points at an image outside the assignment (it must not be embedded in her feedback)
    (cohort["work"] / "reports" / "secret.png").write_bytes(SECRET_PNG)
    answer_stubs(homes / "ana" / FOREIGN / "problem2.ipynb",
                 {**ANSWERS, "explain": "A name shows respect. ![x](../../reports/secret.png)"})
    answer_stubs(homes / "boris" / FOREIGN / "problem1.ipynb",
                 {**ANSWERS, "count_members": "def count_members(rows):\n    return 0"})
    shutil.copy(upstream / "problem2.ipynb", homes / "boris" / FOREIGN / "problem2.ipynb")
    for student in ("ana", "boris"):
        learner(cohort, student, "submit", FOREIGN)
    assert "2 submissions" in civickit("collect", FOREIGN).stdout
    assert "Autograded 2 of 2" in civickit("autograde", FOREIGN, "--jobs", "2").stdout
    civickit("feedback", FOREIGN)
    return cohort


def grades(cohort) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{cohort['work'] / 'gradebook.db'}") as gb:
        return {(g.student.id, g.name): (g.score, g.needs_manual_grade)
                for sub in gb.assignment_submissions(FOREIGN) for nb in sub.notebooks for g in nb.grades}


def test_foreign_assignment_is_graded_like_plain_nbgrader(graded):
    """Do both learners get exactly the points their answers earn: plain asserts and hidden tests (one reading the
    data file) in the trusted checker, and boris's untouched upstream answer cell 0 without manual grading?"""
    got = grades(graded)
    assert got[("ana", "test_count_members")] == (2, False)
    assert got[("ana", "test_average_age")] == (1, False)
    assert got[("ana", "test_greet")] == (1, False)
    assert got[("ana", "explain")] == (0, True)  # a written answer: the trainer grades it in Formgrader
    assert got[("boris", "test_count_members")] == (0, False)
    assert got[("boris", "test_average_age")] == (1, False)
    assert got[("boris", "test_greet")] == (0, False)
    assert got[("boris", "explain")] == (0, False)  # same checksum as the release: no answer, 0, nothing to grade


def test_status_and_export_list_the_foreign_assignment(graded):
    """Do `cohort status` and `cohort export` show ps1 with its learners' scores of its 6 points?"""
    civickit = graded["civickit"]
    status = civickit("status", "--assignment", FOREIGN).stdout
    assert FOREIGN in status and "ana" in status and "boris" in status
    civickit("export")
    with (graded["work"] / "reports" / "grades.csv").open(encoding="utf-8", newline="") as fh:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(fh)}
    assert float(rows[("ana", FOREIGN)]["score"]) == 4 and float(rows[("boris", FOREIGN)]["score"]) == 1
    with (graded["work"] / "reports" / "grades-moodle.csv").open(encoding="utf-8", newline="") as fh:
        assert f"{FOREIGN} (%)" in next(csv.reader(fh))


def test_image_and_data_reach_learners_and_feedback(graded):
    """Do the image and the csv reach each learner's fetched copy and the feedback folder, and is the
    feedback released for each learner to fetch?"""
    work, homes = graded["work"], graded["base"] / "homes"
    for student in ("ana", "boris"):
        fetched = homes / student / FOREIGN
        assert (fetched / "images" / "logo.png").read_bytes() == PNG
        assert (fetched / "data" / "members.csv").read_text(encoding="utf-8") == MEMBERS_CSV
        feedback = work / "feedback" / student / FOREIGN
        assert (feedback / "images" / "logo.png").read_bytes() == PNG
        assert (feedback / "data" / "members.csv").read_text(encoding="utf-8") == MEMBERS_CSV
        html = (feedback / "problem1.html").read_text(encoding="utf-8")
        assert "Problem 1: members" in html and "count_members([])" not in html  # hidden test code stays hidden
        learner(graded, student, "fetch_feedback", FOREIGN)
        [fetched_html] = (fetched / "feedback").glob("*/problem2.html")
        # the learner gets one HTML file per notebook: the image travels inside it
        for page in (html, fetched_html.read_text(encoding="utf-8")):
            assert f'src="data:image/png;base64,{base64.b64encode(PNG).decode()}"' in page
    # a path in a learner's own markdown reaches no file outside the assignment's source folder
    ana = (work / "feedback" / "ana" / FOREIGN / "problem2.html").read_text(encoding="utf-8")
    assert base64.b64encode(SECRET_PNG).decode() not in ana and "A name shows respect." in ana


def test_stubs_follow_the_assignment(graded):
    """Is ps1 released with nbgrader's English stubs, the kit's own assignment still with the Bulgarian ones,
    and does an assignment that declares its own stubs in its notebook metadata get those?"""
    civickit, work, base = graded["civickit"], graded["work"], graded["base"]
    released = nbformat.read(work / "release" / FOREIGN / "problem1.ipynb", as_version=4)
    answer = next(c for c in released.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "count_members")
    assert answer.source == "def count_members(rows):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    assert "ВАШИЯТ" not in json.dumps(released, ensure_ascii=False)
    assert EN_TEXT_STUB in (work / "release" / FOREIGN / "problem2.ipynb").read_text(encoding="utf-8")
    civickit("release", ASSIGNMENT)
    kit_release = (work / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    assert BG_CODE_STUB in kit_release and "ВАШИЯТ ОТГОВОР ТУК" in kit_release and "YOUR CODE HERE" not in kit_release
    own = base / "own-stubs" / "ps2"
    own.mkdir(parents=True)
    nb = _notebook([_cell("code", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "x", solution=True),
                    _cell("markdown", "Because.", "why", solution=True, grade=True, points=1)],
                   civickit={"code_stub": "# IHR CODE HIER\nraise NotImplementedError()", "text_stub": "IHRE ANTWORT"})
    nbformat.write(nb, own / "ps2.ipynb")
    civickit("assignments", "add", str(own))
    civickit("release", "ps2")
    text = (work / "release" / "ps2" / "ps2.ipynb").read_text(encoding="utf-8")
    assert "# IHR CODE HIER" in text and "IHRE ANTWORT" in text and "YOUR" not in text


def test_kit_assignment_still_graded_from_the_cohort_source(graded):
    """Is the kit's own assignment, now read by nbgrader through the workspace's source/ link, still graded in
    full for its solution (the trusted checker finds its source notebook there)?"""
    civickit, root, homes = graded["civickit"], graded["root"], graded["base"] / "homes"
    civickit("release", ASSIGNMENT)
    learner(graded, "ana", "fetch_assignment", ASSIGNMENT)
    shutil.copy(root / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", homes / "ana" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    learner(graded, "ana", "submit", ASSIGNMENT)
    civickit("collect", ASSIGNMENT)
    assert "Autograded 1 of 1" in civickit("autograde", ASSIGNMENT).stdout
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['work'] / 'gradebook.db'}") as gb:
        score = gb.find_submission(ASSIGNMENT, "ana").score
    assert score == autograded_points(root / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb") > 0


def test_nothing_is_written_into_the_kit(graded):
    """After add, release, grading and feedback, is the kit's git tree clean and ps1 only in the workspace?"""
    root = graded["root"]
    assert git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert not (root / "assignments" / FOREIGN).exists()
    assert (graded["work"] / "source" / FOREIGN / "problem1.ipynb").is_file()
    listed = graded["civickit"]("assignments", "list").stdout.splitlines()
    assert f"{FOREIGN}  trainer  released  problem1.ipynb, problem2.ipynb" in listed
    assert any(line.startswith(f"{ASSIGNMENT}  kit  ") for line in listed)


def test_bad_paths_are_refused_and_nothing_is_overwritten(graded, tmp_path):
    """Is each bad PATH refused with a message naming it and what to do, and is an existing assignment never
    replaced unless asked, and then only with a backup and only while it is not released?"""
    civickit, work = graded["civickit"], graded["work"]

    def refused(path, *extra):
        return civickit("assignments", "add", str(path), *extra, expect=2).stderr

    assert "does not exist" in refused(tmp_path / "missing")
    single = tmp_path / "single.ipynb"
    shutil.copy(graded["source"] / "problem1.ipynb", single)
    assert "is not a folder" in refused(single)
    (tmp_path / "empty").mkdir()
    assert "has no notebook" in refused(tmp_path / "empty")
    plain = tmp_path / "plain"
    plain.mkdir()
    nbformat.write(_notebook([nbformat.v4.new_code_cell("print(1)")]), plain / "lesson.ipynb")
    err = refused(plain)
    assert str(plain) in err and "none of its notebooks (lesson.ipynb) has nbgrader cells" in err
    clash = tmp_path / ASSIGNMENT
    shutil.copytree(graded["source"], clash)
    err = refused(clash)
    assert "one of the kit's assignments" in err and "--name" in err
    bad_name = tmp_path / "Problem Set 1"
    shutil.copytree(graded["source"], bad_name)
    err = refused(bad_name)
    assert "'Problem Set 1'" in err and "--name" in err
    before = (work / "source" / FOREIGN / "problem1.ipynb").read_bytes()
    changed = tmp_path / "v2" / FOREIGN
    shutil.copytree(graded["source"], changed)
    (changed / "extra.txt").write_text("new", encoding="utf-8")
    err = refused(changed)
    assert "already has an assignment 'ps1'" in err and "--replace" in err
    err = refused(changed, "--replace")
    assert "already been released" in err
    assert (work / "source" / FOREIGN / "problem1.ipynb").read_bytes() == before
    assert not (work / "source" / FOREIGN / "extra.txt").exists()
    # not yet released: --replace keeps the old copy
    civickit("assignments", "add", str(graded["source"]), "--name", "ps3")
    out = civickit("assignments", "add", str(changed), "--name", "ps3", "--replace").stdout
    backups = list((work / "source-backups").glob("ps3-*"))
    assert len(backups) == 1 and str(backups[0]) in out
    assert not (backups[0] / "extra.txt").exists() and (work / "source" / "ps3" / "extra.txt").is_file()


def test_kit_links_follow_the_kit_and_never_touch_a_trainer_folder(tmp_path):
    """When the kit gains, loses or moves an assignment, do the workspace's source/ links follow, while a
    trainer's folder of a kit assignment's name stays theirs and is listed as shadowing it?"""
    from civickit.course_source import link_kit_assignments, listing, source_dir

    root, work = tmp_path / "kit", tmp_path / "work"
    for name in ("a", "b"):
        (root / "assignments" / name).mkdir(parents=True)
        (root / "assignments" / name / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    mine = source_dir(work) / "c"
    mine.mkdir(parents=True)
    (mine / "c.ipynb").write_text("{}", encoding="utf-8")
    link_kit_assignments(root, work)
    assert sorted(p.name for p in source_dir(work).iterdir()) == ["a", "b", "c"]
    assert (source_dir(work) / "a" / "a.ipynb").is_file() and (source_dir(work) / "a").is_symlink()
    shutil.rmtree(root / "assignments" / "b")  # the kit dropped b and gained c (the trainer already has a c)
    (root / "assignments" / "c").mkdir()
    link_kit_assignments(root, work)
    assert sorted(p.name for p in source_dir(work).iterdir()) == ["a", "c"]
    assert not (source_dir(work) / "c").is_symlink() and (mine / "c.ipynb").is_file()
    rows = {row.name: row for row in listing(root, work)}
    assert rows["c"].origin == "trainer" and rows["c"].shadows_kit and rows["a"].origin == "kit"
    moved = tmp_path / "kit-moved"  # the kit folder renamed: the links are repointed
    root.rename(moved)
    link_kit_assignments(moved, work)
    assert (source_dir(work) / "a" / "a.ipynb").is_file()
