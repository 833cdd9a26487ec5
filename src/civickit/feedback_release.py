"""`civickit cohort feedback`: nbgrader's generate_feedback and release_feedback, where one learner's
problem never stops everybody else's feedback, and the trainer is told how each learner gets theirs.

nbgrader releases a learner's feedback into the exchange as <md5(secret + notebook id)>.html, the secret
being the submission_secret.txt that nbgrader's submit wrote into the submission (and into the learner's
own cache, which is how the learner's "Fetch feedback" finds it). So:
- a submission that came through the exchange is released; the learner fetches it in JupyterLab;
- a submission collected with `collect --from` has a secret of its own (civickit.zip_collect writes a
  random one, so nbgrader's own release_feedback and Formgrader's button work), but the learner has no
  copy of it and could never fetch it: it is not released (one copy of personal data fewer), and the
  trainer sends the HTML file back the way the work came (Moodle, e-mail). The command says which file;
- so is a submission without a secret (collected before civickit wrote one, or copied in by hand:
  nbgrader's release would abort for everybody on it).
No secret is ever made up for a learner's feedback in the exchange: a guessable or shared one would let
a learner fetch someone else's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KitError
from .zip_collect import SECRET, TIMESTAMP

COURSE = "civickit"  # nbgrader's course id, as civickit.grading.configure_nbgrader sets it
ERROR_LINE = re.compile(r"^\s*[A-Za-z_][\w.]*(Error|Exception)\b")  # a traceback's last line: what went wrong


@dataclass
class FeedbackOutcome:
    student: str
    files: list[Path] = field(default_factory=list)  # the feedback HTML in the workspace
    released: bool = False  # in the exchange under the submission's secret: the learner fetches it in JupyterLab
    problem: str = ""  # why this learner has no feedback


def _generation_failures(log: str, assignment: str) -> dict[str, str]:
    """learner -> the error nbgrader's generate_feedback met for them (it goes on with the others)."""
    failed = {sid: "" for sid in re.findall(
        rf"There was an error processing assignment '{re.escape(assignment)}' for student '([^']+)'", log)}
    blocks = re.split(r"There was an error processing assignment: ", log)[1:]
    for block in blocks:
        path, _, rest = block.partition("\n")
        sid = Path(path.strip()).parent.name
        errors = [line.strip() for line in rest.splitlines() if ERROR_LINE.match(line)]
        if sid in failed and errors:
            failed[sid] = errors[-1][:300]
    return failed


def _exchange_secrets(workspace: Path, student: str, assignment: str) -> set[str]:
    """Secrets of the learner's own submissions in the exchange's inbound folder."""
    inbound = workspace / "exchange" / COURSE / "inbound"
    return {p.read_text(encoding="utf-8") for p in inbound.glob(f"{student}+{assignment}+*/{SECRET}") if p.is_file()}


def _fetchable(work: Path, student: str, assignment: str) -> bool:
    """Can the learner fetch feedback from the exchange: is this submission one they sent through it?
    Only those are released: a copy in the exchange that nobody can fetch is one more copy of personal data."""
    secret = work / "feedback" / student / assignment / SECRET
    return secret.is_file() and secret.read_text(encoding="utf-8") in _exchange_secrets(work, student, assignment)


def _released_path(workspace: Path, secret: str, notebook_id: str) -> Path:
    from nbgrader.utils import notebook_hash

    return workspace / "exchange" / COURSE / "feedback" / f"{notebook_hash(secret=secret, notebook_id=notebook_id)}.html"


def release(cohort, assignment: str) -> list[FeedbackOutcome]:
    """Generate and release feedback for every autograded learner; returns what happened to each."""
    cohort.require_assignment(assignment)
    work = cohort.workspace
    students = sorted(p.parent.name for p in (work / "autograded").glob(f"*/{assignment}") if p.is_dir())
    if not students:
        raise KitError(f"No autograded submission of {assignment}: run `civickit cohort autograde {assignment}` first.")
    generated = cohort.nbgrader("generate_feedback", assignment, "--force", check=False)
    log = generated.stdout + generated.stderr
    failed = _generation_failures(log, assignment)
    if generated.returncode != 0 and not failed:  # not one learner's problem: nothing was generated
        tail = "\n".join(log.strip().splitlines()[-15:])
        raise KitError(f"`nbgrader generate_feedback {assignment}` failed (exit {generated.returncode}):\n{tail}")

    outcomes = {}
    for sid in students:
        folder = work / "feedback" / sid / assignment
        outcome = outcomes[sid] = FeedbackOutcome(sid, sorted(folder.glob("*.html")))
        if sid in failed or not outcome.files:
            outcome.files = []
            outcome.problem = (f"nbgrader could not generate the feedback ({failed.get(sid) or 'no HTML written'}); "
                               f"see `nbgrader generate_feedback {assignment} --student {sid}`")
        elif not (folder / TIMESTAMP).is_file():
            outcome.problem = f"no {TIMESTAMP} in {work / 'submitted' / sid / assignment}: nbgrader needs the submission time"
    releasable = [o for o in outcomes.values() if o.files and not o.problem and _fetchable(work, o.student, assignment)]
    if releasable:
        exclude = sorted(set(outcomes) - {o.student for o in releasable})
        done = cohort.nbgrader("release_feedback", assignment,
                               f"--CourseDirectory.student_id_exclude={','.join(exclude)}", check=False)
        error = next((line.strip() for line in reversed((done.stdout + done.stderr).splitlines())
                      if ERROR_LINE.match(line)), f"exit {done.returncode}")
        for outcome in releasable:
            secret = (work / "feedback" / outcome.student / assignment / SECRET).read_text(encoding="utf-8")
            outcome.released = all(
                _released_path(work, secret, f.stem).is_file()
                and _released_path(work, secret, f.stem).read_bytes() == f.read_bytes() for f in outcome.files)
            if not outcome.released:
                outcome.problem = f"nbgrader's release_feedback did not release it ({error})"
    return [outcomes[sid] for sid in students]
