"""The budget as XLSX: its formulas, evaluated by a spreadsheet engine, give civickit.budget's sums."""

from __future__ import annotations

import base64
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook

from civickit.budget import budget_totals, by_category, co_financing
from civickit.budget_export import (
    DIRECT,
    GRANT,
    INDIRECT,
    INELIGIBLE,
    OWN,
    TOTAL,
    XLSX_MIME,
    budget_xlsx,
    totals,
)
from civickit.datasets import load_table
from civickit.download_link import download_link_html
from xlsx_values import shown_rows


@pytest.fixture(scope="module")
def example():
    return load_table("budget_lines_synthetic")


def workbook(lines, indirect_rate=0.07, grant_rate=0.8):
    return load_workbook(BytesIO(budget_xlsx(lines, indirect_rate, grant_rate)))


def shown(lines, indirect_rate=0.07, grant_rate=0.8, sheet="Бюджет") -> list[tuple]:
    return shown_rows(budget_xlsx(lines, indirect_rate, grant_rate), sheet)


def summary(rows: list[tuple]) -> dict[str, float]:
    """Label -> amount of the totals under the budget lines (column A label, column G amount)."""
    return {row[0]: row[6] for row in rows[1:]
            if isinstance(row[0], str) and row[1] is None and row[6] is not None}


def find(rows: dict, start: str) -> float:
    (amount,) = [v for k, v in rows.items() if k.startswith(start)]
    return amount


def test_every_line_is_in_the_sheet(example):
    """Does sheet „Бюджет“ hold every budget line with its amount = quantity × unit cost?"""
    rows = [r for r in shown(example)[1:] if r[0] and str(r[0]).startswith("B")]
    assert [r[0] for r in rows] == list(example["line_id"])
    first = rows[0]
    assert first[2] == "Ръководител на проекта (4 часа седмично)"
    assert first[6] == pytest.approx(12 * 337.19)
    assert {r[8] for r in rows} == {"да", "не"}


@pytest.mark.parametrize("indirect_rate, grant_rate", [(0.07, 0.8), (0.03, 0.9), (0.0, 1.0)])
def test_totals_are_the_budget_modules(example, indirect_rate, grant_rate):
    """Are the totals in the workbook exactly budget_totals and co_financing of the same lines and rates?"""
    rows = summary(shown(example, indirect_rate, grant_rate))
    sums = budget_totals(example, indirect_rate)
    split = co_financing(sums["total"], grant_rate)
    assert find(rows, DIRECT) == sums["direct_eligible"] == 19799.48
    assert find(rows, INDIRECT) == sums["indirect"]
    assert find(rows, TOTAL) == sums["total"]
    assert find(rows, GRANT) == split["grant"]
    assert find(rows, OWN) == split["own_contribution"]
    assert find(rows, GRANT) + find(rows, OWN) == pytest.approx(find(rows, TOTAL))
    assert find(rows, INELIGIBLE) == totals(example, indirect_rate, grant_rate)["ineligible"] > 0


def test_rate_is_named_in_bulgarian(example):
    """Does the indirect-costs row say the rate the Bulgarian way (3 %, not 0.03)?"""
    rows = summary(shown(example, 0.03, 0.8))
    assert any(k.startswith(INDIRECT) and "3\u00a0%" in k for k in rows)
    assert any(k.startswith(GRANT) and "80\u00a0%" in k for k in rows)


def test_amounts_are_formulas_with_a_euro_format(example):
    """Can the learner keep calculating in Excel: a line's amount and every total are formulas, in euro?"""
    sheet = workbook(example)["Бюджет"]
    assert sheet["G2"].value == "=E2*F2" and "€" in sheet["G2"].number_format
    assert isinstance(sheet["E2"].value, int) and isinstance(sheet["F2"].value, float)
    totals_column = [row[6] for row in sheet.iter_rows(min_row=len(example) + 3, values_only=True)]
    assert len(totals_column) == 6 and all(str(v).startswith("=") for v in totals_column)
    assert isinstance(shown(example)[1][6], float)


def add_line(book, quantity: int, unit_cost: float, eligible: str) -> None:
    """What a learner does in Excel: a new line typed into the empty row under the lines (the row a line
    inserted there would take; Excel and Calc widen every range over it)."""
    sheet = book["Бюджет"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value is None)
    for column, value in zip("ABCDEFGHI", ("B99", "услуги", "Нов ред", "бр.", quantity, unit_cost,
                                           f"=E{row}*F{row}", "A1", eligible)):
        sheet[f"{column}{row}"] = value


