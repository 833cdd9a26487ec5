"""The funding-finder tool: which programme fits an applicant, and what the organisation pays itself.

The filtering and the arithmetic are civickit.funding's (eligible_for, grant_amount,
own_contribution); this module only explains what was left out and draws the table.
"""

from __future__ import annotations

import html

import pandas as pd

from .datasets import load_table
from .first_frame import app_view
from .formatting import money_bg, number_bg
from .funding import ACTIVE, APPLICANT_TYPES, YES, applicant_types, eligible_for, grant_amount, own_contribution
from .live_app import live_result

TABLE = "funding_programmes_2021_2027"
IN_YAMBOL = {"да": True, "не": False}
DEFAULT_BUDGET = 50_000


def _text(value) -> str:
    """A table cell as text; an empty (unverified) cell becomes ""."""
    return "" if value is None or pd.isna(value) else str(value).strip()


def grant_rate(row) -> float | None:
    """The verified grant rate in per cent, or None when the table leaves it empty."""
    value = row["typical_grant_rate_pct"]
    return None if pd.isna(value) else float(value)


def left_out(programmes: pd.DataFrame, applicant_type: str, in_yambol: bool = True) -> list[tuple[str, str]]:
    """Programmes that name the applicant type (or leave applicants unverified) but are not shown, with why.

    Reasons (in Bulgarian): closed programme, unverified cells, not open to the Yambol region.
    """
    wanted = " ".join(applicant_type.split()).casefold()
    shown = set(eligible_for(programmes, applicant_type, in_yambol)["programme_id"])
    out = []
    for _, row in programmes.iterrows():
        if row["programme_id"] in shown:
            continue
        status, applicants, yambol = _text(row["status"]), _text(row["eligible_applicants"]), _text(row["eligible_yambol"])
        if applicants and wanted not in applicant_types(applicants):
            continue  # a verified "not for this applicant": nothing to explain
        if not status or not applicants:
            reason = "данните за кандидатите или статуса не са проверени"
        elif status.casefold() != ACTIVE:
            reason = f"програмата е {status}"
        elif in_yambol and not yambol:
            reason = "не е проверено дали е отворена за област Ямбол"
        elif in_yambol and yambol.casefold() != YES:
            reason = "не е отворена за организации от област Ямбол"
        else:  # pragma: no cover - eligible_for would have kept it
            continue
        out.append((str(row["programme"]), reason))
    return out


def money_cell(row, budget: float) -> str:
    """Grant and own contribution for a verified rate; otherwise where to look for the rate."""
    rate = grant_rate(row)
    if rate is None:
        return "Процентът на помощта не е проверен: вижте условията на конкретната покана."
    return (
        f"Помощ {number_bg(rate)}&nbsp;%: {money_bg(grant_amount(budget, rate))}.<br>"
        f"<strong>Собствен принос: {money_bg(own_contribution(budget, rate))}</strong>"
    )


def summary_bg(found: pd.DataFrame, total: int, applicant_type: str, in_yambol: bool) -> str:
    place = " за организация от област Ямбол" if in_yambol else ""
    if found.empty:
        return f"Няма активна програма за кандидат „{applicant_type}“{place} в таблицата на курса."
    known = int(found["typical_grant_rate_pct"].notna().sum())
    return (
        f"Подходящи програми за кандидат „{applicant_type}“{place}: {len(found)} от {total}. "
        f"Собственият принос е изчислен за {known} от тях (където процентът на помощта е проверен)."
    )


def result_html(programmes: pd.DataFrame, applicant_type: str, in_yambol: bool, budget: float) -> str:
    found = eligible_for(programmes, applicant_type, in_yambol)
    parts = [f"<p role='status' class='civickit-summary'>{html.escape(summary_bg(found, len(programmes), applicant_type, in_yambol))}</p>"]
    if not found.empty:
        rows = []
        for _, row in found.iterrows():
            notes = " ".join(t for t in (_text(row["co_financing_note"]), _text(row["note"])) if t)
            sources = "<br>".join(html.escape(s.strip()) for s in _text(row["source"]).split(" ; ") if s.strip())
            rows.append(
                f"<tr><th scope='row'>{html.escape(_text(row['programme']))} ({html.escape(_text(row['period']))})</th>"
                f"<td>{html.escape(_text(row['management']))}</td>"
                f"<td>{html.escape(_text(row['where_published']) or 'не е проверено')}</td>"
                f"<td>{money_cell(row, budget)}</td>"
                f"<td>{html.escape(notes)}</td>"
                f"<td style='word-break:break-all;font-size:.85em'>{sources}</td></tr>"
            )
        parts.append(
            f"<table class='civickit-funding'><caption>Програми за кандидат „{html.escape(applicant_type)}“ "
            f"при бюджет {money_bg(budget)}</caption><thead><tr>"
            "<th scope='col'>Програма</th><th scope='col'>Управление</th><th scope='col'>Къде излизат поканите</th>"
            "<th scope='col'>Помощ и собствен принос</th><th scope='col'>Бележки</th><th scope='col'>Източник</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )
    skipped = left_out(programmes, applicant_type, in_yambol)
    if skipped:
        items = "".join(f"<li>{html.escape(name)}: {html.escape(reason)}</li>" for name, reason in skipped)
        parts.append(f"<p>Не са показани:</p><ul>{items}</ul>")
    parts.append(
        "<p>Данните са събрани от източниците в последната колона и могат да остареят: преди да кандидатствате, "
        "проверете условията на самата покана.</p>"
    )
    return "".join(parts)


@app_view
def funding_app(programmes: pd.DataFrame | None = None):
    """Applicant type, Yambol or not, a budget; the matching programmes with their sources and own contribution."""
    import ipywidgets as widgets

    table = load_table(TABLE) if programmes is None else programmes
    style = {"description_width": "initial"}
    applicant = widgets.Dropdown(options=list(APPLICANT_TYPES), value=APPLICANT_TYPES[0], description="Кандидат", style=style)
    yambol = widgets.Dropdown(options=list(IN_YAMBOL), value="да", description="В област Ямбол?", style=style)
    budget = widgets.BoundedIntText(
        value=DEFAULT_BUDGET, min=0, max=10_000_000, step=1000, description="Бюджет на проекта (€)",
        style=style, layout=widgets.Layout(width="18em"),
    )
    out = live_result(
        [applicant, yambol, budget],
        lambda: result_html(table, applicant.value, IN_YAMBOL[yambol.value], budget.value),
    )
    return widgets.VBox([widgets.HBox([applicant, yambol, budget]), out])
