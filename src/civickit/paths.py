"""Where the course lives on disk."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import KitError

BOOK_MARKERS = ("_config.yml", "_toc.yml")
# Workspace folders nbgrader's exchange needs: the shared exchange, the learner's fetched copies, the submit cache.
WORKSPACE_FOLDERS = ("exchange", "learner", "cache")


def course_root(start: Path | None = None) -> Path:
    """The folder holding `_config.yml` and `_toc.yml`.

    CIVICKIT_ROOT wins; otherwise the nearest such folder above `start` (the
    current directory), so the command works from any sub-folder of the kit.
    """
    env = os.environ.get("CIVICKIT_ROOT")
    if env:
        root = Path(env).resolve()
        if not all((root / m).is_file() for m in BOOK_MARKERS):
            raise KitError(f"CIVICKIT_ROOT={env} has no _config.yml and _toc.yml; point it at the course kit's folder.")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if all((folder / m).is_file() for m in BOOK_MARKERS):
            return folder
    raise KitError(
        f"No course kit found at or above {here} (looked for _config.yml and _toc.yml). "
        "Run the command inside the civickit folder or set CIVICKIT_ROOT."
    )


def workspace(root: Path) -> Path:
    """The cohort workspace: gradebook, submissions, feedback, exchange.

    It holds personal data, so it is git-ignored (.cohort/) unless the trainer
    points CIVICKIT_WORKSPACE elsewhere.
    """
    return Path(os.environ.get("CIVICKIT_WORKSPACE", root / ".cohort")).resolve()


# What only a cohort workspace holds (nbgrader's gradebook, the cohort's settings, the exchange folders).
WORKSPACE_SIGNS = ("gradebook.db", "cohort.json", *WORKSPACE_FOLDERS)


def workspaces_inside(root: Path) -> list[str]:
    """Folders of the kit (relative paths) that hold a cohort workspace: the configured one and any other
    top folder that looks like one (left by an earlier CIVICKIT_WORKSPACE). They hold solutions and
    learners' work, so the book build must never read them."""
    root = root.resolve()
    found = {child.name for child in root.iterdir()
             if child.is_dir() and not child.is_symlink() and any((child / s).exists() for s in WORKSPACE_SIGNS)}
    current = workspace(root)
    if current.is_relative_to(root) and current != root:
        found.add(current.relative_to(root).as_posix())
    return sorted(found)


def jupyter_config_dir() -> Path:
    """The kit's Jupyter and nbgrader configuration, shipped inside the package."""
    return Path(__file__).parent / "jupyter_config"


def jupyter_data_dir() -> Path:
    """The kit's Jupyter data (the offline Voila template), shipped inside the package."""
    return Path(__file__).parent / "jupyter_data"


def _prepend(env: dict[str, str], name: str, folder: Path) -> None:
    extra = env.get(name)
    env[name] = str(folder) + (os.pathsep + extra if extra else "")


def kit_environment(root: Path) -> dict[str, str]:
    """Environment for every Jupyter/nbgrader process the kit starts.

    The venv's bin goes first on PATH because nbgrader shells out to `alembic`.
    """
    import sys

    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    _prepend(env, "JUPYTER_CONFIG_PATH", jupyter_config_dir())
    _prepend(env, "JUPYTER_PATH", jupyter_data_dir())
    env["CIVICKIT_ROOT"] = str(root)
    env.setdefault("CIVICKIT_WORKSPACE", str(workspace(root)))
    return env
