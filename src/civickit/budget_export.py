"""A project budget as an Excel workbook (XLSX).

The arithmetic is civickit.budget's (budget_totals, co_financing, by_category, to_cents);
this module only lays it out: a sheet with every budget line and the totals beneath it,
and a sheet with the costs per category. Amounts are written as numbers (not text) with
a euro format, so the learner can go on calculating in Excel or LibreOffice Calc.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pandas as pd

from .budget import budget_totals, by_category, co_financing, ineligible_costs, is_eligible, line_amounts, to_cents
from .formatting import percent_bg

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO = '#,##0.00" €"'
LINE_HEADERS = ("№", "Категория", "Описание", "Мярка", "Количество", "Единична цена (€)", "Сума (€)",
                "Дейност", "Допустим разход")
# Labels of the totals under the budget lines; tests and the app read them by these names.
DIRECT = "Преки допустими разходи"
INDIRECT = "Непреки разходи"
TOTAL = "Общо допустими разходи"
GRANT = "Безвъзмездна помощ"
OWN = "Собствен принос"
INELIGIBLE = "Недопустими разходи (за сметка на организацията)"


def totals(lines: pd.DataFrame, indirect_rate: float, grant_rate: float) -> dict[str, float]:
    """Every total the calculator shows, in cents: direct, indirect, total, grant, own contribution, ineligible."""
    sums = budget_totals(lines, indirect_rate)
    split = co_financing(sums["total"], grant_rate)
    return {**sums, **split, "ineligible": ineligible_costs(lines)}


def _text(value) -> str:
    return "" if value is None or value is pd.NA or (isinstance(value, float) and value != value) else str(value)


def budget_xlsx(lines: pd.DataFrame, indirect_rate: float, grant_rate: float) -> bytes:
    """The budget as XLSX bytes: sheet „Бюджет“ (lines + totals) and sheet „По категории“.

    indirect_rate and grant_rate are shares (0.07 for 7 %), checked by civickit.budget.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    sums = totals(lines, indirect_rate, grant_rate)
    book = Workbook()
    book.properties.title = "Бюджет на проекта"
    book.properties.creator = "civickit"
    book.properties.language = "bg-BG"
    fixed = datetime(2026, 1, 1)  # the same budget gives the same bytes
    book.properties.created = book.properties.modified = fixed

    sheet = book.active
    sheet.title = "Бюджет"
    sheet.append(list(LINE_HEADERS))
    amounts = line_amounts(lines)
    eligible = is_eligible(lines)
    for i, row in enumerate(lines.itertuples(index=False)):
        sheet.append([
            _text(row.line_id), _text(row.category), _text(row.description), _text(row.unit),
            int(row.quantity), float(row.unit_cost_eur), to_cents(float(amounts.iloc[i])),
            _text(row.activity_id), "да" if eligible.iloc[i] else "не",
        ])
    sheet.append([])
    summary = [
        (DIRECT, sums["direct_eligible"]),
        (f"{INDIRECT} ({percent_bg(indirect_rate)} от преките допустими)", sums["indirect"]),
        (TOTAL, sums["total"]),
        (f"{GRANT} ({percent_bg(grant_rate)})", sums["grant"]),
        (f"{OWN} ({percent_bg(1 - grant_rate)})", sums["own_contribution"]),
        (INELIGIBLE, sums["ineligible"]),
    ]
    for label, amount in summary:
        sheet.append([label, None, None, None, None, None, amount])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = EURO
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGHI", (8, 14, 48, 12, 12, 16, 14, 10, 10)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"

    categories = book.create_sheet("По категории")
    categories.append(["Категория", "Допустими (€)", "Недопустими (€)"])
    table = by_category(lines)
    for name, row in table.iterrows():
        categories.append([str(name), float(row["eligible"]), float(row["ineligible"])])
    categories.append(["Общо", to_cents(float(table["eligible"].sum())), to_cents(float(table["ineligible"].sum()))])
    for cell in (*categories[1], *categories[categories.max_row]):
        cell.font = Font(bold=True)
    for row in categories.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = EURO
    for column, width in zip("ABC", (16, 16, 16)):
        categories.column_dimensions[column].width = width

    out = BytesIO()
    book.save(out)
    return out.getvalue()
