"""Collecting submissions that arrive as files: a folder, an e-mailed zip, or Moodle's "Download all submissions".

civickit unpacks (safely: no path outside the staging folder, no link followed, damaged entries named,
Cyrillic names decoded, sizes capped) into a staging folder of the workspace, decides which file is whose
(the plan), then runs nbgrader's real `zip_collect` with KitCollector, which carries the plan out:

    <student_id>/<notebook>.ipynb                      a folder per learner (any depth)
    <student_id>_<notebook>.ipynb                      flat files
    Мария Иванова_123456_assignsubmission_file_/...    Moodle (matched by the roster's full name;
                                                       a name two learners share is refused)

Only real notebooks of the assignment are taken (civickit.notebook_check). The submission time is the
nbgrader timestamp.txt beside the notebook when there is one (a folder copied from an exchange), else the
time in the zip entry (the cohort's time zone) or the file's modification time. Each collected submission
gets a new random submission_secret.txt, as nbgrader's submit writes one: release_feedback needs it, and a
secret found in the archive is never used (it could be another learner's).

nbgrader writes into a staging submitted/ folder; merge() then moves each learner in. A learner already
collected is replaced only by a strictly newer submission (nbgrader's own rule for `collect --update`);
the older one is moved to superseded/, never deleted.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo

from nbgrader.plugins import FileNameCollectorPlugin

from .display_zone import DEFAULT_TIMEZONE
from .errors import KitError
from .notebook_check import notebook_problem
from .roster import SAFE_ID

MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_\d+_assign(?:submission|feedback)_\w+?_?$")
MOODLE_FILE = re.compile(r"^(?P<name>.+?)_\d+_assignsubmission_file_(?P<file>.+)$")
MAX_FILE = 100 * 2**20  # a notebook larger than this is not a course answer
MAX_TOTAL = 1024 * 2**20
TIMESTAMP = "timestamp.txt"  # nbgrader's submission time, beside the notebooks
SECRET = "submission_secret.txt"  # nbgrader's key to a submission's released feedback
PLAN = "plan.json"  # staged file -> learner, notebook, time: written by collect(), read by KitCollector
UTC_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


@dataclass
class Match:
    student: str | None = None
    notebook: str | None = None
    problem: str | None = None  # why the file was not taken
    note: str | None = None


def _norm(name: str) -> str:
    return " ".join(name.replace("_", " ").split()).casefold()


def full_names(learners: dict[str, tuple[str, str]]) -> dict[str, set[str]]:
    """'мария иванова' and 'иванова мария' -> the ids of the learners of that name (more than one: ambiguous)."""
    out: dict[str, set[str]] = {}
    for sid, (first, last) in learners.items():
        out.setdefault(_norm(f"{first} {last}"), set()).add(sid)
        out.setdefault(_norm(f"{last} {first}"), set()).add(sid)
    return out


def _by_name(name: str, names: dict[str, set[str]]) -> tuple[str | None, str | None]:
    """(learner id, None) for a roster name, or (None, why not)."""
    ids = sorted(names.get(_norm(name), ()))
    if not ids:
        return None, f"no learner named '{name}' in the roster"
    if len(ids) > 1:
        return None, (f"the name '{name}' is shared by {len(ids)} learners of the roster ({', '.join(ids)}): "
                      f"not collected; put the file in a folder named after the learner's id and collect again")
    return ids[0], None


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
            student, problem = _by_name(moodle["name"], names)
            if problem:
                return Match(problem=problem)
            break
    if student is None:
        moodle = MOODLE_FILE.match(filename)
        if moodle:
            student, problem = _by_name(moodle["name"], names)
            if problem:
                return Match(problem=problem)
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


@dataclass
class CollectResult:
    taken: dict[str, list[str]] = field(default_factory=dict)  # learner -> notebooks
    times: dict[str, str] = field(default_factory=dict)  # learner -> submission time and where it came from
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason"
    notes: list[str] = field(default_factory=list)


LINK_ADVICE = "copy the file itself into the folder and collect again"


def _read_plain_file(path: Path) -> tuple[bytes | None, str | None]:
    """(content, None) of a regular file with one name; (None, why not) for links, devices, large files.

    A symbolic link can point anywhere; a hard link is the same file as another name on this disk
    (for example the gradebook), so neither is taken: the folder's own files only."""
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        return None, f"symbolic link, skipped (civickit takes no file from outside the folder): {LINK_ADVICE}"
    if not stat.S_ISREG(info.st_mode):
        return None, "not a regular file, skipped"
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as fh:
        opened = os.fstat(fh.fileno())
        if not stat.S_ISREG(opened.st_mode):
            return None, "not a regular file, skipped"
        if opened.st_nlink > 1:
            return None, (f"hard link (the same file has another name on this disk, perhaps outside the folder), "
                          f"skipped: {LINK_ADVICE}")
        data = fh.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        return None, f"larger than {MAX_FILE // 2**20} MB, skipped"
    return data, None


