"""The consultation-deadline checker: is a public consultation's period lawful under Art. 26(4) ЗНА?

The counting and the legal minimum are civickit.consultations' (consultation_length,
meets_legal_minimum); this module reads dates typed the Bulgarian way and words the verdict.
"""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from .consultations import EXCEPTIONAL_MINIMUM_DAYS, MINIMUM_DAYS, consultation_length, meets_legal_minimum
from .first_frame import app_view
from .formatting import date_bg

REASONS = {"не": False, "да": True}
LAW = "чл. 26, ал. 4 от Закона за нормативните актове"
_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(г\.?)?\s*$")

LAWFUL, EXCEPTIONAL, UNLAWFUL = "законен", "допустим по изключение", "незаконен"


def parse_date_bg(text: str) -> date:
    """A date written ДД.ММ.ГГГГ (also Д.М.ГГГГ, with or without "г."); ValueError with a Bulgarian message."""
    match = _DATE.match(text or "")
    if not match:
        raise ValueError(f"„{(text or '').strip()}“ не е дата във вида ДД.ММ.ГГГГ, например 05.10.2026.")
    day, month, year = (int(g) for g in match.groups()[:3])
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{(text or '').strip()} не е съществуваща дата: проверете деня и месеца.") from None


def closing_date(published: date, days: int) -> date:
    """The closing date of a consultation that lasts ``days`` calendar days from publication."""
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    return published + timedelta(days=days)


def verdict(days: int, reasons_stated: bool) -> str:
    """LAWFUL (30 days or more), EXCEPTIONAL (14-29 days with reasons stated) or UNLAWFUL."""
    reason = "причините са посочени" if reasons_stated else None
    if not meets_legal_minimum(days, reason):
        return UNLAWFUL
    return LAWFUL if meets_legal_minimum(days) else EXCEPTIONAL


def explanation_bg(days: int, reasons_stated: bool) -> str:
    kind = verdict(days, reasons_stated)
    if kind == LAWFUL:
        return f"Срокът отговаря на закона: поне {MINIMUM_DAYS} дни ({LAW})."
    if kind == EXCEPTIONAL:
        return (
            f"Срокът е по-кратък от {MINIMUM_DAYS} дни. Той е допустим само по изключение, защото причините са посочени: "
            f"проверете, че са написани изрично в мотивите или в доклада ({LAW})."
        )
    if days < EXCEPTIONAL_MINIMUM_DAYS:
        return (
            f"Срокът не отговаря на закона: по-кратък е от {EXCEPTIONAL_MINIMUM_DAYS} дни, а толкова кратък срок "
            f"не се допуска дори по изключение ({LAW}). Отбележете това в становището си и поискайте удължаване."
        )
    return (
        f"Срокът не отговаря на закона: по-кратък е от {MINIMUM_DAYS} дни, а причините за съкращаването не са посочени "
        f"({LAW}). Отбележете това в становището си и поискайте удължаване до {MINIMUM_DAYS} дни."
    )


def _days_bg(days: int) -> str:
    return "1 ден" if days == 1 else f"{days} дни"


def result_html(published: date, closes: date, reasons_stated: bool) -> str:
    """The verdict for one consultation; a closing date before publication gets a message, not an error."""
    try:
        days = consultation_length(published, closes)
    except ValueError:
        return (
            f"<p role='status'>Крайният срок {date_bg(closes)} е преди датата на публикуване {date_bg(published)}. "
            "Проверете двете дати.</p>"
        )
    kind = verdict(days, reasons_stated)
    mark = {LAWFUL: "✔", EXCEPTIONAL: "⚠", UNLAWFUL: "✘"}[kind]
    return (
        f"<p role='status' class='civickit-summary'>Срок на консултацията: {_days_bg(days)} "
        f"(от {date_bg(published)} до {date_bg(closes)}). <strong>{mark} Срокът е {kind}.</strong></p>"
        f"<p>{html.escape(explanation_bg(days, reasons_stated))}</p>"
        f"<p>Последен ден за изпращане на становище: <strong>{date_bg(closes)}</strong> "
        "(включително). "
        "Не чакайте последния ден: сайтовете и пощенските кутии понякога отказват точно тогава. "
        "Запазете входящия номер или потвърждението.</p>"
    )


@app_view
def deadline_app(published: date | None = None, days: int = MINIMUM_DAYS):
    """Days of the period (first control), publication and closing dates in ДД.ММ.ГГГГ, reasons yes/no; the verdict.

    The days field and the closing-date field follow each other: typing one recomputes the other.
    """
    import ipywidgets as widgets

    start = published or date.today()
    style = {"description_width": "19em"}  # one label column, so the four fields line up
    length = widgets.BoundedIntText(value=days, min=0, max=365, step=1, description="Срок в дни",
                                    style=style, layout=widgets.Layout(width="25em"))
    length.add_class("civickit-control")
    published_field = widgets.Text(value=f"{start:%d.%m.%Y}", description="Дата на публикуване (ДД.ММ.ГГГГ)",
                                   style=style, continuous_update=False, layout=widgets.Layout(width="29em"))
    closes_field = widgets.Text(value=f"{closing_date(start, days):%d.%m.%Y}", description="Краен срок (ДД.ММ.ГГГГ)",
                                style=style, continuous_update=False, layout=widgets.Layout(width="29em"))
    reasons = widgets.Dropdown(options=list(REASONS), value="не", style=style,
                               description="Има ли мотиви за по-кратък срок?",
                               layout=widgets.Layout(width="25em"))
    out = widgets.HTML()
    out.add_class("civickit-result")
    busy = []  # set while one field updates the other, so they do not loop

    def show(_=None):
        try:
            first, last = parse_date_bg(published_field.value), parse_date_bg(closes_field.value)
        except ValueError as err:
            out.value = f"<p role='status'>{html.escape(str(err))}</p>"
            return
        out.value = result_html(first, last, REASONS[reasons.value])

    def from_days(_=None):
        if busy:
            return
        try:
            first = parse_date_bg(published_field.value)
        except ValueError:
            show()
            return
        busy.append(True)
        closes_field.value = f"{closing_date(first, length.value):%d.%m.%Y}"
        busy.clear()
        show()

    def from_dates(_=None):
        if busy:
            return
        try:
            span = consultation_length(parse_date_bg(published_field.value), parse_date_bg(closes_field.value))
        except ValueError:
            show()
            return
        if span <= length.max:
            busy.append(True)
            length.value = span
            busy.clear()
        show()

    length.observe(from_days, names="value")
    published_field.observe(from_days, names="value")
    closes_field.observe(from_dates, names="value")
    reasons.observe(show, names="value")
    show()
    return widgets.VBox([length, published_field, closes_field, reasons, out])
