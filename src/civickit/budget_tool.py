"""The budget calculator (practices/tools/budget-calculator.ipynb): flat-rate indirect costs and co-financing.

The learner sets two numbers: the flat rate of indirect costs (0-7 % of the eligible direct
costs, the rate Regulation (EU) 2021/1060, Art. 54(a), allows without a calculation) and the
grant rate. The calculator shows the totals, the grant and the organisation's own contribution,
the costs per category, and offers the budget as an XLSX file. The sums are civickit.budget's.
"""

from __future__ import annotations

import html

import pandas as pd

from .budget import INDIRECT_FLAT_RATE_MAX, by_category
from .budget_export import XLSX_MIME, budget_xlsx, totals
from .download_link import download_link_html
from .first_frame import app_view
from .formatting import money_bg, percent_bg

XLSX_NAME = "budjet-na-proekta.xlsx"
XLSX_LABEL = "Изтеглете бюджета (XLSX)"


def eur(amount: float) -> str:
    return money_bg(amount, decimals=2)


def summary_bg(sums: dict[str, float], indirect_rate: float, grant_rate: float) -> str:
    """One sentence with the figures the learner changes the rates for."""
    return (
        f"Общо допустими разходи: {eur(sums['total'])} "
        f"(преки {eur(sums['direct_eligible'])} + непреки {eur(sums['indirect'])} при {percent_bg(indirect_rate)}). "
        f"Безвъзмездна помощ ({percent_bg(grant_rate)}): {eur(sums['grant'])}; "
        f"собствен принос: {eur(sums['own_contribution'])}."
    )


def totals_table_html(sums: dict[str, float], indirect_rate: float, grant_rate: float) -> str:
    rows = [
        ("Преки допустими разходи", sums["direct_eligible"]),
        (f"Непреки разходи ({percent_bg(indirect_rate)} от преките допустими)", sums["indirect"]),
        ("Общо допустими разходи", sums["total"]),
        (f"Безвъзмездна помощ ({percent_bg(grant_rate)} от общо допустимите)", sums["grant"]),
        (f"Собствен принос ({percent_bg(1 - grant_rate)} от общо допустимите)", sums["own_contribution"]),
        ("Недопустими разходи (плащат се изцяло от организацията)", sums["ineligible"]),
    ]
    body = "".join(f"<tr><th scope='row' style='text-align:left'>{html.escape(label)}</th><td>{eur(amount)}</td></tr>" for label, amount in rows)
    return ("<table class='civickit-budget-totals'><caption>Обобщение на бюджета (измислен пример)</caption>"
            f"<thead><tr><th scope='col'>Показател</th><th scope='col'>Сума</th></tr></thead><tbody>{body}</tbody></table>")


def categories_table_html(lines: pd.DataFrame) -> str:
    """Costs per category, a bar per category: length = eligible amount against the largest category."""
    table = by_category(lines)
    top = max(float(table["eligible"].max()), 1.0)
    rows = []
    for name, row in table.iterrows():
        width = 100 * float(row["eligible"]) / top
        rows.append(
            f"<tr><th scope='row' style='text-align:left'>{html.escape(str(name))}</th>"
            f"<td><div style='background:#1b5e9a;width:{width:.0f}%;height:.9em' aria-hidden='true'></div>"
            f"{eur(float(row['eligible']))}</td><td>{eur(float(row['ineligible']))}</td></tr>"
        )
    return ("<table class='civickit-budget-categories'><caption>Разходи по категории</caption>"
            "<thead><tr><th scope='col'>Категория</th><th scope='col'>Допустими</th>"
            f"<th scope='col'>Недопустими</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def result_html(lines: pd.DataFrame, indirect_rate: float, grant_rate: float) -> str:
    """Summary (role='status'), totals table and categories table for the given rates (shares)."""
    sums = totals(lines, indirect_rate, grant_rate)
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary_bg(sums, indirect_rate, grant_rate))}</p>"
        + totals_table_html(sums, indirect_rate, grant_rate)
        + categories_table_html(lines)
    )


def download_html(lines: pd.DataFrame, indirect_rate: float, grant_rate: float) -> str:
    return download_link_html(budget_xlsx(lines, indirect_rate, grant_rate), XLSX_NAME, XLSX_MIME, XLSX_LABEL)


@app_view
def budget_app(lines: pd.DataFrame | None = None, indirect_percent: int = 7, grant_percent: int = 80):
    """Two number fields (indirect-cost rate, grant rate, in %), the result and the XLSX link.

    Without `lines` the calculator starts from the kit's invented example budget.
    Number fields, not sliders: ipywidgets' slider handle has no accessible name.
    """
    import ipywidgets as widgets

    if lines is None:
        from .datasets import load_table

        lines = load_table("budget_lines_synthetic")
    style = {"description_width": "initial"}
    indirect = widgets.BoundedIntText(
        value=indirect_percent, min=0, max=round(INDIRECT_FLAT_RATE_MAX * 100), step=1,
        description="Непреки разходи (% от преките допустими, 0–7)", style=style, layout=widgets.Layout(width="36em"),
    )
    indirect.add_class("civickit-control")
    grant = widgets.BoundedIntText(
        value=grant_percent, min=0, max=100, step=1,
        description="Безвъзмездна помощ (% от общо допустимите)", style=style, layout=widgets.Layout(width="36em"),
    )
    out = widgets.HTML()
    out.add_class("civickit-result")
    link = widgets.HTML()
    link.add_class("civickit-download")

    def show(_=None):
        indirect_rate, grant_rate = indirect.value / 100, grant.value / 100
        out.value = result_html(lines, indirect_rate, grant_rate)
        link.value = download_html(lines, indirect_rate, grant_rate)

    indirect.observe(show, names="value")
    grant.observe(show, names="value")
    show()
    return widgets.VBox([indirect, grant, out, link])
