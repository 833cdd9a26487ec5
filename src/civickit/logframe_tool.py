"""The logframe builder (practices/tools/logframe-builder.ipynb): the matrix, its gaps, a DOCX copy.

The learner picks which level of the logframe to see (обща цел, конкретна цел, резултат,
дейност or all), reads the gaps civickit.logframe finds in it, adds rows of their own and
downloads the logframe as a Word document. The checks are civickit.logframe's.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from .download_link import download_link_html
from .first_frame import app_view
from .formatting import number_bg
from .logframe import ACTIVITY, LEVELS, is_blank
from .logframe_export import COLUMNS, DOCX_MIME, GAP_TITLES, all_gaps, cell_text, logframe_docx

ALL_LEVELS = "всички нива"
DOCX_NAME = "logicheska-ramka.docx"
DOCX_LABEL = "Изтеглете логическата рамка (DOCX)"
PREFIX = {"обща цел": "G", "конкретна цел": "S", "резултат": "R"}


def rows_for(frame: pd.DataFrame, level: str = ALL_LEVELS) -> pd.DataFrame:
    """The rows of one level, or all of them, in table order."""
    return frame if level == ALL_LEVELS else frame[frame["level"] == level]


def gaps_for(frame: pd.DataFrame, level: str = ALL_LEVELS) -> list[tuple[str, str, str]]:
    """(gap title, item_id, item text) for every gap among the rows of `level`, gap kind by gap kind."""
    shown = set(rows_for(frame, level)["item_id"])
    texts = dict(zip(frame["item_id"], frame["text"]))
    return [(GAP_TITLES[key], item, cell_text(texts.get(item)))
            for key, items in all_gaps(frame).items() for item in items if item in shown]


def summary_bg(frame: pd.DataFrame, level: str = ALL_LEVELS) -> str:
    shown = rows_for(frame, level)
    where = "всички нива" if level == ALL_LEVELS else f"ниво „{level}“"
    here, everywhere = len(gaps_for(frame, level)), len(gaps_for(frame))
    return (f"Показани редове: {number_bg(len(shown))} от {number_bg(len(frame))} ({where}). "
            f"Пропуски тук: {number_bg(here)}; в цялата рамка: {number_bg(everywhere)}.")


def result_html(frame: pd.DataFrame, level: str = ALL_LEVELS) -> str:
    """Summary (role='status'), the gaps of the chosen level as a list, then the matrix rows of that level."""
    gaps = gaps_for(frame, level)
    if gaps:
        items = "".join(f"<li><strong>{html.escape(title)}:</strong> {html.escape(item)} — {html.escape(text)}</li>"
                        for title, item, text in gaps)
        gap_html = f"<ul class='civickit-gaps'>{items}</ul>"
    else:
        gap_html = "<p class='civickit-gaps'>На това ниво няма открити пропуски.</p>"
    missing = set(all_gaps(frame)["missing_baseline"]) | set(all_gaps(frame)["missing_target"])
    body = []
    for row in rows_for(frame, level).itertuples(index=False):
        cells = []
        for column, _ in COLUMNS:
            value = getattr(row, column)
            text = html.escape(cell_text(value))
            if column in ("baseline", "target") and row.item_id in missing and is_blank(value):
                text = "<strong>липсва</strong>"
            tag = "th scope='row'" if column == "item_id" else "td"
            cells.append(f"<{tag}>{text}</{tag.split()[0]}>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    head = "".join(f"<th scope='col'>{html.escape(heading)}</th>" for _, heading in COLUMNS)
    return (
        f"<p class='civickit-summary' role='status'>{html.escape(summary_bg(frame, level))}</p>"
        + gap_html
        + "<table class='civickit-logframe'><caption>Логическа рамка (измислен пример и вашите редове)</caption>"
        + f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def parent_level(level: str) -> str | None:
    """The level a row of `level` leads to (None for the overall objective)."""
    i = LEVELS.index(level)
    return LEVELS[i - 1] if i else None


def next_id(frame: pd.DataFrame, level: str, parent_id: str | None) -> str:
    """A new item_id in the example's scheme: G2, S2, R5, and A4.1 for the first activity of R4."""
    taken = set(frame["item_id"])
    if level == ACTIVITY:
        digits = re.sub(r"\D", "", parent_id or "") or "0"
        stem = f"A{digits}."
    else:
        stem = PREFIX[level]
    n = 1
    while f"{stem}{n}" in taken:
        n += 1
    return f"{stem}{n}"


