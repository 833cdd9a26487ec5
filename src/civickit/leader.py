"""The balance of a local action group (МИГ): who holds the votes where its projects are chosen.

Used by the LEADER/CLLD case study (practices/leader-local-action-groups.ipynb) and usable for a real
LAG: give the members of its decision-making body by sector and interest group.

The rule checked here is the one of the 2014–2020 period, Regulation (EU) No 1303/2013, Art. 32(2)(b):
at the decision-making level neither public authorities nor any single interest group may hold more
than 49 % of the voting rights. For 2021–2027 Regulation (EU) 2021/1060, Art. 33(3)(b), asks for a
selection procedure in which no single interest group controls the selection decisions; the national
rules and the LAG's own statute say how that is counted, so the limit is a parameter.
"""

from __future__ import annotations

import html

import pandas as pd

from . import svg_charts
from .first_frame import app_view
from .formatting import number_bg, percent_bg
from .stack_table import stack_table

SECTORS = ("публичен", "стопански", "нестопански")
PUBLIC = "публичен"
PUBLIC_GROUP = "публични органи (общини, кметства, училища)"
DEFAULT_LIMIT = 0.49
COLUMNS = ("sector", "interest_group", "members")

# Invented compositions for the exercise (измислен пример): (sector, interest group, members with one vote each).
EXAMPLES: dict[str, list[tuple[str, str, int]]] = {
    "Балансирана МИГ, 15 членове (измислен пример)": [
        (PUBLIC, PUBLIC_GROUP, 5),
        ("стопански", "земеделие и животновъдство", 3),
        ("стопански", "туризъм и услуги", 2),
        ("нестопански", "читалища и култура", 3),
        ("нестопански", "социални дейности и млади хора", 2),
    ],
    "Заседание с 6 гласуващи от задачата в урока (измислен пример)": [
        (PUBLIC, PUBLIC_GROUP, 4),
        ("стопански", "фирми", 1),
        ("нестопански", "читалища и сдружения", 1),
    ],
    "Силна земеделска група, 11 членове (измислен пример)": [
        (PUBLIC, PUBLIC_GROUP, 3),
        ("стопански", "земеделие и животновъдство", 6),
        ("нестопански", "читалища и култура", 2),
    ],
    "Без бизнеса и без сдруженията (измислен пример)": [
        (PUBLIC, PUBLIC_GROUP, 4),
    ],
}


