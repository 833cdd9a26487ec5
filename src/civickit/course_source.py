"""nbgrader's source folder of a cohort: the kit's assignments and the trainer's own, side by side.

nbgrader reads every assignment from one folder, `<source_directory>/<assignment>/`. The kit's
assignments live in the tracked `assignments/`; a trainer's own (`civickit cohort assignments add`)
must not go there (the kit's git tree stays clean, an update of the kit never meets them). So the
cohort workspace holds the source folder nbgrader is pointed at:

    <workspace>/source/
        public-consultation -> <kit>/assignments/public-consultation   (a symlink, one per kit assignment)
        ps1/                                                           (a trainer's assignment, a real copy)

The symlinks are the kit's: `link_kit_assignments` makes a missing one, repoints a stale one and
removes one whose kit assignment is gone, every time nbgrader loads the kit's config. A real folder
is never touched by it; a real folder named like a kit assignment (the kit gained the name after
the trainer added theirs) keeps shadowing the kit's one, and `civickit cohort assignments list` says so.
Replaced trainer assignments are kept in `<workspace>/source-backups/` (outside source/, so nbgrader
does not see them as assignments).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .errors import KitError

SOURCE = "source"
BACKUPS = "source-backups"
KIT_FOLDER = "assignments"
# What nbgrader itself leaves out of a release (CourseDirectory.ignore's default) stays out of the copy too.
COPY_IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".git", ".DS_Store")
NOTEBOOK_NAME_FORBIDDEN = "*?[]+/\\"  # nbgrader matches notebook names as globs


def source_dir(work: Path) -> Path:
    return work / SOURCE


def kit_ids(root: Path) -> list[str]:
    folder = root / KIT_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def trainer_ids(work: Path) -> list[str]:
    """The trainer's own assignments: the real folders of the workspace's source/."""
    folder = source_dir(work)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith("."))


def assignment_ids(root: Path, work: Path) -> list[str]:
    return sorted(set(kit_ids(root)) | set(trainer_ids(work)))


def source_folder(root: Path, work: Path, assignment: str) -> Path:
    """Where nbgrader reads `assignment` from: the trainer's copy if there is one, else the kit's."""
    own = source_dir(work) / assignment
    return own if own.is_dir() and not own.is_symlink() else root / KIT_FOLDER / assignment


def link_kit_assignments(root: Path, work: Path) -> None:
    """Keep one symlink per kit assignment in source/; safe when several nbgrader processes start at once."""
    folder = source_dir(work)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {name: os.path.relpath(root / KIT_FOLDER / name, folder) for name in kit_ids(root)}
    for entry in folder.iterdir():
        if entry.is_symlink() and entry.name not in wanted:
            with _quietly():
                entry.unlink()  # its kit assignment was removed or renamed
    for name, target in wanted.items():
        link = folder / name
        if link.is_symlink() and os.readlink(link) == target:
            continue
        if link.exists() and not link.is_symlink():
            continue  # a trainer's folder of the same name: theirs, never replaced here
        temporary = folder / f".{name}.link-{os.getpid()}"
        with _quietly():
            temporary.unlink()
        with _quietly():
            os.symlink(target, temporary)
            os.replace(temporary, link)  # atomic: a concurrent reader never sees the name missing


def _quietly():
    """Another process doing the same repair at the same moment is not an error."""
    return contextlib.suppress(FileNotFoundError, FileExistsError)


# ------------------------------------------------------------------ bringing in a trainer's assignment


def _notebook_problem(path: Path) -> tuple[dict | None, str | None]:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"
    except ValueError as err:
        return None, f"is not a notebook (invalid JSON: {err})"
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return None, "is not a notebook (no list of cells)"
    return nb, None


def _nbgrader_cells(nb: dict) -> int:
    count = 0
    for cell in nb["cells"]:
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if meta.get("grade") or meta.get("solution") or meta.get("task"):
            count += 1
    return count


def check_source(path: Path, name: str) -> list[Path]:
    """The notebooks of a foreign nbgrader source assignment; KitError saying what is wrong and what to do."""
    from .assignment_stubs import declared_stubs_problem
    from .roster import id_problem

    if not path.exists():
        raise KitError(f"{path} does not exist. Give the folder of an nbgrader source assignment "
                       "(the one with the solutions, e.g. course/source/ps1).")
    if not path.is_dir():
        raise KitError(f"{path} is not a folder. `civickit cohort assignments add` takes the assignment's folder "
                       "(its notebooks, images and data files), not a single file: put the notebook in a folder "
                       "named after the assignment and give that folder.")
    problem = id_problem(name, "assignments")
    if problem:
        raise KitError(f"The assignment name '{name}' {problem}. nbgrader and the cohort's folders use it as an id: "
                       "give another with --name (lower-case Latin letters, digits, '.', '_' or '-', e.g. 'ps1').")
    notebooks = sorted(p for p in path.glob("*.ipynb") if p.is_file())
    if not notebooks:
        nested = sorted(str(p.relative_to(path)) for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        hint = (f" nbgrader only grades notebooks at the top of the assignment folder; found deeper: {', '.join(nested[:5])}."
                if nested else "")
        raise KitError(f"{path} has no notebook (.ipynb) at its top level.{hint}")
    found = 0
    for nb_path in notebooks:
        bad = sorted({c for c in nb_path.stem if c in NOTEBOOK_NAME_FORBIDDEN})
        if bad:
            raise KitError(f"{nb_path}: nbgrader cannot grade a notebook whose name contains "
                           f"{', '.join(repr(c) for c in bad)} (it reads the name as a pattern); rename the file.")
        nb, problem = _notebook_problem(nb_path)
        if problem:
            raise KitError(f"{nb_path} {problem}; open and save it in JupyterLab, or leave it out of the folder.")
        problem = declared_stubs_problem(nb)
        if problem:
            raise KitError(f"{nb_path}: {problem}")
        found += _nbgrader_cells(nb)
    if not found:
        raise KitError(f"{path}: none of its notebooks ({', '.join(p.name for p in notebooks)}) has nbgrader cells "
                       "(answer, test or task cells). Mark them in JupyterLab (View > Cell toolbar, or the nbgrader "
                       "'Create Assignment' panel) and save, then add the folder again.")
    return notebooks


def released(work: Path, assignment: str) -> bool:
    return (work / "release" / assignment).exists() or any((work / "exchange").glob(f"*/outbound/{assignment}"))


@dataclass
class Added:
    name: str
    folder: Path
    notebooks: list[str]
    files: int  # everything copied, notebooks included
    backup: Path | None = None


def add(root: Path, work: Path, path: Path, name: str | None = None, replace: bool = False) -> Added:
    """Copy a foreign nbgrader source assignment into the workspace's source/; never overwrites without --replace."""
    path = path.expanduser().resolve()
    name = name or path.name
    notebooks = check_source(path, name)
    for inside, what in ((root / KIT_FOLDER, "the kit's assignments/"), (source_dir(work), "the cohort's source/")):
        if path == inside.resolve() or inside.resolve() in path.parents:
            raise KitError(f"{path} is already inside {what}: there is nothing to add.")
    if name in kit_ids(root):
        raise KitError(f"'{name}' is the name of one of the kit's assignments (assignments/{name}). "
                       f"Give yours another name: civickit cohort assignments add {path} --name {name}-own")
    dest = source_dir(work) / name
    backup = None
    if dest.exists() or dest.is_symlink():
        if not replace:
            raise KitError(f"The cohort already has an assignment '{name}' ({dest}); nothing was changed. To replace "
                           f"it deliberately: civickit cohort assignments add {path} --replace (the old copy is kept "
                           f"in {work / BACKUPS}/), or add yours under another name with --name.")
        if released(work, name):
            raise KitError(f"'{name}' has already been released to the learners; replacing its source now would "
                           "change the cells their copies are graded against, and nothing was changed. Add the new "
                           f"version under another name (--name {name}-v2) and release that.")
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        backup = work / BACKUPS / f"{name}-{stamp}"
    staging = source_dir(work) / f".{name}.adding-{os.getpid()}"
    source_dir(work).mkdir(parents=True, exist_ok=True)
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(path, staging, ignore=shutil.ignore_patterns(*COPY_IGNORE))
    if backup:
        backup.parent.mkdir(parents=True, exist_ok=True)
        os.replace(dest, backup)
    os.replace(staging, dest)  # the copy appears whole or not at all
    files = sum(1 for p in dest.rglob("*") if p.is_file())
    return Added(name, dest, [p.name for p in notebooks], files, backup)


@dataclass
class Listed:
    name: str
    origin: str  # "kit" or "trainer"
    notebooks: list[str]
    released: bool
    shadows_kit: bool = False


def listing(root: Path, work: Path) -> list[Listed]:
    kit = set(kit_ids(root))
    rows = []
    for name in assignment_ids(root, work):
        folder = source_folder(root, work, name)
        own = folder.parent != root / KIT_FOLDER
        rows.append(Listed(name, "trainer" if own else "kit", sorted(p.name for p in folder.glob("*.ipynb")),
                           released(work, name), shadows_kit=own and name in kit))
    return rows
