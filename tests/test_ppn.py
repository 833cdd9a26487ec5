"""Seats shared among the three colleges of a public participation network (Ireland case study)."""

from __future__ import annotations

import pytest

from civickit.ppn import (
    COLLEGES,
    IRELAND_2022,
    YAMBOL_EXAMPLE,
    allocation_table,
    largest_remainder,
    ppn_app,
    result_html,
)


def test_irish_2022_colleges_are_the_reported_figures():
    """Are the 2022 college figures those of the annual report (14 386, 2972, 673 = 18 031)?

    The report's headline total is 18 053, 22 more than its three colleges add up to; the model uses
    the college figures, since seats are shared among colleges.
    """
    assert list(IRELAND_2022.values()) == [14_386, 2_972, 673]
    assert sum(IRELAND_2022.values()) == 18_031
    assert tuple(IRELAND_2022) == COLLEGES


@pytest.mark.parametrize("seats", range(0, 41))
def test_all_seats_are_given_out(seats):
    """Are exactly as many seats given out as there are, for any number of seats?"""
    assert sum(largest_remainder(IRELAND_2022, seats).values()) == seats


def test_ten_seats_for_ireland_2022():
    """With 10 seats and the 2022 members, do the colleges get 8, 2 and 0 (largest remainders .97 and .65)?"""
    assert largest_remainder(IRELAND_2022, 10) == {
        "Общностни и доброволчески": 8, "Социално включване": 2, "Околна среда": 0,
    }


def test_five_seats_for_ireland_2022():
    """With 5 seats, do the colleges get 4, 1 and 0?"""
    assert list(largest_remainder(IRELAND_2022, 5).values()) == [4, 1, 0]


def test_textbook_hamilton_example():
    """Does a classic case (quotas 4.3, 3.5, 2.2 for 10 seats) give 4, 4, 2?"""
    assert largest_remainder({"a": 43, "b": 35, "c": 22}, 10) == {"a": 4, "b": 4, "c": 2}


def test_each_college_gets_its_floor_and_at_most_one_more():
    """Is every college within one seat of its exact quota?"""
    for seats in range(1, 30):
        table = allocation_table(YAMBOL_EXAMPLE, seats)
        for row in table.itertuples():
            assert row.quota - 1 < row.seats < row.quota + 1


def test_minimum_gives_the_small_college_a_seat():
    """With the 'at least one seat' rule, does the environmental college get a seat out of 10?"""
    won = largest_remainder(IRELAND_2022, 10, minimum=1)
    assert won["Околна среда"] == 1
    assert sum(won.values()) == 10


def test_minimum_that_cannot_be_met_is_refused():
    """Are 2 seats refused when 3 colleges must each get one?"""
    with pytest.raises(ValueError):
        largest_remainder(IRELAND_2022, 2, minimum=1)


def test_college_without_members_gets_nothing_even_with_minimum():
    """Does a college with no member groups get no seat, even under the minimum rule?"""
    won = largest_remainder({"a": 10, "b": 5, "c": 0}, 4, minimum=1)
    assert won["c"] == 0 and sum(won.values()) == 4


def test_no_members_at_all_gives_no_seats():
    """If no college has members, is nobody given a seat (and nothing divided by zero)?"""
    assert largest_remainder({"a": 0, "b": 0}, 5) == {"a": 0, "b": 0}


def test_negative_inputs_are_refused():
    """Are negative seats or member counts refused?"""
    with pytest.raises(ValueError):
        largest_remainder(IRELAND_2022, -1)
    with pytest.raises(ValueError):
        largest_remainder({"a": -3, "b": 4}, 3)


def test_result_names_the_college_left_out():
    """Does the summary say which college is left without a seat, in Bulgarian?"""
    html = result_html(IRELAND_2022, 10)
    assert html.startswith("<p class='civickit-summary' role='status'>")
    assert "Без място остава: околна среда" in html


def test_result_explains_an_impossible_minimum():
    """Is an impossible minimum explained in a sentence instead of an error?"""
    html = result_html(IRELAND_2022, 2, minimum=1)
    assert "не стигат" in html and "role='status'" in html


def test_app_reacts_to_the_seats_field():
    """Does halving the seats change the result, with the CSS classes in place?"""
    app = ppn_app()
    control = next(w for w in app.children if "civickit-control" in w._dom_classes)
    result = next(w for w in app.children if "civickit-result" in w._dom_classes)
    before = result.value
    control.value = control.value // 2
    assert result.value != before
    assert "5 места:" in result.value


def test_app_switches_to_the_invented_yambol_network():
    """Does choosing the invented Yambol network fill the member fields with its numbers?"""
    app = ppn_app()
    data = app.children[1]
    data.value = "Мрежа в област Ямбол (измислен пример)"
    fields = app.children[2:5]
    assert [f.value for f in fields] == list(YAMBOL_EXAMPLE.values())
    assert "48" in app.children[-1].value


def test_alabama_paradox_shows_in_the_yambol_example():
    """Going from 6 to 7 seats, does the environmental college lose its seat (the paradox the notebook asks about)?"""
    six = largest_remainder(YAMBOL_EXAMPLE, 6)
    seven = largest_remainder(YAMBOL_EXAMPLE, 7)
    assert six["Околна среда"] == 1 and seven["Околна среда"] == 0


def test_environment_needs_thirteen_seats_in_ireland_2022():
    """Under plain proportional sharing, is 13 the smallest number of seats that gives the environmental college one?"""
    first = next(s for s in range(1, 50) if largest_remainder(IRELAND_2022, s)["Околна среда"] > 0)
    assert first == 13
