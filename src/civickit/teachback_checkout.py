"""The trainer checkout (`civickit cohort checkout`): teach-back passed and assignments passed -> a trainer certificate.

For every learner on the roster (the gradebook's students):
- teach-back: civickit.teachback.verdict over the latest sheets in <workspace>/teachback/<id>/ (a trainer's
  sheet and at least `min_peers` peers' sheets, all weighing the same, the rubric of training_evaluation);
- assignments: the share of all points after late penalties, a missing submission counting 0, exactly as
  the completion certificate computes it (civickit.certificates.shares), at or above `threshold` %.
A learner who passes both gets <workspace>/trainer-certificates/<id>-trainer.pdf ("Удостоверение за
обучител"); the completion certificates stay in certificates/. An existing file is kept unless `force`.
The book's other two checkout steps (a contribution, co-leading a real day) are the trainer's to confirm
before signing; the kit has no record of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .certificates import FONT_DIR, GAP, font_files, shares, write_certificate
from .errors import KitError
from .teachback import Verdict, latest_sheets, verdict
from .training_evaluation import CRITERION_MAX, TEACHBACK_CRITERIA

FOLDER = "trainer-certificates"


@dataclass
class Standing:
    student: str
    name: str
    share: float  # of all assignment points
    teachback: Verdict
    reasons: list[str] = field(default_factory=list)  # English, for the operator; empty = passed
    certificate: Path | None = None
    kept: bool = False  # the certificate existed and was not overwritten

    @property
    def passed(self) -> bool:
        return not self.reasons


def certificate_path(workspace: Path, student: str) -> Path:
    return workspace / FOLDER / f"{student}-trainer.pdf"


def render_trainer_certificate(path: Path, name: str, course: str, peers: int, day: date, fonts: dict[str, Path]) -> None:
    colleagues = "колега" if peers == 1 else "колеги"
    write_certificate(path, f"Удостоверение за обучител: {course}", [
        ("B", 30, 16, "УДОСТОВЕРЕНИЕ ЗА ОБУЧИТЕЛ"),
        GAP,
        ("", 15, 10, "Удостоверява се, че"),
        ("B", 26, 14, name),
        ("", 15, 10, "завърши курса"),
        ("B", 18, 11, f"„{course}“"),
        ("", 15, 10, "и премина проверката за обучители: задачите за оценка и 10-минутен сегмент,"),
        ("", 15, 10, f"воден пред колеги и оценен по рубриката от обучител и {peers} {colleagues}."),
        ("", 15, 10, "Може да води обучения по курса."),
    ], day, fonts, signer="Обучител по курса")


def checkout(cohort, threshold: float, min_peers: int, course: str, day: date, force: bool = False,
             font_dir: Path = FONT_DIR) -> list[Standing]:
    """Everyone on the roster with their verdict; writes the trainer certificates of those who passed."""
    from .deadlines import refresh_late_penalties
    from .gradesheet import rows

    if not 0 <= threshold <= 100:
        raise KitError(f"--threshold {threshold} must be a percentage between 0 and 100.")
    if 0 < threshold < 1:  # a share typed where a percentage belongs would certify almost everyone
        raise KitError(f"--threshold {threshold:g} looks like a share: give a percentage, e.g. {threshold * 100:g} for "
                       f"{threshold * 100:g} % of all points.")
    if min_peers < 0:
        raise KitError(f"--min-peers {min_peers} must not be negative.")
    fonts = font_files(font_dir)
    refresh_late_penalties(cohort.db_url, cohort.workspace)
    table = rows(cohort.db_url)
    if not table:
        raise KitError("No learners or no assignments in the gradebook: import the roster, release and grade "
                       "the assignments first (`civickit cohort roster`, `release`, `autograde`).")
    standings = []
    for sid, (name, share) in sorted(shares(table).items()):
        tb = verdict(latest_sheets(cohort.workspace, sid), sid, min_peers)
        reasons = list(tb.reasons)
        if share * 100 + 1e-9 < threshold:
            reasons.append(f"assignments {share * 100:.1f} % below {threshold:g} %")
        standing = Standing(sid, name, share, tb, reasons)
        if standing.passed:
            path = certificate_path(cohort.workspace, sid)
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.exists() and not force:
                standing.kept = True
            else:
                render_trainer_certificate(path, name, course, tb.peers, day, fonts)
            standing.certificate = path
        standings.append(standing)
    return standings


def table_lines(standings: list[Standing]) -> list[str]:
    """The operator's table: one line per learner, names as given, why not for those who did not pass."""
    header = ("learner", "name", "teach-back", "sheets", "assignments", "result")
    lines = []
    for s in standings:
        sheets = f"{s.teachback.trainers}T+{s.teachback.peers}P"
        rubric = f"{s.teachback.total:.2f}/{CRITERION_MAX * len(TEACHBACK_CRITERIA)}" if s.teachback.means else "-"
        result = "PASSED" if s.passed else "not yet: " + "; ".join(s.reasons)
        lines.append((s.student, s.name, rubric, sheets, f"{s.share * 100:.1f} %", result))
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header) - 1)]
    return ["  ".join(str(v).ljust(w) for v, w in zip(row[:-1], widths)) + "  " + row[-1] for row in [header, *lines]]
