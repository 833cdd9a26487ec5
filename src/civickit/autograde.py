"""Autograding a whole cohort in parallel: one real `nbgrader autograde --student` per learner."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from tqdm import tqdm

from .cohort import Cohort


@dataclass
class Outcome:
    student: str
    ok: bool
    log: str


def autograde(cohort: Cohort, assignment: str, jobs: int | None = None, progress: bool = True) -> list[Outcome]:
    """Grade every submitted learner; a failure for one learner never stops the others."""
    cohort.require_assignment(assignment)
    students = cohort.submitted_students(assignment)
    jobs = jobs or os.cpu_count() or 1

    def grade(student: str) -> Outcome:
        result = cohort.nbgrader("autograde", assignment, f"--student={student}", "--force", check=False)
        return Outcome(student, result.returncode == 0, (result.stdout + result.stderr)[-2000:])

    outcomes = []
    # Threads only wait on nbgrader processes; the work runs in those processes, one per core.
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(grade, s) for s in students]
        bar = tqdm(as_completed(futures), total=len(futures), desc=f"autograde {assignment}", unit="learner", disable=not progress)
        for future in bar:
            outcomes.append(future.result())
    return sorted(outcomes, key=lambda o: o.student)
