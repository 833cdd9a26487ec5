"""The stakeholder-map tool: a power/interest grid as inline SVG, a sector filter and the isolated organisations.

Quadrants, link counts and isolation are civickit.stakeholders' (classify, degrees, isolated,
missing_sectors); this module draws them and lists who sits where.
"""

from __future__ import annotations

import html

import pandas as pd

from .datasets import load_table
from .first_frame import app_view
from .live_app import live_result
from .stakeholders import (
    KEEP_INFORMED, KEEP_SATISFIED, MANAGE_CLOSELY, MONITOR, QUADRANTS, SCALE, SECTORS, THRESHOLD,
    classify, degrees, isolated, missing_sectors, quadrant,
)

ALL = "всички"
FILL = {MANAGE_CLOSELY: "#fbe9e7", KEEP_SATISFIED: "#fff8e1", KEEP_INFORMED: "#e3f2fd", MONITOR: "#eceff1"}
CELL_W, CELL_H, LEFT, TOP, PER_LINE = 120, 64, 56, 12, 3


def select(stakeholders: pd.DataFrame, sector: str = ALL) -> pd.DataFrame:
    """The stakeholders of one sector (all of them for ALL); index renumbered."""
    if sector == ALL:
        return stakeholders.reset_index(drop=True)
    return stakeholders[stakeholders["sector"] == sector].reset_index(drop=True)


def link_counts(stakeholders: pd.DataFrame, links: pd.DataFrame) -> dict[str, int]:
    """Links per organisation id, 0 for those with none."""
    found = degrees(links)
    return {str(i): int(found.get(i, 0)) for i in stakeholders["id"]}


def grid_svg(classified: pd.DataFrame, threshold: int) -> str:
    """A 5x5 grid: interest left to right, power bottom to top; cells coloured by quadrant, ids written in."""
    size = len(SCALE)
    width, height = LEFT + size * CELL_W + 10, TOP + size * CELL_H + 44
    parts = []
    for power in SCALE:
        for interest in SCALE:
            x, y = LEFT + (interest - 1) * CELL_W, TOP + (size - power) * CELL_H
            kind = quadrant(power, interest, threshold)
            parts.append(f"<rect x='{x}' y='{y}' width='{CELL_W}' height='{CELL_H}' fill='{FILL[kind]}' stroke='#90a4ae'/>")
            here = classified[(classified["power"] == power) & (classified["interest"] == interest)]["id"].astype(str).tolist()
            lines = [", ".join(here[i:i + PER_LINE]) for i in range(0, len(here), PER_LINE)]
            for n, line in enumerate(lines):
                ty = y + CELL_H / 2 - (len(lines) - 1) * 8 + n * 16 + 5
                parts.append(f"<text x='{x + CELL_W / 2:.0f}' y='{ty:.0f}' text-anchor='middle' font-size='13' "
                             f"fill='#1a1a1a'>{html.escape(line)}</text>")
    # the threshold lines: where "high" begins on each axis
    tx = LEFT + (threshold - 1) * CELL_W
    ty = TOP + (size - threshold + 1) * CELL_H
    parts.append(f"<line x1='{tx}' y1='{TOP}' x2='{tx}' y2='{TOP + size * CELL_H}' stroke='#37474f' stroke-width='3' stroke-dasharray='8 4'/>")
    parts.append(f"<line x1='{LEFT}' y1='{ty}' x2='{LEFT + size * CELL_W}' y2='{ty}' stroke='#37474f' stroke-width='3' stroke-dasharray='8 4'/>")
    for i in SCALE:
        parts.append(f"<text x='{LEFT + (i - 0.5) * CELL_W:.0f}' y='{TOP + size * CELL_H + 16}' text-anchor='middle' font-size='12' fill='#1a1a1a'>{i}</text>")
        parts.append(f"<text x='{LEFT - 10}' y='{TOP + (size - i + 0.5) * CELL_H + 4:.0f}' text-anchor='end' font-size='12' fill='#1a1a1a'>{i}</text>")
    parts.append(f"<text x='{LEFT + size * CELL_W / 2:.0f}' y='{height - 6}' text-anchor='middle' font-size='13' fill='#1a1a1a'>Интерес →</text>")
    mid = TOP + size * CELL_H / 2
    parts.append(f"<text x='16' y='{mid:.0f}' text-anchor='middle' font-size='13' fill='#1a1a1a' transform='rotate(-90 16 {mid:.0f})'>Влияние →</text>")
    caption = f"Карта влияние/интерес, праг {threshold}: {len(classified)} организации"
    return (
        "<figure class='civickit-diagram'>"
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} {height}' width='{width}' style='max-width:100%' "
        f"role='img' aria-labelledby='civickit-stakeholder-grid'><title id='civickit-stakeholder-grid'>{html.escape(caption)}"
        f"</title>{''.join(parts)}</svg>"
        f"<figcaption>{html.escape(caption)}. Пунктирните линии показват прага: от него нагоре оценката е висока. "
        "Списъците по-долу казват същото с думи.</figcaption></figure>"
    )


