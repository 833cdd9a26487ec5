"""A project budget as an Excel workbook (XLSX).

The arithmetic is civickit.budget's (budget_totals, co_financing, by_category, to_cents);
this module only lays it out: a sheet with every budget line and the totals beneath it,
and a sheet with the costs per category. Every amount that is a sum or a share is a formula
over the cells above it, with the two rates in cells of their own: a learner who adds a line
(inserted above the empty row under the lines), changes a quantity or a rate in Excel or
LibreOffice Calc gets right totals. The formulas give civickit.budget's figures (same rounding:
halves away from zero, like to_cents); tests evaluate them with a spreadsheet engine.
"""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

import pandas as pd

from .budget import ELIGIBLE as ELIGIBLE_MARK
from .budget import INDIRECT_FLAT_RATE_MAX, budget_totals, by_category, check_rate, co_financing, ineligible_costs, is_eligible
from .formatting import percent_bg

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO = '#,##0.00" €"'
PERCENT = "0.0%"
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

    # The rates the calculator refuses are refused here too (as budget_totals and co_financing check them).
    check_rate(indirect_rate, INDIRECT_FLAT_RATE_MAX, "indirect_rate")
    check_rate(grant_rate, 1.0, "grant_rate")
    book = Workbook()
    book.properties.title = "Бюджет на проекта"
    book.properties.creator = "civickit"
    book.properties.language = "bg-BG"
    fixed = datetime(2026, 1, 1)  # the same budget gives the same bytes
    book.properties.created = book.properties.modified = fixed

    sheet = book.active
    sheet.title = "Бюджет"
    sheet.append(list(LINE_HEADERS))
    eligible = is_eligible(lines)
    for i, row in enumerate(lines.itertuples(index=False)):
        r = i + 2
        sheet.append([
            _text(row.line_id), _text(row.category), _text(row.description), _text(row.unit),
            int(row.quantity), float(row.unit_cost_eur), f"=E{r}*F{r}",
            _text(row.activity_id), ELIGIBLE_MARK if eligible.iloc[i] else "не",
        ])
    # The empty row under the lines belongs to every range: a line inserted above it is counted.
    sheet.append([])
    last = len(lines) + 2  # the empty row (openpyxl's max_row does not count an empty row)
    amount, category, marked = (f"${col}$2:${col}${last}" for col in "GBI")
    first = last + 1  # rows of the totals: direct, indirect, total, grant, own, ineligible
    direct, indirect, total, grant, own, ineligible = range(first, first + 6)
    summary = [
        (DIRECT, None, f'=ROUND(SUMIFS({amount},{marked},"{ELIGIBLE_MARK}"),2)'),
        (f"{INDIRECT} ({percent_bg(indirect_rate)} от преките допустими)", indirect_rate, f"=ROUND(G{direct}*F{indirect},2)"),
        (TOTAL, None, f"=ROUND(G{direct}+G{indirect},2)"),
        (f"{GRANT} ({percent_bg(grant_rate)})", grant_rate, f"=ROUND(G{total}*F{grant},2)"),
        (f"{OWN} ({percent_bg(1 - grant_rate)})", f"=1-F{grant}", f"=ROUND(G{total}-G{grant},2)"),
        (INELIGIBLE, None, f'=ROUND(SUM({amount})-SUMIFS({amount},{marked},"{ELIGIBLE_MARK}"),2)'),
    ]
    for label, rate, formula in summary:
        sheet.append([label, None, None, None, None, rate, formula])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.cell(sheet.max_row, 6).number_format = PERCENT
    for row in sheet.iter_rows(min_row=2, max_row=last, min_col=6, max_col=7):
        for cell in row:
            cell.number_format = EURO
    for row in sheet.iter_rows(min_row=first, min_col=7, max_col=7):
        row[0].number_format = EURO
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in zip("ABCDEFGHI", (8, 14, 48, 12, 12, 16, 14, 10, 10)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"

    categories = book.create_sheet("По категории")
    categories.append(["Категория", "Допустими (€)", "Недопустими (€)"])
    where = "'Бюджет'!"
    for name in by_category(lines).index:
        r = categories.max_row + 1
        in_category = f"{where}{amount},{where}{category},$A{r}"
        categories.append([str(name), f'=ROUND(SUMIFS({in_category},{where}{marked},"{ELIGIBLE_MARK}"),2)',
                           f"=ROUND(SUMIFS({in_category})-B{r},2)"])
    end_row = categories.max_row
    categories.append(["Общо", f"=ROUND(SUM(B2:B{end_row}),2)", f"=ROUND(SUM(C2:C{end_row}),2)"])
    for cell in (*categories[1], *categories[categories.max_row]):
        cell.font = Font(bold=True)
    for row in categories.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = EURO
    for column, width in zip("ABC", (16, 16, 16)):
        categories.column_dimensions[column].width = width
    # No values are stored with the formulas: the spreadsheet computes them when the file opens.
    book.calculation.fullCalcOnLoad = True

    out = BytesIO()
    book.save(out)
    return out.getvalue()
