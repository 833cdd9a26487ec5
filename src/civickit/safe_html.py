"""Learners' notebooks as HTML for people: Formgrader (on the trainer's Jupyter origin) and feedback.

A learner's markdown answer and the outputs of their code are theirs to write: `<script>`, `<img onerror>`,
`<iframe>`, `javascript:` links. nbconvert's own `sanitize_html` escapes almost every tag (`<p>`, `<th>`,
`<img>` show as text) and nbgrader's templates skip it for markdown cells, so the kit sanitises with an
allow-list of its own (ammonia, through nh3) in both places nbconvert renders that HTML:

- `clean_html`: text/html and text/markdown outputs, raw cells, inline SVG (nbconvert applies it once
  `HTMLExporter.sanitize_html` is on, which also drops JavaScript and widget outputs);
- `markdown2html`: markdown cells, which nbgrader's Formgrader and feedback templates render without it.

Kept: text, headings, lists, tables, code with its highlighting classes, links to web pages, images given
as data: PNG/JPEG/GIF/WebP. Nothing left can run script or make the browser fetch anything by itself.
"""

from __future__ import annotations

import re
from functools import lru_cache
import nh3
from jinja2 import pass_context

TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code", "span", "div",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "kbd", "samp", "var", "abbr",
    "ol", "ul", "li", "dl", "dt", "dd", "details", "summary", "figure", "figcaption",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td", "a", "img",
}
ATTRIBUTES = {
    "*": {"class", "title", "lang", "dir"},  # class: pygments highlighting, pandas' "dataframe"
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
    "col": {"span"},
}
# Their content goes too: a stripped <style> would otherwise show its CSS as text.
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "iframe", "object", "embed", "textarea", "title"}
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)
LINK = re.compile(r"(https?:|mailto:|#)", re.I)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Images only from data: (any other address would be fetched by the browser on sight, even from the
    server itself), links only to web pages, e-mail or this page."""
    if tag == "img" and attribute == "src":
        return value if DATA_IMAGE.match(value.strip()) else None
    if tag == "a" and attribute == "href":
        return value if LINK.match(value.strip()) else None
    return value


def clean_html(html) -> str:
    """The allow-listed part of an HTML fragment (nbconvert's filter name, so it replaces nbconvert's)."""
    html = html.decode() if isinstance(html, bytes) else str(html)
    return nh3.clean(
        html,
        tags=TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@lru_cache(maxsize=1)
def _markdown_exporter():
    from nbconvert.exporters import HTMLExporter

    return HTMLExporter()


@pass_context
def markdown2html(context, source: str) -> str:
    """nbconvert's markdown rendering (math left for MathJax, attachments as data: images), then clean_html."""
    from nbconvert.exporters import HTMLExporter

    return clean_html(HTMLExporter.markdown2html(_markdown_exporter(), context, source))


def configure_safe_html(c) -> None:
    """Every nbconvert HTML rendering nbgrader does with the kit's config (Formgrader's submission view,
    generate_feedback) shows learners' HTML sanitised. (Their math: jupyter_data/nbconvert/templates/base/
    mathjax.html.j2 loads MathJax from the kit's server.)"""
    c.HTMLExporter.sanitize_html = True
    c.HTMLExporter.filters = {"clean_html": "civickit.safe_html.clean_html",
                              "markdown2html": "civickit.safe_html.markdown2html"}
