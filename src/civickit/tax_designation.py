"""A percentage designation of personal income tax: what could it bring to one organisation?

Used by the Poland case study (practices/poland-civic-initiatives-fund.ipynb). In Poland a taxpayer
may direct a share of the income tax already due to a public-benefit organisation: 1% from 2004,
1.5% from the 2022 tax returns onwards (Supera-Markowska, Kwartalnik Prawa Podatkowego 4/2023).

This is an ILLUSTRATION, not Bulgarian law: Bulgaria has no such mechanism (the countries that
adopted it, per the Bulgarian Center for Not-for-Profit Law, 2014: Hungary, Slovenia, Slovakia,
Lithuania, Poland, Romania). Amounts are in euro (Bulgaria's currency from 1 January 2026) with the
lev equivalent at the fixed rate.
"""

from __future__ import annotations

import html

from .first_frame import app_view
from .formatting import money_bg, number_bg, percent_bg
from .live_app import live_result

BGN_PER_EUR = 1.95583  # fixed conversion rate of the lev to the euro
# The shares a learner can try: Poland before and after the change, and the 2% used elsewhere.
SHARES = {
    "1 % (Полша, 2004–2022)": 0.01,
    "1,5 % (Полша, от 2023 г.)": 0.015,
    "2 % (в някои други страни)": 0.02,
}
DEFAULT_SHARE = 0.015


def designation_eur(supporters: int, average_tax_eur: float, share: float) -> float:
    """Yearly sum (in €) that `supporters` taxpayers would direct to one organisation.

    Each supporter directs `share` of their own yearly income tax; the tax itself does not grow,
    the state passes on part of what it already collects.
    """
    if supporters < 0 or average_tax_eur < 0:
        raise ValueError("supporters and average tax must not be negative")
    if not 0 <= share <= 1:
        raise ValueError("share is a fraction between 0 and 1, e.g. 0.015 for 1,5 %")
    return supporters * average_tax_eur * share


def eur_to_bgn(amount_eur: float) -> float:
    return amount_eur * BGN_PER_EUR


def supporters_needed(target_eur: float, average_tax_eur: float, share: float) -> int:
    """How many supporters it takes to reach `target_eur` a year (rounded up)."""
    per_person = average_tax_eur * share
    if per_person <= 0:
        raise ValueError("average tax and share must be positive to reach a target")
    whole, rest = divmod(target_eur, per_person)
    return int(whole) + (1 if rest > 1e-9 else 0)


def share_label(share: float) -> str:
    decimals = 0 if round(share * 100, 6) == int(round(share * 100, 6)) else 1
    return percent_bg(share, decimals)


def summary_bg(supporters: int, average_tax_eur: float, share: float) -> str:
    total = designation_eur(supporters, average_tax_eur, share)
    return (
        f"Ако {number_bg(supporters)} поддръжници със среден годишен данък {money_bg(average_tax_eur)} "
        f"насочат по {share_label(share)} от данъка си, организацията би получавала около {money_bg(total)} "
        f"({money_bg(eur_to_bgn(total), 'лв.')}) годишно. Това е илюстрация: в България такъв механизъм няма."
    )


def result_html(supporters: int, average_tax_eur: float, share: float) -> str:
    """The summary sentence (role='status', announced on change) and a small table of the sum."""
    per_person = average_tax_eur * share
    total = designation_eur(supporters, average_tax_eur, share)
    rows = [
        ("Поддръжници", number_bg(supporters)),
        ("Среден годишен данък на един поддръжник", money_bg(average_tax_eur)),
        ("Насочен дял", share_label(share)),
        ("Сума от един поддръжник за година", f"{money_bg(per_person, decimals=2)} ({money_bg(eur_to_bgn(per_person), 'лв.', 2)})"),
        ("Сума за организацията за година", f"<strong>{money_bg(total)}</strong> ({money_bg(eur_to_bgn(total), 'лв.')})"),
    ]
    body = "".join(f"<tr><th scope='row'>{html.escape(k)}</th><td>{v}</td></tr>" for k, v in rows)
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary_bg(supporters, average_tax_eur, share))}</p>"
        "<table class='civickit-designation'><caption>Сметка за една организация (илюстрация, не българско право)</caption>"
        f"<tbody>{body}</tbody></table>"
        f"<p>Курс: 1 € = {number_bg(BGN_PER_EUR, 5)} лв.</p>"
    )


@app_view
def designation_app(supporters: int = 200, average_tax_eur: int = 1000, share: float = DEFAULT_SHARE):
    """Number fields for supporters and average tax, a choice of share, and the yearly sum beneath.

    Number fields and a dropdown, not sliders: ipywidgets' slider handle has no accessible name.
    """
    import ipywidgets as widgets

    style = {"description_width": "initial"}
    supporters_field = widgets.BoundedIntText(
        value=supporters, min=0, max=1_000_000, step=10, description="Брой поддръжници",
        style=style, layout=widgets.Layout(width="18em"),
    )
    tax_field = widgets.BoundedIntText(
        value=average_tax_eur, min=0, max=100_000, step=50, description="Среден годишен данък (€)",
        style=style, layout=widgets.Layout(width="20em"),
    )
    share_field = widgets.Dropdown(
        options=list(SHARES.items()), value=share, description="Дял от данъка", style=style,
        layout=widgets.Layout(width="24em"),
    )
    out = live_result(
        [supporters_field, tax_field, share_field],
        lambda: result_html(supporters_field.value, tax_field.value, share_field.value),
    )
    return widgets.VBox([supporters_field, tax_field, share_field, out])  # shown as the cell's last expression
