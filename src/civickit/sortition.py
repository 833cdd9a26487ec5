"""Drawing a citizens' assembly by lot (sortition) from a population table, and checking how it compares.

Used by the Gdańsk and Ostbelgien case studies (practices/) and reusable for a municipality's own
assembly. The population is a table of counts: one row per stratum (e.g. municipality x gender x
age group) with a `population` column, like the kit's `yambol_population_synthetic`.

The draw works the way the Gdańsk panels and the Ostbelgien citizens' dialogue describe it:
1. quotas: the seats are shared among the strata in proportion to their population, with
   largest-remainder (Hamilton) rounding so that they add up to the assembly size exactly;
2. lottery: inside each stratum the members are drawn at random; the seed makes the draw
   repeatable, so anyone can check it by running it again.
Leaving out criteria (e.g. stratifying by municipality only, or not at all) makes the draw a plain
lottery inside the larger groups; `composition` then shows how far the assembly drifts.
"""

from __future__ import annotations

import bisect
import html
import itertools
import random

import pandas as pd

from .first_frame import app_view
from .formatting import number_bg, percent_bg
from .live_app import live_result
from .stack_table import scroll_region

STRATA = ("municipality", "gender", "age_group")
LABELS_BG = {"municipality": "Община", "gender": "Пол", "age_group": "Възраст"}
CHILDREN = "0–17"

# The stratification choices of the Ostbelgien app: label -> criteria.
CRITERIA_BG = {
    "община, пол и възраст": ("municipality", "gender", "age_group"),
    "община и пол": ("municipality", "gender"),
    "само община": ("municipality",),
    "без квоти (обикновен жребий)": (),
}


