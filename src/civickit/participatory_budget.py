"""A participatory-budget ballot: projects ranked by votes, funded while the envelope lasts.

Used by the Paris case study (practices/) and reusable for a municipality's own ballot.
"""

from __future__ import annotations

import html

import pandas as pd

from . import svg_charts
from .first_frame import app_view
from .formatting import money_bg, number_bg, percent_bg
from .live_app import live_result
from .stack_table import stack_table


def allocate(projects: pd.DataFrame, envelope: float) -> pd.DataFrame:
    """Rank by votes (ties: cheaper first); fund each project that still fits in what is left."""
    ranked = projects.sort_values(["votes", "cost_eur"], ascending=[False, True]).reset_index(drop=True)
    left = float(envelope)
    funded = []
    for cost in ranked["cost_eur"]:
        fits = cost <= left
        funded.append(fits)
        if fits:
            left -= cost
    ranked["funded"] = funded
    return ranked


def summary_bg(result: pd.DataFrame, envelope: float) -> str:
    won = result[result["funded"]]
    spent = float(won["cost_eur"].sum())
    return (
        f"Финансирани проекти: {len(won)} от {len(result)}. "
        f"Използвани: {money_bg(spent)} от {money_bg(envelope)} ({percent_bg(spent / envelope if envelope else 0)}); "
        f"остават {money_bg(envelope - spent)}."
    )


FUNDED, NOT_FUNDED = "#1b5e9a", "#8a8a8a"
COLUMNS = ("Място", "Проект", "Цена", "Гласове", "Резултат")


def votes_chart(result: pd.DataFrame) -> str:
    """Votes per project as bars, coloured funded / not funded (with a legend and a mark, not colour alone)."""
    rows = [(row.title_bg, float(row.votes), f"{number_bg(row.votes)} {'✔' if row.funded else '✘'}",
             FUNDED if row.funded else NOT_FUNDED) for row in result.itertuples(index=False)]
    words = "; ".join(f"{row.title_bg}: {number_bg(row.votes)} гласа, {'финансиран' if row.funded else 'не е финансиран'}"
                      for row in result.itertuples(index=False))
    return svg_charts.labelled_bars(
        rows, float(result["votes"].max()) or 1.0, "Гласове по проекти (измислен пример)",
        legend=[(FUNDED, "✔ финансиран"), (NOT_FUNDED, "✘ не е финансиран")], description=words,
    )


def result_html(result: pd.DataFrame, envelope: float) -> str:
    """The summary, a chart of votes per project and the ballot as a table (one card per project on a phone)."""
    rows = [
        (str(rank), html.escape(row.title_bg), money_bg(row.cost_eur), number_bg(row.votes),
         f"<strong>{'✔ финансиран' if row.funded else '✘ не е финансиран'}</strong>")
        for rank, row in enumerate(result.itertuples(index=False), start=1)
    ]
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary_bg(result, envelope))}</p>"
        f"<figure class='civickit-chart'>{votes_chart(result)}</figure>"
        + stack_table("Бюлетина (измислен пример), подредена по гласове", COLUMNS, rows, "civickit-ballot")
    )


@app_view
def simulator(projects: pd.DataFrame, start_millions: int = 20):
    """A number field for the envelope (in million euro) and the ballot result beneath it.

    A number field, not a slider: ipywidgets' slider handle has no accessible name.
    """
    import ipywidgets as widgets

    total = float(projects["cost_eur"].sum())
    envelope_field = widgets.BoundedIntText(
        value=start_millions,
        min=1,
        max=max(int(total // 1_000_000) + 1, start_millions),
        step=1,
        description="Бюджет (млн €)",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="16em"),
    )

    def render():
        envelope = envelope_field.value * 1_000_000
        return result_html(allocate(projects, envelope), envelope)

    out = live_result([envelope_field], render)
    return widgets.VBox([envelope_field, out])  # shown as the cell's last expression
