"""District envelopes in a city's participatory budget, after Sofia's „Идеи за града“ (2025 rules).

Each district has its own envelope and its own ballot; a separate city-wide envelope funds the
city projects. Residents vote on their district's ballot and on the city ballot. Every ballot is
allocated with the same rule as the Paris case study (participatory_budget.allocate: most votes
first, a project is funded while what is left of its envelope covers it).

The 2025 envelopes were announced in leva, before Bulgaria adopted the euro on 1 January 2026;
they are converted at the fixed rate 1 EUR = 1.95583 BGN. The ballots the app shows are invented
(table district_ballots_synthetic): the districts are real Sofia districts, the projects are not.
"""

from __future__ import annotations

import html

import pandas as pd

from .first_frame import app_view
from .formatting import money_bg, number_bg
from .live_app import dropdown_app
from .participatory_budget import allocate, result_html

BGN_PER_EUR = 1.95583
DISTRICT_ENVELOPE_BGN = 200_000  # per district, „Идеи за града“ 2025
CITY_ENVELOPE_BGN = 500_000  # city-wide projects, „Идеи за града“ 2025
CITY = "общоградски проекти"  # the district_bg value of a city-wide project


def bgn_to_eur(amount_bgn: float) -> float:
    """Leva to euro at the fixed conversion rate, rounded to the cent."""
    return round(amount_bgn / BGN_PER_EUR, 2)


def envelope_eur(area: str, district_bgn: float = DISTRICT_ENVELOPE_BGN, city_bgn: float = CITY_ENVELOPE_BGN) -> float:
    """The envelope of one ballot in euro: the city-wide one for CITY, a district's otherwise."""
    return bgn_to_eur(city_bgn if area == CITY else district_bgn)


def areas(ballots: pd.DataFrame) -> list[str]:
    """The ballots in the table: districts in alphabetical order, the city-wide ballot last."""
    names = sorted(set(ballots["district_bg"]) - {CITY})
    return names + ([CITY] if CITY in set(ballots["district_bg"]) else [])


def allocate_all(
    ballots: pd.DataFrame, district_bgn: float = DISTRICT_ENVELOPE_BGN, city_bgn: float = CITY_ENVELOPE_BGN
) -> dict[str, pd.DataFrame]:
    """Every ballot allocated at once, each within its own envelope: {district or CITY: ranked result}.

    Money left over in one district does not move to another; that is what separate envelopes mean.
    """
    return {
        area: allocate(ballots[ballots["district_bg"] == area], envelope_eur(area, district_bgn, city_bgn))
        for area in areas(ballots)
    }


def overview(results: dict[str, pd.DataFrame], district_bgn: float = DISTRICT_ENVELOPE_BGN,
             city_bgn: float = CITY_ENVELOPE_BGN) -> pd.DataFrame:
    """One row per ballot: projects on it, projects funded, envelope, money spent and left (euro)."""
    rows = []
    for area, result in results.items():
        envelope = envelope_eur(area, district_bgn, city_bgn)
        spent = float(result.loc[result["funded"], "cost_eur"].sum())
        rows.append({"area": area, "projects": len(result), "funded": int(result["funded"].sum()),
                     "envelope_eur": envelope, "spent_eur": spent, "left_eur": round(envelope - spent, 2)})
    return pd.DataFrame(rows)


def envelope_note_bg(area: str) -> str:
    """Where the envelope comes from, in leva and euro."""
    leva = CITY_ENVELOPE_BGN if area == CITY else DISTRICT_ENVELOPE_BGN
    whose = "за проектите за целия град" if area == CITY else "на всеки район"
    return (
        f"Плик {whose}: {number_bg(leva)} лв. (≈ {money_bg(bgn_to_eur(leva))} по курс 1,95583 лв. за 1 €), "
        "както в „Идеи за града“ 2025. Проектите, цените и гласовете са измислен пример."
    )


def district_result_html(results: dict[str, pd.DataFrame], area: str) -> str:
    """One ballot's result (status line first, then the table) and a note on its envelope."""
    return (
        result_html(results[area], envelope_eur(area))
        + f"<p class='civickit-note'>{html.escape(envelope_note_bg(area))}</p>"
    )


@app_view
def district_app(ballots: pd.DataFrame | None = None, start: str | None = None):
    """A dropdown of the ballots (each district, then the city-wide one) and the chosen ballot's result."""
    if ballots is None:
        from .datasets import load_table

        ballots = load_table("district_ballots_synthetic")
    results = allocate_all(ballots)
    options = list(results)
    return dropdown_app(options, start if start in options else options[0], "Бюлетина", "24em",
                        lambda chosen: district_result_html(results, chosen))
