"""Soft hyphens in the launcher's long Bulgarian words: breaks at syllables, the text otherwise unchanged."""

from __future__ import annotations

from pathlib import Path

from civickit.app_catalog import apps
from civickit.launcher import entries
from civickit.soft_hyphens import SOFT_HYPHEN, hyphenate_bg

REPO = Path(__file__).resolve().parents[1]


def shown(text: str) -> str:
    return text.replace(SOFT_HYPHEN, "-")


def test_long_words_break_at_syllables():
    """Do long words get breaks between syllables, as a Bulgarian reader expects them?"""
    assert shown(hyphenate_bg("консултация")) == "кон-сул-та-ция"
    assert shown(hyphenate_bg("заинтересованите")) == "заин-те-ре-со-ва-ните"
    assert shown(hyphenate_bg("организацията")) == "орга-ни-за-ци-ята"


def test_short_words_and_other_text_are_untouched():
    """Are short words, Latin names, digits and punctuation left as they are?"""
    text = "Карта на Decidim, 2024 г. (ЛИДЕР)"
    assert hyphenate_bg(text) == text


def test_no_part_shorter_than_three_letters():
    """Does no break leave one or two letters alone at the start or the end of a word?"""
    for app in apps(REPO):
        for word in hyphenate_bg(app.title).split():
            parts = word.strip(",.?!„“()").split(SOFT_HYPHEN)
            assert len(parts) == 1 or (len(parts[0]) >= 3 and len(parts[-1]) >= 3), word


def test_launcher_cards_carry_the_same_titles():
    """Are the cards' titles the apps' titles letter for letter once the soft hyphens are taken out?"""
    cards = entries(REPO)
    assert [c["title"].replace(SOFT_HYPHEN, "") for c in cards] == [a.title for a in apps(REPO)]
    assert any(SOFT_HYPHEN in c["title"] for c in cards)
