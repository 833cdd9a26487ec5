"""The funding helpers: who may apply from Yambol, which calls are open, what the organisation pays."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from civickit.datasets import catalogue, load_table
from civickit.funding import (
    APPLICANT_TYPES,
    applicant_types,
    deadline_in_sofia,
    eligible_for,
    grant_amount,
    open_calls,
    own_contribution,
)

TABLE = "funding_programmes_2021_2027"


@pytest.fixture(scope="module")
def programmes():
    return load_table(TABLE)


def test_table_is_real_and_every_row_has_a_source(programmes):
    """Is the programmes table marked real, 12-18 rows long, and does every row name a web or document source?"""
    assert catalogue()[TABLE]["synthetic"] is False
    assert 12 <= len(programmes) <= 18
    assert programmes["programme_id"].is_unique
    assert all(s.startswith("http") for s in programmes["source"])


def test_table_uses_the_agreed_vocabulary(programmes):
    """Do the Yambol column and the applicant lists use only the agreed words?"""
    assert set(programmes["eligible_yambol"].dropna()) <= {"да", "не"}
    words = set().union(*(applicant_types(c) for c in programmes["eligible_applicants"]))
    assert words <= {w.casefold() for w in APPLICANT_TYPES}
    assert set(programmes["status"].dropna()) <= {"активна", "приключила"}


def test_greece_bulgaria_is_not_for_yambol_and_active_citizens_fund_is_closed(programmes):
    """Does the table say that Greece-Bulgaria does not cover Yambol and that the Active Citizens Fund has ended?"""
    by_id = programmes.set_index("programme_id")
    assert by_id.loc["grbg", "eligible_yambol"] == "не"
    assert by_id.loc["bgtr", "eligible_yambol"] == "да"
    assert by_id.loc["acf", "status"] == "приключила"
    assert "30.04.2024" in by_id.loc["acf", "note"]


def test_ngo_in_yambol(programmes):
    """Which programmes are open to an NGO in Yambol: without Greece-Bulgaria, the closed fund and unverified rows?"""
    ids = list(eligible_for(programmes, "НПО")["programme_id"])
    assert ids == ["ptp", "prchr", "prr", "pos", "leader", "bgtr", "bsb", "danube", "cerv", "erasmus", "esc", "life"]
    assert "grbg" in list(eligible_for(programmes, "НПО", in_yambol=False)["programme_id"])
    assert list(eligible_for(programmes, "  нпо ")["programme_id"]) == ids


def test_community_centre_and_unknown_type(programmes):
    """Does a chitalishte get its own shorter list, and an unknown type an empty one?"""
    assert list(eligible_for(programmes, "читалище")["programme_id"]) == ["prchr", "leader", "erasmus"]
    assert eligible_for(programmes, "партия").empty


def test_deadline_is_read_as_a_sofia_date():
    """Is a UTC deadline late in the evening counted on the next day in Sofia, and a naive one left as Sofia time?"""
    assert deadline_in_sofia("2026-11-30T22:30:00Z") == date(2026, 12, 1)
    assert deadline_in_sofia("2026-11-30T17:00:00+01:00") == date(2026, 11, 30)
    assert deadline_in_sofia("2026-11-30 23:59") == date(2026, 11, 30)


def test_open_calls_counts_the_deadline_day_and_skips_future_calls():
    """Is a call open on its deadline day, closed the day after, and not open before it opens?"""
    calls = pd.DataFrame(
        {
            "call_id": ["A", "B", "C", "D"],
            "opens": [date(2026, 11, 1), date(2026, 11, 1), date(2026, 12, 5), date(2026, 11, 1)],
            "deadline": ["2026-12-01T17:00:00+02:00", "2026-11-30T17:00:00+01:00", "2027-01-10T17:00:00+02:00", "2026-11-30T22:30:00Z"],
        }
    )
    assert list(open_calls(calls, date(2026, 12, 1))["call_id"]) == ["A", "D"]
    assert list(open_calls(calls, date(2026, 12, 5))["call_id"]) == ["C"]
    assert open_calls(calls, "2026-10-31").empty


def test_own_contribution_with_and_without_a_cap():
    """Does the organisation pay the share the rate leaves, and everything above the maximum grant?"""
    assert own_contribution(120_000, 98) == pytest.approx(2_400)
    assert own_contribution(48_150, 95, 80_000) == pytest.approx(2_407.5)
    assert own_contribution(200_000, 85, max_grant=150_000) == pytest.approx(50_000)
    assert own_contribution(10_000, 100) == 0
    assert grant_amount(200_000, 85, 150_000) == 150_000


def test_impossible_inputs_are_refused():
    """Are a rate above 100 %, a negative budget and a negative cap refused?"""
    for args in [(1000, 120), (-1, 50), (1000, 50, -5)]:
        with pytest.raises(ValueError):
            own_contribution(*args)
