"""Bulgarian search for the book: a light stemmer and stop words as a Sphinx search language.

Sphinx has no Bulgarian search language, so a book with `language: bg` gets an English index in
which every word form is a term of its own: "консултация", "консултации" and "консултацията" each
find different pages. This language strips the definite article, the plural and the noun/adjective
endings, so that the forms of one word share one index term.

One rule table, RULES, drives both sides: Python applies it to every word while Sphinx builds the
index, and static/search-bg-stemmer.js applies the same table (embedded as JSON in language_data.js)
to the learner's query in the browser. Words without Cyrillic letters (English terms, names of
programmes) go to the Porter stemmer on both sides, as Sphinx's English search does.

The rules follow the inflection of Bulgarian nouns and adjectives (no lexicon, no verbs): a word is
cut only while at least MIN_STEM letters remain, and the stems need not be words themselves. They are
a light stemmer in the spirit of J. Savoy's "Searching Strategies for the Bulgarian Language" (the
basis of Lucene's BulgarianStemmer), written for this book: unlike it they keep читалище/читалища
together (no -ища rule) and fold the alternations that split a word's forms (място/места, малък/малка,
участник/участници).
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from pathlib import Path

import snowballstemmer
from sphinx import package_dir
from sphinx.search import SearchLanguage
from sphinx.search.en import english_stopwords

MIN_STEM = 3
CYRILLIC = "[а-яѐѝ]"
_C = "[бвгджзклмнпрстфхцчшщ]"  # consonants (й and ь left out: they never carry a fleeting vowel)

# Ordered steps; in each step the first rule whose pattern matches and whose result keeps at least
# MIN_STEM letters is applied (a "repeat" step is applied again while it shortens the word).
# Patterns are anchored regular expressions valid in Python and JavaScript alike; a replacement
# names the kept groups as $1, $2 (JavaScript's syntax, translated for Python below).
STEPS = [
    {"name": "definite article", "rules": [
        [r"^(.*)[ъя]т$", "$1"],             # проектът, учителят, общият -> проект, учител, общи
        [r"^(.*[ая])та$", "$1"],             # жената, организацията, селата -> жена, организация, села
        [r"^(.*[тщ])та$", "$1"],             # областта, помощта (not карта, проекта: an -а ending)
        [r"^(.*[оеиую])то$", "$1"],          # селото, решението, менюто (not място, злато)
        [r"^(.*[ие])те$", "$1"],             # проектите, плановете
    ]},
    {"name": "plural -ове/-еве", "rules": [
        [r"^(.*)[ое]ве$", "$1"],             # планове, членове, броеве
    ]},
    {"name": "vowel endings", "repeat": True, "rules": [
        [r"^(.*)[аеиоуъюяй]$", "$1"],        # жена, организации, граждански, участие, музей
    ]},
    {"name": "-анин/-янин/-арин", "rules": [
        [r"^(.*[ая][нр])ин$", "$1"],         # гражданин -> граждан (plural граждани)
    ]},
    {"name": "-ат", "rules": [
        [r"^(.*)ат$", "$1"],                 # резултат / резултата, заплата / заплатата, участват / участва
    ]},
    {"name": "я/е alternation", "rules": [
        [rf"^(.*{_C})я({_C}+)$", "$1е$2"],   # място / места, промяна / промени, голям / големи
    ]},
    {"name": "fleeting vowel", "rules": [
        [rf"^(.*{_C})[еъ]([кцнрл])$", "$1$2"],  # малък / малка, местен / местна, център / центрове
    ]},
    {"name": "consonant alternation", "rules": [
        [r"^(.*)к$", "$1ц"],                 # участник / участници
        [r"^(.*)г$", "$1з"],                 # диалог / диалози
    ]},
]

# Function words a learner never searches for: left out of the index and of the query.
BULGARIAN_STOPWORDS = frozenset("""
а аз ако ала в вече вие във все всеки всичко всички да дали до докато е за защото и из или им
именно като каква какво както какъв какви как когато коя кое който която което които към ли ме
между много му на над не нея него ни ние нито но някои от отново още по под поне при през пред
преди с са с себе си след сме според сред сте също съм със та така там те тези то този тоя той
толкова ту тук тя тях у че чрез ще я ѝ го ги бе беше бил била било били бъде бяха това тази такъв
такава такова такива тогава затова обаче кой кои къде кога нас вас
""".split())

RULES = {"min_stem": MIN_STEM, "cyrillic": CYRILLIC, "unchanged": sorted(BULGARIAN_STOPWORDS), "steps": STEPS}
# Changes when the rules change, so that Sphinx re-reads every page instead of mixing old and new stems.
RULES_FINGERPRINT = hashlib.sha256(json.dumps(RULES, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]

JS_ENGINE = Path(__file__).parent / "static" / "search-bg-stemmer.js"
# Snowball's Porter stemmer in JavaScript, as Sphinx ships it: the same algorithm as snowballstemmer's
# "porter" in Python (Sphinx's own English JS stemmer is another Porter that disagrees on "-y", "-s").
SNOWBALL_JS = [Path(package_dir) / "search" / "minified-js" / name for name in ("base-stemmer.js", "porter-stemmer.js")]
# Bulgarian for the search page's messages, which Sphinx's bg catalogue leaves empty (no heading, no count).
JS_MESSAGES = "search-bg-messages.js"


def _python_replacement(template: str) -> str:
    return re.sub(r"\$(\d)", r"\\g<\1>", template)


@cache
def _compiled_steps() -> list[tuple[bool, list[tuple[re.Pattern, str]]]]:
    return [(bool(step.get("repeat")), [(re.compile(p), _python_replacement(r)) for p, r in step["rules"]])
            for step in STEPS]


_cyrillic = re.compile(CYRILLIC)


def is_bulgarian(word: str) -> bool:
    return bool(_cyrillic.search(word))


def stem_bulgarian(word: str) -> str:
    """The stem of a lower-case Cyrillic word (stop words unchanged); mirrored by stemWord in the JS."""
    if word in BULGARIAN_STOPWORDS:
        return word
    for repeat, rules in _compiled_steps():
        changed = True
        while changed:
            changed = False
            for pattern, replacement in rules:
                if not pattern.search(word):
                    continue
                result = pattern.sub(replacement, word)
                if len(result) < MIN_STEM:
                    continue
                changed = repeat and len(result) < len(word)
                word = result
                break
    return word


@cache
def javascript() -> str:
    """The query-side stemmer Sphinx puts into language_data.js: the rule table, Porter, the engine."""
    table = json.dumps(RULES)  # \u escapes: the script reads the same whatever charset it is served with
    porter = "\n".join(file.read_text(encoding="utf-8") for file in SNOWBALL_JS)
    return f"var BULGARIAN_STEM_RULES = {table};\n{porter}\n{JS_ENGINE.read_text(encoding='utf-8')}"


class SearchBulgarian(SearchLanguage):
    lang = "bg"
    language_name = "Bulgarian"
    stopwords = set(BULGARIAN_STOPWORDS | english_stopwords)

    def init(self, options: dict[str, str]) -> None:
        self.porter = snowballstemmer.stemmer("porter")

    @property
    def js_stemmer_code(self) -> str:
        return javascript()

    def stem(self, word: str) -> str:
        word = word.lower()
        return stem_bulgarian(word) if is_bulgarian(word) else self.porter.stemWord(word)

    def word_filter(self, word: str) -> bool:
        # Sphinx's default checks stop words only for Latin-1 words (Bulgarian ones are Cyrillic), and
        # keeps the empty stem Porter makes of "s"; Sphinx then indexes the word itself.
        return bool(word) and word not in self.stopwords


def setup_search(app) -> None:
    """Registers the language for the book (`language: bg`); called from civickit.sphinx_ext.setup."""
    app.add_search_language(SearchBulgarian)
    app.add_config_value("civickit_search_bg_rules", RULES_FINGERPRINT, "env")
    app.connect("builder-inited", _add_messages)
    app.connect("env-before-read-docs", _forget_previous_index)


def setup(app) -> dict:
    """Also usable on its own as a Sphinx extension (`extensions = ["civickit.search_bg"]`)."""
    setup_search(app)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}


def _forget_previous_index(app, env, docnames) -> None:
    # Sphinx loads the previous searchindex.js before writing and keeps every term of it, emptied, even
    # when every page is read again (as after a change of these rules): the old English terms would stay
    # in the index, doubling its size. With nothing to keep, it is dropped and the index starts afresh.
    index_name = getattr(app.builder, "searchindex_filename", None)
    if index_name and set(env.found_docs) <= set(docnames):
        (Path(app.outdir) / index_name).unlink(missing_ok=True)


def _add_messages(app) -> None:
    # After Sphinx's translations.js (priority 500), so that these strings replace its empty ones.
    if app.config.language == "bg" and app.builder.format == "html":
        app.add_js_file(JS_MESSAGES, priority=600)
