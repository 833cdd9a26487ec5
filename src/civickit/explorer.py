"""The good-practices explorer: every case study in one table, filtered by the learner."""

from __future__ import annotations

import html

from .casestudy import LEVELS, STAGES, practices
from .first_frame import app_view
from .live_app import live_result
from .stack_table import stack_table

ALL = "всички"


def rows(level: str = ALL, stage: str = ALL, country: str = ALL, kind: str = ALL) -> list[dict]:
    """The practices that match every filter that is not ALL."""
    return [
        p for p in practices().values()
        if level in (ALL, p["participation_level"])
        and stage in (ALL, *p["policy_stages"])
        and country in (ALL, p["country_bg"])
        and kind in (ALL, *p["organisation_kinds"])
    ]


def table_html(found: list[dict]) -> str:
    if not found:
        return "<p role='status'>Няма казус, който да отговаря на всички избрани условия. Махнете едно от тях.</p>"
    cells = [
        (f"<a href='{html.escape(p['slug'])}.ipynb'>{html.escape(p['title_bg'])}</a>", html.escape(p["country_bg"]),
         str(p["since"]), html.escape(p["participation_level"]), html.escape(", ".join(p["policy_stages"])),
         html.escape(p["summary_bg"]))
        for p in found
    ]
    return (
        f"<p role='status'>Намерени казуси: {len(found)} от {len(practices())}.</p>"
        + stack_table("Добри практики", ("Казус", "Държава", "От", "Равнище на участие", "Етап от цикъла", "Накратко"),
                      cells, "civickit-practices")
    )


@app_view
def explorer_app():
    import ipywidgets as widgets

    everything = list(practices().values())
    countries = sorted({p["country_bg"] for p in everything})
    kinds = sorted({k for p in everything for k in p["organisation_kinds"]})
    style = {"description_width": "initial"}
    level = widgets.Dropdown(options=[ALL, *LEVELS], description="Равнище на участие", style=style)
    stage = widgets.Dropdown(options=[ALL, *STAGES], description="Етап от цикъла", style=style)
    country = widgets.Dropdown(options=[ALL, *countries], description="Държава", style=style)
    kind = widgets.Dropdown(options=[ALL, *kinds], description="Кой участва", style=style)
    out = live_result([level, stage, country, kind],
                      lambda: table_html(rows(level.value, stage.value, country.value, kind.value)))
    return widgets.VBox([widgets.HBox([level, stage]), widgets.HBox([country, kind]), out])
