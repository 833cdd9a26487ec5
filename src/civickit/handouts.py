"""Printable PDF handouts of the learner edition: one PDF per page of the outline and one of the whole edition.

Printed by Chromium from the built book (Debian's /usr/bin/chromium, driven by Playwright), not by xelatex:
- the handouts are the pages learners already see (same HTML, the kit's directives, diagrams as SVG and the
  learner edition's rule that trainer notes never reach the HTML), not a second rendering through Sphinx's
  LaTeX writer, which the kit's raw-HTML quizzes and diagrams would not survive;
- Chromium is on every machine that runs the kit's tests (`make chromium`), while xelatex needs TeX Live
  (~500 MB of Debian packages) and its own Cyrillic font set-up;
- Chromium embeds the fonts it lays out with (fontconfig: DejaVu for Cyrillic), so the text in the PDF is
  real, searchable Cyrillic.
The print stylesheet (static/civickit-print.css) hides the site's chrome; each page gets its own footer (the
page's title and page number) through CSS @page margin boxes. In the whole edition the pages are numbered
continuously from the first lesson page; the cover and the contents before it are not numbered.
"""

from __future__ import annotations

import html
import json
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import yaml

from .checks import toc_files
from .errors import KitError

PRINT_CSS = Path(__file__).parent / "static" / "civickit-print.css"
EDITION_FILE = "learner-edition.pdf"
# outline: each handout gets bookmarks from its headings; tagged: a structured PDF screen readers can follow.
PDF_OPTIONS = {"prefer_css_page_size": True, "print_background": True, "tagged": True, "outline": True}
MONTHS_BG = ("януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември", "октомври",
             "ноември", "декември")

# Before printing: links inside the book lose their targets (file:// addresses of this machine in a PDF are
# useless), web addresses get printed after their text, links that open a notebook say which one.
PREPARE_LINKS_JS = """() => {
  for (const a of document.querySelectorAll('article a[href]')) {
    const href = a.getAttribute('href');
    if (a.classList.contains('civickit-open')) {
      const m = href.match(/(?:lab\\/tree|voila\\/render)\\/(.+)$/);
      a.dataset.printTarget = m ? decodeURIComponent(m[1]) : '';
      a.removeAttribute('href');
    } else if (/^https?:\\/\\//.test(href)) {
      if (a.textContent.trim() !== href) a.classList.add('civickit-print-external');
    } else {
      a.removeAttribute('href');
    }
  }
  return document.querySelector('article h1')?.textContent.replace(/#$/, '').trim() || document.title;
}"""


@dataclass
class Page:
    docname: str          # e.g. book/01-civil-society/forms
    html: Path            # the built page
    part: str | None      # the outline's caption when this page opens a part (a module)
    title: str = ""       # the page's heading, read while printing
    pages: int = 0        # how many A4 pages it printed to
    first: int = 0        # its first page number in the whole edition


@dataclass
class Handouts:
    lessons: list[Path] = field(default_factory=list)
    edition: Path | None = None
    edition_pages: int = 0


