"""Support survey and petition arithmetic of module 8 (civickit.support_survey)."""

import math

import pandas as pd
import pytest

from civickit import support_survey as ss


def survey():
    return pd.DataFrame({
        "respondent_id": [1, 2, 3, 3, 4, 5, 6, 7],
        "municipality": [" ямбол", "Ямбол", "ЕЛХОВО ", "Елхово", "Елхово", "Тунджа", "Тунджа", "Тунджа"],
        "answer": [" ЗА ", "против", "да", "против", "незнам", "за", "???", None],
    })


def test_answers_are_normalised_from_real_spellings():
    """Do ' ЗА ', 'да', 'незнам' and 'Не' become the three answers, and nonsense None?"""
    assert [ss.normalise_answer(a) for a in [" ЗА ", "да", "незнам", "Не", "не  знам"]] == ["за", "за", "не знам", "против", "не знам"]
    assert ss.normalise_answer("???") is None
    assert ss.normalise_answer(None) is None
    assert ss.normalise_answer(float("nan")) is None


def test_cleaning_keeps_first_answer_and_drops_invalid_rows():
    """Does cleaning keep each respondent's first answer and drop rows without a valid answer?"""
    clean = ss.clean_responses(survey())
    assert list(clean["respondent_id"]) == [1, 2, 3, 4, 5]
    assert list(clean["answer"]) == ["за", "против", "за", "не знам", "за"]
    assert list(clean["municipality"]) == ["Ямбол", "Ямбол", "Елхово", "Елхово", "Тунджа"]
    assert list(clean.index) == [0, 1, 2, 3, 4]
    assert survey()["answer"].iloc[0] == " ЗА ", "the input table is left unchanged"


def test_support_share_counts_dont_know_as_an_answer():
    """Is support the share of 'за' among all valid answers, 'не знам' included?"""
    assert ss.support_share(ss.clean_responses(survey())) == pytest.approx(3 / 5)
    with pytest.raises(ValueError):
        ss.support_share(ss.clean_responses(survey()).iloc[0:0])


def test_support_by_municipality():
    """Is support computed per municipality?"""
    by = ss.support_by(ss.clean_responses(survey()))
    assert by.to_dict() == {"Елхово": 0.5, "Тунджа": 1.0, "Ямбол": 0.5}


@pytest.mark.parametrize("share, n, expected", [(0.6, 100, 0.0960), (0.6, 400, 0.0480), (0.6, 250, 0.0607), (0.5, 1000, 0.0310)])
def test_margin_of_error_matches_the_lesson(share, n, expected):
    """Does the margin of error give the lesson's figures (±9.6, ±4.8, ±6.1 points)?"""
    assert ss.margin_of_error(share, n) == pytest.approx(expected, abs=5e-4)


def test_four_times_the_sample_halves_the_margin():
    """Does quadrupling the sample halve the margin of error, as the lesson says?"""
    assert ss.margin_of_error(0.7, 360) == pytest.approx(ss.margin_of_error(0.7, 90) / 2)


def test_margin_of_error_rejects_impossible_input():
    """Are an empty sample and a share outside 0-1 refused?"""
    with pytest.raises(ValueError):
        ss.margin_of_error(0.5, 0)
    with pytest.raises(ValueError):
        ss.margin_of_error(60, 100)
    assert ss.margin_of_error(1.0, 50) == 0.0 and not math.isnan(ss.margin_of_error(0.0, 50))


def test_repeated_signatures_count_once():
    """Is the same name in the same settlement counted once, whatever the spacing and case?"""
    petition = pd.DataFrame({
        "name": ["Иван Петров", "иван  петров", "Иван Петров", "Мария Иванова"],
        "settlement": ["Болярово", "Болярово ", "Елхово", "Болярово"],
    })
    unique = ss.unique_signatures(petition)
    assert list(unique["name"]) == ["Иван Петров", "Иван Петров", "Мария Иванова"]
    assert ss.signatures_by(unique).to_dict() == {"Болярово": 2, "Елхово": 1}
    assert list(ss.signatures_by(unique).index) == ["Болярово", "Елхово"]
