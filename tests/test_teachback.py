"""The teach-back rubric and the trainer checkout (issue 13, item 3): sheets, their verdict, the rubric app in
Chromium on `civickit start`, and `civickit cohort checkout` on a real nbgrader cohort of three."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from datetime import datetime, timezone

import pytest

from civickit.errors import KitError
from civickit.teachback import DESCRIPTORS, latest_sheets, save_sheet, slug, verdict
from civickit.training_evaluation import TEACHBACK_CRITERIA, example_rubric, teachback_passed
from conftest import ASSIGNMENT, BIN, REPO, Server, copy_kit, free_port, kit_env, run, running

GOOD = dict(zip(TEACHBACK_CRITERIA, [2, 2, 1, 2, 2, 1]))
WEAK_CHECK = dict(zip(TEACHBACK_CRITERIA, [2, 2, 0, 2, 2, 2]))
ROSTER = ("id,first_name,last_name,email\n"
          "maria,Мария,Иванова,maria@example.org\n"
          "petar,Петър,Петров,petar@example.org\n"
          "georgi,Георги,Георгиев,georgi@example.org\n")


def sheet(work, presenter, scorer, role, scores, **kw):
    return save_sheet(work, presenter, presenter.title(), scorer, role, scores, **kw)


# --- sheets and their verdict -----------------------------------------------------------------------

def test_book_lists_the_apps_criteria_in_the_same_order():
    """Does the lesson's rubric list the same six criteria, in the same order, as the app shows?"""
    text = (REPO / "book" / "09-trainer" / "teach-back.md").read_text(encoding="utf-8")
    rubric = text.split("## Рубриката: шест критерия", 1)[1].split("**Кога сегментът минава.**", 1)[0]
    listed = re.findall(r"^\d\. \*\*(.+?)\.\*\*", rubric, re.M)
    assert listed == [DESCRIPTORS[c][0] for c in TEACHBACK_CRITERIA]


def test_typed_names_become_latin_ids():
    """Does a Cyrillic name become an id the workspace can use as a folder name (Transliteration Act)?"""
    assert slug("Мария Иванова") == "mariya-ivanova"
    assert slug("  Щерьо Ъглов ") == "shteryo-aglov"
    assert slug("!!!") == ""


def test_resaving_adds_a_version_and_the_latest_counts(tmp_path):
    """Do two saves by the same scorer at the same instant make two files (none overwritten), and does only
    the later one count?"""
    moment = datetime(2026, 12, 10, 10, 0, tzinfo=timezone.utc)
    first = sheet(tmp_path, "maria", "Колега Едно", "peer", WEAK_CHECK, now=moment)
    second = sheet(tmp_path, "maria", "Колега Едно", "peer", GOOD, now=moment)
    later = sheet(tmp_path, "maria", "Колега Едно", "peer", GOOD,
                  now=datetime(2026, 12, 10, 10, 5, tzinfo=timezone.utc), worked="Задачата по двойки")
    assert len({first, second, later}) == 3 and all(p.is_file() for p in (first, second, later))
    assert json.loads(first.read_text(encoding="utf-8"))["scores"] == WEAK_CHECK
    counted = latest_sheets(tmp_path, "maria")
    assert [(s.scorer_id, s.path, s.worked) for s in counted] == [("kolega-edno", later, "Задачата по двойки")]
    assert not list((tmp_path / "teachback" / "maria").glob(".*"))  # no temporary file left behind


def test_an_incomplete_sheet_is_refused_in_bulgarian_and_nothing_is_written(tmp_path):
    """Are a missing presenter, scorer, role and criterion each named in Bulgarian, with no file written?"""
    partial = {**GOOD, "проверка": None}
    with pytest.raises(KitError) as err:
        save_sheet(tmp_path, "", "", "", None, partial)
    text = str(err.value)
    assert "Изберете или напишете кого оценявате" in text and "Напишете своето име" in text
    assert "участник или обучител" in text and "Не е оценен критерий: „Проверка на разбирането“" in text
    with pytest.raises(KitError, match="собствения си сегмент"):
        save_sheet(tmp_path, "mariya-ivanova", "Мария Иванова", "Мария Иванова", "peer", GOOD)
    assert not (tmp_path / "teachback").exists() or not any((tmp_path / "teachback").rglob("*.json"))


