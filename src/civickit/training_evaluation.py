"""Evaluating a training on Kirkpatrick levels 1-2, and scoring a teach-back on the module 9 rubric.

Used by exercises/09-training-evaluation.ipynb (the learner computes, these functions give the
expected answer) and described in book/09-trainer/. Column names are Bulgarian because learners
read and type them; the example tables are invented and say so.
"""

from __future__ import annotations

import pandas as pd

# Level 1 (reaction): answers on a 1-5 scale; 4 and 5 count as "satisfied".
SCALE_MAX = 5
SATISFIED_FROM = 4

# Teach-back rubric of book/09-trainer/teach-back.md: each criterion 0 (no), 1 (partly), 2 (yes).
TEACHBACK_CRITERIA = [
    "цел",          # states what the group will be able to do, tied to their work
    "участие",      # the group does something within the 10 minutes
    "проверка",     # a question that shows whether the point was understood
    "точност",      # facts right, source named
    "яснота",       # plain language, pace, time kept
    "приобщаване",  # every kind of participant gets a voice
]
CRITERION_MAX = 2
# Passed: no criterion below "partly" on average, and at least 2/3 of all points.
CRITERION_FLOOR = 1.0
PASS_SHARE = 2 / 3


def example_feedback() -> pd.DataFrame:
    """End-of-day feedback of an invented cohort of eight (пример): three questions on a 1-5 scale."""
    return pd.DataFrame(
        {
            "участник": [f"У{i}" for i in range(1, 9)],
            "полезно": [5, 4, 5, 3, 4, 5, 2, 4],
            "разбираемо": [4, 4, 5, 3, 3, 4, 3, 4],
            "темпо": [3, 2, 4, 3, 2, 3, 2, 3],
        }
    )


def example_self_check() -> pd.DataFrame:
    """The same cohort's quiz of 10 questions before and after the day (пример); У8 left before the second."""
    return pd.DataFrame(
        {
            "участник": [f"У{i}" for i in range(1, 9)],
            "преди": [4, 6, 3, 5, 2, 7, 4, 5],
            "след": [8, 9, 7, 6, 6, 9, 5, None],
        }
    )


def reaction_summary(feedback: pd.DataFrame, questions: list[str] | None = None) -> pd.DataFrame:
    """Per question: how many answered, the mean (1 decimal) and the share satisfied (4-5), in %."""
    questions = questions or [c for c in feedback.columns if c != "участник"]
    rows = []
    for question in questions:
        answers = feedback[question].dropna()
        out_of_scale = answers[(answers < 1) | (answers > SCALE_MAX)]
        if not out_of_scale.empty:
            raise ValueError(f"{question}: answers outside 1-{SCALE_MAX}: {sorted(out_of_scale.tolist())}")
        rows.append(
            {
                "въпрос": question,
                "отговорили": int(answers.size),
                "средно": round(float(answers.mean()), 1),
                "доволни, %": round(float((answers >= SATISFIED_FROM).mean() * 100), 1),
            }
        )
    return pd.DataFrame(rows)


def learning_gain(scores: pd.DataFrame, max_score: int) -> pd.DataFrame:
    """Adds each learner's gain (after - before) and normalised gain (gain / what was left to learn).

    Learners without both scores are dropped: a gain needs two measurements of the same person.
    A learner who already had the full score before has no normalised gain (nothing was left to learn).
    """
    paired = scores.dropna(subset=["преди", "след"]).copy()
    paired["прираст"] = paired["след"] - paired["преди"]
    room = max_score - paired["преди"]
    paired["нормализиран прираст"] = (paired["прираст"] / room.where(room > 0)).round(2)
    return paired.reset_index(drop=True)


def mean_gain(scores: pd.DataFrame, max_score: int) -> float:
    """The cohort's mean gain in points (1 decimal), over learners with both scores."""
    return round(float(learning_gain(scores, max_score)["прираст"].mean()), 1)


def example_rubric() -> pd.DataFrame:
    """A teach-back scored by the trainer and three peers (пример), one row per scorer."""
    return pd.DataFrame(
        {
            "оценител": ["обучител", "колега 1", "колега 2", "колега 3"],
            "цел": [2, 2, 1, 2],
            "участие": [1, 2, 1, 1],
            "проверка": [0, 1, 0, 1],
            "точност": [2, 2, 2, 2],
            "яснота": [2, 1, 2, 2],
            "приобщаване": [1, 1, 2, 1],
        }
    )


def rubric_means(scores: pd.DataFrame) -> pd.Series:
    """The mean of every criterion over all scorers (2 decimals), in the rubric's order."""
    missing = [c for c in TEACHBACK_CRITERIA if c not in scores.columns]
    if missing:
        raise ValueError(f"rubric columns missing: {missing}")
    values = scores[TEACHBACK_CRITERIA]
    if ((values < 0) | (values > CRITERION_MAX)).any().any():
        raise ValueError(f"rubric points must be 0-{CRITERION_MAX}")
    return values.mean().round(2)


def teachback_passed(scores: pd.DataFrame) -> bool:
    """Passed when no criterion averages below 'partly' and the total reaches 2/3 of the maximum."""
    means = rubric_means(scores)
    total_needed = PASS_SHARE * CRITERION_MAX * len(TEACHBACK_CRITERIA)
    return bool((means >= CRITERION_FLOOR).all() and means.sum() >= total_needed - 1e-9)


def weakest_criteria(scores: pd.DataFrame) -> list[str]:
    """The criteria with the lowest mean: what the next teach-back should work on."""
    means = rubric_means(scores)
    return [c for c in TEACHBACK_CRITERIA if means[c] == means.min()]
