"""The LAG partnership check: vote shares by sector and interest group against the 49 % limit."""

from __future__ import annotations

import pytest

from civickit import leader
from civickit.leader import EXAMPLES, PUBLIC, PUBLIC_GROUP, check, composition, verdict_bg, with_public_members


def body(public: int, **groups: int):
    rows = [(PUBLIC, PUBLIC_GROUP, public)] + [
        ("нестопански" if name.startswith("np_") else "стопански", name, n) for name, n in groups.items()
    ]
    return composition(rows)


def test_balanced_body_passes():
    """Does a body where no side holds more than 49 % pass, with shares that add up to one?"""
    result = check(body(5, farmers=3, tourism=2, np_culture=3, np_social=2))
    assert result["ok"]
    assert result["total"] == 15
    assert result["public_share"] == pytest.approx(5 / 15)
    assert result["groups"]["share"].sum() == pytest.approx(1.0)
    assert "✔" in verdict_bg(result)


def test_public_majority_is_flagged():
    """Is a meeting where 4 of 6 voters are public-sector members flagged, naming the public sector?"""
    result = check(body(4, firms=1, np_chitalishta=1))
    assert not result["ok"] and result["public_over"]
    text = verdict_bg(result)
    assert text.startswith("✘") and "публичният сектор има 67" in text


def test_single_interest_group_above_limit_is_flagged():
    """Is a private interest group with 6 of 11 votes flagged even though the public sector is small?"""
    result = check(body(3, farmers=6, np_culture=2))
    assert not result["public_over"]
    assert result["over_groups"] == ["farmers"]
    assert "„farmers“" in verdict_bg(result)


def test_exactly_the_limit_is_allowed():
    """Is a share of exactly 49 % allowed (the rule says 'more than 49 %')?"""
    result = check(body(49, farmers=26, np_culture=25))
    assert result["public_share"] == pytest.approx(0.49)
    assert result["ok"]
    assert not check(body(50, farmers=25, np_culture=25))["ok"]


def test_limit_is_configurable():
    """Does a stricter limit (say 40 %) flag a body that passes at 49 %?"""
    balanced = body(5, farmers=3, tourism=2, np_culture=3, np_social=2)
    assert check(balanced, limit=0.49)["ok"]
    assert not check(balanced, limit=0.30)["ok"]


def test_both_public_and_private_members_are_needed():
    """Does a body of only public members, or only private ones, fail and say which side is missing?"""
    only_public = check(composition([(PUBLIC, PUBLIC_GROUP, 4)]))
    assert "частен" in only_public["missing"] and not only_public["ok"]
    only_private = check(body(0, farmers=3, tourism=3, np_culture=3))
    assert only_private["missing"] == ["публичен"]
    assert "няма представители на публичния сектор" in verdict_bg(only_private)


def test_empty_body_says_so():
    """Does a body without members get a plain message instead of a division by zero?"""
    result = check(body(0))
    assert result["total"] == 0 and not result["ok"]
    assert "Няма членове" in verdict_bg(result)


def test_changing_public_members_changes_the_verdict():
    """Does lowering the public-sector members of the 6-voter meeting from 4 to 2 restore the balance?"""
    meeting = composition(EXAMPLES["Заседание с 6 гласуващи от задачата в урока (измислен пример)"])
    assert not check(meeting)["ok"]
    assert check(with_public_members(meeting, 2))["public_share"] == pytest.approx(0.5)
    assert check(with_public_members(meeting, 1))["ok"]


def test_unknown_sector_is_refused():
    """Is a sector outside публичен/стопански/нестопански refused with a clear error?"""
    with pytest.raises(ValueError, match="Unknown sector"):
        composition([("частен", "x", 1)])


def test_every_example_is_marked_invented_and_the_html_has_a_status_first():
    """Is every example marked „(измислен пример)“, and does the result HTML open with role='status'?"""
    for name, rows in EXAMPLES.items():
        assert "(измислен пример)" in name
        page = leader.result_html(check(composition(rows)))
        assert page.startswith("<p") and "role='status'" in page.split(">")[0]


def test_app_reacts_to_both_controls():
    """Does the app change its verdict when another example or another public-sector number is chosen?"""
    app = leader.partnership_app()
    choice, public, out = app.children
    assert "civickit-control" in choice._dom_classes and "civickit-result" in out._dom_classes
    first = out.value
    choice.value = "Заседание с 6 гласуващи от задачата в урока (измислен пример)"
    assert out.value != first and public.value == 4 and "✘" in out.value
    public.value = 1
    assert "✔" in out.value
