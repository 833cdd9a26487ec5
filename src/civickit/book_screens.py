"""What the book theme gets wrong on a learner's screen, corrected at build time (see civickit.sphinx_ext).

- The theme's colour mode: pydata-sphinx-theme writes `data-mode="{{ default_mode }}"` and only
  html_context sets it; left empty, every page logs "Got invalid theme mode" in the console.
  The kit's own colours (lesson boxes, quizzes, diagrams) are made for the light mode, so that is
  the default; the theme's switch still lets a learner choose.
- The bibliography: Bulgarian author-year labels and words (civickit.bibliography_style), and a
  list that screen readers can read: docutils marks the entries role="doc-biblioentry" (deprecated
  in WAI-ARIA DPUB 1.1) inside role="list", which axe-core reports as a critical
  aria-required-children violation; they become list items.
- Scripts added twice: sphinx-thebe registers its inline settings (`const THEBE_JS_URL = ...`) on
  every env-before-read-docs, and the page gets them twice; the second `const` is a SyntaxError
  ("Identifier 'THEBE_JS_URL' has already been declared") on every page. Each script is kept once.
The ☰ toggles are fixed in the browser (static/civickit.js), where the theme binds them.
"""

from __future__ import annotations

import re

from . import bibliography_style

DEFAULT_COLOUR_MODE = "light"
BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')


def set_default_colour_mode(app, config) -> None:
    config.html_context.setdefault("default_mode", DEFAULT_COLOUR_MODE)


def citations_as_list_items(body: str) -> str:
    return BIBLIOENTRY.sub(r'\1 role="listitem"', body)


def script_key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    # An inline script's filename is None or "" depending on who added it (both mean "no file").
    return (str(getattr(script, "filename", script) or ""), tuple(sorted(attributes.items())))


def unique_scripts(scripts: list) -> list:
    seen, kept = set(), []
    for script in scripts:
        if script_key(script) not in seen:
            seen.add(script_key(script))
            kept.append(script)
    return kept


def fix_page(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])
    if "body" in context and "doc-biblioentry" in context["body"]:
        context["body"] = citations_as_list_items(context["body"])


def setup(app) -> None:
    bibliography_style.register()
    app.connect("config-inited", set_default_colour_mode)
    app.connect("html-page-context", fix_page)
