"""`civickit cohort collect --from` with the files a hostile or unlucky cohort sends: names two learners
share, links and non-notebooks named *.ipynb, lying zips, broken notebooks, nbgrader's own timestamp.txt.
Real nbgrader zip_collect in a copy of the kit; every test starts from the same released, empty cohort."""

from __future__ import annotations

import json
import os
import shutil
import struct
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import ASSIGNMENT, BIN, copy_kit, kit_env, run

pytestmark = pytest.mark.slow  # a real nbgrader zip_collect per test

NOTEBOOK = f"{ASSIGNMENT}.ipynb"
ROSTER = (
    "id,first_name,last_name,email\n"
    "maria,Мария,Иванова,maria@example.org\n"
    "maria.i,Мария,Иванова,maria.i@example.org\n"  # the same name as maria: Moodle folders cannot tell them apart
    "petar,Петър,Петров,petar@example.org\n"
    "georgi,Георги,Георгиев,georgi@example.org\n"
    "ivan,Иван,Неподалов,ivan@example.org\n"
    "eli,Елица,Стоянова,eli@example.org\n"
)


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A kit with the roster imported and the assignment released; the workspace is copied for each test."""
    base = tmp_path_factory.mktemp("collectfrom")
    root = copy_kit(base / "kit")
    env = kit_env(root, base / "workspace")
    roster = base / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    for args in (["init"], ["roster", str(roster)], ["release", ASSIGNMENT]):
        run([BIN / "civickit", "cohort", *args], cwd=root, env=env)
    return root, base / "workspace"


@pytest.fixture
def kit(released, tmp_path):
    root, template = released
    work = tmp_path / "workspace"
    shutil.copytree(template, work)
    return root, work, kit_env(root, work)


def collect(kit, source, expect=0):
    root, _, env = kit
    return run([BIN / "civickit", "cohort", "collect", ASSIGNMENT, "--from", str(source)], cwd=root, env=env, expect=expect)


def release_notebook(kit) -> dict:
    return json.loads((kit[1] / "release" / ASSIGNMENT / NOTEBOOK).read_text(encoding="utf-8"))


def answer(kit, text: str) -> bytes:
    """The released notebook with the first answer cell filled in: a real notebook of the assignment."""
    nb = release_notebook(kit)
    cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))
    cell["source"] = text
    return json.dumps(nb, ensure_ascii=False).encode()


def submitted(kit, student) -> Path:
    return kit[1] / "submitted" / student / ASSIGNMENT


def at(path: Path, *when) -> None:
    """Set a file's time, given in the cohort's zone."""
    stamp = datetime(*when, tzinfo=ZoneInfo("Europe/Sofia")).timestamp()
    os.utime(path, (stamp, stamp))


def test_a_name_two_learners_share_is_refused_and_listed(kit, tmp_path):
    """Is a Moodle folder named after two learners of the roster collected for neither of them, and listed
    with the file, the name and both candidate ids, while the rest of the download is collected?"""
    archive = tmp_path / "moodle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo(f"Мария Иванова_81234_assignsubmission_file_/{NOTEBOOK}", (2026, 12, 15, 10, 0, 0)),
                    answer(kit, "x = 1"))
        zf.writestr(zipfile.ZipInfo(f"Иванова Мария_81299_assignsubmission_file_{NOTEBOOK}", (2026, 12, 15, 11, 0, 0)),
                    answer(kit, "x = 2"))
        zf.writestr(zipfile.ZipInfo(f"Петър Петров_81235_assignsubmission_file_/{NOTEBOOK}", (2026, 12, 15, 10, 0, 0)),
                    answer(kit, "x = 3"))
    out = collect(kit, archive).stdout
    assert not submitted(kit, "maria").exists() and not submitted(kit, "maria.i").exists()
    assert submitted(kit, "petar").joinpath(NOTEBOOK).is_file()
    for file in (f"Мария Иванова_81234_assignsubmission_file_/{NOTEBOOK}", f"Иванова Мария_81299_assignsubmission_file_{NOTEBOOK}"):
        line = next(line for line in out.splitlines() if file in line)
        assert "shared by" in line and "maria, maria.i" in line, line


def test_links_and_files_that_are_not_the_assignments_notebook_are_refused(kit, tmp_path):
    """Does a hard link to the gradebook (or to the solution), a copy of the gradebook, a symlinked folder
    and another notebook named like the assignment's leave the learner's valid submission as it was,
    each refused on screen with its reason, while a valid file beside them is collected?"""
    root, work, _ = kit
    first = tmp_path / "first" / "petar"
    first.mkdir(parents=True)
    (first / NOTEBOOK).write_bytes(answer(kit, "valid = True"))
    at(first / NOTEBOOK, 2026, 12, 1, 10)
    collect(kit, tmp_path / "first")
    before = submitted(kit, "petar").joinpath(NOTEBOOK).read_bytes()

    later = tmp_path / "later"
    for sid in ("petar", "georgi", "ivan", "eli", "maria"):
        (later / sid).mkdir(parents=True)
    os.link(work / "gradebook.db", later / "petar" / NOTEBOOK)  # a newer 'submission' that is the gradebook
    os.link(root / "assignments" / ASSIGNMENT / NOTEBOOK, later / "georgi" / NOTEBOOK)  # the solution itself
    shutil.copy(work / "gradebook.db", later / "ivan" / NOTEBOOK)
    other = json.loads((root / "exercises").glob("*.ipynb").__next__().read_text(encoding="utf-8"))
    (later / "eli" / NOTEBOOK).write_text(json.dumps(other), encoding="utf-8")
    outside = tmp_path / "outside" / "maria.i"
    outside.mkdir(parents=True)
    (outside / NOTEBOOK).write_bytes(answer(kit, "from outside"))
    os.symlink(outside, later / "maria.i")
    (later / "maria" / NOTEBOOK).write_bytes(answer(kit, "maria's own"))
    for path in later.rglob("*.ipynb"):
        if not path.is_symlink() and path.stat().st_nlink == 1:
            at(path, 2026, 12, 10, 10)
    out = collect(kit, later).stdout

    assert submitted(kit, "petar").joinpath(NOTEBOOK).read_bytes() == before
    assert not submitted(kit, "georgi").exists() and not submitted(kit, "ivan").exists()
    assert not submitted(kit, "eli").exists() and not submitted(kit, "maria.i").exists()
    assert "maria's own" in submitted(kit, "maria").joinpath(NOTEBOOK).read_text(encoding="utf-8")
    lines = out.splitlines()

    def reason(prefix):
        return next(line for line in lines if line.strip().startswith(prefix))

    assert "hard link" in reason(f"petar/{NOTEBOOK}:") and "hard link" in reason(f"georgi/{NOTEBOOK}:")
    assert "not a notebook" in reason(f"ivan/{NOTEBOOK}:")
    assert "not a notebook of this assignment" in reason(f"eli/{NOTEBOOK}:")
    assert "symbolic link" in reason("maria.i:")
    assert (work / "gradebook.db").stat().st_nlink == 2  # the source folder is read, never changed


def _corrupt(archive: Path, name: str, offset: int, value: int) -> None:
    """Overwrite one 32-bit field of NAME's central-directory record (16: CRC, 24: uncompressed size)."""
    raw = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        names = [i.filename for i in zf.infolist()]
    pos = -1
    for _ in range(names.index(name) + 1):
        pos = raw.index(b"PK\x01\x02", pos + 1)
    struct.pack_into("<I", raw, pos + offset, value)
    archive.write_bytes(bytes(raw))


