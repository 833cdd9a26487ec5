"""Seats on council committees shared among the three colleges of a public participation network.

Used by the Ireland case study (practices/ireland-public-participation-networks.ipynb). An Irish
Public Participation Network (PPN) groups its member organisations in three colleges: community and
voluntary, social inclusion, environmental. Here the seats a council offers are shared among the
colleges in proportion to their member groups by the largest-remainder (Hamilton) method, with an
optional guaranteed minimum per college. This is a teaching model: in Ireland the local authority
and the PPN agree the seats for each committee; they are not computed by this formula.
"""

from __future__ import annotations

import html
import math

import pandas as pd

from . import svg_charts
from .first_frame import app_view
from .formatting import number_bg, percent_bg
from .stack_table import stack_table

COLLEGES = ("Общностни и доброволчески", "Социално включване", "Околна среда")
# Member groups of all 31 PPNs in 2022, by college (PPN Annual Report 2022, via dlrppn.ie). They add up to
# 18 031, while the report's headline total is 18 053; the report does not explain the gap of 22.
IRELAND_2022 = {"Общностни и доброволчески": 14_386, "Социално включване": 2_972, "Околна среда": 673}
# A network for the Yambol region that does not exist: invented numbers for the exercise.
YAMBOL_EXAMPLE = {"Общностни и доброволчески": 48, "Социално включване": 17, "Околна среда": 6}
DATASETS = {
    "Ирландия, всички мрежи (2022)": IRELAND_2022,
    "Мрежа в област Ямбол (измислен пример)": YAMBOL_EXAMPLE,
}
RULES = {
    "Само пропорционално": 0,
    "Поне едно място за всяка колегия": 1,
}


def largest_remainder(groups: dict[str, int], seats: int, minimum: int = 0) -> dict[str, int]:
    """Share `seats` in proportion to `groups` (largest remainder); each college with members first gets `minimum`.

    Ties in the remainder go to the college with more groups, then to the one listed first.
    """
    if seats < 0 or minimum < 0:
        raise ValueError("seats and minimum must not be negative")
    if any(n < 0 for n in groups.values()):
        raise ValueError("member groups must not be negative")
    result = {name: 0 for name in groups}
    present = [name for name, n in groups.items() if n > 0]
    if not present or seats == 0:
        return result
    if minimum * len(present) > seats:
        raise ValueError(f"{seats} seats cannot give {minimum} to each of {len(present)} colleges")
    for name in present:
        result[name] = minimum
    left = seats - minimum * len(present)
    total = sum(groups[name] for name in present)
    quotas = {name: left * groups[name] / total for name in present}
    for name in present:
        result[name] += math.floor(quotas[name])
    remaining = left - sum(math.floor(q) for q in quotas.values())
    order = sorted(present, key=lambda n: (-(quotas[n] - math.floor(quotas[n])), -groups[n], present.index(n)))
    for name in order[:remaining]:
        result[name] += 1
    return result


def allocation_table(groups: dict[str, int], seats: int, minimum: int = 0) -> pd.DataFrame:
    """One row per college: member groups, share of members, exact quota, seats won, share of seats."""
    won = largest_remainder(groups, seats, minimum)
    total = sum(groups.values())
    rows = []
    for name, n in groups.items():
        rows.append({
            "college": name,
            "groups": n,
            "share": n / total if total else 0.0,
            "quota": seats * n / total if total else 0.0,
            "seats": won[name],
            "seat_share": won[name] / seats if seats else 0.0,
        })
    return pd.DataFrame(rows)


def summary_bg(table: pd.DataFrame, seats: int) -> str:
    parts = [f"{row.college.lower()} – {number_bg(row.seats)}" for row in table.itertuples(index=False)]
    empty = [row.college.lower() for row in table.itertuples(index=False) if row.seats == 0 and row.groups > 0]
    text = f"{number_bg(seats)} места: " + "; ".join(parts) + "."
    if empty:
        text += " Без място остава: " + ", ".join(empty) + "."
    return text


