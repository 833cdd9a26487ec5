"""A hub user's system account and home: created at first spawn, filled with the course, never overwritten.

Runs inside the hub (as root), called by civickit.hub_spawner before a single-user server starts.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import subprocess
from pathlib import Path

from .book import html_dir
from .errors import KitError
from .paths import BOOK_MARKERS

# Folders every user gets a copy of; trainers also get the nbgrader source (solutions, hidden tests).
LEARNER_FOLDERS = ("exercises", "practices")
TRAINER_COURSE = "course"  # ~/course: the trainer's nbgrader course directory (source + gradebook)
# A hub name becomes part of a Linux user name: keep to what useradd accepts everywhere.
HUB_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,19}$")


def system_name(prefix: str, hub_name: str) -> str:
    """`jupyter-ivan` for hub user `ivan` (TLJH's convention): a learner who signs up as `root` stays harmless."""
    if not HUB_NAME.match(hub_name):
        raise KitError(f"Hub user name '{hub_name}' is not allowed: use 1-20 lowercase Latin letters, digits, - or _.")
    return prefix + hub_name


def ensure_group(group: str) -> int:
    """The group every hub account joins (`getent group civickit-hub` lists the cohort's accounts)."""
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        pass
    result = subprocess.run(["groupadd", "--system", group], capture_output=True, text=True)
    if result.returncode != 0:
        raise KitError(f"groupadd {group} failed: {result.stderr.strip()} (the hub must run as root).")
    return grp.getgrnam(group).gr_gid


def ensure_system_user(name: str, home_base: Path, group: str) -> pwd.struct_passwd:
    """Create the Linux account on first login; home 0700 so no other learner can read it."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    ensure_group(group)
    home = home_base / name
    result = subprocess.run(
        ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--user-group",
         "--groups", group, "--comment", "civickit hub user", name],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise KitError(f"useradd {name} failed: {result.stderr.strip()} (the hub must run as root).")
    os.chmod(home, 0o700)
    return pwd.getpwnam(name)


def _copy_missing(src: Path, dest: Path, uid: int, gid: int) -> int:
    """Copy files that the user does not have yet; a learner's edited copy is never replaced."""
    copied = 0
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if any(part.startswith(".") or part == "__pycache__" for part in rel.parts):
            continue
        target = dest / rel
        if path.is_dir():
            if not target.exists():
                target.mkdir(parents=True)
                os.chown(target, uid, gid)
            continue
        if target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        os.chown(target, uid, gid)
        copied += 1
    for folder in [dest, *(p for p in dest.rglob("*") if p.is_dir())]:
        if folder.stat().st_uid == 0:  # made by mkdir(parents=True) above
            os.chown(folder, uid, gid)
    return copied


def _refresh_book(root: Path, home: Path, uid: int, gid: int) -> None:
    """The built learner book, at the path the kit's server extension serves as /course/.

    Unlike the notebooks it is the kit's output, not the learner's work: replaced at each spawn.
    """
    book = html_dir(root, "learner")
    if not (book / "index.html").is_file():
        return
    target = html_dir(home, "learner")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(book, target)
    for path in [target.parent.parent, target.parent, target, *target.rglob("*")]:
        os.lchown(path, uid, gid)


def provision(root: Path, user: pwd.struct_passwd, trainer: bool) -> dict[str, int]:
    """Put the course into the user's home; returns how many files were new per folder."""
    home = Path(user.pw_dir)
    copied = {}
    for folder in LEARNER_FOLDERS:
        if (root / folder).is_dir():
            copied[folder] = _copy_missing(root / folder, home / folder, user.pw_uid, user.pw_gid)
    if trainer:
        course = home / TRAINER_COURSE
        if not course.exists():
            course.mkdir()
            os.chown(course, user.pw_uid, user.pw_gid)
        copied["course/assignments"] = _copy_missing(root / "assignments", course / "assignments", user.pw_uid, user.pw_gid)
        # With the book's two marker files ~/course is a kit for `civickit cohort ...` in the trainer's terminal.
        for name in BOOK_MARKERS:
            if not (course / name).exists() and (root / name).is_file():
                shutil.copyfile(root / name, course / name)
                os.chown(course / name, user.pw_uid, user.pw_gid)
    _refresh_book(root, home, user.pw_uid, user.pw_gid)
    return copied