def test_a_lying_zip_names_each_damaged_file_and_collects_the_rest(kit, tmp_path):
    """Does a zip whose entries lie (wrong CRC, a declared size larger or smaller than the data, a cut
    deflate stream) give one line per damaged file, no traceback, and the good entries collected?"""
    archive = tmp_path / "email.zip"
    good = answer(kit, "good = 1")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for sid in ("petar", "georgi", "ivan", "eli", "maria"):
            zf.writestr(zipfile.ZipInfo(f"{sid}/{NOTEBOOK}", (2026, 12, 15, 10, 0, 0)), good,
                        compress_type=zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(archive) as zf:
        size = zf.getinfo(f"georgi/{NOTEBOOK}").file_size
        eli = zf.getinfo(f"eli/{NOTEBOOK}")
    _corrupt(archive, f"georgi/{NOTEBOOK}", 16, 0xDEADBEEF)
    _corrupt(archive, f"ivan/{NOTEBOOK}", 24, size + 500)
    _corrupt(archive, f"maria/{NOTEBOOK}", 24, size - 500)
    raw = bytearray(archive.read_bytes())  # eli: half of the compressed data zeroed
    data_start = eli.header_offset + 30 + len(eli.filename.encode())
    raw[data_start + eli.compress_size // 2: data_start + eli.compress_size] = bytes(eli.compress_size - eli.compress_size // 2)
    archive.write_bytes(bytes(raw))

    result = collect(kit, archive)
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "BadZipFile" not in out
    assert submitted(kit, "petar").joinpath(NOTEBOOK).read_bytes() == good
    for sid in ("georgi", "ivan", "eli", "maria"):
        assert not submitted(kit, sid).exists()
        line = next(line for line in out.splitlines() if line.strip().startswith(f"{sid}/{NOTEBOOK}:"))
        assert "damaged in the zip" in line, line


def test_a_truncated_zip_is_named_and_nothing_changes(kit, tmp_path):
    """Is a zip cut short (an interrupted download) refused in one line that says so, with no traceback
    and the workspace untouched?"""
    archive = tmp_path / "Предадени.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(f"petar/{NOTEBOOK}", answer(kit, "x = 1"))
    archive.write_bytes(archive.read_bytes()[:-60])
    result = collect(kit, archive, expect=2)
    assert "Traceback" not in result.stderr
    assert str(archive) in result.stderr and "incomplete" in result.stderr
    assert not (kit[1] / "submitted").joinpath("petar").exists()


@pytest.mark.parametrize("sid, body, why", [
    ("petar", lambda nb: json.dumps(nb).replace('"x = 1"', '"x = \\udc00"'), "lone surrogate"),
    ("georgi", lambda nb: json.dumps(nb).replace('"x = 1"', '"x = \\u0000"'), "NUL character"),
    ("ivan", lambda nb: json.dumps({k: v for k, v in nb.items() if k != "metadata"}), "'metadata' is a required property"),
    ("eli", lambda nb: json.dumps(nb)[:-20], "not JSON"),
])
def test_a_broken_notebook_is_named_with_what_is_wrong(kit, tmp_path, sid, body, why):
    """Is a notebook nbgrader would refuse (lone surrogate, NUL, no metadata, cut JSON) left out with one
    line saying what is wrong in which file, and the other learner of the batch collected?"""
    folder = tmp_path / "batch"
    (folder / sid).mkdir(parents=True)
    (folder / "maria").mkdir()
    nb = json.loads(answer(kit, "x = 1"))
    (folder / sid / NOTEBOOK).write_text(body(nb), encoding="utf-8")
    (folder / "maria" / NOTEBOOK).write_bytes(answer(kit, "fine"))
    out = collect(kit, folder).stdout
    assert not submitted(kit, sid).exists()
    assert submitted(kit, "maria").joinpath(NOTEBOOK).is_file()
    line = next(line for line in out.splitlines() if line.strip().startswith(f"{sid}/{NOTEBOOK}:"))
    assert "not a valid notebook" in line and why in line, line
    assert "Please see the" not in out


def test_nbgraders_timestamp_is_the_submission_time(kit, tmp_path):
    """Is the time in a submitted folder's timestamp.txt recorded (not the file's time), the file's time
    used where there is none, and each learner's source of time said on screen?"""
    folder = tmp_path / "exchange-copy"
    (folder / "petar" / ASSIGNMENT).mkdir(parents=True)
    (folder / "georgi").mkdir()
    (folder / "petar" / ASSIGNMENT / NOTEBOOK).write_bytes(answer(kit, "p"))
    (folder / "petar" / ASSIGNMENT / "timestamp.txt").write_text("2026-12-15 21:58:59.000000 UTC", encoding="utf-8")
    at(folder / "petar" / ASSIGNMENT / NOTEBOOK, 2026, 12, 20, 9)  # copied later: the mtime is not the submission
    (folder / "georgi" / NOTEBOOK).write_bytes(answer(kit, "g"))
    at(folder / "georgi" / NOTEBOOK, 2026, 12, 14, 9)
    out = collect(kit, folder).stdout
    assert submitted(kit, "petar").joinpath("timestamp.txt").read_text().startswith("2026-12-15 21:58:59")
    assert submitted(kit, "georgi").joinpath("timestamp.txt").read_text().startswith("2026-12-14 07:00:00")
    petar = next(line for line in out.splitlines() if line.strip().startswith("petar:"))
    georgi = next(line for line in out.splitlines() if line.strip().startswith("georgi:"))
    assert "2026-12-15 23:58:59" in petar and "timestamp.txt" in petar, petar  # shown in the cohort's zone
    assert "2026-12-14 09:00:00" in georgi and "file time" in georgi, georgi
    assert "timestamp.txt: not a notebook" not in out


def test_a_timestamp_shared_by_several_learners_is_not_used(kit, tmp_path):
    """Is a timestamp.txt beside the files of two learners ignored (it cannot be both submissions' time),
    said on screen, and each learner's file time used?"""
    folder = tmp_path / "flat"
    folder.mkdir()
    for sid in ("petar", "georgi"):
        (folder / f"{sid}_{NOTEBOOK}").write_bytes(answer(kit, sid))
        at(folder / f"{sid}_{NOTEBOOK}", 2026, 12, 14, 9)
    (folder / "timestamp.txt").write_text("2026-11-01 08:00:00.000000 UTC", encoding="utf-8")
    out = collect(kit, folder).stdout
    for sid in ("petar", "georgi"):
        assert submitted(kit, sid).joinpath("timestamp.txt").read_text().startswith("2026-12-14 07:00:00")
    assert "timestamp.txt" in out and "georgi, petar" in out


def test_each_collected_submission_gets_its_own_new_secret(kit, tmp_path):
    """Does every submission collected with --from get a fresh random submission_secret.txt (what nbgrader's
    release_feedback needs), never one that came inside the archive?"""
    folder = tmp_path / "with-secret"
    for sid in ("petar", "georgi"):
        (folder / sid).mkdir(parents=True)
        (folder / sid / NOTEBOOK).write_bytes(answer(kit, sid))
    planted = "a" * 128  # e.g. copied from another learner's exchange submission
    (folder / "petar" / "submission_secret.txt").write_text(planted, encoding="utf-8")
    collect(kit, folder)
    secrets = [submitted(kit, sid).joinpath("submission_secret.txt").read_text() for sid in ("petar", "georgi")]
    assert planted not in secrets and secrets[0] != secrets[1]
    assert all(len(s) == 128 and int(s, 16) for s in secrets)
