"""A national civil-society fund over time: verified yearly figures, growth, per-capita amounts.

Used by the Estonia (KÜSK) and Croatia (National Foundation) case studies in practices/.
The figures come from the table `civil_society_fund_history` (one row per verified value,
each with its source). Years without a verified value are left out, never filled in.
"""

from __future__ import annotations

import html

import pandas as pd

from .datasets import load_table
from .errors import KitError
from .first_frame import app_view
from .formatting import money_bg, number_bg, percent_bg
from .live_app import dropdown_app
from .stack_table import stack_table

# Populations from the 2021 censuses, used for every year (a simplification the app states).
FUNDS = {
    "kusk": {
        "name_bg": "Фондация за гражданско общество KÜSK",
        "country_bg": "Естония",
        "population": 1_331_824,  # 31.12.2021, Statistics Estonia (ERR News, 2022)
        "population_source_bg": "преброяване 2021 г., ERR News, 2022",
    },
    "nzrcd": {
        "name_bg": "Национална фондация за развитие на гражданското общество",
        "country_bg": "Хърватия",
        "population": 3_871_833,  # 31.08.2021, Croatian Bureau of Statistics (final census results)
        "population_source_bg": "преброяване 2021 г., окончателни резултати на хърватския статистически институт",
    },
}
# Yambol region, census of 7 September 2021 (Дарик Ямбол, 2022).
YAMBOL_POPULATION = 109_693

MEASURES = {
    "grants_eur": "Сума за подкрепи (€)",
    "budget_eur": "Общ бюджет на фонда (€)",
    "grants_count": "Брой подкрепи",
}
# The measure inside a Bulgarian sentence ("... се променя от ...").
MEASURES_IN_TEXT = {
    "grants_eur": "сумата за подкрепи",
    "budget_eur": "общият бюджет",
    "grants_count": "броят на подкрепите",
}
BASIS_BG = {
    "year": "цялата година",
    "call": "само една покана",
    "period": "общо за няколко години",
    "plan": "план",
}
# Only these describe a whole year, so only these are used for growth between years.
WHOLE_YEAR = ("year", "plan")


def fund_table(fund: str) -> pd.DataFrame:
    """All verified rows of one fund, oldest first."""
    if fund not in FUNDS:
        raise KitError(f"Unknown fund '{fund}'; the kit has: {', '.join(FUNDS)}.")
    table = load_table("civil_society_fund_history")
    return table[table["fund_id"] == fund].sort_values(["year", "measure"]).reset_index(drop=True)


def measures_for(fund: str) -> list[str]:
    """The measures that have at least one verified value for this fund, in MEASURES order."""
    present = set(fund_table(fund)["measure"])
    return [m for m in MEASURES if m in present]


def series(fund: str, measure: str) -> pd.DataFrame:
    """One measure of one fund, oldest first."""
    if measure not in MEASURES:
        raise KitError(f"Unknown measure '{measure}'; use one of: {', '.join(MEASURES)}.")
    table = fund_table(fund)
    return table[table["measure"] == measure].reset_index(drop=True)


def growth(values: pd.DataFrame, from_year: int, to_year: int) -> float:
    """Relative change between two years of one series (0.5 = +50 %). Both years must be in the table."""
    by_year = dict(zip(values["year"].astype(int), values["value"].astype(float)))
    missing = [y for y in (from_year, to_year) if y not in by_year]
    if missing:
        raise KitError(f"No verified value for {', '.join(map(str, missing))}; years with data: {sorted(by_year)}.")
    if by_year[from_year] == 0:
        raise KitError(f"The value for {from_year} is 0; growth from zero is not defined.")
    return by_year[to_year] / by_year[from_year] - 1


def comparable_years(values: pd.DataFrame) -> list[int]:
    """Years whose value covers a whole year (reported or planned), the only ones fit to compare."""
    return sorted(int(y) for y in values.loc[values["basis"].isin(WHOLE_YEAR), "year"])


def per_capita(amount: float, population: int) -> float:
    """Amount per inhabitant."""
    if population <= 0:
        raise KitError("Population must be a positive number.")
    return amount / population


def yambol_equivalent(amount: float, population: int, yambol: int = YAMBOL_POPULATION) -> float:
    """What the same amount per inhabitant would come to for the Yambol region (a thought experiment)."""
    return per_capita(amount, population) * yambol


def _value_bg(measure: str, value: float) -> str:
    return number_bg(value) if measure == "grants_count" else money_bg(value)


def _signed_percent(share: float) -> str:
    text = percent_bg(abs(share))
    return ("+" if share > 0 else "\u2212" if share < 0 else "") + text