def add_item(frame: pd.DataFrame, level: str, parent_id: str | None, text: str,
             indicator: str = "", baseline: str = "", target: str = "") -> pd.DataFrame:
    """A copy of the logframe with one more row; ValueError with a Bulgarian message when the row is incomplete."""
    if level not in LEVELS:
        raise ValueError(f"Непознато ниво „{level}“. Изберете едно от: {', '.join(LEVELS)}.")
    if is_blank(text):
        raise ValueError("Напишете текста на реда (полето „Текст“ е празно).")
    above = parent_level(level)
    if above is not None:
        parents = set(frame.loc[frame["level"] == above, "item_id"])
        if parent_id not in parents:
            raise ValueError(f"Изберете към кой ред на ниво „{above}“ води новият ред.")
    else:
        parent_id = None
    clean = lambda v: pd.NA if is_blank(v) else str(v).strip()  # noqa: E731
    row = {column: pd.NA for column in frame.columns}
    row.update(level=level, item_id=next_id(frame, level, parent_id), text=str(text).strip(),
               indicator=clean(indicator), baseline=clean(baseline), target=clean(target),
               parent_id=clean(parent_id))
    return pd.concat([frame, pd.DataFrame([row], columns=frame.columns).astype(frame.dtypes)], ignore_index=True)


def download_html(frame: pd.DataFrame) -> str:
    return download_link_html(logframe_docx(frame), DOCX_NAME, DOCX_MIME, DOCX_LABEL)


@app_view
def logframe_app(frame: pd.DataFrame | None = None):
    """A level Dropdown, the matrix with its gaps, the DOCX link, and a form to add a row.

    Without `frame` the builder starts from the kit's invented example logframe.
    """
    import ipywidgets as widgets

    if frame is None:
        from .datasets import load_table

        frame = load_table("logframe_example_synthetic")
    state = {"frame": frame.reset_index(drop=True)}
    style = {"description_width": "initial"}
    wide = widgets.Layout(width="40em")
    level = widgets.Dropdown(options=[ALL_LEVELS, *LEVELS], value=ALL_LEVELS, description="Покажи ниво", style=style)
    level.add_class("civickit-control")
    out = widgets.HTML()
    out.add_class("civickit-result")
    link = widgets.HTML()
    link.add_class("civickit-download")

    new_level = widgets.Dropdown(options=list(LEVELS), value=ACTIVITY, description="Ниво на новия ред", style=style)
    parent = widgets.Dropdown(options=[], description="Води към", style=style)
    text = widgets.Text(description="Текст", style=style, layout=wide)
    indicator = widgets.Text(description="Показател (без дейностите)", style=style, layout=wide)
    baseline = widgets.Text(description="Базова стойност", style=style)
    target = widgets.Text(description="Целева стойност", style=style)
    add = widgets.Button(description="Добавете реда", button_style="primary")
    message = widgets.HTML()

    def show(_=None):
        out.value = result_html(state["frame"], level.value)

    def refresh_parents(_=None):
        above = parent_level(new_level.value)
        current = state["frame"]
        if above is None:
            parent.options, parent.disabled = [("— няма (най-горното ниво) —", "")], True
        else:
            rows = current[current["level"] == above]
            parent.options = [(f"{i} — {cell_text(t)[:60]}", i) for i, t in zip(rows["item_id"], rows["text"])]
            parent.disabled = False
        indicator.disabled = new_level.value == ACTIVITY
        baseline.disabled = target.disabled = new_level.value == ACTIVITY

    def add_row(_=None):
        try:
            state["frame"] = add_item(state["frame"], new_level.value, parent.value or None, text.value,
                                      indicator.value, baseline.value, target.value)
        except ValueError as err:
            message.value = f"<p role='alert'>{html.escape(str(err))}</p>"
            return
        added = state["frame"].iloc[-1]
        message.value = f"<p role='status'>Добавен е ред {html.escape(added['item_id'])} на ниво „{html.escape(added['level'])}“.</p>"
        for field in (text, indicator, baseline, target):
            field.value = ""
        refresh_parents()
        show()
        link.value = download_html(state["frame"])

    level.observe(show, names="value")
    new_level.observe(refresh_parents, names="value")
    add.on_click(add_row)
    refresh_parents()
    show()
    link.value = download_html(state["frame"])
    form = widgets.VBox([
        widgets.HTML("<h2>Добавете ред</h2><p>Например дейност към резултат, който още няма дейност. "
                     "Дейностите нямат показател: той се пише на резултатите и целите.</p>"),
        new_level, parent, text, indicator, widgets.HBox([baseline, target]), add, message,
    ])
    return widgets.VBox([level, out, link, form])
