"""What a spreadsheet shows for an XLSX the kit writes: its formulas evaluated by pycel (an Excel formula engine).

openpyxl writes formulas without stored results, so reading the file back gives "=..." strings; Excel and
LibreOffice compute them on opening, and so does this helper, cell by cell.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook, load_workbook


def shown_rows(source: bytes | Workbook, sheet: str) -> list[tuple]:
    """Every row of `sheet` as values, formulas replaced by what they compute to."""
    from pycel import ExcelCompiler

    book = load_workbook(BytesIO(source)) if isinstance(source, bytes) else source
    engine = ExcelCompiler(excel=book)
    ws = book[sheet]
    rows = []
    for r in range(1, ws.max_row + 1):
        row = []
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(r, c)
            value = cell.value
            if isinstance(value, str) and value.startswith("="):
                value = engine.evaluate(f"'{sheet}'!{cell.coordinate}")
            row.append(value)
        rows.append(tuple(row))
    return rows
