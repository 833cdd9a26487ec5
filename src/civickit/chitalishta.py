"""Verified figures on народни читалища in Yambol district and Bulgaria, and a small explorer app.

Reads the package table `chitalishta_figures` (every row with its source). Ratios per inhabitants
are computed here from the 2021 census, not copied from anywhere: the table holds only counts.
Used by the chitalishte case study (practices/chitalishte-unesco.ipynb).
"""

from __future__ import annotations

import html
from functools import cache

import pandas as pd

from . import svg_charts
from .first_frame import app_view
from .formatting import number_bg, percent_bg
from .live_app import dropdown_app
from .stack_table import stack_table

CENSUS_YEAR = 2021
MUNICIPALITIES = ("tundzha", "straldzha", "elhovo", "yambol_bolyarovo")
SE_DISTRICTS = ("burgas_district", "sliven_district", "stara_zagora_district", "yambol_district")


@cache
def figures() -> pd.DataFrame:
    from .datasets import load_table

    return load_table("chitalishta_figures")


def value(table: pd.DataFrame, area_id: str, indicator: str, year: int) -> int:
    """One verified count; KeyError naming what is missing if the table does not have it."""
    hit = table[(table["area_id"] == area_id) & (table["indicator"] == indicator) & (table["year"] == year)]
    if hit.empty:
        raise KeyError(f"No {indicator} for {area_id} in {year} in chitalishta_figures.")
    return int(hit["value"].iloc[0])


def label(table: pd.DataFrame, area_id: str) -> str:
    return str(table.loc[table["area_id"] == area_id, "area_bg"].iloc[0])


def per_inhabitants(count: float, population: float, per: int = 1000) -> float:
    """`count` per `per` inhabitants (e.g. members per 1000 people); 0 for an empty population."""
    return count * per / population if population else 0.0


def change(before: float, after: float) -> float:
    """Relative change from `before` to `after` (−0.05 is a fall of 5 %)."""
    return (after - before) / before if before else 0.0


def municipal_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Chitalishta per municipality in 2022 and per 10 000 inhabitants (census 2021)."""
    rows = []
    for area in MUNICIPALITIES:
        count = value(table, area, "chitalishta", 2022)
        people = value(table, area, "population", CENSUS_YEAR)
        rows.append((label(table, area), count, people, per_inhabitants(count, people, 10_000)))
    return pd.DataFrame(rows, columns=["area", "chitalishta", "population", "per_10000"])


def members_per_1000(table: pd.DataFrame) -> pd.DataFrame:
    """Members of chitalishta in 2022 per 1000 inhabitants (census 2021): Yambol district and Bulgaria."""
    rows = []
    for area in ("yambol_district", "bulgaria"):
        members = value(table, area, "members", 2022)
        people = value(table, area, "population", CENSUS_YEAR)
        rows.append((label(table, area), members, people, per_inhabitants(members, people)))
    return pd.DataFrame(rows, columns=["area", "members", "population", "per_1000"])


def members_change(table: pd.DataFrame) -> pd.DataFrame:
    """Members in 2017 and 2022 in the four districts of the South-East region, with the change."""
    rows = []
    for area in SE_DISTRICTS:
        before, after = value(table, area, "members", 2017), value(table, area, "members", 2022)
        rows.append((label(table, area), before, after, change(before, after)))
    return pd.DataFrame(rows, columns=["area", "members_2017", "members_2022", "change"])


def _bar(share: float, colour: str = "#1b5e9a") -> str:
    width = max(0.0, min(1.0, share)) * 100
    return (f"<div style='width:12em' aria-hidden='true'>"
            f"<div style='background:{colour};width:{width:.0f}%;height:.9em'></div></div>")


def _table(caption: str, headers: list[str], rows: list[list[str]],
           bars: list[tuple[str, float, str]] | None = None) -> str:
    """The view's table; with bars (label, value, value as text), a chart of them above it, named by the caption."""
    chart = ""
    if bars:
        chart = "<figure class='civickit-chart'>" + svg_charts.labelled_bars(
            [(label, v, text, "#1b5e9a") for label, v, text in bars], max(v for _, v, _ in bars) or 1.0, caption,
            description="; ".join(f"{label}: {text}" for label, _, text in bars)) + "</figure>"
    return chart + stack_table(caption, headers, rows, "civickit-figures")


def view_municipal_counts(table: pd.DataFrame) -> tuple[str, str]:
    data = municipal_counts(table)
    rows = [[html.escape(r.area), number_bg(r.chitalishta), number_bg(r.population)] for r in data.itertuples(index=False)]
    bars = [(r.area, float(r.chitalishta), number_bg(r.chitalishta)) for r in data.itertuples(index=False)]
    total = value(table, "yambol_district", "chitalishta", 2022)
    first = data.loc[data["chitalishta"].idxmax()]
    sentence = (
        f"Към края на 2022 г. в област Ямбол действат {number_bg(total)} читалища; "
        f"{percent_bg(first['chitalishta'] / total)} от тях са в община {first['area']} (НСИ чрез Ямбол прес). "
        "За Ямбол и Болярово източникът не дава отделни числа, затова ги показваме заедно."
    )
    return sentence, _table("Читалища по общини, 2022 г.", ["Община", "Читалища", "Жители (2021)"], rows, bars)