def adults(population: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of people who may be drawn (18 and over: the age group 0–17 is left out)."""
    return population[population["age_group"] != CHILDREN].reset_index(drop=True)


def largest_remainder(counts: list[int] | pd.Series, seats: int) -> list[int]:
    """Seats proportional to counts, adding up to `seats`: whole parts first, then the largest remainders.

    Ties in the remainder go to the larger group, then to the earlier row, so the result never depends on chance.
    """
    counts = [int(c) for c in counts]
    total = sum(counts)
    if seats < 0:
        raise ValueError("The number of seats cannot be negative.")
    if total == 0:
        if seats:
            raise ValueError("There is nobody to draw from.")
        return [0] * len(counts)
    exact = [seats * c / total for c in counts]
    whole = [int(x) for x in exact]
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - whole[i]), -counts[i], i))
    for i in order[: seats - sum(whole)]:
        whole[i] += 1
    return whole


def quotas(population: pd.DataFrame, seats: int, by: tuple[str, ...] = STRATA) -> pd.DataFrame:
    """Seats per stratum (each combination of the `by` columns): population, share, exact quota and seats.

    The seats are shared level by level, in the order of `by`: first among the municipalities, then
    inside each municipality between the genders, then inside each of those among the age groups,
    each time by largest remainder. So every municipality gets exactly its rounded share, which one
    rounding over all the small cells at once would not guarantee.
    """
    if not by:
        table = pd.DataFrame({"population": [int(population["population"].sum())]})
    else:
        table = population.groupby(list(by), sort=False, as_index=False)["population"].sum()
    table["population"] = table["population"].astype(int)
    table["share"] = table["population"] / table["population"].sum()
    table["exact"] = table["share"] * seats
    table["seats"] = _nested(table, list(by), seats)
    return table


def _nested(table: pd.DataFrame, by: list[str], seats: int) -> list[int]:
    """Largest remainder applied down the levels of `by`; returns the seats of each row of `table`."""
    if len(by) <= 1:
        return largest_remainder(table["population"], seats)
    level = table.groupby(by[0], sort=False)["population"].sum()
    result = pd.Series(0, index=table.index)
    for (name, _), share in zip(level.items(), largest_remainder(level, seats)):
        part = table[table[by[0]] == name]
        result[part.index] = _nested(part, by[1:], share)
    return [int(v) for v in result]


def _groups(cells: pd.DataFrame, by: tuple[str, ...]) -> list[pd.DataFrame]:
    """The cells of each stratum, in the order `quotas` lists the strata."""
    return [cells] if not by else [group for _, group in cells.groupby(list(by), sort=False)]


def _pick(rng: random.Random, cells: pd.DataFrame, k: int) -> list[int]:
    """k distinct people from the cells (drawn as person numbers 0..N-1), returned as the row of each one's cell."""
    counts = [int(c) for c in cells["population"]]
    bounds = list(itertools.accumulate(counts))
    people = rng.sample(range(bounds[-1] if bounds else 0), k)
    return [int(cells.index[bisect.bisect_right(bounds, p)]) for p in sorted(people)]


def _draw_rows(rng: random.Random, groups: list[pd.DataFrame], seats: list[int]) -> list[int]:
    rows = []
    for group, quota in zip(groups, seats):
        rows += _pick(rng, group, int(quota))
    return rows


def draw(population: pd.DataFrame, seats: int, by: tuple[str, ...] = STRATA, seed: int = 2016) -> pd.DataFrame:
    """The assembly: one row per member with the member's strata, drawn by lot within the quotas of `by`.

    The same population, size, criteria and seed always give the same members.
    """
    if seats > int(population["population"].sum()):
        raise ValueError("The assembly cannot have more members than there are people.")
    cells = population.reset_index(drop=True)
    rows = _draw_rows(random.Random(seed), _groups(cells, by), quotas(cells, seats, by)["seats"].tolist())
    members = cells.loc[rows, [c for c in cells.columns if c != "population"]].reset_index(drop=True)
    members.insert(0, "member", range(1, len(members) + 1))
    return members


def composition(members: pd.DataFrame, population: pd.DataFrame, column: str) -> pd.DataFrame:
    """For one criterion: each group's share of the population and of the assembly, and the gap in points."""
    people = population.groupby(column, sort=False)["population"].sum().astype(int)
    seats = members[column].value_counts().reindex(people.index, fill_value=0).astype(int)
    table = pd.DataFrame({"group": people.index, "population": people.to_numpy(), "seats": seats.to_numpy()})
    table["population_share"] = table["population"] / table["population"].sum()
    table["assembly_share"] = table["seats"] / max(int(table["seats"].sum()), 1)
    table["gap_points"] = 100 * (table["assembly_share"] - table["population_share"])
    return table


def largest_gap(members: pd.DataFrame, population: pd.DataFrame, columns: tuple[str, ...] = STRATA) -> float:
    """The largest difference, in percentage points, between a group's share in the assembly and in the population."""
    return max(float(composition(members, population, c)["gap_points"].abs().max()) for c in columns)


def average_largest_gap(population: pd.DataFrame, seats: int, by: tuple[str, ...], draws: int = 200,
                        seed: int = 1) -> float:
    """The largest gap averaged over many repeated draws (seeds seed, seed+1, ...): how well a method holds up.

    Gives the same numbers as calling draw() and largest_gap() for each seed, only faster.
    """
    cells = population.reset_index(drop=True)
    groups, plan = _groups(cells, by), quotas(cells, seats, by)["seats"].tolist()
    criteria = []
    for column in STRATA:
        codes, names = pd.factorize(cells[column], sort=False)
        people = cells.groupby(codes)["population"].sum()
        criteria.append((codes, (people / people.sum()).tolist()))
    total = 0.0
    for i in range(draws):
        rows = _draw_rows(random.Random(seed + i), groups, plan)
        worst = 0.0
        for codes, shares in criteria:
            counts = [0] * len(shares)
            for r in rows:
                counts[codes[r]] += 1
            worst = max(worst, max(abs(100 * (c / max(len(rows), 1) - s)) for c, s in zip(counts, shares)))
        total += worst
    return total / draws


# ---------------------------------------------------------------------------------------------
# HTML and widgets
# ---------------------------------------------------------------------------------------------

def _points(value: float) -> str:
    sign = "+" if value > 0.05 else ("−" if value < -0.05 else "")
    return f"{sign}{number_bg(abs(value), 1)} пп"


def composition_html(members: pd.DataFrame, population: pd.DataFrame, columns: tuple[str, ...] = STRATA) -> str:
    """One table: for every group of every criterion, population share, seats and assembly share."""
    rows = []
    for column in columns:
        table = composition(members, population, column)
        for i, row in enumerate(table.itertuples(index=False)):
            head = (f"<th scope='rowgroup' rowspan='{len(table)}'>{LABELS_BG.get(column, column)}</th>" if i == 0 else "")
            rows.append(
                f"<tr>{head}<th scope='row'>{html.escape(str(row.group))}</th>"
                f"<td>{number_bg(row.population)}</td><td>{percent_bg(row.population_share, 1)}</td>"
                f"<td>{number_bg(row.seats)}</td><td>{percent_bg(row.assembly_share, 1)}</td>"
                f"<td>{_points(row.gap_points)}</td></tr>"
            )
    return scroll_region("Таблица: съставът на събранието и населението (превърта се настрани)", (
        "<table class='civickit-composition'><caption>Съставът на изтегленото събрание и населението</caption>"
        "<thead><tr><th scope='col'>Признак</th><th scope='col'>Група</th><th scope='col'>Жители</th>"
        "<th scope='col'>Дял от жителите</th><th scope='col'>Места</th><th scope='col'>Дял от събранието</th>"
        "<th scope='col'>Разлика</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    ))


def seats_html(plan: pd.DataFrame) -> str:
    """The quotas as a grid: a row per municipality, a column per age group and gender."""
    grid = plan.pivot_table(index="municipality", columns=["age_group", "gender"], values="seats",
                            aggfunc="sum", sort=False)
    head_ages = "".join(f"<th scope='colgroup' colspan='{len(grid[a].columns)}'>{html.escape(a)}</th>"
                        for a in grid.columns.get_level_values(0).unique())
    head_genders = "".join(f"<th scope='col'>{html.escape(g)}</th>" for _, g in grid.columns)
    body = "".join(
        f"<tr><th scope='row'>{html.escape(m)}</th>"
        + "".join(f"<td>{number_bg(v)}</td>" for v in grid.loc[m])
        + f"<td><strong>{number_bg(grid.loc[m].sum())}</strong></td></tr>"
        for m in grid.index
    )
    return scroll_region("Таблица: места по община, възраст и пол (превърта се настрани)", (
        "<table class='civickit-seats'><caption>Места по община, възраст и пол (квоти)</caption>"
        f"<thead><tr><td rowspan='2'></td>{head_ages}<th scope='col' rowspan='2'>Общо</th></tr>"
        f"<tr>{head_genders}</tr></thead><tbody>{body}</tbody></table>"
    ))


def assembly_html(population: pd.DataFrame, seats: int, seed: int = 2016) -> str:
    """The Gdańsk-style assembly: summary, seats per stratum and composition against the population."""
    eligible = adults(population)
    plan = quotas(eligible, seats, STRATA)
    members = draw(eligible, seats, STRATA, seed)
    empty = plan.groupby("municipality", sort=False)["seats"].sum()
    no_seat = [m for m, s in empty.items() if s == 0]
    summary = (
        f"Събрание от {number_bg(seats)} души, изтеглени от {number_bg(int(eligible['population'].sum()))} "
        "пълнолетни жители. "
        f"Най-голямата разлика между събранието и населението е {number_bg(largest_gap(members, eligible), 1)} "
        "процентни пункта. "
        + (f"Без място остават: {', '.join(no_seat)}." if no_seat else "Всяка община има поне едно място.")
    )
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary)}</p>"
        + seats_html(plan) + composition_html(members, eligible)
    )