def _copy_folder(source: Path, dest: Path, refused: list[str]) -> None:
    for dirpath, dirnames, filenames in os.walk(source):  # followlinks=False: a linked folder is not entered
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                dirnames.remove(name)
                refused.append(f"{(here / name).relative_to(source).as_posix()}: symbolic link, skipped "
                               f"(civickit takes no file from outside the folder): {LINK_ADVICE}")
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(source).as_posix()
            data, problem = _read_plain_file(path)
            if problem:
                refused.append(f"{rel}: {problem}")
                continue
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            shutil.copystat(path, target)


def _open_zip(source: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        with source.open("rb") as fh:
            head = fh.read(4)
        if head == b"PK\x03\x04":  # begins like a zip: its directory at the end is missing or broken
            raise KitError(f"{source} is an incomplete or damaged zip ({err}; an interrupted download?): "
                           f"nothing was collected; download or ask for it again.") from None
        raise KitError(f"{source} is neither a folder nor a zip file.") from None


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, str | None]:
    """(content, None), or (None, why the entry is damaged): a zip's sizes and checksums can lie."""
    try:
        with archive.open(info) as src:
            data = src.read(MAX_FILE + 1)
    except zipfile.BadZipFile as err:
        why = "its CRC check failed: the data is not what the zip recorded" if "CRC" in str(err) else str(err)
        return None, f"damaged in the zip ({why}), skipped: ask the learner to send it again"
    except (zlib.error, EOFError) as err:
        return None, f"damaged in the zip (compressed data cut or corrupt: {err}), skipped: ask the learner to send it again"
    except RuntimeError as err:  # zipfile's word for an encrypted entry
        return None, f"cannot be read ({err}), skipped: ask for the file without a password"
    except NotImplementedError as err:
        return None, f"cannot be read ({err}), skipped: ask for a zip made with the usual compression"
    if len(data) > MAX_FILE:
        return None, f"larger than {MAX_FILE // 2**20} MB, skipped"
    if len(data) != info.file_size:
        return None, (f"damaged in the zip (it declares {info.file_size} bytes but holds {len(data)}), "
                      f"skipped: ask the learner to send it again")
    return data, None


def _entry_time(info: zipfile.ZipInfo, zone: ZoneInfo, source: Path) -> tuple[float, str | None]:
    try:
        return datetime(*info.date_time, tzinfo=zone).timestamp(), None
    except ValueError:
        return source.stat().st_mtime, "no valid time in the zip entry: the zip file's time is used"


