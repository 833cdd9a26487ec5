"""The funding table says how old each programme status is and where it comes from."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from civickit.datasets import load_table

TABLE = "funding_programmes_2021_2027"


@pytest.fixture(scope="module")
def programmes():
    return load_table(TABLE)


def _present(value) -> bool:
    return value is not None and not pd.isna(value) and str(value).strip() != ""


def test_every_status_has_a_dated_web_source(programmes):
    """Does every row with a status give the date and the web address of the evidence, and no row a date without a status?"""
    for _, row in programmes.iterrows():
        has_status = _present(row["status"])
        assert has_status == _present(row["status_as_of"]), row["programme_id"]
        assert has_status == _present(row["status_source"]), row["programme_id"]
        if has_status:
            assert isinstance(row["status_as_of"], date), row["programme_id"]
            assert str(row["status_source"]).startswith("http"), row["programme_id"]


def test_no_status_is_dated_in_the_future(programmes):
    """Is every status date in the past (a typo such as 2062 fails) and not before the 2021-2027 period began?"""
    dates = [d for d in programmes["status_as_of"] if _present(d)]
    assert dates
    assert all(date(2021, 1, 1) <= d <= date.today() for d in dates)


def test_closed_fund_is_dated_on_its_closing_day(programmes):
    """Is the Active Citizens Fund's 'closed' status dated on the day it closed (30.04.2024)?"""
    acf = programmes.set_index("programme_id").loc["acf"]
    assert acf["status"] == "приключила"
    assert acf["status_as_of"] == date(2024, 4, 30)


def test_black_sea_row_gives_the_2023_revision(programmes):
    """Does the Black Sea Basin row give the budget of the revision of 15.12.2023 with the programme's page as a source, and still 90 % + 8 % for a Bulgarian partner?"""
    bsb = programmes.set_index("programme_id").loc["bsb"]
    assert "15.12.2023" in bsb["co_financing_note"]
    assert "94,45 млн. евро" in bsb["co_financing_note"]
    assert "85,01 млн. евро" in bsb["co_financing_note"]
    assert "blacksea-cbc.net" in bsb["source"]
    assert bsb["typical_grant_rate_pct"] == 98
