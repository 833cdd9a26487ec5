"""A pool of nbgrader autograders that imports nbgrader once and grades learners one by one.

`civickit cohort autograde` starts this module as one process:

    python -m civickit.grading_pool JOBS ASSIGNMENT [nbgrader options...]

It reads learner ids from stdin (one a line), and writes one JSON line per graded learner to
stdout: {"student": id, "ok": bool, "log": nbgrader's log of that learner}.

Why a pool and not one `nbgrader autograde` per batch of learners:
- importing nbgrader costs ~2.5 s of CPU; the parent imports it once and forks the graders;
- a grader asks for the next learner when it is free, so a batch of slow submissions cannot
  leave the other core idle while it finishes.
Each learner is graded by nbgrader's own Autograde converter with --force, as
`nbgrader autograde ASSIGNMENT --student ID --force` would (nbgrader's formgrader does the same).

The sandbox comes with nbgrader's Autograde itself (civickit.sandbox_kernel), as for Formgrader.
"""

from __future__ import annotations

import json
import os
import sys
from multiprocessing import connection, get_context


def _grade_forever(app, conn) -> None:
    """In a forked grader: grade each learner id received until the pipe closes."""
    from nbgrader.converters import Autograde
    from nbgrader.utils import capture_log

    while True:
        try:
            student = conn.recv()
        except EOFError:
            return
        if student is None:  # no more learners (an EOF would not come: forked siblings hold the pipe)
            return
        app.coursedir.student_id = student
        converter = Autograde(coursedir=app.coursedir, parent=app)
        converter.force = True
        result = capture_log(converter)
        conn.send({"student": student, "ok": bool(result["success"]), "log": result.get("log", "")[-20000:]})


def _preload() -> None:
    """Import here, once, what every grader would import for itself: the trusted checker runs the
    assignments' setup cells in the grader (civickit.trusted_check), and they import pandas (~0.6 s of CPU)."""
    import contextlib
    import importlib

    for name in ("pandas", "civickit.datasets"):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)


def main(argv: list[str]) -> int:
    jobs, assignment, nbgrader_args = int(argv[0]), argv[1], argv[2:]
    # Results go to a private copy of stdout; fd 1 then points at stderr, so nothing a kernel
    # or library prints can be mistaken for a result line.
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)

    from nbgrader.apps.autogradeapp import AutogradeApp

    app = AutogradeApp()
    app.initialize([assignment, *nbgrader_args])
    app.coursedir.assignment_id = assignment
    _preload()
    todo = [line.strip() for line in sys.stdin if line.strip()]
    todo.reverse()  # pop() then hands them out in the given order

    ctx = get_context("fork")
    busy: dict = {}  # connection -> (process, learner id or None)

    def spawn() -> None:
        ours, theirs = ctx.Pipe()
        proc = ctx.Process(target=_grade_forever, args=(app, theirs), daemon=True)
        proc.start()
        theirs.close()
        busy[ours] = (proc, None)

    def hand_out(conn) -> None:
        proc, _ = busy[conn]
        if todo:
            student = todo.pop()
            conn.send(student)
            busy[conn] = (proc, student)
        else:
            conn.send(None)
            conn.close()
            proc.join()
            del busy[conn]

    def report(record: dict) -> None:
        results.write(json.dumps(record, ensure_ascii=False) + "\n")
        results.flush()

    for _ in range(max(1, min(jobs, len(todo)))):
        spawn()
    for conn in list(busy):
        hand_out(conn)
    while busy:
        for conn in connection.wait(list(busy)):
            proc, student = busy[conn]
            try:
                report(conn.recv())
            except (EOFError, OSError):
                # The grader itself died (out of memory, killed): that learner fails, a fresh grader goes on.
                proc.join()
                del busy[conn]
                if student is not None:
                    report({"student": student, "ok": False,
                            "log": f"[ERROR] the grading process died (exit code {proc.exitcode})"})
                if todo:
                    spawn()
                    hand_out(list(busy)[-1])
                continue
            hand_out(conn)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