def council_html(population: pd.DataFrame, criteria: str, seats: int = 24, seed: int = 2019,
                 draws: int = 100) -> str:
    """The Ostbelgien-style council: one draw with the chosen criteria, and how the method does over many draws."""
    eligible = adults(population)
    by = CRITERIA_BG[criteria]
    members = draw(eligible, seats, by, seed)
    gap = largest_gap(members, eligible)
    typical = average_largest_gap(eligible, seats, by, draws=draws, seed=1)
    summary = (
        f"Съвет от {number_bg(seats)} души, жребий № {seed}, квоти по: {criteria}. "
        f"Най-голямата разлика от населението в този жребий: {number_bg(gap, 1)} процентни пункта; "
        f"средно при {number_bg(draws)} повторения на същия начин: {number_bg(typical, 1)} пункта."
    )
    return f"<p class='civickit-summary' role='status'>{html.escape(summary)}</p>" + composition_html(members, eligible)


def _population(population: pd.DataFrame | None) -> pd.DataFrame:
    if population is not None:
        return population
    from .datasets import load_table

    return load_table("yambol_population_synthetic")


@app_view
def assembly_app(population: pd.DataFrame | None = None, seats: int = 56, seed: int = 2016):
    """A number field for the assembly size and the drawn assembly beneath it (Gdańsk case study).

    No field for the lot number here: with quotas on all three criteria the composition is fixed
    by the quotas, and luck only decides which people fill them (see council_app for the lot).
    """
    import ipywidgets as widgets

    table = _population(population)
    size = widgets.BoundedIntText(value=seats, min=5, max=150, step=1, description="Брой членове",
                                  style={"description_width": "initial"}, layout=widgets.Layout(width="14em"))
    out = live_result([size], lambda: assembly_html(table, size.value, seed))
    return widgets.VBox([widgets.HBox([size]), out])  # shown as the cell's last expression


@app_view
def council_app(population: pd.DataFrame | None = None, seats: int = 24, seed: int = 2019):
    """A dropdown of quota criteria, a lot number and the drawn council beneath (Ostbelgien case study)."""
    import ipywidgets as widgets

    table = _population(population)
    criteria = widgets.Dropdown(options=list(CRITERIA_BG), value="община, пол и възраст",
                                description="Квоти по", style={"description_width": "initial"},
                                layout=widgets.Layout(width="24em"))
    lot = widgets.BoundedIntText(value=seed, min=1, max=99_999, step=1, description="Жребий №",
                                 style={"description_width": "initial"}, layout=widgets.Layout(width="14em"))
    out = live_result([criteria, lot], lambda: council_html(table, criteria.value, seats, lot.value))
    return widgets.VBox([widgets.HBox([criteria, lot]), out])  # shown as the cell's last expression
