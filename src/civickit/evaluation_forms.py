"""Evaluation forms of a training day: end-of-day feedback (Kirkpatrick level 1) and the self-check answered
at the start and at the end of the day (level 2). What the forms ask, how an answer is checked and saved,
and how the saved answers are read back for the cohort report; the widgets are evaluation_forms_tool.

Every answer is its own file under <workspace>/evaluation/ (feedback/ or self-check/), created with a new
random name and never opened for writing again, so two participants sending at the same moment cannot
overwrite each other and a crash leaves no half-written answer. The feedback is anonymous: no name, no time
of day (the order of sending could tell who left first). The self-check is linked by a code the participant
makes up; the questions are in data/self_check_questions.toml (or the trainer's copy in the workspace).
The figures are computed by civickit.training_evaluation, the same functions the module 9 exercise uses.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from . import training_evaluation as te
from .display_zone import DEFAULT_TIMEZONE
from .errors import KitError

FOLDER = "evaluation"
FEEDBACK, SELF_CHECK = "feedback", "self-check"
QUESTIONS_FILE = "self-check-questions.toml"  # the trainer's own questions, in the workspace's evaluation/
PACKAGED_QUESTIONS = Path(__file__).parent / "data" / "self_check_questions.toml"
APP_NOTEBOOK = "practices/tools/training-evaluation-forms.ipynb"

# Level 1: the questions of training_evaluation.example_feedback(), as a statement the participant rates.
FEEDBACK_QUESTIONS = {
    "полезно": "Денят беше полезен за работата ми.",
    "разбираемо": "Обясненията и материалите бяха разбираеми.",
    "темпо": "Темпото на деня беше подходящо за мен.",
}
SCALE = {1: "изобщо не съм съгласен/на", 2: "по-скоро не", 3: "отчасти", 4: "по-скоро да", 5: "напълно съм съгласен/на"}
OPEN_QUESTION = "Какво да променим, за да бъде следващият ден по-полезен? (по желание)"
OPEN_MAX_CHARS = 2000

# `civickit public` serves the forms without login, so that participants can send them from their own phones;
# a server on the internet could be sent answers by anyone: at most this many are kept per form.
MAX_ANSWERS = 2000

MOMENTS = {"before": "в началото на деня", "after": "в края на деня"}
QUESTION_COUNT = (6, 10)
CODE_CHARS = (3, 30)


def today(zone: str = DEFAULT_TIMEZONE) -> date:
    """The training day as the room's clock says it, not the server's UTC date."""
    return datetime.now(ZoneInfo(zone)).date()


def evaluation_dir(workspace: Path) -> Path:
    return workspace / FOLDER


def _numbers(items: list[int]) -> str:
    """„2“, „2 и 5“, „1, 2 и 5“."""
    words = [str(i) for i in items]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " и " + words[-1]


def _unanswered(missing: list[int]) -> str:
    which = f"въпрос {_numbers(missing)}" if len(missing) == 1 else f"въпроси {_numbers(missing)}"
    return (f"Не сте отговорили на {which}. Нищо не е изпратено; попълненото остава във формуляра — "
            "отговорете и натиснете бутона отново.")


def _check_day(day) -> None:
    if not isinstance(day, date):
        raise KitError("Изберете деня на обучението. Нищо не е изпратено; попълненото остава във формуляра.")


# --- writing -------------------------------------------------------------------------------------------------

def forms_workspace() -> tuple[Path | None, str]:
    """The cohort workspace answers go to, or None and why not (Bulgarian, shown on the form).

    Answers are kept only where the trainer made a cohort workspace (`civickit cohort init`): the same
    kit published on an organisation's website without a cohort shows the forms but keeps nothing."""
    from .paths import course_root, workspace

    try:
        work = workspace(course_root())
    except KitError:
        return None, "Комплектът не е намерен на този сървър, затова отговорите не могат да бъдат записани."
    if not (work / "cohort.json").is_file():
        return None, ("Формулярите не записват отговори на този сървър: няма работна папка на група. Обучителят "
                      "изпълнява `civickit cohort init` и отговорите се записват от този момент.")
    return work, ""


def _write_new(folder: Path, record: dict) -> Path:
    """Writes the record as a new file that nothing else can have: a random name, linked into place only
    when complete (os.link fails rather than replace an existing file)."""
    folder.mkdir(parents=True, exist_ok=True)
    if sum(1 for _ in folder.glob("*.json")) >= MAX_ANSWERS:
        raise KitError(f"Формулярът вече има {MAX_ANSWERS} отговора на този сървър и не приема повече. "
                       "Съобщете на обучителя.")
    name = uuid.uuid4().hex
    temporary, final = folder / f".{name}.tmp", folder / f"{name}.json"
    with temporary.open("x", encoding="utf-8") as handle:
        json.dump(record, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, final)
    finally:
        temporary.unlink()
    return final


