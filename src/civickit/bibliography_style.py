"""The course's bibliography in Bulgarian: one label for an entry, the same in the text and in the list.

pybtex's styles label entries "[Arn69]" (alpha), write English words ("and", "4 edition", "pp.",
"URL:") and, with `year = {б.г.}` ("без година", no date on the page), run their a-z suffixes into
junk labels. This module registers, under the name "civickit":

- a pybtex label style: "Arnstein, 1969", "Dillman, Smyth и Christian, 2014", "Cepeda и др., 2006";
  two entries with the same author and year get а, б, в... ("2021а", "б.г.-а"), so labels stay unique
  (sphinxcontrib-bibtex warns on a duplicate label, and the strict build stops);
- a pybtex formatting style: the list entry with Bulgarian words (и, изд., т., бр., с.) and one phrasing
  of the date a page was visited ("Посетен през ноември 2026 г."), whatever the entry's note says;
- a sphinxcontrib-bibtex referencing style: {cite:p} prints that label in round brackets,
  "(Arnstein, 1969; Bates, 2004)", so the text and the list cannot disagree.

Enabled by civickit.sphinx_ext (register) and _config.yml (bibtex_default_style, bibtex_reference_style).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import pybtex.plugin
from pybtex.richtext import Symbol, Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field as entry_field
from pybtex.style.formatting import toplevel
from pybtex.style.template import first_of, href, join, names, optional, optional_field, sentence, tag, words

NAME = "civickit"
NO_DATE = "б.г."
AND = " и "
OTHERS = " и др."
# Suffixes for entries with the same author and year; letters that read unambiguously in a label.
SUFFIXES = "абвгдежзиклмнопрстуфхцчшщюя"
MONTHS = ("януари", "февруари", "март", "април", "май", "юни",
          "юли", "август", "септември", "октомври", "ноември", "декември")

# "Посетен 2026-11.", "Посетен през ноември 2026 г.", "Посетен на 12.11.2026 г." and the like.
VISITED = re.compile(
    r"\s*Посетен(?:а|о|и)?\s+(?:на\s+|през\s+)?"
    r"(?:(?P<iso_year>\d{4})-(?P<iso_month>\d{1,2})(?:-\d{1,2})?"
    r"|(?:\d{1,2}\.)?(?P<num_month>\d{1,2})\.(?P<num_year>\d{4})"
    r"|(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4}))"
    r"(?:\s*г\.)?\s*\.?",
    re.IGNORECASE,
)


def visited_phrase(month: int, year: int) -> str:
    return f"Посетен през {MONTHS[month - 1]} {year} г."


def normalise_visited(note: str) -> str:
    """The note with its "visited" sentence in the course's one phrasing, moved to the note's end."""
    visits = []

    def take(match: re.Match) -> str:
        if match["iso_year"]:
            visits.append((int(match["iso_month"]), int(match["iso_year"])))
        elif match["num_year"]:
            visits.append((int(match["num_month"]), int(match["num_year"])))
        else:
            visits.append((MONTHS.index(match["month"].lower()) + 1, int(match["year"])))
        return " "

    rest = VISITED.sub(take, note).strip()
    if not visits or not all(1 <= month <= 12 for month, _ in visits):
        return note
    rest = rest.rstrip()
    if rest and rest[-1] not in ".!?":
        rest += "."
    return " ".join(part for part in (rest, visited_phrase(*visits[-1])) if part)


def _plain(rich_parts) -> str:
    return " ".join(part.render_as("text") for part in rich_parts)


def person_name(person) -> str:
    """A person's surname as the label shows it ("Arnstein"; an organisation's whole name)."""
    return _plain(person.rich_prelast_names + person.rich_last_names) or _plain(person.rich_first_names)


def author_text(entry) -> str:
    """Who the label names: one or two surnames, or the first one "и др." (as in the text)."""
    persons = entry.persons.get("author") or entry.persons.get("editor")
    if not persons:
        return Text.from_latex(entry.fields.get("title", "")).render_as("text")
    surnames = [person_name(p) for p in persons]
    if len(surnames) == 1:
        return surnames[0]
    if len(surnames) == 2:
        return AND.join(surnames)
    return surnames[0] + OTHERS


def entry_year(entry) -> str:
    return entry.fields.get("year", "").strip() or NO_DATE


def with_suffix(year: str, index: int) -> str:
    suffix = SUFFIXES[index] if index < len(SUFFIXES) else str(index + 1)
    # "б.г." ends with a full stop: a hyphen keeps "б.г.-а" readable (as APA writes "n.d.-a").
    return f"{year}-{suffix}" if year == NO_DATE else f"{year}{suffix}"


class LabelStyle(BaseLabelStyle):
    """Author-year labels, unique within a bibliography."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [(author_text(e), entry_year(e)) for e in entries]
        counts = Counter(bases)
        # A year written with a letter in the entry ("2024а") must not meet a suffix given here.
        taken = {f"{author}, {year}" for (author, year), n in counts.items() if n == 1}
        next_index: Counter = Counter()
        for base in bases:
            author, year = base
            label = f"{author}, {year}"
            if counts[base] > 1:
                while True:
                    label = f"{author}, {with_suffix(year, next_index[base])}"
                    next_index[base] += 1
                    if label not in taken:
                        break
                taken.add(label)
            yield label


