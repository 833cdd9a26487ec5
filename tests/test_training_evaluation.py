"""Kirkpatrick levels 1-2 and the teach-back rubric (civickit.training_evaluation)."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit import training_evaluation as te


def test_reaction_summary_counts_satisfied_answers():
    """Does the level-1 summary give the mean and the share of 4-5 answers for each question?"""
    summary = te.reaction_summary(te.example_feedback()).set_index("въпрос")
    assert summary.loc["полезно", "средно"] == 4.0
    assert summary.loc["полезно", "доволни, %"] == 75.0  # 6 of 8 answered 4 or 5
    assert summary.loc["темпо", "доволни, %"] == 12.5
    assert summary["отговорили"].tolist() == [8, 8, 8]


def test_reaction_summary_skips_blank_answers_and_refuses_out_of_scale():
    """Is a blank answer left out of the count, and a 7 on a 1-5 scale refused rather than averaged?"""
    feedback = pd.DataFrame({"участник": ["a", "b", "c"], "полезно": [5, None, 3]})
    row = te.reaction_summary(feedback).iloc[0]
    assert row["отговорили"] == 2 and row["средно"] == 4.0 and row["доволни, %"] == 50.0
    with pytest.raises(ValueError, match="outside 1-5"):
        te.reaction_summary(pd.DataFrame({"полезно": [5, 7]}))


def test_learning_gain_pairs_the_same_learner():
    """Is the gain computed only for learners with both scores, with the normalised gain per learner?"""
    gains = te.learning_gain(te.example_self_check(), max_score=10)
    assert "У8" not in gains["участник"].tolist()
    first = gains.iloc[0]
    assert first["прираст"] == 4 and first["нормализиран прираст"] == 0.67  # (8-4)/(10-4)
    assert te.mean_gain(te.example_self_check(), 10) == 2.7  # 19 points over 7 learners


def test_learning_gain_of_a_full_score_before_is_blank():
    """Does a learner who had every point before get no normalised gain instead of a division by zero?"""
    gains = te.learning_gain(pd.DataFrame({"участник": ["a"], "преди": [10], "след": [10]}), max_score=10)
    assert gains["прираст"].iloc[0] == 0
    assert pd.isna(gains["нормализиран прираст"].iloc[0])


def test_teachback_fails_on_one_weak_criterion_despite_enough_points():
    """Does a teach-back with 8.5 of 12 points still fail when one criterion averages below 'partly'?"""
    scores = te.example_rubric()
    means = te.rubric_means(scores)
    assert means.sum() == pytest.approx(8.5)
    assert not te.teachback_passed(scores)
    assert te.weakest_criteria(scores) == ["проверка"]


def test_teachback_passes_when_every_criterion_holds():
    """Does the same teach-back pass once the understanding check is scored 'partly' or better by all?"""
    scores = te.example_rubric()
    scores["проверка"] = [1, 1, 1, 2]
    assert te.teachback_passed(scores)


def test_teachback_fails_on_total_even_with_no_weak_criterion():
    """Is 'partly' on every criterion (6 of 12 points) not enough to pass?"""
    scores = pd.DataFrame({c: [1, 1] for c in te.TEACHBACK_CRITERIA})
    assert not te.teachback_passed(scores)


def test_rubric_refuses_missing_criteria_and_points_out_of_range():
    """Is a rubric sheet without a criterion, or with 3 points on a 0-2 scale, refused?"""
    with pytest.raises(ValueError, match="missing"):
        te.rubric_means(te.example_rubric().drop(columns=["цел"]))
    broken = te.example_rubric()
    broken.loc[0, "цел"] = 3
    with pytest.raises(ValueError, match="0-2"):
        te.rubric_means(broken)
