"""A hub user's system account and home: created at first spawn, filled with the course, never overwritten.

Runs inside the hub (as root), called by civickit.hub_spawner before a single-user server starts.
"""

from __future__ import annotations

import grp
import os
import pwd
import re
import shutil
import stat
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


def _ensure_dir(home: Path, rel: Path, uid: int, gid: int) -> Path | None:
    """home/rel as a real folder owned by the user; None when a part of it is a symlink or a file.

    This runs as root inside a folder the learner controls: following a symlink the learner planted
    (say ~/practices -> /etc) would let root write there, so any symlink ends the copy of that part.
    """
    current = home
    for part in rel.parts:
        current = current / part
        try:
            st = os.lstat(current)
        except FileNotFoundError:
            os.mkdir(current, 0o755)
            os.lchown(current, uid, gid)
            continue
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            return None
    return current


def _copy_new_file(src: Path, target: Path, uid: int, gid: int) -> bool:
    """Create target only if nothing (not even a dangling symlink) is there; never follows a link."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as out, src.open("rb") as data:
        os.fchown(fd, uid, gid)
        shutil.copyfileobj(data, out)
    return True


def _copy_missing(src: Path, home: Path, rel_dest: Path, uid: int, gid: int) -> int:
    """Copy files that the user does not have yet; a learner's edited copy is never replaced."""
    copied = 0
    for folder, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        rel = Path(folder).relative_to(src)
        target_dir = _ensure_dir(home, rel_dest / rel, uid, gid)
        if target_dir is None:
            dirs[:] = []
            continue
        for name in sorted(files):
            if not name.startswith("."):
                copied += _copy_new_file(Path(folder) / name, target_dir / name, uid, gid)
    return copied


def _refresh_book(root: Path, home: Path, uid: int, gid: int) -> None:
    """The built learner book, at the path the kit's server extension serves as /course/.

    Unlike the notebooks it is the kit's output, not the learner's work: replaced at each spawn.
    """
    book = html_dir(root, "learner")
    if not (book / "index.html").is_file():
        return
    rel = html_dir(home, "learner").relative_to(home)
    parent = _ensure_dir(home, rel.parent, uid, gid)
    if parent is None:
        return
    target = parent / rel.name
    if target.is_symlink():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)  # fd-based on Linux: does not follow symlinks inside
    shutil.copytree(book, target, symlinks=True)
    for path in [target, *target.rglob("*")]:
        os.lchown(path, uid, gid)


def provision(root: Path, user: pwd.struct_passwd, trainer: bool) -> dict[str, int]:
    """Put the course into the user's home; returns how many files were new per folder."""
    home = Path(user.pw_dir)
    uid, gid = user.pw_uid, user.pw_gid
    copied = {}
    for folder in LEARNER_FOLDERS:
        if (root / folder).is_dir():
            copied[folder] = _copy_missing(root / folder, home, Path(folder), uid, gid)
    if trainer:
        copied["course/assignments"] = _copy_missing(root / "assignments", home, Path(TRAINER_COURSE, "assignments"), uid, gid)
        course = _ensure_dir(home, Path(TRAINER_COURSE), uid, gid)
        # With the book's two marker files ~/course is a kit for `civickit cohort ...` in the trainer's terminal.
        for name in BOOK_MARKERS:
            if course is not None and (root / name).is_file():
                _copy_new_file(root / name, course / name, uid, gid)
    _refresh_book(root, home, uid, gid)
    return copied
