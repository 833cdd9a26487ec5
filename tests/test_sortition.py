"""Drawing an assembly by lot: quotas, a repeatable lottery and the comparison with the population."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit import sortition
from civickit.datasets import load_table
from civickit.synth.yambol_population_synthetic import CENSUS_2021


@pytest.fixture(scope="module")
def population():
    return load_table("yambol_population_synthetic")


@pytest.fixture(scope="module")
def adults(population):
    return sortition.adults(population)


def test_population_keeps_the_census_totals(population):
    """Do the rows of each municipality add up to its census 2021 total (109 693 for the district)?"""
    totals = population.groupby("municipality")["population"].sum().to_dict()
    assert totals == CENSUS_2021
    assert int(population["population"].sum()) == 109_693


def test_largest_remainder_hands_out_exactly_the_seats():
    """Does largest-remainder rounding give whole parts first and the leftover seats to the largest remainders?"""
    # exact quotas 4.2, 3.5, 2.3 -> whole parts 4, 3, 2 and the one seat left goes to the 0.5 remainder
    assert sortition.largest_remainder([42, 35, 23], 10) == [4, 4, 2]
    assert sortition.largest_remainder([1, 1, 1], 2) == [1, 1, 0]  # a tie goes to the earlier group
    assert sortition.largest_remainder([5, 0], 3) == [3, 0]
    assert sortition.largest_remainder([], 0) == []


def test_quotas_follow_each_municipality_share(adults):
    """Does every municipality get its rounded proportional share, also when the cells inside it are small?"""
    for seats in (7, 24, 56, 101):
        plan = sortition.quotas(adults, seats)
        assert int(plan["seats"].sum()) == seats
        per_municipality = plan.groupby("municipality", sort=False)["seats"].sum().tolist()
        people = adults.groupby("municipality", sort=False)["population"].sum().tolist()
        assert per_municipality == sortition.largest_remainder(people, seats)
        assert (plan["seats"] - plan["exact"]).abs().max() < 1.5


def test_gdansk_sized_assembly_seats_bolyarovo(adults):
    """With 56 members (the size of Gdańsk's later panels), does the smallest municipality, Bolyarovo, get a seat?"""
    plan = sortition.quotas(adults, 56).groupby("municipality")["seats"].sum()
    assert plan["Болярово"] >= 1
    assert plan["Ямбол"] > plan["Тунджа"] > plan["Елхово"]


def test_the_same_seed_gives_the_same_assembly(adults):
    """Is the draw repeatable with the same seed and different with another one?"""
    first = sortition.draw(adults, 24, ("municipality",), seed=7)
    again = sortition.draw(adults, 24, ("municipality",), seed=7)
    other = sortition.draw(adults, 24, ("municipality",), seed=8)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    assert list(first["member"]) == list(range(1, 25))
    assert set(first.columns) == {"member", "municipality", "gender", "age_group"}


def test_full_stratification_matches_the_quotas(adults):
    """With quotas on all three criteria, does every stratum get exactly its quota, whatever the seed?"""
    plan = sortition.quotas(adults, 40)
    for seed in (1, 2, 3):
        members = sortition.draw(adults, 40, sortition.STRATA, seed)
        drawn = members.groupby(list(sortition.STRATA), sort=False).size()
        for row in plan.itertuples(index=False):
            assert drawn.get((row.municipality, row.gender, row.age_group), 0) == row.seats


def test_composition_compares_shares(adults):
    """Does the composition table give population and assembly shares that each add up to 100 %?"""
    members = sortition.draw(adults, 30, seed=3)
    table = sortition.composition(members, adults, "gender")
    assert set(table["group"]) == {"жени", "мъже"}
    assert table["population_share"].sum() == pytest.approx(1)
    assert table["assembly_share"].sum() == pytest.approx(1)
    assert int(table["seats"].sum()) == 30
    expected = 100 * (table["assembly_share"] - table["population_share"])
    assert table["gap_points"].tolist() == pytest.approx(expected.tolist())


def test_quotas_beat_a_plain_lottery_on_average(adults):
    """Over many draws, does a stratified council of 24 stay closer to the population than a plain lottery?"""
    stratified = sortition.average_largest_gap(adults, 24, sortition.STRATA, draws=60)
    plain = sortition.average_largest_gap(adults, 24, (), draws=60)
    assert stratified < plain
    slow = sum(sortition.largest_gap(sortition.draw(adults, 24, (), seed=1 + i), adults) for i in range(5)) / 5
    assert sortition.average_largest_gap(adults, 24, (), draws=5) == pytest.approx(slow)


def test_children_are_never_drawn(population, adults):
    """Are the under-18s left out of the pool?"""
    assert sortition.CHILDREN not in set(adults["age_group"])
    members = sortition.draw(adults, 50, (), seed=5)
    assert sortition.CHILDREN not in set(members["age_group"])


def test_too_many_seats_is_refused():
    """Is an assembly larger than the population refused with a clear error?"""
    tiny = pd.DataFrame({"municipality": ["А"], "gender": ["жени"], "age_group": ["18–29"], "population": [3]})
    with pytest.raises(ValueError, match="more members"):
        sortition.draw(tiny, 4)


def test_assembly_html_reacts_to_size(population):
    """Does the Gdańsk result start with a status line and change when the size changes?"""
    big = sortition.assembly_html(population, 56)
    small = sortition.assembly_html(population, 10)
    assert big.startswith("<p class='civickit-summary' role='status'>")
    assert "Събрание от 56 души" in big and "Всяка община има поне едно място" in big
    assert "Без място остават: Болярово" in small
    assert big != small


def test_council_html_names_the_criteria(population):
    """Does the Ostbelgien result say which quotas were used, and differ between criteria?"""
    texts = {c: sortition.council_html(population, c, draws=10) for c in sortition.CRITERIA_BG}
    assert all(t.startswith("<p class='civickit-summary' role='status'>") for t in texts.values())
    assert all(c in t for c, t in texts.items())
    assert len(set(texts.values())) == len(texts)


def test_apps_have_the_contract_classes():
    """Do both apps mark their control and their result for the browser test?"""
    for app in (sortition.assembly_app(), sortition.council_app()):
        controls = [w for w in app.children[0].children if "civickit-control" in w._dom_classes]
        assert len(controls) == 1
        assert "civickit-result" in app.children[1]._dom_classes
        assert "role='status'" in app.children[1].value