def dashify(text: Text) -> Text:
    return Text(Symbol("ndash")).join(text.split(re.compile(r"-+")))


def edition_text(raw: str) -> Text:
    """"4" -> "4. изд."; "2. разш." -> "2. разш. изд." (pybtex: "4 edition")."""
    raw = raw.strip()
    if raw.isdigit():
        raw += "."
    return Text.from_latex(raw if "изд" in raw else f"{raw} изд.")


pages = entry_field("pages", apply_func=dashify)
date = words[optional_field("month"), entry_field("year")]
note = entry_field("note", raw=True, apply_func=lambda raw: Text.from_latex(normalise_visited(raw)))


class Style(UnsrtStyle):
    """pybtex's unsrt layout with Bulgarian words and the civickit labels."""

    default_label_style = LabelStyle
    default_sorting_style = "author_year_title"

    def format_names(self, role, as_sentence=True):
        formatted = names(role, sep=", ", sep2=AND, last_sep=AND)
        return sentence[formatted] if as_sentence else formatted

    def format_editor(self, e, as_sentence=True):
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors
        result = join(sep=" ")[editors, "(съст.)"]
        return sentence[result] if as_sentence else result

    def volume_number_pages(self):
        return join(sep=", ")[
            optional[join(sep=Symbol("nbsp"))["т.", entry_field("volume")]],
            optional[join(sep=Symbol("nbsp"))["бр.", entry_field("number")]],
            optional[join(sep=Symbol("nbsp"))["с.", pages]],
        ]

    def get_article_template(self, e):
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[entry_field("journal")], optional[self.volume_number_pages()], date],
            sentence[optional[note]],
            self.format_web_refs(e),
        ]

    def format_volume_and_series(self, e, as_sentence=True):
        result = first_of[
            optional[words[join(sep=Symbol("nbsp"))["т.", entry_field("volume")], optional[words["от", entry_field("series")]]]],
            optional[words[join(sep=Symbol("nbsp"))["№", entry_field("number")], optional[words["в", entry_field("series")]]]],
            optional_field("series"),
        ]
        return sentence[result] if as_sentence else result

    def format_chapter_and_pages(self, e):
        return join(sep=", ")[
            optional[join(sep=Symbol("nbsp"))["гл.", entry_field("chapter")]],
            optional[join(sep=Symbol("nbsp"))["с.", pages]],
        ]

    def format_edition(self, e):
        return optional[entry_field("edition", raw=True, apply_func=edition_text)]

    def get_book_template(self, e):
        return toplevel[
            self.format_author_or_editor(e),
            self.format_btitle(e, "title"),
            self.format_volume_and_series(e),
            sentence[entry_field("publisher"), optional_field("address"), self.format_edition(e), date],
            optional[sentence[self.format_isbn(e)]],
            sentence[optional[note]],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return toplevel[
            optional[sentence[self.format_names("author")]],
            optional[self.format_title(e, "title")],
            sentence[optional[entry_field("howpublished")], optional[date]],
            sentence[optional[note]],
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        doi_url = "https://doi.org/" + e.fields.get("doi", "") if "doi" in e.fields else None
        url_part = optional[self.format_url(e)] if e.fields.get("url") != doi_url else optional[""]
        return sentence[
            url_part,
            optional[join["Посетен на ", entry_field("urldate")]],
            optional[self.format_doi(e)],
        ]

    def format_url(self, e):
        # The address itself, as the entries with \url{} in howpublished show it (no English "URL:").
        url = entry_field("url", raw=True)
        return href(url)[url]


def reference_style_class():
    """{cite:p} -> "(label; label)"; the label is the one the list shows."""
    from sphinxcontrib.bibtex.style.referencing import BracketStyle, PersonStyle
    from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle

    def round_brackets():
        return BracketStyle(left="(", right=")", sep="; ")

    def bulgarian_persons():
        return PersonStyle(sep=", ", sep2=AND, last_sep=AND, other=Text(OTHERS))

    @dataclass
    class CivickitReferenceStyle(LabelReferenceStyle):
        bracket_textual: BracketStyle = field(default_factory=round_brackets)
        bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
        bracket_author: BracketStyle = field(default_factory=round_brackets)
        bracket_label: BracketStyle = field(default_factory=round_brackets)
        bracket_year: BracketStyle = field(default_factory=round_brackets)
        person: PersonStyle = field(default_factory=bulgarian_persons)

    return CivickitReferenceStyle


def register() -> None:
    """Make "civickit" known to pybtex (formatting, labels) and sphinxcontrib-bibtex (referencing)."""
    from sphinxcontrib.bibtex.plugin import register_plugin as register_referencing

    pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, Style, force=True)
    pybtex.plugin.register_plugin("pybtex.style.labels", NAME, LabelStyle, force=True)
    register_referencing("sphinxcontrib.bibtex.style.referencing", NAME, reference_style_class(), force=True)
