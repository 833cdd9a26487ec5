"""Does a citizens' proposal gather enough support? A threshold as a number of signatures and as a share of residents.

Used by the Decidim Barcelona case study (practices/decidim-barcelona.ipynb). In Barcelona a citizen
initiative that asks for a city-wide consultation needs a minimum number of valid signatures of
registered residents over 16; the regulation of 2017 asked for 15 000, the one adopted after a court
annulled it asks for 88 709. The app compares a number of supporters with such a rule.

RULES is small and documented inline: each rule names the area, its residents (municipal register or
census), the signatures required and where each number comes from. The Yambol rule is invented.
"""

from __future__ import annotations

import html
import math

from .first_frame import app_view
from .formatting import number_bg, percent_bg
from .live_app import live_result

# label: (residents, signatures required, where the numbers come from)
RULES = {
    "Барселона: допитване за целия град, правилник от 2017 г.": (
        1_620_809, 15_000,
        "жители към 1.1.2017 г. — Ajuntament de Barcelona, статистика, 2022; 15 000 подписа — Ajuntament de Barcelona, гражданско участие, б.г.б",
    ),
    "Барселона: допитване за целия град, правилник от 2022 г.": (
        1_636_193, 88_709,
        "жители към 1.1.2022 г. — Ajuntament de Barcelona, статистика, 2022; 88 709 подписа — COPE, 2022",
    ),
    "Община Ямбол: 1% от жителите (измислен пример)": (
        61_766, 618,  # = required_for_share(61_766, 0.01)
        "жители по преброяването от 2021 г. — Дарик Ямбол, 2022; прагът от 1% е измислен за упражнението",
    ),
}


def share(supporters: int, residents: int) -> float:
    """Supporters as a share of all residents (0.01 = 1%)."""
    if residents <= 0:
        raise ValueError("residents must be a positive number")
    return supporters / residents


def required_for_share(residents: int, threshold_share: float) -> int:
    """Signatures needed to reach a share of residents, rounded up (1% of 61 766 is 618, not 617,66)."""
    return math.ceil(residents * threshold_share - 1e-9)


def reaches(supporters: int, required: int) -> bool:
    """Is the threshold met? Exactly the required number is enough."""
    return supporters >= required


def verdict(supporters: int, residents: int, required: int) -> dict:
    """Everything the app says: met or not, shares, and how many signatures are still missing."""
    return {
        "reaches": reaches(supporters, required),
        "share": share(supporters, residents),
        "required_share": share(required, residents),
        "missing": max(required - supporters, 0),
    }


def verdict_bg(supporters: int, residents: int, required: int) -> str:
    v = verdict(supporters, residents, required)
    head = "✔ Предложението достига прага." if v["reaches"] else "✘ Предложението не достига прага."
    tail = (
        f"Подписите са с {number_bg(supporters - required)} повече от нужното."
        if v["reaches"]
        else f"Липсват още {number_bg(v['missing'])} подписа."
    )
    return (
        f"{head} {number_bg(supporters)} подкрепили са {percent_bg(v['share'], 2)} от {number_bg(residents)} жители; "
        f"нужни са {number_bg(required)} подписа ({percent_bg(v['required_share'], 2)}). {tail}"
    )


def verdict_html(supporters: int, rule: str) -> str:
    """The verdict as a status line, then a bar of support against the threshold, then the sources."""
    residents, required, source = RULES[rule]
    v = verdict(supporters, residents, required)
    width = min(100.0, 100 * supporters / required) if required else 100.0
    colour = "#1b5e9a" if v["reaches"] else "#9e9e9e"
    return (
        f"<p class='civickit-summary' role='status'><strong>{html.escape(verdict_bg(supporters, residents, required))}</strong></p>"
        "<div aria-hidden='true' style='border:1px solid #37474f;width:24em;max-width:100%;height:1.1em'>"
        f"<div style='background:{colour};width:{width:.0f}%;height:100%'></div></div>"
        f"<p class='civickit-note'>Лентата показва подкрепата спрямо прага ({number_bg(width)}&nbsp;% от нужните подписи). "
        f"Източници: {html.escape(source)}.</p>"
    )


@app_view
def support_app(rule: str | None = None, start: int = 10_000):
    """A number field for the supporters and a choice of rule; the verdict and the share beneath."""
    import ipywidgets as widgets

    labels = list(RULES)
    supporters = widgets.BoundedIntText(
        value=start,
        min=0,
        max=2_000_000,
        step=1,
        description="Брой подкрепили",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="18em"),
    )
    which = widgets.Dropdown(
        options=labels,
        value=rule if rule in labels else labels[0],
        description="Правило",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="40em"),
    )
    out = live_result([supporters, which], lambda: verdict_html(int(supporters.value or 0), which.value))
    return widgets.VBox([supporters, which, out])  # shown as the cell's last expression