def summary_bg(fund: str, measure: str) -> str:
    """One Bulgarian sentence on the chosen measure: growth if two whole years are verified, otherwise why not."""
    values = series(fund, measure)
    name = FUNDS[fund]["name_bg"]
    label = MEASURES_IN_TEXT[measure]
    years = comparable_years(values)
    if len(years) >= 2:
        first, last = years[0], years[-1]
        by_year = dict(zip(values["year"].astype(int), values["value"].astype(float)))
        plan = " (по план)" if values.loc[values["year"] == last, "basis"].iloc[0] == "plan" else ""
        return (
            f"{name}: {label} се променя от {_value_bg(measure, by_year[first])} през {first} г. "
            f"на {_value_bg(measure, by_year[last])} през {last} г.{plan}, "
            f"т.е. с {_signed_percent(growth(values, first, last))}. "
            f"Проверените стойности са {len(values)}; годините между тях не са известни."
        )
    return (
        f"{name}: за показателя „{MEASURES[measure]}“ има {len(values)} проверени стойности, "
        f"но {'само една от тях обхваща' if len(years) == 1 else 'нито една не обхваща'} цяла година, "
        "затова не изчисляваме ръст — "
        "показваме ги като отделни точки."
    )


def _comparison_html(fund: str, measure: str, values: pd.DataFrame) -> str:
    latest = values.iloc[-1]
    info = FUNDS[fund]
    amount = float(latest["value"])
    equivalent = yambol_equivalent(amount, info["population"])
    if measure == "grants_count":
        per = per_capita(amount, info["population"]) * 100_000
        body = (
            f"{number_bg(amount)} подкрепи ({latest['period_bg']}) за {number_bg(info['population'])} жители "
            f"({info['population_source_bg']}) са {number_bg(per, 1)} подкрепи на 100 000 жители. "
            f"Същият дял за област Ямбол ({number_bg(YAMBOL_POPULATION)} жители, преброяване 2021 г., Дарик Ямбол, 2022) "
            f"би бил около {number_bg(equivalent)} подкрепи."
        )
    else:
        body = (
            f"{money_bg(amount)} ({latest['period_bg']}) за {number_bg(info['population'])} жители "
            f"({info['population_source_bg']}) са {money_bg(per_capita(amount, info['population']), decimals=2)} на жител. "
            f"Същата сума на жител за област Ямбол ({number_bg(YAMBOL_POPULATION)} жители, преброяване 2021 г., Дарик Ямбол, 2022) "
            f"би била около {money_bg(round(equivalent, -2))} годишно."
        )
    return (
        "<aside class='civickit-thought-experiment' aria-label='Мисловен експеримент' "
        "style='border:2px dashed #6d4c41;padding:.6em;margin-top:.8em;background:#fffdf7'>"
        "<p><strong>Мисловен експеримент, не реален бюджет:</strong> какво би означавала същата сума "
        "на жител за област Ямбол?</p>"
        f"<p>{html.escape(body)}</p>"
        "<p>Изчислението ползва населението от преброяванията през 2021 г. за всички години и не отчита "
        "разликите в цените и доходите между държавите.</p></aside>"
    )


def result_html(fund: str, measure: str) -> str:
    """The chosen measure as a table with a bar per verified value, a sentence and the Yambol comparison."""
    values = series(fund, measure)
    if values.empty:
        return f"<p role='status'>Няма проверени стойности за „{html.escape(MEASURES[measure])}“.</p>"
    top = max(float(values["value"].max()), 1.0)
    rows = []
    for row in values.itertuples(index=False):
        width = 100 * float(row.value) / top
        colour = "#1b5e9a" if row.basis in WHOLE_YEAR else "#8d6e63"
        rows.append((
            html.escape(row.period_bg),
            f"<div style='background:{colour};width:{width:.0f}%;height:.9em;min-width:2px' aria-hidden='true'></div>"
            f"{_value_bg(measure, float(row.value))}",
            html.escape(BASIS_BG[row.basis]),
            f"{html.escape(row.original_bg)}; {html.escape(row.scope_bg)}",
        ))
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary_bg(fund, measure))}</p>"
        + stack_table(f"{FUNDS[fund]['name_bg']}: {MEASURES[measure]}, само проверени стойности",
                      ("Година", "Стойност", "Обхват", "Какво пише в източника"), rows, "civickit-history")
        + "<p>Сините ленти обхващат цяла година; кафявите — една покана или няколко години общо, "
        "затова не се сравняват направо с останалите.</p>"
        f"{_comparison_html(fund, measure, values)}"
    )


@app_view
def fund_history_app(fund: str):
    """A dropdown for the measure and, beneath it, the table, the sentence and the Yambol thought experiment."""
    options = [(MEASURES[m], m) for m in measures_for(fund)]
    return dropdown_app(options, options[0][1], "Показател", "28em", lambda chosen: result_html(fund, chosen))
