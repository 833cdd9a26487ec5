"""Facts of a case study, read from data/<name>_facts.json (one source for book and Voila app)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from .errors import KitError

DATA = Path(__file__).parent / "data"
FACT_FIELDS = ("label_bg", "value", "year", "source_key")


def load_facts(name: str) -> dict:
    path = DATA / f"{name}_facts.json"
    try:
        facts = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KitError(f"No facts file {path.name} in {DATA}.") from None
    for i, fact in enumerate(facts["facts"], start=1):
        missing = [f for f in FACT_FIELDS if not fact.get(f)]
        if missing:
            raise KitError(f"{path.name}: fact {i} lacks {', '.join(missing)}.")
        if fact["source_key"] not in facts["sources"]:
            raise KitError(f"{path.name}: fact {i} cites '{fact['source_key']}', which is not in 'sources'.")
    return facts


def source_label(source: dict) -> str:
    return f"{source['publisher']}, {source['year']}"


def facts_html(name: str) -> str:
    """The facts as an accessible table: what, value, year, source."""
    facts = load_facts(name)
    rows = "".join(
        f"<tr><td>{html.escape(f['label_bg'])}</td><td>{html.escape(str(f['value']))}</td>"
        f"<td>{html.escape(str(f['year']))}</td><td>{html.escape(source_label(facts['sources'][f['source_key']]))}</td></tr>"
        for f in facts["facts"]
    )
    return (
        "<table class='civickit-facts'><caption>Основни факти и източници</caption>"
        "<thead><tr><th scope='col'>Какво</th><th scope='col'>Стойност</th><th scope='col'>Година</th>"
        f"<th scope='col'>Източник</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def sources_markdown(name: str) -> str:
    facts = load_facts(name)
    return "\n".join(
        f"- {s['publisher']} ({s['year']}). *{s['title']}*. {s['url']} (посетен: {s['accessed']})"
        for s in facts["sources"].values()
    )
