"""Benchmark: parallel `civickit cohort autograde` against sequential `nbgrader autograde` on the same files.

Prints figures and the ratio measured in one run (or the median of --repeat runs, in alternating
order, for a machine shared with others); it asserts nothing (performance is not a test).
"""

from __future__ import annotations

import resource
import shutil
import statistics
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


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(root: Path, assignment: str = "public-consultation", learners: int = 30, jobs: int | None = None,
        repeat: int = 1) -> dict:
    """`repeat` pairs, each on fresh copies; the order alternates so a change in the machine's load
    (other users) hits both sides alike. Figures are medians over the pairs; `pairs` has each one."""
    pairs = []
    for i in range(repeat):
        with tempfile.TemporaryDirectory(prefix="civickit-bench-") as tmp:
            sequential = _prepare(root, Path(tmp) / "sequential", assignment, learners)
            parallel = _prepare(root, Path(tmp) / "parallel", assignment, learners)
            steps = {
                "sequential": lambda: sequential.nbgrader("autograde", assignment),
                "parallel": lambda: autograde(parallel, assignment, jobs=jobs, progress=False),
            }
            figures = {}
            for name in (["sequential", "parallel"] if i % 2 == 0 else ["parallel", "sequential"]):
                figures[name] = _timed(steps[name])
        (seq_s, _), (par_s, outcomes) = figures["sequential"], figures["parallel"]
        pairs.append({"sequential_s": seq_s, "parallel_s": par_s, "speedup": seq_s / par_s,
                      "graded_ok": sum(o.ok for o in outcomes)})
    pick = lambda key: statistics.median(p[key] for p in pairs)  # noqa: E731
    return {
        "learners": learners,
        "pairs": pairs,
        "graded_ok": min(p["graded_ok"] for p in pairs),
        "sequential_s": pick("sequential_s"),
        "parallel_s": pick("parallel_s"),
        "speedup": pick("speedup"),
        "sequential_s_per_submission": pick("sequential_s") / learners,
        "parallel_s_per_submission": pick("parallel_s") / learners,
        "peak_child_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
