"""The learner's own copy of each exercise: made from the kit's notebook on first open, never overwritten.

The book's "open the exercise" link goes through the server (civickit.server.ExerciseHandler), which
calls `open_copy`: the kit's exercises/ stay as git has them (an alumnus can `git pull`, the next learner
does not see the previous one's answers in the kit), and the learner's answers live in the cohort
workspace, which is git-ignored and inside the served folder (JupyterLab opens only files under it).

A record next to the copies (`RECORD`) remembers which copy belongs to which exercise and from which
version of the kit's notebook it was made, so a newer kit version is noticed without touching the copy.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .paths import workspace

FOLDER = "мои-упражнения"  # a name the learner reads in JupyterLab's path bar
RECORD = ".civickit-copies.json"
EXERCISES = "exercises"
# A kit exercise is one file directly in exercises/: no folders, no "..", nothing hidden.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.ipynb")
FRESH_SUFFIX = "-нова-версия"


class BadName(ValueError):
    """Not the shape of an exercise's file name (a path, a hidden file, not a notebook)."""


class UnknownExercise(LookupError):
    """A well-formed name that is not one of the kit's exercises."""


@dataclass(frozen=True)
class Opened:
    copy: Path  # the learner's copy to open
    kit_changed: bool  # the kit's notebook changed since the copy was made: ask before opening


def copies_folder(root: Path) -> Path:
    return workspace(root) / FOLDER


def kit_exercise(root: Path, name: str) -> Path:
    """The kit's notebook for `name`, found by listing exercises/ (so no path the learner types is opened)."""
    if not NAME.fullmatch(name) or ".." in name:
        raise BadName(name)
    kit = {p.name: p for p in (root / EXERCISES).glob("*.ipynb") if p.is_file()}
    if name not in kit:
        raise UnknownExercise(name)
    return kit[name]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_record(folder: Path) -> dict:
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}  # no record yet (or a damaged one): copies on disk are still never overwritten
    return data if isinstance(data, dict) else {}


def _write_record(folder: Path, record: dict) -> None:
    tmp = folder / (RECORD + ".tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, folder / RECORD)  # a crash leaves the old record, never half a file


def _copy_new(source: Path, target: Path) -> bool:
    """Writes `source` to `target` only if `target` does not exist yet (two tabs opening at once included)."""
    try:
        with target.open("xb") as out:
            out.write(source.read_bytes())
    except FileExistsError:
        return False
    return True


def _is_copy_name(value) -> bool:
    """A name the record may point at: one visible notebook in the learner's folder (a fresh copy's is Cyrillic)."""
    return isinstance(value, str) and value.endswith(".ipynb") and not value.startswith(".") and Path(value).name == value


def _free_name(folder: Path, stem: str) -> str:
    for n in range(1, 1000):
        candidate = f"{stem}{FRESH_SUFFIX}{'' if n == 1 else f'-{n}'}.ipynb"
        if not (folder / candidate).exists():
            return candidate
    raise OSError(f"no free name for a fresh copy of {stem} in {folder}")


def open_copy(root: Path, name: str) -> Opened:
    """The learner's copy of exercise `name`, made from the kit's notebook if there is none yet."""
    source = kit_exercise(root, name)
    folder = copies_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    record = _read_record(folder)
    entry = record.get(name) if isinstance(record.get(name), dict) else None
    copy_name = entry["copy"] if entry and _is_copy_name(entry.get("copy")) else name
    copy = folder / copy_name
    current = _digest(source)
    if _copy_new(source, copy) or not entry:
        # a new copy, or a copy left without its record: it counts as made from the kit's current version
        record[name] = {"copy": copy_name, "kit_sha256": current}
        _write_record(folder, record)
        return Opened(copy, kit_changed=False)
    return Opened(copy, kit_changed=entry.get("kit_sha256") != current)


def keep_copy(root: Path, name: str) -> Path:
    """The learner keeps their copy of a changed exercise: it is not asked about this kit version again."""
    opened = open_copy(root, name)
    folder = opened.copy.parent
    record = _read_record(folder)
    record[name] = {"copy": opened.copy.name, "kit_sha256": _digest(kit_exercise(root, name))}
    _write_record(folder, record)
    return opened.copy


def fresh_copy(root: Path, name: str) -> Path:
    """A new copy of the kit's current version under a new name; the old copy stays as it is."""
    source = kit_exercise(root, name)
    folder = copies_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    while True:
        target = folder / _free_name(folder, source.stem)
        if _copy_new(source, target):
            break
    record = _read_record(folder)
    record[name] = {"copy": target.name, "kit_sha256": _digest(source)}
    _write_record(folder, record)
    return target


def refuse_saving_kit_exercises(model, path, contents_manager, **kwargs):
    """Pre-save hook of the learner's server: the kit's exercises/ are read-only in JupyterLab.

    Jupyter Server passes an HTTPError of a pre-save hook on to JupyterLab, which shows its message
    and keeps the notebook unsaved; the learner's copy (from the book's link) saves normally.
    """
    from tornado.web import HTTPError

    parts = Path(path.strip("/")).parts
    if parts and parts[0] == EXERCISES:
        raise HTTPError(
            403,
            "Файловете на курса не се променят: отворете упражнението от книгата "
            f"(бутона „▶ Отворете упражнението“), за да работите в свое копие в папка „{FOLDER}“. "
            "Който променя самия курс, го стартира с make start MODE=trainer.",
        )
