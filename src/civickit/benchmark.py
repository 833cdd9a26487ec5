"""Benchmark: parallel `civickit cohort autograde` against sequential `nbgrader autograde` on the same files.

Prints figures and the ratio measured in one run; it asserts nothing (performance is not a test).
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from .autograde import autograde
from .cohort import Cohort


def _prepare(root: Path, work: Path, assignment: str, learners: int) -> Cohort:
    from nbgrader.api import Gradebook

    cohort = Cohort(root, work)
    work.mkdir(parents=True)
    cohort.nbgrader("db", "assignment", "add", assignment)
    cohort.nbgrader("generate_assignment", assignment, "--force")
    source = root / "assignments" / assignment
    with Gradebook(cohort.db_url) as gb:  # one `nbgrader db student add` each would take minutes (untimed anyway)
        for i in range(learners):
            gb.update_or_create_student(f"learner{i:02d}")
    for i in range(learners):
        sid = f"learner{i:02d}"
        # Half submit the solution, half the untouched release: both paths of grading get timed.
        folder = source if i % 2 == 0 else work / "release" / assignment
        dest = work / "submitted" / sid / assignment
        shutil.copytree(folder, dest)
        (dest / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 Europe/Sofia", encoding="utf-8")
    return cohort


def run(root: Path, assignment: str = "public-consultation", learners: int = 30, jobs: int | None = None) -> dict:
    with tempfile.TemporaryDirectory(prefix="civickit-bench-") as tmp:
        sequential = _prepare(root, Path(tmp) / "sequential", assignment, learners)
        parallel = _prepare(root, Path(tmp) / "parallel", assignment, learners)
        start = time.perf_counter()
        sequential.nbgrader("autograde", assignment)
        seq_seconds = time.perf_counter() - start
        start = time.perf_counter()
        outcomes = autograde(parallel, assignment, jobs=jobs, progress=False)
        par_seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "learners": learners,
        "graded_ok": sum(o.ok for o in outcomes),
        "sequential_s": seq_seconds,
        "parallel_s": par_seconds,
        "speedup": seq_seconds / par_seconds,
        "sequential_s_per_submission": seq_seconds / learners,
        "parallel_s_per_submission": par_seconds / learners,
        "peak_child_rss_mb": peak_mb,
    }
