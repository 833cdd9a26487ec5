"""A logframe as a Word document (DOCX): the matrix as a table and the gaps civickit.logframe finds.

The rows follow the logframe levels of the EC Project Cycle Management Guidelines (EuropeAid,
2004): обща цел, конкретна цел, резултат, дейност. Empty cells are written as „—“ so that a
reader sees them; the gaps are listed under the table in the learner's words.
"""

from __future__ import annotations

from io import BytesIO

import pandas as pd

from .logframe import is_blank, logframe_gaps, unknown_parents

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EMPTY = "—"
# (column of the table, heading in the document and in the app)
COLUMNS = (
    ("level", "Ниво"),
    ("item_id", "№"),
    ("text", "Логика на интервенцията"),
    ("indicator", "Показател"),
    ("baseline", "Базова стойност"),
    ("target", "Целева стойност"),
    ("unit", "Мярка"),
    ("source_of_verification", "Източник на проверка"),
    ("parent_id", "Води към"),
)
GAP_TITLES = {
    "results_without_activities": "Резултат без нито една дейност, която води до него",
    "missing_baseline": "Показател без базова стойност",
    "missing_target": "Показател без целева стойност",
    "unknown_parents": "Ред, който води към несъществуващ ред",
}


def cell_text(value) -> str:
    return EMPTY if is_blank(value) else str(value).strip()


def all_gaps(frame: pd.DataFrame) -> dict[str, list[str]]:
    """logframe_gaps plus broken parent links, each a list of item_id in table order."""
    return {**logframe_gaps(frame), "unknown_parents": unknown_parents(frame)}


def gap_lines(frame: pd.DataFrame) -> list[str]:
    """Every gap as a Bulgarian sentence: „Показател без целева стойност: R2 — <text>“."""
    texts = dict(zip(frame["item_id"], frame["text"]))
    return [
        f"{GAP_TITLES[key]}: {item} — {cell_text(texts.get(item))}"
        for key, items in all_gaps(frame).items()
        for item in items
    ]


def logframe_docx(df: pd.DataFrame, title: str = "Логическа рамка на проекта") -> bytes:
    """The logframe as DOCX bytes: a heading, the matrix as a table (one row per item), the gaps as a list."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.core_properties.title = title
    document.core_properties.language = "bg-BG"
    document.core_properties.author = "civickit"
    document.styles["Normal"].font.size = Pt(9)

    document.add_heading(title, level=1)
    document.add_paragraph(
        "Нивата следват логическата рамка от Насоките за управление на проектния цикъл на Европейската "
        "комисия (EuropeAid, 2004). Празните клетки са отбелязани с „—“."
    )
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, (_, heading) in zip(table.rows[0].cells, COLUMNS):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    for row in df.itertuples(index=False):
        cells = table.add_row().cells
        for cell, (column, _) in zip(cells, COLUMNS):
            cell.text = cell_text(getattr(row, column))

    document.add_heading("Пропуски", level=2)
    found = gap_lines(df)
    if found:
        for line in found:
            document.add_paragraph(line, style="List Bullet")
    else:
        document.add_paragraph("Не са открити пропуски.")

    out = BytesIO()
    document.save(out)
    return out.getvalue()
