"""Teach-back score sheets: one JSON file per sheet in the cohort workspace, and the verdict they give.

The rubric (criteria, 0-2 points, the floor and the 2/3 share) and its pass rule are
civickit.training_evaluation's; this module only stores sheets and combines them:

- a sheet is `<workspace>/teachback/<presenter-id>/<scorer-id>-<UTC timestamp>.json`, written to a
  temporary file and linked into place, so a half-written sheet never carries the name and no sheet
  ever replaces another; the same scorer saving again adds a version, and the latest one counts;
- the teach-back is passed when the latest sheets hold one by a trainer and at least `min_peers` by
  peers, and all of them together pass the rubric: every sheet weighs the same (the rule of the
  module's exercise, so a learner can recompute the verdict by hand), a presenter's own sheet is not
  counted.
Messages for the scorer are Bulgarian (they show in the app); reasons for the operator are English.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import KitError
from .roster import id_problem
from .training_evaluation import CRITERION_FLOOR, CRITERION_MAX, PASS_SHARE, TEACHBACK_CRITERIA

FOLDER = "teachback"
ROLES = {"peer": "участник", "trainer": "обучител"}
FORMAT = "civickit-teachback-sheet/1"

# What the scorer reads beside each criterion: the rubric of book/09-trainer/teach-back.md in short,
# with what 0, 1 and 2 mean (test_teachback checks that the book lists the same criteria in this order).
DESCRIPTORS = {
    "цел": ("Цел", "Водещият казва в началото какво ще могат участниците след сегмента (с проверим глагол) и защо им трябва в работата."),
    "участие": ("Участие", "Групата прави нещо в рамките на десетте минути: отговаря, пресмята, пише, обсъжда по двойки."),
    "проверка": ("Проверка на разбирането", "Поне един конкретен въпрос или задача показва дали основното е разбрано; водещият реагира на отговора."),
    "точност": ("Точност", "Фактите, сроковете и числата са верни и водещият може да каже откъде са."),
    "яснота": ("Яснота и време", "Ясен език без излишни съкращения, темпо, което групата следва; десетте минути са спазени."),
    "приобщаване": ("Приобщаване", "Всички имат думата, не само най-бързите; несъгласието е овладяно, без да се отстъпва от фактите и без унижение."),
}
LEVELS = {0: "0 — не", 1: "1 — отчасти", 2: "2 — да"}
assert list(DESCRIPTORS) == TEACHBACK_CRITERIA and max(LEVELS) == CRITERION_MAX

# Bulgarian Cyrillic to Latin as the Transliteration Act has it (ъ -> a, щ -> sht), for ids made from typed names.
_LATIN = dict(zip("абвгдежзийклмнопрстуфхцчшщъьюя",
                  "a b v g d e zh z i y k l m n o p r s t u f h ts ch sh sht a y yu ya".split()))


def slug(name: str) -> str:
    """An id (lower-case Latin, digits, '-') from a typed name: 'Мария Иванова' -> 'mariya-ivanova'."""
    text = "".join(_LATIN.get(c, c) for c in name.strip().lower())
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48].strip("-")


@dataclass
class Sheet:
    presenter_id: str
    presenter_name: str
    scorer_id: str
    scorer_name: str
    role: str  # a key of ROLES
    scores: dict[str, int]
    worked: str = ""
    change: str = ""
    saved_at: str = ""  # ISO 8601, UTC
    path: Path | None = None

    def total(self) -> int:
        return sum(self.scores.values())


def sheet_problems(presenter_id: str, scorer_name: str, role: str | None, scores: dict) -> list[str]:
    """What stops a sheet from being saved, in Bulgarian, for the person filling it in; empty when it can be."""
    problems = []
    if not (presenter_id or "").strip():
        problems.append("Изберете или напишете кого оценявате (водещия на сегмента).")
    elif id_problem(presenter_id, "presenters"):
        problems.append("Името на водещия трябва да съдържа поне една буква.")
    if not slug(scorer_name or ""):
        problems.append("Напишете своето име: листът се брои само с име на оценителя.")
    elif presenter_id and slug(scorer_name) == presenter_id:
        problems.append("Не оценявайте собствения си сегмент в този лист: самооценката се казва на глас.")
    if role not in ROLES:
        problems.append("Изберете в каква роля оценявате: участник или обучител.")
    missing = [DESCRIPTORS[c][0] for c in TEACHBACK_CRITERIA if scores.get(c) is None]
    if missing:
        problems.append(f"Не е оценен критерий: {', '.join(f'„{m}“' for m in missing)}. "
                        f"Дайте 0, 1 или {CRITERION_MAX} точки на всеки от шестте.")
    wrong = [c for c in TEACHBACK_CRITERIA if scores.get(c) is not None and scores[c] not in LEVELS]
    if wrong:
        problems.append(f"Точките са 0, 1 или {CRITERION_MAX}: проверете {', '.join(wrong)}.")
    return problems


def folder(workspace: Path, presenter_id: str) -> Path:
    return workspace / FOLDER / presenter_id


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")


def save_sheet(workspace: Path, presenter_id: str, presenter_name: str, scorer_name: str, role: str,
               scores: dict, worked: str = "", change: str = "", now: datetime | None = None) -> Path:
    """Writes one new sheet and returns its path; KitError (Bulgarian, one line per problem) when it is incomplete."""
    problems = sheet_problems(presenter_id, scorer_name, role, scores)
    if problems:
        raise KitError("\n".join(problems))
    moment = now or datetime.now(timezone.utc)
    scorer_id = slug(scorer_name)
    record = {
        "format": FORMAT,
        "presenter": {"id": presenter_id, "name": presenter_name.strip() or presenter_id},
        "scorer": {"id": scorer_id, "name": scorer_name.strip(), "role": role},
        "scores": {c: int(scores[c]) for c in TEACHBACK_CRITERIA},
        "worked": worked.strip(),
        "change": change.strip(),
        "saved_at": moment.astimezone(timezone.utc).isoformat(),
    }
    target_dir = folder(workspace, presenter_id)
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target_dir / f".{scorer_id}-{_stamp(moment)}-{os.getpid()}.part"
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    try:
        for n in range(1000):
            path = target_dir / f"{scorer_id}-{_stamp(moment)}{f'-{n}' if n else ''}.json"
            try:
                os.link(tmp, path)  # fails if the name is taken: a sheet is never overwritten
                return path
            except FileExistsError:
                continue
        raise KitError(f"Листът не беше записан: твърде много листове с едно и също време в {target_dir}.")
    finally:
        tmp.unlink(missing_ok=True)


def read_sheet(path: Path) -> Sheet:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Sheet(data["presenter"]["id"], data["presenter"]["name"], data["scorer"]["id"], data["scorer"]["name"],
                     data["scorer"]["role"], {c: int(data["scores"][c]) for c in TEACHBACK_CRITERIA},
                     data.get("worked", ""), data.get("change", ""), data["saved_at"], path)
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise KitError(f"{path}: not a teach-back sheet the kit can read ({type(err).__name__}: {err}); "
                       "move it out of the workspace's teachback/ folder.") from None


def latest_sheets(workspace: Path, presenter_id: str) -> list[Sheet]:
    """Each scorer's latest sheet for the presenter (a later save by the same scorer replaces the earlier one)."""
    latest: dict[str, Sheet] = {}
    for path in sorted(folder(workspace, presenter_id).glob("*.json")):
        sheet = read_sheet(path)
        if sheet.presenter_id != presenter_id:
            continue  # a file copied into the wrong folder counts for nobody
        kept = latest.get(sheet.scorer_id)
        if kept is None or (sheet.saved_at, path.name) > (kept.saved_at, kept.path.name):
            latest[sheet.scorer_id] = sheet
    return sorted(latest.values(), key=lambda s: (s.role != "trainer", s.scorer_id))


