"""Directives generated from the course outline (civickit.outline), so the pages that list the course never go stale.

course-overview: the landing page's list of modules, each with links to its lessons, lesson count and hours.
syllabus: the one-page syllabus: modules, lessons, minutes, exercises and assignments.
tool-list: every tool in practices/tools/ with what it does, a link that opens it and the lessons that use it.
Both are learner-facing: they never show trainer notes. Registered in civickit.sphinx_ext.setup.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .errors import KitError
from .outline import Lesson, Module, Outline, count_bg, duration_bg, notebook_lead, notebook_title, read_outline


def doc_link(docname: str, text: str, refdoc: str, css: str) -> addnodes.pending_xref:
    """A link Sphinx resolves like {doc}: a missing page is a warning (an error in the strict build)."""
    ref = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{docname}", refexplicit=True,
                                refwarn=True, refdoc=refdoc)
    ref += nodes.inline(text=text, classes=[css])
    return ref


def minutes_text(item: Lesson | Module | Outline) -> str:
    return (f"{duration_bg(item.minutes)} (обучение {item.teaching}\u00a0мин, "
            f"упражнения {item.exercises}\u00a0мин)")


class OutlineDirective(SphinxDirective):
    def outline(self) -> Outline:
        try:
            outline = read_outline(Path(self.env.srcdir))
        except KitError as err:
            raise self.error(f"{self.name}: {err}") from None
        for path in outline.sources:  # this page is rebuilt when a lesson, _toc.yml or an assignment changes
            self.env.note_dependency(str(path))
        return outline

    def module_head(self, module: Module) -> nodes.paragraph:
        para = nodes.paragraph()
        first = module.index or module.lessons[0].docname
        strong = nodes.strong()
        strong += doc_link(first, module.caption, self.env.docname, "civickit-module-title")
        para += strong
        return para


class CourseOverview(OutlineDirective):
    """Every module with links to all its lessons, the number of lessons and the minutes."""

    def run(self):
        outline = self.outline()
        modules = nodes.bullet_list(classes=["civickit-course-overview"])
        for module in outline.modules:
            para = self.module_head(module)
            para += nodes.Text(f" — {count_bg(len(module.lessons), 'урок', 'урока')}, {minutes_text(module)}")
            lessons = nodes.bullet_list()
            for lesson in module.lessons:
                lesson_para = nodes.paragraph()
                lesson_para += doc_link(lesson.docname, lesson.title, self.env.docname, "civickit-lesson-title")
                lesson_para += nodes.Text(f" · {lesson.minutes}\u00a0мин")
                lessons += nodes.list_item("", lesson_para, classes=["civickit-lesson"])
            modules += nodes.list_item("", para, lessons, classes=["civickit-module"])
        total = nodes.paragraph(text=f"Общо: {count_bg(len(outline.modules), 'модул', 'модула')}, "
                                     f"{count_bg(len(outline.lessons), 'урок', 'урока')}, {minutes_text(outline)}.")
        return [modules, total]


class Syllabus(OutlineDirective):
    """The syllabus: a summary table of the modules, then each module's lessons with minutes and materials."""

    HEAD = ("Урок", "Обучение, мин", "Упражнения, мин", "Общо, мин", "Упражнения и казуси")

    def run(self):
        outline = self.outline()
        root = Path(self.env.srcdir)
        out = [nodes.paragraph(text=f"Курсът има {count_bg(len(outline.modules), 'модул', 'модула')} и "
                                    f"{count_bg(len(outline.lessons), 'урок', 'урока')}: общо "
                                    f"{minutes_text(outline)}. Часовете са астрономически (по 60 минути); "
                                    "времето на всеки урок е взето от прегледа в началото му.")]
        summary = [[self.cell_link(m.index or m.lessons[0].docname, m.caption), str(len(m.lessons)),
                    str(m.teaching), str(m.exercises), duration_bg(m.minutes),
                    "; ".join(f"Задание {a.number}. {a.title}" for a in m.assignments) or "—"]
                   for m in outline.modules]
        summary.append([nodes.strong(text="Общо"), str(len(outline.lessons)), str(outline.teaching),
                        str(outline.exercises), duration_bg(outline.minutes), ""])
        out.append(table(("Модул", "Уроци", "Обучение, мин", "Упражнения, мин", "Общо", "Задание за оценка"),
                         summary, "civickit-syllabus-summary"))
        for module in outline.modules:
            out.append(nodes.rubric(text=module.caption))
            rows = [[self.cell_link(lesson.docname, lesson.title), str(lesson.teaching), str(lesson.exercises),
                     str(lesson.minutes), self.materials(root, lesson)] for lesson in module.lessons]
            rows.append([nodes.strong(text="Общо за модула"), str(module.teaching), str(module.exercises),
                         f"{module.minutes} ({duration_bg(module.minutes)})", ""])
            out.append(table(self.HEAD, rows, "civickit-syllabus-module"))
            for assignment in module.assignments:
                para = nodes.paragraph()
                para += nodes.strong(text="Задание за оценка: ")
                para += nodes.Text(f"Задание {assignment.number}. {assignment.title} (")
                para += nodes.literal(text=assignment.id)
                para += nodes.Text("); обучителят го публикува, а участниците го предават и получават оценка "
                                   "и обратна връзка.")
                out.append(para)
        return out

    def cell_link(self, docname: str, text: str) -> nodes.paragraph:
        para = nodes.paragraph()
        para += doc_link(docname, text, self.env.docname, "civickit-syllabus-link")
        return para

    def materials(self, root: Path, lesson: Lesson) -> nodes.Node | str:
        from .sphinx_ext import interactive_uri

        if not lesson.notebooks:
            return "—"
        para = nodes.paragraph()
        for i, notebook in enumerate(lesson.notebooks):
            if i:
                para += nodes.Text("; ")
            ref = nodes.reference("", "", refuri=interactive_uri(self.env.docname, notebook),
                                  classes=["civickit-open", f"civickit-open-{notebook.split('/', 1)[0]}"])
            ref += nodes.Text(notebook_title(root, notebook))
            para += ref
        return para


