"""Building the course book with Jupyter Book 1.x (learner and trainer editions)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .checks import check_notebooks, check_toc
from .errors import KitError
from .paths import kit_environment
from .sphinx_ext import EDITIONS


def output_base(root: Path, edition: str) -> Path:
    # jupyter-book writes <path-output>/_build/html; the learner edition keeps the default place.
    return root if edition == "learner" else root / "_build" / edition


def html_dir(root: Path, edition: str) -> Path:
    return output_base(root, edition) / "_build" / "html"


def build(root: Path, edition: str = "learner", strict: bool = False, full: bool = False) -> Path:
    """Build one edition; incremental unless `full`. Returns the HTML folder.

    strict = the CI build: warnings are errors, nitpicky references, keep going to list them all.
    """
    if edition not in EDITIONS:
        raise KitError(f"Unknown edition {edition!r}: use one of {', '.join(EDITIONS)}.")
    check_toc(root)
    check_notebooks(root)
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), "--builder", "html"]
    if edition != "learner":
        cmd += ["--path-output", str(output_base(root, edition))]
    if full:
        cmd.append("--all")
    if strict:
        cmd += ["-W", "-n", "--keep-going"]
    env = kit_environment(root)
    env["CIVICKIT_EDITION"] = edition
    result = subprocess.run(cmd, cwd=root, env=env)
    if result.returncode != 0:
        reports = html_dir(root, edition) / "reports"
        raise KitError(
            f"The book ({edition} edition) did not build: see the warnings above"
            + (f" and the execution reports in {reports}" if reports.is_dir() else "")
            + "."
        )
    return html_dir(root, edition)