def _unzip(source: Path, dest: Path, tz: str, result: CollectResult) -> None:
    zone = ZoneInfo(tz)
    with _open_zip(source) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if sum(i.file_size for i in infos) > MAX_TOTAL:
            raise KitError(f"{source} would unpack to more than {MAX_TOTAL // 2**20} MB: not a set of notebooks.")
        written = 0
        for info in infos:
            name = _zip_name(info)
            rel = _safe_relpath(name)
            if rel is None:
                result.skipped.append(f"{name}: path outside the archive, skipped")
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                result.skipped.append(f"{name}: symbolic link, skipped")
                continue
            if info.file_size > MAX_FILE:
                result.skipped.append(f"{name}: larger than {MAX_FILE // 2**20} MB, skipped")
                continue
            target = dest / rel
            if dest.resolve() not in target.resolve().parents:
                result.skipped.append(f"{name}: path outside the archive, skipped")
                continue
            data, problem = _read_entry(archive, info)
            if problem:
                result.skipped.append(f"{name}: {problem}")
                continue
            written += len(data)
            if written > MAX_TOTAL:  # declared sizes can lie; what was really read cannot
                raise KitError(f"{source} unpacks to more than {MAX_TOTAL // 2**20} MB: not a set of notebooks.")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            when, note = _entry_time(info, zone, source)
            if note:
                result.notes.append(f"{name}: {note}")
            os.utime(target, (when, when))


def unpack(source: Path, dest: Path, tz: str, result: CollectResult) -> None:
    """Copies a folder or unpacks a zip into dest, keeping times; what is refused goes to result.skipped."""
    if source.is_dir():
        _copy_folder(source, dest, result.skipped)
    else:
        _unzip(source, dest, tz, result)


def roster_names(db_url: str) -> dict[str, tuple[str, str]]:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {s.id: (s.first_name or "", s.last_name or "") for s in gb.students}


def released_notebooks(release: Path) -> list[str]:
    return sorted(p.name for p in release.glob("*.ipynb"))


class KitCollector(FileNameCollectorPlugin):
    """nbgrader zip_collect plugin: takes exactly the files of civickit's plan (see collect())."""

    def collect(self, submitted_file):
        extracted = Path(self.parent._format_collect_path(self.parent.extracted_directory))
        if not hasattr(self, "_plan"):
            self._plan = json.loads((extracted.parent / PLAN).read_text(encoding="utf-8"))
        return self._plan.get(Path(submitted_file).relative_to(extracted).as_posix())


def submission_time(folder: Path):
    """The time nbgrader records for a submission folder (naive UTC), or None if missing or unreadable."""
    from nbgrader.utils import parse_utc

    try:
        return parse_utc((folder / TIMESTAMP).read_text(encoding="utf-8").strip() or None)
    except (OSError, ValueError, OverflowError):
        return None


@dataclass
class Candidate:
    rel: str
    student: str
    notebook: str
    time: datetime  # aware, UTC
    clock: str  # where the time comes from, for the trainer


def _apply_timestamps(extracted: Path, candidates: list[Candidate], result: CollectResult) -> None:
    """A timestamp.txt beside a learner's notebooks is their submission time (nbgrader wrote it at
    submit); beside several learners' files it cannot be, and is not used."""
    by_folder: dict[PurePosixPath, list[Candidate]] = {}
    for cand in candidates:
        by_folder.setdefault(PurePosixPath(cand.rel).parent, []).append(cand)
    for folder, group in sorted(by_folder.items()):
        stamp = extracted / folder / TIMESTAMP
        if not stamp.is_file():
            continue
        shown = (folder / TIMESTAMP).as_posix()
        owners = sorted({c.student for c in group})
        if len(owners) > 1:
            result.notes.append(f"{shown}: not used, the folder holds files of {len(owners)} learners "
                                f"({', '.join(owners)}); their file times are used")
            continue
        when = submission_time(extracted / folder)
        if when is None:
            result.notes.append(f"{shown}: unreadable, {owners[0]}'s file time is used")
            continue
        for cand in group:
            cand.time, cand.clock = when.replace(tzinfo=timezone.utc), TIMESTAMP