class ToolList(OutlineDirective):
    """The tools of practices/tools/ (found by civickit.app_catalog, so a new tool is listed without an edit here)."""

    def run(self):
        from .app_catalog import apps
        from .sphinx_ext import interactive_uri

        outline = self.outline()
        root = Path(self.env.srcdir)
        items = nodes.bullet_list(classes=["civickit-tool-list"])
        for app in apps(root):
            if app.kind != "tool" or not app.path.startswith("tools/"):  # the case-study explorer is module 7's
                continue
            notebook = f"practices/{app.path}"
            self.env.note_dependency(str(root / notebook))
            para = nodes.paragraph()
            para += nodes.strong(text=app.title)
            para += nodes.Text(f". {notebook_lead(root, notebook)} ")
            ref = nodes.reference("", "", refuri=interactive_uri(self.env.docname, notebook),
                                  classes=["civickit-open", "civickit-open-practices"])
            ref += nodes.Text("▶ Отворете инструмента")
            para += ref
            item = nodes.list_item("", para, classes=["civickit-tool"])
            used_in = [lesson for lesson in outline.lessons if notebook in lesson.notebooks]
            if used_in:
                uses = nodes.paragraph(text="Използва се в урока: " if len(used_in) == 1 else "Използва се в уроците: ")
                for i, lesson in enumerate(used_in):
                    if i:
                        uses += nodes.Text("; ")
                    uses += doc_link(lesson.docname, lesson.title, self.env.docname, "civickit-lesson-title")
                item += uses
            items += item
        return [items]


def table(head: tuple[str, ...], rows: list[list], css: str) -> nodes.table:
    """A docutils table; a cell is text or a node."""
    tbl = nodes.table(classes=[css, "civickit-outline-table"])
    group = nodes.tgroup(cols=len(head))
    tbl += group
    for _ in head:
        group += nodes.colspec(colwidth=1)
    thead = nodes.thead()
    thead += row_node(head)
    group += thead
    body = nodes.tbody()
    for row in rows:
        body += row_node(row)
    group += body
    return tbl


def row_node(cells) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        if isinstance(cell, str):
            cell = nodes.paragraph(text=cell)
        elif not isinstance(cell, nodes.paragraph):
            cell = nodes.paragraph("", "", cell)
        row += nodes.entry("", cell)
    return row
