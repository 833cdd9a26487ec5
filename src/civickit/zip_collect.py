"""Collecting submissions that arrive as files: a folder, an e-mailed zip, or Moodle's "Download all submissions".

civickit unpacks (safely: no path outside the staging folder, Cyrillic names decoded, sizes capped) into
a staging folder of the workspace, then runs nbgrader's real `zip_collect` with KitCollector, which
maps each file to a learner:

    <student_id>/<notebook>.ipynb                      a folder per learner (any depth)
    <student_id>_<notebook>.ipynb                      flat files
    Мария Иванова_123456_assignsubmission_file_/...    Moodle (matched by the roster's full name)

nbgrader writes into a staging submitted/ folder; merge() then moves each learner in. A learner already
collected is replaced only by a strictly newer submission (nbgrader's own rule for `collect --update`);
the older one is moved to superseded/, never deleted. The timestamp is the time in the zip entry (the
cohort's time zone) or the file's modification time.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from nbgrader.plugins import FileNameCollectorPlugin

from .errors import KitError
from .roster import SAFE_ID

MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_\d+_assign(?:submission|feedback)_\w+?_?$")
MOODLE_FILE = re.compile(r"^(?P<name>.+?)_\d+_assignsubmission_file_(?P<file>.+)$")
MAX_FILE = 100 * 2**20  # a notebook larger than this is not a course answer
MAX_TOTAL = 1024 * 2**20


@dataclass
class Match:
    student: str | None = None
    notebook: str | None = None
    problem: str | None = None  # why the file was not taken
    note: str | None = None


def _norm(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def full_names(learners: dict[str, tuple[str, str]]) -> dict[str, str]:
    """'мария иванова' and 'иванова мария' -> id, for Moodle folders named after the learner."""
    out = {}
    for sid, (first, last) in learners.items():
        out[_norm(f"{first} {last}")] = sid
        out[_norm(f"{last} {first}")] = sid
    return out


def match(relpath: str, notebooks: list[str], learners: dict[str, tuple[str, str]]) -> Match:
    """Which learner and notebook one staged file is; or the reason it is not taken."""
    parts = PurePosixPath(relpath).parts
    filename = parts[-1]
    if not filename.endswith(".ipynb"):
        return Match(problem="not a notebook (.ipynb)")
    student, name = None, filename
    names = full_names(learners)
    for folder in reversed(parts[:-1]):
        if folder in learners:
            student = folder
            break
        moodle = MOODLE_FOLDER.match(folder)
        if moodle:
            student = names.get(_norm(moodle["name"]))
            if student is None:
                return Match(problem=f"no learner named '{moodle['name']}' in the roster")
            break
    if student is None:
        moodle = MOODLE_FILE.match(filename)
        if moodle:
            student = names.get(_norm(moodle["name"]))
            if student is None:
                return Match(problem=f"no learner named '{moodle['name']}' in the roster")
            name = moodle["file"]
    if student is None:
        for sid in sorted(learners, key=len, reverse=True):  # 'ana_m' before 'ana'
            if filename.startswith(sid + "_"):
                student, name = sid, filename[len(sid) + 1:]
                break
    if student is None:
        guess = parts[-2] if len(parts) > 1 else filename.rsplit("_", 1)[0]
        if SAFE_ID.match(guess):
            return Match(problem=f"unknown learner id '{guess}' (not in the roster)")
        return Match(problem="no learner id or roster name in the path")
    if name in notebooks:
        return Match(student, name)
    if len(notebooks) == 1:  # learners rename files ("... (1).ipynb"); one notebook leaves no doubt
        return Match(student, notebooks[0], note=f"'{filename}' taken as {notebooks[0]}")
    return Match(student, problem=f"'{name}' is none of this assignment's notebooks ({', '.join(notebooks)})")


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Windows' zip tool writes names in the OEM code page (cp866 for Bulgarian) without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")
    for codec in ("utf-8", "cp866"):
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            continue
    return info.filename


def _safe_relpath(name: str) -> str | None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts or ":" in path.parts[0]:
        return None
    return str(path)


def unpack(source: Path, dest: Path, tz: str) -> list[str]:
    """Copies a folder or unpacks a zip into dest, keeping times; returns the entries refused (and why)."""
    refused = []
    if source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file() and not path.is_symlink():
                target = dest / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
        return refused
    if not zipfile.is_zipfile(source):
        raise KitError(f"{source} is neither a folder nor a zip file.")
    zone = ZoneInfo(tz)
    with zipfile.ZipFile(source) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > MAX_TOTAL:
            raise KitError(f"{source} would unpack to more than {MAX_TOTAL // 2**20} MB: not a set of notebooks.")
        for info in infos:
            name = _zip_name(info)
            rel = _safe_relpath(name)
            if rel is None:
                refused.append(f"{name}: path outside the archive, skipped")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                refused.append(f"{name}: symbolic link, skipped")
                continue
            if info.file_size > MAX_FILE:
                refused.append(f"{name}: larger than {MAX_FILE // 2**20} MB, skipped")
                continue
            target = dest / rel
            if dest.resolve() not in target.resolve().parents:
                refused.append(f"{name}: path outside the archive, skipped")
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(info) as src, target.open("wb") as out:
                shutil.copyfileobj(src, out)
            when = datetime(*info.date_time, tzinfo=zone).timestamp()
            os.utime(target, (when, when))
    return refused


def file_timestamp(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")


def roster_names(db_url: str) -> dict[str, tuple[str, str]]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {s.id: (s.first_name or "", s.last_name or "") for s in gb.students}


def released_notebooks(release: Path) -> list[str]:
    return sorted(p.name for p in release.glob("*.ipynb"))


class KitCollector(FileNameCollectorPlugin):
    """nbgrader zip_collect plugin: the file -> learner rules of civickit.zip_collect.match."""

    def collect(self, submitted_file):
        app = self.parent
        extracted = Path(app._format_collect_path(app.extracted_directory))
        release = Path(app.coursedir.format_path(app.coursedir.release_directory, ".", app.coursedir.assignment_id))
        found = match(Path(submitted_file).relative_to(extracted).as_posix(), released_notebooks(release),
                      roster_names(app.coursedir.db_url))
        if found.problem:
            return None
        return {"student_id": found.student, "file_id": found.notebook, "timestamp": file_timestamp(Path(submitted_file))}


@dataclass
class CollectResult:
    taken: dict[str, list[str]] = field(default_factory=dict)  # learner -> notebooks
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason"
    notes: list[str] = field(default_factory=list)


def submission_time(folder: Path):
    """The time nbgrader records for a submission folder (naive UTC), or None if missing or unreadable."""
    from nbgrader.utils import parse_utc

    try:
        return parse_utc((folder / "timestamp.txt").read_text(encoding="utf-8").strip() or None)
    except (OSError, ValueError, OverflowError):
        return None


def merge(staged: Path, submitted: Path, superseded: Path, assignment: str, result: CollectResult) -> None:
    """Moves each staged learner into submitted/; an existing submission gives way only to a newer one."""
    for learner in sorted(p for p in staged.iterdir() if p.is_dir()):
        new = learner / assignment
        old = submitted / learner.name / assignment
        if old.exists():
            new_ts, old_ts = submission_time(new), submission_time(old)
            if new_ts is None or old_ts is None or new_ts <= old_ts:
                result.kept.append(f"{learner.name}: kept the submission already collected ({old_ts} UTC); "
                                   f"this one ({new_ts} UTC) is not newer")
                continue
            keep = superseded / learner.name / assignment / old_ts.strftime("%Y%m%dT%H%M%S")
            keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(old), str(keep))
            result.replaced.append(f"{learner.name}: newer submission ({new_ts} UTC) replaces the one of {old_ts} UTC, "
                                   f"which is kept in {keep}")
        old.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(new), str(old))


def collect(cohort, assignment: str, source: Path) -> CollectResult:
    """Unpack -> nbgrader zip_collect (KitCollector) into staging -> merge into the workspace's submitted/."""
    cohort.require_assignment(assignment)
    release = cohort.workspace / "release" / assignment
    notebooks = released_notebooks(release)
    if not notebooks:
        raise KitError(f"{assignment} is not released yet (no notebooks in {release}): run `civickit cohort release {assignment}`.")
    if not source.exists():
        raise KitError(f"{source} not found: give the zip file or folder of submissions.")
    learners = roster_names(cohort.db_url)
    if not learners:
        raise KitError("The roster is empty: import it first with `civickit cohort roster FILE.csv`.")
    base = cohort.workspace / "downloaded"
    work = base / assignment
    if work.exists():
        shutil.rmtree(work)  # leftovers of an interrupted run; the source zip/folder is untouched
    extracted, staged = work / "extracted", work / "staged"
    extracted.mkdir(parents=True)
    staged.mkdir()
    result = CollectResult()
    try:
        result.skipped += unpack(source, extracted, cohort.settings().get("timezone", "Europe/Sofia"))
        seen: dict[tuple[str, str], list[str]] = {}
        for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
            rel = path.relative_to(extracted).as_posix()
            found = match(rel, notebooks, learners)
            if found.problem:
                result.skipped.append(f"{rel}: {found.problem}")
                continue
            seen.setdefault((found.student, found.notebook), []).append(rel)
            if found.note:
                result.notes.append(f"{found.student}: {found.note}")
        for (student, notebook), files in sorted(seen.items()):
            if len(files) > 1:  # nbgrader keeps the one with the newest time
                newest = max(files, key=lambda rel: (extracted / rel).stat().st_mtime)
                result.notes.append(f"{student}: {len(files)} files for {notebook} ({', '.join(files)}); "
                                    f"the newest, {newest}, is taken")
        cohort.nbgrader(
            "zip_collect", assignment,
            "--collector=civickit.zip_collect.KitCollector",
            f"--ZipCollectApp.collect_directory_structure={base}/{{assignment_id}}/{{collect_step}}",
            f"--CourseDirectory.submitted_directory={staged}",
        )
        for learner in sorted(p for p in staged.iterdir() if p.is_dir()):
            result.taken[learner.name] = sorted(p.name for p in (learner / assignment).glob("*.ipynb"))
        merge(staged, cohort.workspace / "submitted", cohort.workspace / "superseded", assignment, result)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # file names there can hold learners' names
        if base.exists() and not any(base.iterdir()):
            base.rmdir()
    return result