def test_verdict_names_each_missing_condition(tmp_path):
    """Without a trainer, with too few peers, with a criterion below 1: is each reason given, and does a full
    set pass only when all hold?"""
    sheet(tmp_path, "ana", "Колега А", "peer", GOOD)
    v = verdict(latest_sheets(tmp_path, "ana"), "ana")
    assert not v.passed and v.reasons == ["no trainer sheet", "too few peers (1 of 2)"]
    sheet(tmp_path, "ana", "Обучител", "trainer", WEAK_CHECK)
    sheet(tmp_path, "ana", "Колега Б", "peer", WEAK_CHECK)
    v = verdict(latest_sheets(tmp_path, "ana"), "ana")
    assert (v.trainers, v.peers) == (1, 2)
    assert not v.passed and v.reasons == ["criterion below 1: проверка 0.33"]
    sheet(tmp_path, "ana", "Колега Б", "peer", GOOD)  # both correct their sheets: the latest counts
    v = verdict(latest_sheets(tmp_path, "ana"), "ana")
    assert not v.passed and v.reasons == ["criterion below 1: проверка 0.67"]
    sheet(tmp_path, "ana", "Обучител", "trainer", GOOD)
    v = verdict(latest_sheets(tmp_path, "ana"), "ana")
    assert v.passed and v.reasons == [] and v.means["проверка"] == 1.0 and v.total == 10
    assert not verdict(latest_sheets(tmp_path, "ana"), "ana", min_peers=3).passed


def test_verdict_agrees_with_the_modules_exercise(tmp_path):
    """Scored as the exercise's example (a trainer and three peers), is the verdict the exercise's answer?"""
    example = example_rubric()
    for _, row in example.iterrows():
        role = "trainer" if row["оценител"] == "обучител" else "peer"
        sheet(tmp_path, "ex", row["оценител"], role, {c: int(row[c]) for c in TEACHBACK_CRITERIA})
    v = verdict(latest_sheets(tmp_path, "ex"), "ex")
    assert v.passed == teachback_passed(example)
    assert v.means == pytest.approx(dict(example[TEACHBACK_CRITERIA].mean().round(2)))


# --- the app in Chromium, on the server `make start` runs ------------------------------------------

APP = "voila/render/practices/tools/teach-back-rubric.ipynb"


@pytest.fixture(scope="module")
def rubric_server(built_book, planted_kit, tmp_path_factory):
    """`civickit start` with a cohort initialised and a roster imported, as a trainer prepares the day."""
    work = planted_kit / ".teachback-cohort"  # inside the served folder, as `civickit start` requires
    env = kit_env(planted_kit, work)
    roster = tmp_path_factory.mktemp("tb-roster") / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    run([BIN / "civickit", "cohort", "init"], cwd=planted_kit, env=env)
    run([BIN / "civickit", "cohort", "roster", str(roster)], cwd=planted_kit, env=env)
    port, token = free_port(), uuid.uuid4().hex
    env["CIVICKIT_TOKEN"] = token
    log = tmp_path_factory.mktemp("tb-server") / "server.log"
    with running([BIN / "civickit", "start", "--no-build", "--port", str(port)], planted_kit, env,
                 f"http://127.0.0.1:{port}/api/status", log):
        yield Server(planted_kit, port, token), work
    shutil.rmtree(work, ignore_errors=True)


def score(page, values: list[int | None]) -> None:
    labels = {0: "0 — не", 1: "1 — отчасти", 2: "2 — да"}
    for i, value in enumerate(values):
        if value is not None:
            page.locator(".civickit-control").nth(i).get_by_role("radio", name=labels[value]).check()