def summary_bg(classified: pd.DataFrame, threshold: int, sector: str) -> str:
    counts = classified["quadrant"].value_counts()
    who = "всички сектори" if sector == ALL else f"сектор „{sector}“"
    per = "; ".join(f"{q}: {int(counts.get(q, 0))}" for q in QUADRANTS)
    return f"Праг {threshold}, {who} ({len(classified)} организации). {per}."


def result_html(stakeholders: pd.DataFrame, links: pd.DataFrame, threshold: int = THRESHOLD, sector: str = ALL) -> str:
    chosen = select(stakeholders, sector)
    classified = classify(chosen, threshold)
    parts = [f"<p role='status' class='civickit-summary'>{html.escape(summary_bg(classified, threshold, sector))}</p>"]
    if classified.empty:
        parts.append("<p>В този сектор няма организации в таблицата. Изберете друг сектор.</p>")
        return "".join(parts)
    parts.append(grid_svg(classified, threshold))
    counts = link_counts(chosen, links)
    for q in QUADRANTS:
        group = classified[classified["quadrant"] == q]
        if group.empty:
            continue
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(str(r.name))} ({html.escape(str(r.id))})</th><td>{html.escape(str(r.sector))}</td>"
            f"<td>{html.escape(str(r.municipality))}</td><td>{int(r.power)}</td><td>{int(r.interest)}</td>"
            f"<td>{counts[str(r.id)]}</td></tr>"
            for r in group.sort_values(["power", "interest", "id"], ascending=[False, False, True]).itertuples(index=False)
        )
        parts.append(
            f"<table class='civickit-stakeholders'><caption>{html.escape(q.capitalize())} ({len(group)})</caption><thead><tr>"
            "<th scope='col'>Организация</th><th scope='col'>Сектор</th><th scope='col'>Община</th>"
            "<th scope='col'>Влияние</th><th scope='col'>Интерес</th><th scope='col'>Връзки</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )
    alone = isolated(chosen, links)
    names = dict(zip(chosen["id"].astype(str), chosen["name"].astype(str)))
    if alone:
        items = "".join(f"<li>{html.escape(names[i])} ({html.escape(i)})</li>" for i in alone)
        parts.append(f"<h3>Изолирани организации ({len(alone)})</h3><p>Нямат нито една връзка с другите: "
                     f"потърсете ги лично, преди да ги поканите.</p><ul>{items}</ul>")
    else:
        parts.append("<p>Няма изолирани организации: всяка има поне една връзка.</p>")
    if sector == ALL:
        gaps = missing_sectors(stakeholders, threshold)
        if gaps:
            parts.append(f"<p>Сектори без ключов играч (управлявай отблизо): {html.escape(', '.join(gaps))}.</p>")
    return "".join(parts)


@app_view
def stakeholder_map_app(stakeholders: pd.DataFrame | None = None, links: pd.DataFrame | None = None):
    """Threshold (first control) and sector; the grid, the quadrant lists and the isolated organisations."""
    import ipywidgets as widgets

    table = load_table("stakeholders_synthetic") if stakeholders is None else stakeholders
    network = load_table("stakeholder_links_synthetic") if links is None else links
    style = {"description_width": "initial"}
    threshold = widgets.Dropdown(options=[(str(i), i) for i in range(2, 6)], value=THRESHOLD,
                                 description="Праг", style=style)
    sector = widgets.Dropdown(options=[ALL, *SECTORS], value=ALL, description="Сектор", style=style)
    out = live_result([threshold, sector], lambda: result_html(table, network, threshold.value, sector.value))
    return widgets.VBox([widgets.HBox([threshold, sector]), out])
