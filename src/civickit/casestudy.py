"""The case studies as data: data/practices/<slug>.json, one file per practice, checked here.

The book pages, the Voila apps and the good-practices explorer all read these files,
so a fact is written once.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path

from .errors import KitError
from .stack_table import stack_table

PRACTICES = Path(__file__).parent / "data" / "practices"
# Council of Europe Code of Good Practice for Civil Participation (2009): levels and decision-making steps.
LEVELS = ("информиране", "консултация", "диалог", "партньорство")
STAGES = ("поставяне в дневния ред", "изработване", "решение", "изпълнение", "наблюдение", "преразглеждане")
REQUIRED = ("slug", "title_bg", "country_bg", "place_bg", "since", "participation_level", "policy_stages",
            "organisation_kinds", "summary_bg", "notebook", "facts", "sources")
FACT_FIELDS = ("label_bg", "value", "year", "source_key")
SOURCE_FIELDS = ("title", "publisher", "year", "url", "accessed")
# The app's mechanism diagram (civickit.diagrams kinds); tree steps are indented two spaces per level.
MECHANISM_KINDS = ("chain", "cycle", "ladder", "tree")


def check(practice: dict, origin: str) -> dict:
    """Raises KitError naming the file and field of the first problem."""
    missing = [f for f in REQUIRED if f not in practice]
    if missing:
        raise KitError(f"{origin}: missing field(s) {', '.join(missing)}.")
    if practice["participation_level"] not in LEVELS:
        raise KitError(f"{origin}: participation_level must be one of {', '.join(LEVELS)}.")
    bad = [s for s in practice["policy_stages"] if s not in STAGES]
    if bad or not practice["policy_stages"]:
        raise KitError(f"{origin}: policy_stages must be a non-empty list from {', '.join(STAGES)} (got {bad}).")
    if not isinstance(practice["since"], int):
        raise KitError(f"{origin}: since must be a year (a whole number).")
    mechanism = practice.get("mechanism")
    if mechanism is not None:
        if mechanism.get("kind") not in MECHANISM_KINDS or not mechanism.get("caption"):
            raise KitError(f"{origin}: mechanism needs kind (one of {', '.join(MECHANISM_KINDS)}) and caption.")
        steps = mechanism.get("steps")
        if not steps or not all(isinstance(s, str) and s.strip() for s in steps):
            raise KitError(f"{origin}: mechanism.steps must be a non-empty list of texts.")
    for key, source in practice["sources"].items():
        lacking = [f for f in SOURCE_FIELDS if not source.get(f)]
        if lacking:
            raise KitError(f"{origin}: source '{key}' lacks {', '.join(lacking)}.")
    for i, fact in enumerate(practice["facts"], start=1):
        lacking = [f for f in FACT_FIELDS if not fact.get(f)]
        if lacking:
            raise KitError(f"{origin}: fact {i} lacks {', '.join(lacking)}.")
        if fact["source_key"] not in practice["sources"]:
            raise KitError(f"{origin}: fact {i} cites '{fact['source_key']}', which is not in 'sources'.")
    return practice


@cache
def practices() -> dict[str, dict]:
    """Every case study, by slug."""
    found = {}
    for path in sorted(PRACTICES.glob("*.json")):
        practice = check(json.loads(path.read_text(encoding="utf-8")), path.name)
        if practice["slug"] != path.stem:
            raise KitError(f"{path.name}: slug '{practice['slug']}' must equal the file name.")
        found[practice["slug"]] = practice
    return found


def load_practice(slug: str) -> dict:
    try:
        return practices()[slug]
    except KeyError:
        raise KitError(f"No case study '{slug}' in {PRACTICES}; there are: {', '.join(practices())}.") from None


def source_label(source: dict) -> str:
    return f"{source['publisher']}, {source['year']}"


FACT_COLUMNS = ("Какво", "Стойност", "Година", "Източник")


def facts_html(slug: str) -> str:
    """The facts as an accessible table: what, value, year, source (one card per fact on a phone)."""
    practice = load_practice(slug)
    rows = [
        [html.escape(str(value)) for value in (f["label_bg"], f["value"], f["year"],
                                               source_label(practice["sources"][f["source_key"]]))]
        for f in practice["facts"]
    ]
    return stack_table("Основни факти и източници", FACT_COLUMNS, rows, "civickit-facts")


def mechanism_html(slug: str) -> str:
    """The case's mechanism as the book draws its diagrams (civickit.diagrams), from the facts file's steps.

    Responsive: a phone gets the same steps top to bottom. The caption is the drawing's accessible name.
    """
    from .diagrams import practice_lines, responsive_svg  # Sphinx-based module: loaded only by the apps that draw

    if load_practice(slug).get("mechanism") is None:
        raise KitError(f"Case study '{slug}' has no 'mechanism' in {PRACTICES / (slug + '.json')}.")
    return responsive_svg(*practice_lines(slug))


def sources_markdown(slug: str) -> str:
    """The sources as a Markdown list, for the end of a case study."""
    return "\n".join(
        f"- {s['publisher']} ({s['year']}). *{s['title']}*. {s['url']} (посетен: {s['accessed']})"
        for s in load_practice(slug)["sources"].values()
    )