def outline_pages(root: Path, html_dir: Path) -> list[Page]:
    """Every page of _toc.yml in reading order, with the part caption that opens before it."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    opens_part = {}
    for part in toc.get("parts") or []:
        first = next(iter(toc_files_of(part)), None)
        if first and part.get("caption"):
            opens_part[first] = part["caption"]
    pages, missing = [], []
    for docname in toc_files(root):
        docname = str(Path(docname).with_suffix("")) if Path(docname).suffix in (".md", ".ipynb") else docname
        built = html_dir / f"{docname}.html"
        if not built.is_file():
            missing.append(docname)
        pages.append(Page(docname, built, opens_part.get(docname)))
    if missing:
        raise KitError(f"{len(missing)} page(s) of _toc.yml are not in the built book {html_dir} "
                       f"(first: {missing[0]}); build it first: civickit build")
    return pages


def toc_files_of(node) -> list[str]:
    """The `file:` entries inside one part of _toc.yml, in reading order."""
    if isinstance(node, dict):
        own = [node["file"]] if "file" in node else []
        return own + [f for key, value in node.items() if key != "file" for f in toc_files_of(value)]
    if isinstance(node, list):
        return [f for item in node for f in toc_files_of(item)]
    return []


def css_string(text: str) -> str:
    """A CSS string literal (json's escaping of quotes and backslashes is valid CSS, newlines are not)."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def page_css(book_title: str, page_title: str, first_number: int | None) -> str:
    """Header and footer of one printed page. first_number=None: a lesson handout, numbered 1..N of N."""
    number = '"стр. " counter(page) " от " counter(pages)' if first_number is None else '"стр. " counter(page)'
    start = "" if first_number is None else f"@page :first {{ counter-increment: page {first_number}; }}"
    box = "font: 8.5pt sans-serif; color: #444;"
    return (f"@page {{ @top-left {{ content: {css_string(book_title)}; {box} }}"
            f" @bottom-left {{ content: {css_string(page_title)}; {box} }}"
            f" @bottom-right {{ content: {number}; {box} }} }} {start}")


def front_matter_html(book_title: str, author: str, pages: list[Page]) -> str:
    """Cover and contents of the whole edition (Bulgarian), with each page's number in the edition."""
    today = date.today()
    rows = []
    for p in pages:
        if p.part and p.part != p.title:
            rows.append(f"<tr class='part'><td colspan='2'>{html.escape(p.part)}</td></tr>")
        opens = " class='part'" if p.part == p.title else ""
        rows.append(f"<tr{opens}><td>{html.escape(p.title)}</td><td class='num'>{p.first}</td></tr>")
    return f"""<!doctype html><html lang="bg"><head><meta charset="utf-8"><title>{html.escape(book_title)}</title>
<style>
  @page {{ size: A4; margin: 18mm 18mm 18mm 18mm; }}
  body {{ font-family: sans-serif; font-size: 11pt; color: #000; }}
  .cover {{ height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }}
  .cover h1 {{ font-size: 28pt; margin: 0 0 6mm; }}
  .cover p {{ font-size: 13pt; margin: 2mm 0; }}
  h2 {{ font-size: 16pt; }}
  table {{ width: 100%; border-collapse: collapse; }}
  td {{ padding: 1mm 0; vertical-align: top; }}
  tr.part td {{ font-weight: bold; padding-top: 4mm; }}
  td.num {{ text-align: right; width: 15mm; }}
  tr {{ break-inside: avoid; }}
</style></head><body>
<section class="cover"><h1>{html.escape(book_title)}</h1><p>{html.escape(author)}</p>
<p>Издание за участниците · материали за печат</p><p>{today.day} {MONTHS_BG[today.month - 1]} {today.year} г.</p></section>
<h2>Съдържание</h2><table>{''.join(rows)}</table></body></html>"""


def select_pages(pages: list[Page], wanted: list[str]) -> list[Page]:
    """The outline's pages named in `wanted` (book/05-dialogue/index, 05-dialogue/index.md, ...), in outline order."""
    by_name = {p.docname: p for p in pages}
    chosen = set()
    for name in wanted:
        doc = str(Path(name).with_suffix("")) if Path(name).suffix in (".md", ".ipynb", ".html", ".pdf") else name
        doc = doc if doc in by_name else f"book/{doc}"
        if doc not in by_name:
            raise KitError(f"{name!r} is not a page of _toc.yml; name it as there, e.g. {pages[-1].docname}")
        chosen.add(doc)
    return [p for p in pages if p.docname in chosen]


def make_handouts(root: Path, html_dir: Path, out: Path, only: list[str] | None = None,
                  progress: Callable[[str], None] = print) -> Handouts:
    """Print every page of the built learner edition to out/<page>.pdf and the whole edition to
    out/learner-edition.pdf; with `only`, just those pages and no whole edition."""
    try:
        from playwright.sync_api import sync_playwright
        from pypdf import PdfReader
    except ImportError as err:
        raise KitError(f"civickit handouts needs Playwright and pypdf ({err.name} is missing): "
                       "make handouts, or pip install -c deploy/constraints.txt -e '.[handouts]'") from None
    from .browser import CHROMIUM_ARGS, chromium_path, chromium_problem

    problem = chromium_problem()
    if problem:
        raise KitError(problem)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    book_title, author = config.get("title", "civickit"), config.get("author", "")
    pages = outline_pages(root, html_dir)
    if only:
        pages = select_pages(pages, only)
    out.mkdir(parents=True, exist_ok=True)
    result = Handouts()
    width = len(str(len(pages)))
    with tempfile.TemporaryDirectory(prefix="civickit-handouts-") as tmp, sync_playwright() as pw:
        work = Path(tmp)
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
        try:
            tab = browser.new_context(locale="bg-BG").new_page()
            tab.emulate_media(media="print")
            edition_parts, next_number = [], 1
            for i, p in enumerate(pages, 1):
                footer = open_for_print(tab, p)
                handout = out / f"{p.docname.removeprefix('book/')}.pdf"
                handout.parent.mkdir(parents=True, exist_ok=True)
                footer.evaluate("(el, css) => { el.textContent = css; }", page_css(book_title, p.title, None))
                tab.pdf(path=str(handout), **PDF_OPTIONS)
                result.lessons.append(handout)
                p.pages = len(PdfReader(handout).pages)
                progress(f"[{i:>{width}}/{len(pages)}] {p.docname}: {p.pages} page(s) -> {handout}")
                if only:
                    continue
                # The same layout once more, numbered as a part of the whole edition.
                p.first = next_number
                footer.evaluate("(el, css) => { el.textContent = css; }", page_css(book_title, p.title, p.first))
                edition_parts.append(work / f"{i:04d}.pdf")
                tab.pdf(path=str(edition_parts[-1]), **PDF_OPTIONS)
                next_number += len(PdfReader(edition_parts[-1]).pages)
            if only:
                return result
            front = work / "front.pdf"
            tab.set_content(front_matter_html(book_title, author, pages), wait_until="load")
            tab.pdf(path=str(front), **PDF_OPTIONS)
        finally:
            browser.close()
        result.edition = out / EDITION_FILE
        result.edition_pages = merge_edition(front, list(zip(pages, edition_parts)), book_title, author, result.edition)
    progress(f"Whole learner edition: {result.edition_pages} pages -> {result.edition}")
    return result



def open_for_print(tab, page: Page):
    """Load a built page in print layout; returns the (empty) style element that will hold its header and footer."""
    tab.goto(page.html.resolve().as_uri(), wait_until="load")
    if tab.locator(".trainer-note").count():
        raise KitError(f"{page.html} shows trainer notes: handouts are printed from the learner edition only "
                       "(civickit build, without --edition trainer).")
    tab.add_style_tag(path=str(PRINT_CSS))
    page.title = tab.evaluate(PREPARE_LINKS_JS)
    tab.evaluate("document.fonts.ready.then(() => true)")
    return tab.add_style_tag(content="/* header and footer */")


def merge_edition(front: Path, parts: list[tuple[Page, Path]], book_title: str, author: str, target: Path) -> int:
    """Cover and contents, then every page's PDF in outline order, with bookmarks per module and page."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(front), import_outline=False)
    module = None
    for page, pdf in parts:
        start = len(writer.pages)
        writer.append(PdfReader(pdf), import_outline=False)
        if page.part:
            module = writer.add_outline_item(page.part, start)
        if page.title != page.part:
            writer.add_outline_item(page.title, start, parent=module)
    writer.add_metadata({"/Title": book_title, "/Author": author, "/Subject": "Издание за участниците"})
    with target.open("wb") as fh:
        writer.write(fh)
    return len(writer.pages)
