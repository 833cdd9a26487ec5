"""Due dates in the cohort's time zone and the late policy nbgrader applies when it autogrades.

The trainer types local time ("2026-12-15 23:59" in Europe/Sofia); zoneinfo turns it into UTC
(DST-correct), which is what nbgrader's gradebook stores and compares submission timestamps with.
The policy lives in cohort.json; nbgrader's AssignLatePenalties preprocessor calls CohortLatePolicy
(configured in civickit.grading) so the penalty lands in the gradebook and in every export.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Unicode

from .display_zone import DEFAULT_TIMEZONE
from .errors import KitError

RULES = ("accept", "zero", "per-day")
DAY = 86400


def parse_local(text: str, tz: str) -> datetime:
    """'2026-12-15 23:59' (or with seconds) in zone tz -> aware datetime; refuses times DST skips or repeats."""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            naive = datetime.strptime(text.strip(), fmt)
            break
        except ValueError:
            continue
    else:
        raise KitError(f"Due date '{text}' is not like 2026-12-15 23:59 (local time of the cohort).")
    zone = ZoneInfo(tz)
    local = naive.replace(tzinfo=zone)
    # A wall time that does not exist (spring forward) or exists twice (fall back) is ambiguous for learners.
    round_trip = local.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive or local.replace(fold=1).utcoffset() != local.utcoffset():
        raise KitError(f"{text} does not exist or happens twice in {tz} (a daylight-saving change): pick another time.")
    return local


def penalty(rule: dict | None, score: float, seconds_late: float) -> float | None:
    """Points taken from a notebook's score; None when nothing is taken. Every started day counts."""
    if not rule or seconds_late <= 0 or rule.get("rule", "accept") == "accept":
        return None
    if rule["rule"] == "zero":
        return score
    days = math.ceil(seconds_late / DAY)
    return min(score, score * days * float(rule["percent"]) / 100)


def describe_rule(rule: dict | None, lang: str = "bg") -> str:
    kind = (rule or {}).get("rule", "accept")
    if lang == "bg":
        return {"accept": "приема се без наказание", "zero": "закъснялото предаване получава 0 точки",
                "per-day": f"−{(rule or {}).get('percent', 0):g} % от резултата за всеки започнат ден закъснение"}[kind]
    return {"accept": "accepted without penalty", "zero": "a late submission scores 0",
            "per-day": f"−{(rule or {}).get('percent', 0):g}% of the score per started day late"}[kind]


def late_rule(option: str, percent: float | None) -> dict:
    if option not in RULES:
        raise KitError(f"--late must be one of {', '.join(RULES)}.")
    if option == "per-day":
        if percent is None or not 0 < percent <= 100:
            raise KitError("--late per-day needs --percent between 0 and 100 (share of the score taken per started day).")
        return {"rule": "per-day", "percent": percent}
    return {"rule": option}


def set_due(cohort, assignment: str, when: str, rule: dict) -> dict:
    """Stores the due date and policy in cohort.json and the UTC due date in the gradebook."""
    cohort.require_assignment(assignment)
    settings = cohort.settings()
    tz = settings.get("timezone", DEFAULT_TIMEZONE)
    local = parse_local(when, tz)
    entry = {
        "local": local.strftime("%Y-%m-%d %H:%M:%S"),
        "timezone": tz,
        "utc": local.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        "late": rule,
    }
    settings.setdefault("due", {})[assignment] = entry
    (cohort.workspace / "cohort.json").write_text(json.dumps(settings, ensure_ascii=False, indent=2), encoding="utf-8")
    apply_due(cohort, assignment)
    return entry


def apply_due(cohort, assignment: str) -> None:
    """Writes the stored due date into the gradebook (`nbgrader db assignment add` resets it to none)."""
    from nbgrader.api import Gradebook

    entry = cohort.settings().get("due", {}).get(assignment)
    with Gradebook(cohort.db_url) as gb:
        if assignment not in {a.name for a in gb.assignments}:
            return  # not released yet: `civickit cohort release` applies it (an empty row would count as released)
        gb.update_or_create_assignment(assignment, duedate=entry["utc"] if entry else None)


def rule_for(work: Path, assignment: str) -> dict | None:
    try:
        settings = json.loads((work / "cohort.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return settings.get("due", {}).get(assignment, {}).get("late")


class CohortLatePolicy(LateSubmissionPlugin):
    """nbgrader's late-penalty plugin, reading the assignment's rule from the cohort's cohort.json."""

    workspace = Unicode("", help="The cohort workspace holding cohort.json.").tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        assignment = getattr(self.parent, "assignment_id", None)
        rule = rule_for(Path(self.workspace), assignment) if self.workspace and assignment else None
        taken = penalty(rule, score, total_seconds_late)
        self.log.warning("Late submission of %s (%s s): rule %s, penalty %s", student_id, total_seconds_late, rule, taken)
        return taken


def refresh_late_penalties(db_url: str, work: Path) -> None:
    """Re-applies each assignment's rule to the current notebook scores.

    nbgrader computes the penalty once, at autograde, from the autograded points only; points a
    trainer adds later in formgrader would escape it. Export and report call this first.
    """
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        for assignment in gb.assignments:
            rule = rule_for(work, assignment.name)
            for sub in gb.assignment_submissions(assignment.name):
                late = sub.total_seconds_late
                for nb in sub.notebooks:
                    taken = penalty(rule, nb.score, late)
                    nb.late_submission_penalty = None if taken is None else min(max(taken, 0.0), nb.score)
        gb.db.commit()