def _plan(extracted: Path, notebooks: list[str], learners: dict, release: Path, clock: str,
          result: CollectResult) -> list[Candidate]:
    """Every staged file judged: refused (with why) or a candidate; then one file per learner and notebook."""
    released = {nb: json.loads((release / nb).read_text(encoding="utf-8")) for nb in notebooks}
    candidates = []
    for path in sorted(p for p in extracted.rglob("*") if p.is_file()):
        rel = path.relative_to(extracted).as_posix()
        if path.name == SECRET:
            result.notes.append(f"{rel}: not taken; each collected submission gets a new secret of its own")
            continue
        if path.name == TIMESTAMP:
            continue  # read beside the notebooks, below
        found = match(rel, notebooks, learners)
        if not found.problem:
            found.problem = notebook_problem(path.read_bytes(), released[found.notebook])
        if found.problem:
            result.skipped.append(f"{rel}: {found.problem}")
            continue
        if found.note:
            result.notes.append(f"{found.student}: {found.note}")
        mtime = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        candidates.append(Candidate(rel, found.student, found.notebook, mtime, clock))
    _apply_timestamps(extracted, candidates, result)
    chosen: dict[tuple[str, str], list[Candidate]] = {}
    for cand in candidates:
        chosen.setdefault((cand.student, cand.notebook), []).append(cand)
    plan = []
    for (student, notebook), files in sorted(chosen.items()):
        newest = files[0]
        for cand in files[1:]:  # nbgrader's rule: the newest time wins, a tie goes to the later file
            if cand.time >= newest.time:
                newest = cand
        if len(files) > 1:
            result.notes.append(f"{student}: {len(files)} files for {notebook} ({', '.join(c.rel for c in files)}); "
                                f"the newest, {newest.rel}, is taken")
        plan.append(newest)
    return plan


def _write_secret(folder: Path) -> None:
    """A new random secret, as nbgrader's submit writes: feedback is released under a hash of it, so
    only who holds it can fetch that feedback; never copied from the archive or shared."""
    (folder / SECRET).write_text(secrets.token_hex(64), encoding="utf-8")


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


CLOCKS = {TIMESTAMP: "from timestamp.txt", "zip": "from the zip entry's time", "file": "from the file time"}


def collect(cohort, assignment: str, source: Path) -> CollectResult:
    """Unpack -> plan -> nbgrader zip_collect (KitCollector) into staging -> merge into the workspace's submitted/."""
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
    tz = cohort.settings().get("timezone", DEFAULT_TIMEZONE)
    base = cohort.workspace / "downloaded"
    work = base / assignment
    if work.exists():
        shutil.rmtree(work)  # leftovers of an interrupted run; the source zip/folder is untouched
    extracted, staged = work / "extracted", work / "staged"
    extracted.mkdir(parents=True)
    staged.mkdir()
    result = CollectResult()
    try:
        unpack(source, extracted, tz, result)
        plan = _plan(extracted, notebooks, learners, release, "file" if source.is_dir() else "zip", result)
        if not plan:
            return result
        (work / PLAN).write_text(json.dumps({c.rel: {"student_id": c.student, "file_id": c.notebook,
                                                     "timestamp": c.time.strftime(UTC_FORMAT)} for c in plan}),
                                 encoding="utf-8")
        cohort.nbgrader(
            "zip_collect", assignment,
            "--collector=civickit.zip_collect.KitCollector",
            f"--ZipCollectApp.collect_directory_structure={base}/{{assignment_id}}/{{collect_step}}",
            f"--CourseDirectory.submitted_directory={staged}",
        )
        zone = ZoneInfo(tz)
        for learner in sorted(p for p in staged.iterdir() if p.is_dir()):
            result.taken[learner.name] = sorted(p.name for p in (learner / assignment).glob("*.ipynb"))
            latest = max((c for c in plan if c.student == learner.name), key=lambda c: c.time)
            result.times[learner.name] = (f"{latest.time.astimezone(zone):%Y-%m-%d %H:%M:%S} {tz} "
                                          f"({CLOCKS[latest.clock]})")
            _write_secret(learner / assignment)
        merge(staged, cohort.workspace / "submitted", cohort.workspace / "superseded", assignment, result)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # file names there can hold learners' names
        if base.exists() and not any(base.iterdir()):
            base.rmdir()
    return result