def view_municipal_density(table: pd.DataFrame) -> tuple[str, str]:
    data = municipal_counts(table)
    rows = [[html.escape(r.area), number_bg(r.per_10000, 1), number_bg(r.chitalishta)] for r in data.itertuples(index=False)]
    bars = [(r.area, float(r.per_10000), number_bg(r.per_10000, 1)) for r in data.itertuples(index=False)]
    best = data.loc[data["per_10000"].idxmax()]
    least = data.loc[data["per_10000"].idxmin()]
    sentence = (
        f"На 10 000 жители най-много читалища има {best['area']} — {number_bg(best['per_10000'], 1)}, "
        f"а най-малко {least['area']} — {number_bg(least['per_10000'], 1)}; в областния град едно читалище "
        "се пада на много повече хора, отколкото в селата "
        "(изчислено от данните на НСИ за 2022 г. и преброяването през 2021 г.)."
    )
    return sentence, _table("Читалища на 10 000 жители, 2022 г.", ["Община", "На 10 000 жители", "Читалища"], rows, bars)


def view_members_per_1000(table: pd.DataFrame) -> tuple[str, str]:
    data = members_per_1000(table)
    rows = [[html.escape(r.area), number_bg(r.per_1000, 1), number_bg(r.members), number_bg(r.population)]
            for r in data.itertuples(index=False)]
    bars = [(r.area, float(r.per_1000), number_bg(r.per_1000, 1)) for r in data.itertuples(index=False)]
    yambol, country = data.iloc[0], data.iloc[1]
    sentence = (
        f"В област Ямбол на 1000 жители се падат {number_bg(yambol['per_1000'], 1)} членове на читалища, "
        f"а средно за страната — {number_bg(country['per_1000'], 1)} "
        "(изчислено от данните на НСИ за членовете през 2022 г. и преброяването през 2021 г.)."
    )
    return sentence, _table("Членове на читалищата на 1000 жители, 2022 г.",
                            ["Територия", "На 1000 жители", "Членове", "Жители (2021)"], rows, bars)


def view_members_change(table: pd.DataFrame) -> tuple[str, str]:
    data = members_change(table)
    top = max(data["members_2022"])
    rows = []
    for r in data.itertuples(index=False):
        colour = "#b3261e" if r.change < 0 else "#2e7d32"
        rows.append([html.escape(r.area), number_bg(r.members_2017), _bar(r.members_2022 / top) + number_bg(r.members_2022),
                     f"<span style='color:{colour}'>{'+' if r.change > 0 else ''}{percent_bg(r.change, 1)}</span>"])
    yambol = data[data["area"] == label(table, "yambol_district")].iloc[0]
    growing = [str(a) for a, c in zip(data["area"], data["change"]) if c > 0]
    trend = "намаляват" if yambol["change"] < 0 else "се увеличават"
    others = (f"от четирите области на Югоизточния район растат само в: {', '.join(growing)} (НСИ)." if growing
              else "намаляват и в останалите области на Югоизточния район (НСИ).")
    sentence = (
        f"Между 2017 и 2022 г. членовете на читалищата в област Ямбол {trend} от {number_bg(yambol['members_2017'])} "
        f"на {number_bg(yambol['members_2022'])} ({percent_bg(yambol['change'], 1)}); {others}"
    )
    return sentence, _table("Членове на читалищата в Югоизточния район, 2017 и 2022 г.",
                            ["Област", "2017", "2022", "Промяна"], rows)


VIEWS = {
    "Читалища по общини (2022 г.)": view_municipal_counts,
    "Читалища на 10 000 жители по общини": view_municipal_density,
    "Членове на 1000 жители: област Ямбол и България": view_members_per_1000,
    "Членове 2017 и 2022: областите от Югоизточния район": view_members_change,
}


def result_html(view: str, table: pd.DataFrame | None = None) -> str:
    """The chosen view: its sentence first (role=status), then the table with bars."""
    sentence, body = VIEWS[view](figures() if table is None else table)
    return f"<p class='civickit-summary' role='status'>{html.escape(sentence)}</p>{body}"


@app_view
def chitalishta_app(start: str | None = None):
    """A dropdown of indicators and the chosen indicator as a sentence and a table with bars."""
    options = list(VIEWS)
    return dropdown_app(options, start if start in options else options[0], "Показател", "36em", result_html)