def save_feedback(workspace: Path, day, ratings: dict[str, int | None], comment: str = "") -> Path:
    """Checks and saves one participant's end-of-day feedback; KitError (Bulgarian) and nothing saved if incomplete."""
    _check_day(day)
    keys = list(FEEDBACK_QUESTIONS)
    missing = [i for i, key in enumerate(keys, 1) if ratings.get(key) not in SCALE]
    if missing:
        raise KitError(_unanswered(missing))
    comment = (comment or "").strip()
    if len(comment) > OPEN_MAX_CHARS:
        raise KitError(f"Отговорът на отворения въпрос е по-дълъг от {OPEN_MAX_CHARS} знака; съкратете го. "
                       "Нищо не е изпратено.")
    record = {"form": FEEDBACK, "day": day.isoformat(), "ratings": {k: int(ratings[k]) for k in keys},
              "comment": comment}
    return _write_new(evaluation_dir(workspace) / FEEDBACK, record)


# --- the self-check's questions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[str, ...]
    correct: int  # 1-based, as the trainer writes it in the file
    lesson: str = ""


@dataclass(frozen=True)
class QuestionSet:
    title: str
    questions: tuple[Question, ...]
    source: Path

    @property
    def max_score(self) -> int:
        return len(self.questions)


def questions_path(workspace: Path) -> Path:
    """The trainer's copy in the workspace if there is one, else the kit's questions."""
    own = evaluation_dir(workspace) / QUESTIONS_FILE
    return own if own.is_file() else PACKAGED_QUESTIONS


def load_questions(path: Path) -> QuestionSet:
    """Reads and checks a questions file; errors (for the trainer who edited it) name the file and the question."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise KitError(f"{path}: not a readable TOML file ({err}).") from None
    items = data.get("questions") or []
    low, high = QUESTION_COUNT
    if not low <= len(items) <= high:
        raise KitError(f"{path}: {len(items)} questions; the self-check needs {low} to {high}.")
    questions, seen = [], set()
    for n, item in enumerate(items, 1):
        qid, text, options, correct = item.get("id"), item.get("text"), item.get("options"), item.get("correct")
        where = f"{path}: question {n} ({qid or 'no id'})"
        if not isinstance(qid, str) or not qid or qid in seen:
            raise KitError(f"{where}: needs an id of its own.")
        if not isinstance(text, str) or not text.strip():
            raise KitError(f"{where}: needs a text.")
        if not isinstance(options, list) or not 2 <= len(options) <= 6 or not all(isinstance(o, str) and o.strip() for o in options):
            raise KitError(f"{where}: needs 2 to 6 options, each a non-empty text.")
        if not isinstance(correct, int) or not 1 <= correct <= len(options):
            raise KitError(f"{where}: correct must be the number of the right option, 1 to {len(options)}.")
        seen.add(qid)
        questions.append(Question(qid, text.strip(), tuple(o.strip() for o in options), correct, item.get("lesson", "")))
    return QuestionSet(str(data.get("title", "")).strip(), tuple(questions), path)


def normalise_code(code: str) -> str:
    """The participant's code as it is matched: case, spaces and dashes at the ends do not matter."""
    return re.sub(r"\s+", " ", (code or "").strip()).casefold()


def check_code(code: str) -> str:
    cleaned = normalise_code(code)
    low, high = CODE_CHARS
    if not cleaned:
        raise KitError("Напишете своя код (измислен, не името си): с него тестът сутрин и вечер се свързват. "
                       "Нищо не е изпратено; попълненото остава във формуляра.")
    if not low <= len(cleaned) <= high:
        raise KitError(f"Кодът трябва да е от {low} до {high} знака. Нищо не е изпратено; попълненото остава във формуляра.")
    return cleaned


def score(questions: QuestionSet, answers: dict[str, int | None]) -> int:
    """Number of correct answers (answers: question id -> chosen option, 1-based)."""
    return sum(1 for q in questions.questions if answers.get(q.id) == q.correct)


def save_self_check(workspace: Path, questions: QuestionSet, day, moment: str, code: str,
                    answers: dict[str, int | None]) -> tuple[Path, int]:
    """Checks, scores and saves one self-check; returns (file, score). KitError and nothing saved if incomplete.

    The score is kept with the answers, so a later edit of the questions file does not change a day already
    measured."""
    _check_day(day)
    if moment not in MOMENTS:
        raise KitError("Изберете дали отговаряте в началото или в края на деня. Нищо не е изпратено; "
                       "попълненото остава във формуляра.")
    cleaned = check_code(code)
    missing = [n for n, q in enumerate(questions.questions, 1)
               if not isinstance(answers.get(q.id), int) or not 1 <= answers[q.id] <= len(q.options)]
    if missing:
        raise KitError(_unanswered(missing))
    points = score(questions, answers)
    record = {"form": SELF_CHECK, "day": day.isoformat(), "moment": moment, "code": cleaned,
              "answers": {q.id: int(answers[q.id]) for q in questions.questions}, "score": points,
              "max_score": questions.max_score, "title": questions.title,
              "saved_at": datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).isoformat(timespec="seconds")}
    return _write_new(evaluation_dir(workspace) / SELF_CHECK, record), points


