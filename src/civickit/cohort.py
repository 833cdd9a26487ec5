"""A trainer's cohort workspace and the nbgrader steps run in it.

The workspace (default .cohort/, or CIVICKIT_WORKSPACE) holds personal data: gradebook,
submissions, feedback, roster. It is git-ignored and nothing here deletes a submission.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .course_source import assignment_ids, source_folder
from .display_zone import DEFAULT_TIMEZONE
from .errors import KitError
from .grading import STEP_FOLDERS
from .paths import WORKSPACE_FOLDERS, kit_environment, workspace

SETTINGS = "cohort.json"


@dataclass
class Cohort:
    root: Path  # the course kit (its assignments/ plus the trainer's own: civickit.course_source)
    workspace: Path

    @classmethod
    def open(cls, root: Path) -> "Cohort":
        cohort = cls(root, workspace(root))
        if not (cohort.workspace / SETTINGS).is_file():
            raise KitError(f"No cohort workspace at {cohort.workspace}: run `civickit cohort init` first.")
        return cohort

    @property
    def db_path(self) -> Path:
        return self.workspace / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.db_path}"

    def settings(self) -> dict:
        return json.loads((self.workspace / SETTINGS).read_text(encoding="utf-8"))

    def env(self) -> dict[str, str]:
        env = kit_environment(self.root)
        env["CIVICKIT_WORKSPACE"] = str(self.workspace)
        return env

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run one real nbgrader command in this cohort; failures name the command and show its log."""
        cmd = [str(Path(sys.executable).parent / "nbgrader"), *args]
        result = subprocess.run(cmd, cwd=self.root, env=self.env(), capture_output=True, text=True)
        if check and result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
            raise KitError(f"`nbgrader {' '.join(args)}` failed (exit {result.returncode}):\n{tail}")
        return result

    def assignment_ids(self) -> list[str]:
        """The kit's assignments and the trainer's own (civickit.course_source)."""
        return assignment_ids(self.root, self.workspace)

    def source_folder(self, assignment: str) -> Path:
        return source_folder(self.root, self.workspace, assignment)

    def require_assignment(self, assignment: str) -> None:
        if assignment not in self.assignment_ids():
            raise KitError(f"No assignment '{assignment}' in the kit's assignments/ or among the cohort's own "
                           f"(`civickit cohort assignments add PATH` brings one in); there are: "
                           f"{', '.join(self.assignment_ids())}.")

    def submitted_students(self, assignment: str) -> list[str]:
        folder = self.workspace / "submitted"
        return sorted(p.parent.name for p in folder.glob(f"*/{assignment}") if p.is_dir())


def init(root: Path, timezone: str = DEFAULT_TIMEZONE) -> Cohort:
    """Create (or keep) the workspace folders and settings; never touches existing work."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise KitError(f"Unknown time zone '{timezone}': use an IANA name such as Europe/Sofia.") from None
    cohort = Cohort(root, workspace(root))
    for folder in (*STEP_FOLDERS, *WORKSPACE_FOLDERS, "reports"):
        (cohort.workspace / folder).mkdir(parents=True, exist_ok=True)
    settings = cohort.workspace / SETTINGS
    if not settings.exists():
        settings.write_text(json.dumps({"timezone": timezone, "due": {}}, ensure_ascii=False, indent=2), encoding="utf-8")
    cohort.nbgrader("db", "upgrade")
    return cohort