@pytest.mark.browser
@pytest.mark.slow
def test_a_peer_scores_a_segment_in_the_app(rubric_server, page):
    """Does a peer pick the presenter from the roster, see the descriptors and the live total, get a Bulgarian
    message (and no file) for a criterion left out, and then save a sheet with exactly the scores given?"""
    server, work = rubric_server
    page.goto(server.url(APP), timeout=120_000)
    result = page.locator(".civickit-result")
    result.wait_for(timeout=120_000)
    body = page.locator("body").inner_text()
    for title, text in DESCRIPTORS.values():
        assert title in body and text in body
    page.locator("select").select_option(label="Мария Иванова")
    page.get_by_label("Вашето име").fill("Колега Петров")
    page.get_by_role("radio", name="участник").check()
    score(page, [2, 2, 1, 2, 2, None])
    page.wait_for_function("() => document.querySelector('.civickit-result').innerText.includes('оценени 5 от 6')",
                           timeout=30_000)
    assert "9 от 12" in result.inner_text()
    message = page.locator(".civickit-teachback-message")
    page.get_by_role("button", name="Запишете листа").click()
    message.get_by_text("Не е оценен критерий: „Приобщаване“").wait_for(timeout=30_000)
    assert "Листът не е записан" in message.inner_text()
    assert not (work / "teachback").exists() or not any((work / "teachback").rglob("*.json"))

    score(page, [None] * 5 + [2])
    page.wait_for_function("() => document.querySelector('.civickit-result').innerText.includes('11 от 12')",
                           timeout=30_000)
    assert "сегментът минава" in result.inner_text()
    page.get_by_label("Какво се получи").fill("Задачата по двойки на третата минута.")
    page.get_by_label("Едно нещо за промяна").fill("Питайте и тихите.")
    page.get_by_role("button", name="Запишете листа").click()
    message.get_by_text("Листът е записан").wait_for(timeout=30_000)
    saved = list((work / "teachback" / "maria").glob("*.json"))
    assert len(saved) == 1 and saved[0].name.startswith("kolega-petrov-")
    record = json.loads(saved[0].read_text(encoding="utf-8"))
    assert record["scores"] == dict(zip(TEACHBACK_CRITERIA, [2, 2, 1, 2, 2, 2]))
    assert record["presenter"] == {"id": "maria", "name": "Мария Иванова"}
    assert record["scorer"] == {"id": "kolega-petrov", "name": "Колега Петров", "role": "peer"}
    assert record["change"] == "Питайте и тихите."
    assert "Traceback" not in page.content() and page.outside_requests == []


@pytest.mark.browser
@pytest.mark.slow
def test_public_mode_shows_the_rubric_but_neither_roster_nor_saving(page, voila_base):
    """Without a login (civickit public), is the roster not listed and the save button disabled, with the reason?"""
    page.goto(voila_base + "tools/teach-back-rubric.ipynb", timeout=120_000)
    page.locator(".civickit-result").wait_for(timeout=120_000)
    assert page.locator("select").count() == 0  # the presenter is typed, no roster
    assert page.get_by_role("button", name="Запишете листа").is_disabled()
    assert "публичният режим" in page.locator(".civickit-teachback-message").inner_text()


# --- the checkout on a real cohort -----------------------------------------------------------------

def civickit(kit, *args, expect=0):
    root, _, env = kit
    return run([BIN / "civickit", "cohort", *args], cwd=root, env=env, expect=expect)


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    """Three learners graded by nbgrader: Мария and Петър submit the solution (5 of 8 autograded points =
    62,5 %), Георги the untouched release (0 %). Sheets: Мария a trainer and two peers, all good; Петър a
    trainer and one peer, 'проверка' 0; Георги a trainer and two peers, all good."""
    base = tmp_path_factory.mktemp("checkout")
    root = copy_kit(base / "kit")
    work = base / "workspace"
    kit = (root, work, kit_env(root, work))
    (base / "roster.csv").write_text(ROSTER, encoding="utf-8")
    civickit(kit, "init")
    civickit(kit, "roster", str(base / "roster.csv"))
    civickit(kit, "release", ASSIGNMENT)
    notebook = f"{ASSIGNMENT}.ipynb"
    for sid, source in (("maria", root / "assignments" / ASSIGNMENT / notebook),
                        ("petar", root / "assignments" / ASSIGNMENT / notebook),
                        ("georgi", work / "release" / ASSIGNMENT / notebook)):
        dest = work / "submitted" / sid / ASSIGNMENT
        dest.mkdir(parents=True)
        shutil.copy(source, dest / notebook)
        (dest / "timestamp.txt").write_text("2026-12-10 09:00:00.000000 Europe/Sofia", encoding="utf-8")
    assert "Autograded 3 of 3" in civickit(kit, "autograde", ASSIGNMENT).stdout
    for sid in ("maria", "georgi"):
        save_sheet(work, sid, "", "Обучител Стоянова", "trainer", GOOD)
        save_sheet(work, sid, "", "Колега А", "peer", GOOD)
        save_sheet(work, sid, "", "Колега Б", "peer", dict(zip(TEACHBACK_CRITERIA, [1, 2, 1, 2, 1, 2])))
    save_sheet(work, "petar", "", "Обучител Стоянова", "trainer", WEAK_CHECK)
    save_sheet(work, "petar", "", "Колега А", "peer", WEAK_CHECK)
    return kit


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages)


