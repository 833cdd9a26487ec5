"""A participatory-budget ballot: projects ranked by votes, funded while the envelope lasts.

Used by the Paris case study (practices/) and reusable for a municipality's own ballot.
"""

from __future__ import annotations

import html

import pandas as pd

from .first_frame import app_view
from .formatting import money_bg, number_bg, percent_bg
from .live_app import live_result


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


def result_html(result: pd.DataFrame, envelope: float) -> str:
    """The ballot as a table with a bar per project: length = votes, colour = funded or not."""
    top = max(int(result["votes"].max()), 1)
    rows = []
    for rank, row in enumerate(result.itertuples(index=False), start=1):
        status = "✔ финансиран" if row.funded else "✘ не е финансиран"
        colour = "#1b5e9a" if row.funded else "#9e9e9e"
        width = 100 * row.votes / top
        rows.append(
            f"<tr><td>{rank}</td><td>{html.escape(row.title_bg)}</td><td>{money_bg(row.cost_eur)}</td>"
            f"<td><div style='background:{colour};width:{width:.0f}%;height:.9em' aria-hidden='true'></div>"
            f"{number_bg(row.votes)}</td><td><strong>{status}</strong></td></tr>"
        )
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary_bg(result, envelope))}</p>"
        "<table class='civickit-ballot'><caption>Бюлетина (измислен пример), подредена по гласове</caption>"
        "<thead><tr><th scope='col'>Място</th><th scope='col'>Проект</th><th scope='col'>Цена</th>"
        "<th scope='col'>Гласове</th><th scope='col'>Резултат</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
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