def test_a_line_added_in_the_sheet_counts_in_every_total(example):
    """Does a line the learner adds in the spreadsheet change direct costs, indirect, total, grant and own
    contribution as civickit.budget computes them for the longer budget?"""
    book = workbook(example, 0.07, 0.8)
    add_line(book, 3, 250.0, "да")
    rows = summary(shown_rows(book, "Бюджет"))
    longer = pd.concat([example, pd.DataFrame([{"line_id": "B99", "category": "услуги", "description": "Нов ред",
                                               "unit": "бр.", "quantity": 3, "unit_cost_eur": 250.0,
                                               "activity_id": "A1", "eligible": "да"}])], ignore_index=True)
    sums = budget_totals(longer, 0.07)
    split = co_financing(sums["total"], 0.8)
    assert find(rows, DIRECT) == sums["direct_eligible"] == 19799.48 + 750
    assert find(rows, INDIRECT) == sums["indirect"]
    assert find(rows, TOTAL) == sums["total"]
    assert (find(rows, GRANT), find(rows, OWN)) == (split["grant"], split["own_contribution"])
    categories = {r[0]: r[1] for r in shown_rows(book, "По категории")[1:]}
    assert categories["услуги"] == by_category(longer).loc["услуги", "eligible"]


def test_changing_a_rate_in_the_sheet_changes_the_totals(example):
    """Does typing another rate into the rate cell (here 3 % and a 90 % grant) give the kit's totals for it?"""
    book = workbook(example, 0.07, 0.8)
    sheet = book["Бюджет"]
    rate_rows = [r for r in range(2, sheet.max_row + 1) if isinstance(sheet.cell(r, 6).value, float)
                 and sheet.cell(r, 1).value and not str(sheet.cell(r, 1).value).startswith("B")]
    indirect_row, grant_row = rate_rows
    sheet.cell(indirect_row, 6).value, sheet.cell(grant_row, 6).value = 0.03, 0.9
    rows = summary(shown_rows(book, "Бюджет"))
    sums = budget_totals(example, 0.03)
    split = co_financing(sums["total"], 0.9)
    assert find(rows, INDIRECT) == sums["indirect"] and find(rows, TOTAL) == sums["total"]
    assert (find(rows, GRANT), find(rows, OWN)) == (split["grant"], split["own_contribution"])


def test_categories_sheet_matches_by_category(example):
    """Does sheet „По категории“ hold by_category's amounts and their totals?"""
    rows = {r[0]: (r[1], r[2]) for r in shown(example, sheet="По категории")[1:]}
    table = by_category(example)
    for name, row in table.iterrows():
        assert rows[name] == (row["eligible"], row["ineligible"])
    assert rows["Общо"][0] == pytest.approx(budget_totals(example)["direct_eligible"])


def test_rate_above_art_54a_is_refused(example):
    """Does the export refuse a flat rate above 7 % as civickit.budget does?"""
    with pytest.raises(ValueError):
        budget_xlsx(example, 0.08, 0.8)


def test_same_budget_same_bytes(example):
    """Is the file reproducible (no timestamp of the moment it was made)?"""
    assert budget_xlsx(example, 0.07, 0.8) == budget_xlsx(example, 0.07, 0.8)


def test_small_budget_by_hand():
    """Does a two-line budget give the sums worked out by hand?"""
    lines = pd.DataFrame({"line_id": ["X1", "X2"], "category": ["услуги", "пътни"], "description": ["а", "б"],
                          "unit": ["бр.", "км"], "quantity": [2, 100], "unit_cost_eur": [500.0, 0.3],
                          "activity_id": [None, "A1"], "eligible": ["да", "не"]})
    rows = summary(shown(lines, 0.07, 0.5))
    assert find(rows, DIRECT) == 1000.0
    assert find(rows, INDIRECT) == 70.0
    assert find(rows, TOTAL) == 1070.0
    assert find(rows, GRANT) == 535.0 and find(rows, OWN) == 535.0
    assert find(rows, INELIGIBLE) == 30.0


def test_download_link_carries_the_file():
    """Does the link hold the bytes as a base64 data: URI with a file name and a Bulgarian label?"""
    link = download_link_html(b"PK\x03\x04abc", "budjet.xlsx", XLSX_MIME, "Изтеглете бюджета (XLSX)")
    prefix = f"href='data:{XLSX_MIME};base64,"
    assert prefix in link and "download='budjet.xlsx'" in link and "Изтеглете бюджета (XLSX)</a>" in link
    encoded = link.split(prefix)[1].split("'")[0]
    assert base64.b64decode(encoded) == b"PK\x03\x04abc"
