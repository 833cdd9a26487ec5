"""The consultation-deadline checker: Art. 26(4) ЗНА through civickit.consultations, dates in ДД.ММ.ГГГГ."""

from datetime import date

import pytest

from civickit.deadline_tool import (
    EXCEPTIONAL, LAWFUL, UNLAWFUL, closing_date, deadline_app, parse_date_bg, result_html, verdict,
)


def test_parse_date_bg_accepts_bulgarian_forms():
    """Are 05.10.2026, 5.10.2026 and "05.10.2026 г." read as the same date?"""
    for text in ("05.10.2026", "5.10.2026", " 05.10.2026 г. "):
        assert parse_date_bg(text) == date(2026, 10, 5)


@pytest.mark.parametrize("text, words", [("2026-10-05", "ДД.ММ.ГГГГ"), ("", "ДД.ММ.ГГГГ"), ("31.02.2026", "не е съществуваща дата")])
def test_parse_date_bg_explains_bad_input(text, words):
    """Does a wrong or impossible date raise ValueError with a Bulgarian message?"""
    with pytest.raises(ValueError, match=words):
        parse_date_bg(text)


@pytest.mark.parametrize("days, reasons, expected", [
    (30, False, LAWFUL), (45, True, LAWFUL), (29, False, UNLAWFUL), (29, True, EXCEPTIONAL),
    (14, True, EXCEPTIONAL), (13, True, UNLAWFUL), (0, False, UNLAWFUL),
])
def test_verdict_follows_the_law(days, reasons, expected):
    """30 days lawful; 14-29 only with reasons stated; under 14 never."""
    assert verdict(days, reasons) == expected


def test_lesson_examples():
    """Do the lesson's examples come out right: 10.03-24.03 without reasons, 05.10-04.11?"""
    short = result_html(date(2026, 3, 10), date(2026, 3, 24), False)
    assert short.startswith("<p role='status'")
    assert "14 дни" in short and "незаконен" in short and "24.03.2026 г." in short
    assert "допустим по изключение" in result_html(date(2026, 3, 10), date(2026, 3, 24), True)
    full = result_html(date(2026, 10, 5), date(2026, 11, 4), False)
    assert "30 дни" in full and "Срокът е законен" in full and "04.11.2026 г." in full
    assert "чл. 26, ал. 4" in full


def test_closing_before_publication_is_a_message():
    """Is a closing date before publication reported in words, not raised?"""
    assert "преди датата на публикуване" in result_html(date(2026, 3, 10), date(2026, 3, 1), False)


def test_closing_date():
    assert closing_date(date(2026, 10, 5), 30) == date(2026, 11, 4)
    with pytest.raises(ValueError):
        closing_date(date(2026, 10, 5), -1)


def test_app_fields_follow_each_other():
    """Does the days field move the closing date, the closing date move the days, and both change the result?"""
    app = deadline_app(date(2026, 10, 5))
    days, published, closes, reasons, out = app.children
    assert "civickit-control" in days._dom_classes and "civickit-result" in out._dom_classes
    assert closes.value == "04.11.2026" and "Срокът е законен" in out.value
    days.value = 15
    assert closes.value == "20.10.2026" and "незаконен" in out.value
    reasons.value = "да"
    assert "допустим по изключение" in out.value
    closes.value = "15.10.2026"
    assert days.value == 10 and "15.10.2026 г." in out.value
    published.value = "01.10.2026"
    assert closes.value == "11.10.2026"


def test_app_reports_bad_dates_and_recovers():
    """Does a badly typed date give a message, and a good one afterwards a verdict again?"""
    app = deadline_app(date(2026, 10, 5))
    days, published, closes, reasons, out = app.children
    closes.value = "4 ноември"
    assert "ДД.ММ.ГГГГ" in out.value and out.value.startswith("<p role='status'>")
    closes.value = "04.11.2026"
    assert "Срокът е законен" in out.value and days.value == 30