def _seats_bg(n: int) -> str:
    return f"{number_bg(n)} {'място' if n == 1 else 'места'}"


def result_html(groups: dict[str, int], seats: int, minimum: int = 0) -> str:
    """The summary (role='status') and a table of the colleges with a bar for their seats."""
    try:
        table = allocation_table(groups, seats, minimum)
    except ValueError as err:
        message = f"Не може да се разпредели: {err}." if "cannot give" not in str(err) else (
            f"Местата ({number_bg(seats)}) не стигат, за да получи всяка колегия поне {number_bg(minimum)}."
        )
        return f"<p class='civickit-summary' role='status'>{html.escape(message)}</p>"
    rows = [
        (html.escape(row.college), number_bg(row.groups), percent_bg(row.share, 1), number_bg(row.quota, 2),
         f"<strong>{number_bg(row.seats)}</strong>")
        for row in table.itertuples(index=False)
    ]
    # Members' share and seats' share side by side per college: the gap is what the rounding costs or gives.
    bars = []
    for row in table.itertuples(index=False):
        bars.append((f"{row.college}: дял от членовете", float(row.share), percent_bg(row.share, 1), "#90a4ae"))
        bars.append((f"{row.college}: дял от местата", float(row.seat_share), _seats_bg(row.seats), "#1b5e9a"))
    chart = svg_charts.labelled_bars(
        bars, 1.0, "Дял от членовете и дял от местата по колегии",
        legend=[("#90a4ae", "членове"), ("#1b5e9a", "места")],
        description="; ".join(f"{row.college}: {percent_bg(row.share, 1)} от членовете, {_seats_bg(row.seats)}"
                              for row in table.itertuples(index=False)),
    )
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary_bg(table, seats))}</p>"
        f"<figure class='civickit-chart'>{chart}</figure>"
        + stack_table("Разпределение на местата по колегии (метод на най-големия остатък)",
                      ("Колегия", "Организации членове", "Дял от членовете", "Точна квота", "Места"), rows, "civickit-seats")
    )


@app_view
def ppn_app(seats: int = 10, dataset: str = "Ирландия, всички мрежи (2022)"):
    """Seats first (the main control), then the member groups of each college, a data set and the rule.

    Number fields and dropdowns, not sliders: ipywidgets' slider handle has no accessible name.
    """
    import ipywidgets as widgets

    style = {"description_width": "initial"}
    seats_field = widgets.BoundedIntText(
        value=seats, min=0, max=200, step=1, description="Брой места в комисиите",
        style=style, layout=widgets.Layout(width="20em"),
    )
    seats_field.add_class("civickit-control")
    data_field = widgets.Dropdown(
        options=list(DATASETS), value=dataset, description="Данни", style=style, layout=widgets.Layout(width="28em"),
    )
    group_fields = {
        name: widgets.BoundedIntText(
            value=DATASETS[dataset][name], min=0, max=1_000_000, step=1, description=f"Членове: {name.lower()}",
            style={"description_width": "21em"}, layout=widgets.Layout(width="29em"),
        )
        for name in COLLEGES
    }
    rule_field = widgets.RadioButtons(options=list(RULES.items()), value=0, description="Правило", style=style)
    out = widgets.HTML()
    out.add_class("civickit-result")
    state = {"filling": False}

    def show(_=None):
        if state["filling"]:
            return
        groups = {name: field.value for name, field in group_fields.items()}
        out.value = result_html(groups, seats_field.value, rule_field.value)

    def fill(change):
        state["filling"] = True
        for name, field in group_fields.items():
            field.value = DATASETS[change["new"]][name]
        state["filling"] = False
        show()

    data_field.observe(fill, names="value")
    for field in (seats_field, rule_field, *group_fields.values()):
        field.observe(show, names="value")
    show()
    return widgets.VBox([seats_field, data_field, *group_fields.values(), rule_field, out])