def composition(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """A decision-making body as a table: one row per interest group, with its sector and members."""
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    unknown = sorted(set(frame["sector"]) - set(SECTORS))
    if unknown:
        raise ValueError(f"Unknown sector(s) {unknown}; use one of {SECTORS}.")
    if (frame["members"] < 0).any():
        raise ValueError("A group cannot have a negative number of members.")
    return frame.groupby(["sector", "interest_group"], as_index=False, sort=False)["members"].sum()


def with_public_members(frame: pd.DataFrame, count: int) -> pd.DataFrame:
    """The same body with `count` public-sector members (all in the public-authorities group)."""
    rest = frame[frame["sector"] != PUBLIC]
    public = pd.DataFrame([(PUBLIC, PUBLIC_GROUP, int(count))], columns=list(COLUMNS))
    return pd.concat([public, rest], ignore_index=True)


def public_members(frame: pd.DataFrame) -> int:
    return int(frame.loc[frame["sector"] == PUBLIC, "members"].sum())


def check(frame: pd.DataFrame, limit: float = DEFAULT_LIMIT) -> dict:
    """Vote shares by sector and by interest group, and what breaks the balance.

    A share counts as too large only when it is strictly above `limit` (49 % itself is allowed).
    The body also needs members from the public side and from the private side (business or non-profit).
    """
    total = int(frame["members"].sum())
    share = (lambda n: n / total) if total else (lambda n: 0.0)
    groups = frame.copy()
    groups["share"] = [share(n) for n in groups["members"]]
    groups["over"] = groups["share"] > limit + 1e-12
    groups = groups.sort_values(["members", "interest_group"], ascending=[False, True]).reset_index(drop=True)
    sectors = pd.DataFrame({"sector": list(SECTORS)})
    sectors["members"] = [int(frame.loc[frame["sector"] == s, "members"].sum()) for s in SECTORS]
    sectors["share"] = [share(n) for n in sectors["members"]]
    public_share = float(sectors.loc[sectors["sector"] == PUBLIC, "share"].iloc[0])
    private = int(sectors.loc[sectors["sector"] != PUBLIC, "members"].sum())
    over_groups = [g for g, over in zip(groups["interest_group"], groups["over"]) if over and g != PUBLIC_GROUP]
    missing = []
    if total and not public_members(frame):
        missing.append("публичен")
    if total and not private:
        missing.append("частен")
    public_over = public_share > limit + 1e-12
    return {
        "total": total,
        "limit": limit,
        "groups": groups,
        "sectors": sectors,
        "public_share": public_share,
        "public_over": public_over,
        "over_groups": over_groups,
        "missing": missing,
        "ok": bool(total) and not public_over and not over_groups and not missing,
    }


def verdict_bg(result: dict) -> str:
    """One or two sentences in Bulgarian: is the balance kept, and if not, why."""
    limit = percent_bg(result["limit"])
    if not result["total"]:
        return "Няма членове с право на глас: добавете поне един член."
    if result["ok"]:
        private = result["groups"][result["groups"]["sector"] != PUBLIC]
        top = private.iloc[0]
        return (
            f"✔ Балансът е спазен. От {number_bg(result['total'])} гласа публичният сектор има "
            f"{percent_bg(result['public_share'])}, а най-голямата частна група по интереси („{top['interest_group']}“) — "
            f"{percent_bg(top['share'])}; нито един дял не надхвърля {limit}."
        )
    reasons = []
    if result["public_over"]:
        reasons.append(f"публичният сектор има {percent_bg(result['public_share'])} от гласовете")
    for group in result["over_groups"]:
        row = result["groups"].loc[result["groups"]["interest_group"] == group].iloc[0]
        reasons.append(f"групата „{group}“ има {percent_bg(row['share'])} от гласовете")
    if "публичен" in result["missing"]:
        reasons.append("в органа няма представители на публичния сектор")
    if "частен" in result["missing"]:
        reasons.append("в органа няма представители на стопанския и нестопанския сектор")
    return f"✘ Балансът е нарушен: {'; '.join(reasons)}. Допустимият дял е до {limit} от гласовете."


OVER, WITHIN = "#b3261e", "#1b5e9a"


def shares_chart(result: dict) -> str:
    """Each interest group's share of the votes as a bar, with the limit as a dashed line."""
    limit = result["limit"]
    rows = [(f"{row.interest_group} ({row.sector})", float(row.share),
             f"{percent_bg(row.share, 1)} {'✘' if row.over else '✔'}", OVER if row.over else WITHIN)
            for row in result["groups"].itertuples(index=False)]
    words = "; ".join(f"{row.interest_group}: {percent_bg(row.share, 1)}{', над прага' if row.over else ''}"
                      for row in result["groups"].itertuples(index=False))
    return svg_charts.labelled_bars(
        rows, 1.0, f"Дялове от гласовете по групи по интереси (праг: {percent_bg(limit)})",
        legend=[(WITHIN, "✔ в рамките"), (OVER, "✘ над прага")], description=words,
        threshold=(limit, f"праг {percent_bg(limit)}"),
    )


def result_html(result: dict) -> str:
    """The verdict (role=status), a chart of the groups' vote shares, and the shares as tables."""
    limit = result["limit"]
    groups = [
        (html.escape(row.sector), html.escape(row.interest_group), number_bg(row.members), percent_bg(row.share, 1),
         f"<strong>{'✘ над прага' if row.over else '✔ в рамките'}</strong>")
        for row in result["groups"].itertuples(index=False)
    ]
    sectors = [(html.escape(s.sector), number_bg(s.members), percent_bg(s.share, 1))
               for s in result["sectors"].itertuples(index=False)]
    cls = "civickit-ok" if result["ok"] else "civickit-warning"
    return (
        f"<p class='civickit-summary {cls}' role='status'><strong>{html.escape(verdict_bg(result))}</strong></p>"
        f"<figure class='civickit-chart'>{shares_chart(result)}</figure>"
        + stack_table(f"Дялове от гласовете по групи по интереси (праг: {percent_bg(limit)})",
                      ("Сектор", "Група по интереси", "Членове", "Дял от гласовете", "Проверка"), groups, "civickit-shares")
        + stack_table("Дялове по сектори", ("Сектор", "Членове", "Дял"), sectors, "civickit-sectors")
    )


@app_view
def partnership_app(start: str | None = None, limit: float = DEFAULT_LIMIT):
    """A dropdown of example bodies, a number field for the public-sector members, and the verdict.

    Dropdown and number field, not a slider: ipywidgets' slider handle has no accessible name.
    """
    import ipywidgets as widgets

    options = list(EXAMPLES)
    choice = widgets.Dropdown(
        options=options,
        value=start if start in options else options[0],
        description="Пример за състав",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="48em"),
    )
    choice.add_class("civickit-control")
    base = {name: composition(rows) for name, rows in EXAMPLES.items()}
    public = widgets.BoundedIntText(
        value=public_members(base[choice.value]),
        min=0,
        max=60,
        step=1,
        description="Членове от публичния сектор",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="20em"),
    )
    out = widgets.HTML()
    out.add_class("civickit-result")

    def show(_=None):
        body = with_public_members(base[choice.value], public.value)
        out.value = result_html(check(body, limit))

    def pick(_=None):
        wanted = public_members(base[choice.value])
        if public.value == wanted:
            show()
        else:
            public.value = wanted  # triggers show through the observer below

    choice.observe(pick, names="value")
    public.observe(show, names="value")
    show()
    return widgets.VBox([choice, public, out])  # shown as the cell's last expression