@dataclass
class Verdict:
    passed: bool
    trainers: int
    peers: int
    means: dict[str, float] = field(default_factory=dict)  # criterion -> mean over the counted sheets
    reasons: list[str] = field(default_factory=list)  # English, for the operator's table

    @property
    def total(self) -> float:
        return round(sum(self.means.values()), 2)


def needed_total() -> float:
    return PASS_SHARE * CRITERION_MAX * len(TEACHBACK_CRITERIA)


def scores_frame(sheets: list[Sheet]):
    import pandas as pd

    return pd.DataFrame([s.scores for s in sheets], columns=TEACHBACK_CRITERIA)


def verdict(sheets: list[Sheet], presenter_id: str, min_peers: int = 2) -> Verdict:
    """The teach-back of one presenter from their latest sheets (see the module's docstring for the rule)."""
    from .training_evaluation import rubric_means, teachback_passed

    counted = [s for s in sheets if s.scorer_id != presenter_id]
    trainers = sum(s.role == "trainer" for s in counted)
    peers = sum(s.role == "peer" for s in counted)
    reasons = []
    if not trainers:
        reasons.append("no trainer sheet")
    if peers < min_peers:
        reasons.append(f"too few peers ({peers} of {min_peers})")
    if not counted:
        return Verdict(False, 0, 0, {}, reasons)
    frame = scores_frame(counted)
    means = {c: float(v) for c, v in rubric_means(frame).items()}
    low = [f"{c} {means[c]:.2f}" for c in TEACHBACK_CRITERIA if means[c] < CRITERION_FLOOR]
    if low:
        reasons.append(f"criterion below {CRITERION_FLOOR:g}: {', '.join(low)}")
    total = sum(means.values())
    if total + 1e-9 < needed_total():
        reasons.append(f"rubric total {total:.2f} of {CRITERION_MAX * len(TEACHBACK_CRITERIA)}, needs {needed_total():g}")
    passed = teachback_passed(frame) and trainers > 0 and peers >= min_peers
    return Verdict(passed, trainers, peers, means, reasons)


def roster(workspace: Path) -> list[tuple[str, str]]:
    """(id, full name) of every learner in the cohort's gradebook, by name; empty when there is no gradebook.

    Read-only SQLite: nbgrader's Gradebook adds a course row when opened with another course id, and the
    app must not change the gradebook by merely showing the roster."""
    import sqlite3

    db = workspace / "gradebook.db"
    if not db.is_file():
        return []
    con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT id, first_name, last_name FROM student").fetchall()
    except sqlite3.DatabaseError as err:
        raise KitError(f"{db} cannot be read as a gradebook ({err}).") from None
    finally:
        con.close()
    people = [(sid, " ".join(v for v in (first, last) if v) or sid) for sid, first, last in rows]
    return sorted(people, key=lambda p: (p[1], p[0]))
