"""Autograding a whole cohort in parallel: the learners split into one batch per core, each batch
one real `nbgrader autograde` process (start-up costs seconds, so one process per learner is slower)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from .cohort import Cohort
from .errors import KitError
from .sandbox import KERNEL_NAME, bwrap_missing, kernelspec_dir

STARTED = re.compile(r"Creating/updating student with ID '([^']+)'")


@dataclass
class Outcome:
    student: str
    ok: bool
    log: str


def batches(students: list[str], jobs: int) -> list[list[str]]:
    """Round-robin split, so each batch gets a similar number of learners."""
    return [b for b in (students[i::jobs] for i in range(jobs)) if b]


def autograde(
    cohort: Cohort,
    assignment: str,
    jobs: int | None = None,
    progress: bool = True,
    sandbox: bool = True,
    cell_timeout: int | None = None,
) -> list[Outcome]:
    """Grade every submitted learner; a failure for one learner never stops the others.

    With sandbox (the default) learners' code runs in civickit.sandbox: it cannot read the
    sources, the hidden tests, other submissions or the gradebook.
    """
    cohort.require_assignment(assignment)
    env = cohort.env()
    extra = []
    if sandbox:
        problem = bwrap_missing()
        if problem:
            raise KitError(problem + " Grading without the sandbox: --no-sandbox (only for trusted submissions).")
        env["JUPYTER_PATH"] = f"{kernelspec_dir(cohort.workspace)}{os.pathsep}{env.get('JUPYTER_PATH', '')}"
        extra.append(f"--Execute.kernel_name={KERNEL_NAME}")
    if cell_timeout:
        extra.append(f"--Execute.timeout={cell_timeout}")
    students = cohort.submitted_students(assignment)
    groups = batches(students, jobs or os.cpu_count() or 1)
    bar = tqdm(total=len(students), desc=f"autograde {assignment}", unit="learner", disable=not progress)
    lock = threading.Lock()
    logs: dict[str, list[str]] = {s: [] for s in students}

    def grade(group: list[str]) -> None:
        others = ",".join(s for s in students if s not in group)
        cmd = [str(Path(sys.executable).parent / "nbgrader"), "autograde", assignment, "--force", *extra]
        if others:
            cmd.append(f"--CourseDirectory.student_id_exclude={others}")
        proc = subprocess.Popen(cmd, cwd=cohort.root, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        current = None
        for line in proc.stdout:
            started = STARTED.search(line)
            if started:
                if current is not None:
                    with lock:
                        bar.update(1)
                current = started.group(1)
            if current in logs:
                logs[current].append(line)
        proc.wait()
        with lock:
            bar.update(1 if current is not None else 0)

    with ThreadPoolExecutor(max_workers=len(groups) or 1) as pool:
        list(pool.map(grade, groups))
    bar.close()
    # nbgrader removes the output of a learner whose grading failed; what remains was graded.
    return [
        Outcome(s, (cohort.workspace / "autograded" / s / assignment).is_dir(), "".join(logs[s])[-2000:])
        for s in students
    ]