def line_of(out: str, sid: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(sid + " "))


@pytest.mark.slow
def test_checkout_certifies_only_who_passed_both(cohort):
    """Does only Мария (teach-back and 62,5 % of the points) get a trainer certificate with her name and its
    own title, and does the table say why Петър (one peer, 'проверка' 0) and Георги (0 %) did not?"""
    _, work, _ = cohort
    out = civickit(cohort, "checkout", "--threshold", "60", "--min-peers", "2", "--date", "2026-12-20").stdout
    folder = work / "trainer-certificates"
    assert sorted(p.name for p in folder.iterdir()) == ["maria-trainer.pdf"]
    assert not (work / "certificates" / "maria.pdf").exists()  # the completion certificate is another command's
    text = pdf_text(folder / "maria-trainer.pdf")
    assert "Мария Иванова" in text and "УДОСТОВЕРЕНИЕ ЗА ОБУЧИТЕЛ" in text and "20.12.2026 г." in text
    assert "за завършено обучение" not in text and "2 колеги" in text
    assert "PASSED" in line_of(out, "maria") and "62.5 %" in line_of(out, "maria")
    petar = line_of(out, "petar")
    assert "too few peers (1 of 2)" in petar and "criterion below 1: проверка 0.00" in petar
    assert "assignments" not in petar.split("not yet:")[1]
    georgi = line_of(out, "georgi")
    assert "assignments 0.0 % below 60 %" in georgi and "peer" not in georgi.split("not yet:")[1]
    assert "Петър Петров" in petar and "1 of 3 learner(s) passed" in out


@pytest.mark.slow
def test_a_share_for_the_threshold_is_refused(cohort):
    """Is `--threshold 0.6` (a share where a percentage belongs) refused with the percentage to type?"""
    result = civickit(cohort, "checkout", "--threshold", "0.6", expect=2)
    assert "give a percentage, e.g. 60" in result.stderr


@pytest.mark.slow
def test_a_second_checkout_keeps_the_certificate_unless_forced(cohort):
    """Is an existing trainer certificate kept on a second run, and rewritten only with --force?"""
    _, work, _ = cohort
    path = work / "trainer-certificates" / "maria-trainer.pdf"
    if not path.exists():
        civickit(cohort, "checkout")
    stamp = path.stat().st_mtime_ns
    out = civickit(cohort, "checkout").stdout
    assert f"kept {path}" in out and path.stat().st_mtime_ns == stamp
    civickit(cohort, "checkout", "--force")
    assert path.stat().st_mtime_ns != stamp


@pytest.mark.slow
def test_erasing_a_learner_takes_their_sheets_and_trainer_certificate(cohort):
    """Does `civickit cohort erase` remove the learner's teach-back sheets and trainer certificate, and only theirs?"""
    _, work, _ = cohort
    if not (work / "trainer-certificates" / "maria-trainer.pdf").exists():
        civickit(cohort, "checkout")
    civickit(cohort, "erase", "maria", "--yes", expect=None)
    assert not (work / "teachback" / "maria").exists()
    assert not (work / "trainer-certificates" / "maria-trainer.pdf").exists()
    assert len(list((work / "teachback" / "georgi").glob("*.json"))) == 3