# --- reading back for the report -----------------------------------------------------------------------------

@dataclass
class Reaction:
    day: str
    summary: pd.DataFrame  # training_evaluation.reaction_summary: въпрос, отговорили, средно, доволни, %
    answers: int
    comments: list[str]


@dataclass
class Learning:
    day: str
    max_score: int
    pairs: pd.DataFrame  # training_evaluation.learning_gain: участник (the code), преди, след, прираст, ...
    only_before: list[str] = field(default_factory=list)
    only_after: list[str] = field(default_factory=list)
    repeated: int = 0  # answers replaced by a later one of the same code and moment

    @property
    def mean_before(self) -> float:
        return round(float(self.pairs["преди"].mean()), 1)

    @property
    def mean_after(self) -> float:
        return round(float(self.pairs["след"].mean()), 1)

    @property
    def mean_gain(self) -> float:
        return te.mean_gain(self.pairs, self.max_score)

    @property
    def mean_normalised_gain(self) -> float | None:
        """Mean of the participants' normalised gains; those who had the full score before have none."""
        gains = self.pairs["нормализиран прираст"].dropna()
        return round(float(gains.mean()), 2) if not gains.empty else None


@dataclass
class Evaluation:
    reactions: list[Reaction]
    learning: list[Learning]
    unreadable: list[str]

    @property
    def empty(self) -> bool:
        return not self.reactions and not self.learning


def _valid(record: dict) -> bool:
    """A file the forms wrote (a hand-edited or foreign file is counted apart, not summed in)."""
    if record["form"] == FEEDBACK:
        ratings = record.get("ratings")
        return isinstance(ratings, dict) and all(ratings.get(k) in SCALE for k in FEEDBACK_QUESTIONS) \
            and isinstance(record.get("comment", ""), str)
    top = record.get("max_score")
    return (record.get("moment") in MOMENTS and isinstance(record.get("code"), str) and bool(record["code"])
            and isinstance(top, int) and isinstance(record.get("score"), int) and 0 <= record["score"] <= top)


def _records(folder: Path, form: str, unreadable: list[str]) -> list[dict]:
    records = []
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            date.fromisoformat(record["day"])
            if record.get("form") != form or not _valid(record):
                raise ValueError(f"not a {form} answer")
        except (OSError, ValueError, KeyError, TypeError):
            unreadable.append(path.name)
            continue
        records.append(record)
    return records


def _reactions(records: list[dict]) -> list[Reaction]:
    found = []
    for day in sorted({r["day"] for r in records}):
        rows = [r for r in records if r["day"] == day]
        table = pd.DataFrame([r["ratings"] for r in rows], columns=list(FEEDBACK_QUESTIONS))
        comments = [r["comment"] for r in rows if r.get("comment")]
        found.append(Reaction(day, te.reaction_summary(table, list(FEEDBACK_QUESTIONS)), len(rows), comments))
    return found


def _learning(records: list[dict]) -> list[Learning]:
    found = []
    groups = sorted({(r["day"], int(r["max_score"])) for r in records})
    for day, max_score in groups:
        rows = sorted((r for r in records if r["day"] == day and int(r["max_score"]) == max_score),
                      key=lambda r: r.get("saved_at", ""))
        latest: dict[tuple[str, str], int] = {}
        for r in rows:
            latest[(r["code"], r["moment"])] = int(r["score"])  # the later answer of a code replaces the earlier
        codes = sorted({code for code, _ in latest})
        scores = pd.DataFrame({"участник": codes,
                               "преди": [latest.get((c, "before")) for c in codes],
                               "след": [latest.get((c, "after")) for c in codes]}, dtype=object)
        scores[["преди", "след"]] = scores[["преди", "след"]].astype(float)
        found.append(Learning(
            day, max_score, te.learning_gain(scores, max_score),
            only_before=[c for c in codes if (c, "after") not in latest],
            only_after=[c for c in codes if (c, "before") not in latest],
            repeated=len(rows) - len(latest),
        ))
    return found


def read_evaluation(workspace: Path) -> Evaluation:
    """Every saved answer of the workspace, summarised per training day with training_evaluation."""
    folder = evaluation_dir(workspace)
    unreadable: list[str] = []
    feedback = _records(folder / FEEDBACK, FEEDBACK, unreadable)
    checks = _records(folder / SELF_CHECK, SELF_CHECK, unreadable)
    return Evaluation(_reactions(feedback), _learning(checks), unreadable)
