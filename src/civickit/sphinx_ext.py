"""Sphinx extension for the lesson anatomy and the links into the live server.

Directives: lesson-overview, key-points, trainer-note, practice-list, quiz (civickit.quiz),
diagram (civickit.diagrams), course-overview, syllabus and tool-list (civickit.outline_directives). Role: interactive.
Enabled from _config.yml (sphinx.extra_extensions).
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from . import book_screens
from .diagrams import Diagram
from .locale_overrides import install as install_locale_overrides
from .outline_directives import CourseOverview, Syllabus, ToolList
from .quiz import Quiz
from .search_bg import setup_search

logger = logging.getLogger(__name__)

EDITIONS = ("learner", "trainer")

# Where each kind of notebook opens on the server started by `civickit start`. An exercise opens as the
# learner's own copy (civickit.server.ExerciseHandler), so the kit's exercises/ keep git's version.
INTERACTIVE_TARGETS = {
    "exercises": ("civickit/exercise", "Отворете упражнението в JupyterLab"),
    "practices": ("voila/render", "Отворете интерактивния казус"),
}
# The built book is served at <server>/course/ (trainer edition: <server>/trainer/), one level below the root.
BOOK_MOUNT_DEPTH = 1


def interactive_uri(docname: str, target: str) -> str:
    """The link from page `docname` to a notebook, opened on the server the book is served from."""
    folder, _, rest = target.partition("/")
    prefix, _ = INTERACTIVE_TARGETS[folder]
    path = rest if folder == "exercises" else target  # the handler takes the exercise's file name
    return "../" * (docname.count("/") + BOOK_MOUNT_DEPTH) + f"{prefix}/{path}"


def edition() -> str:
    value = os.environ.get("CIVICKIT_EDITION", "learner")
    if value not in EDITIONS:
        raise ValueError(f"CIVICKIT_EDITION={value!r}: use one of {', '.join(EDITIONS)}")
    return value


def _admonition(directive: SphinxDirective, title: str, css_class: str) -> list[nodes.Node]:
    node = nodes.admonition("", classes=[css_class])
    node += nodes.title(text=title)
    directive.state.nested_parse(directive.content, directive.content_offset, node)
    return [node]


class LessonOverview(SphinxDirective):
    """The opening box of a lesson: questions, objectives and minutes."""

    has_content = True
    option_spec = {"teaching": directives.nonnegative_int, "exercises": directives.nonnegative_int}

    def run(self):
        missing = [k for k in ("teaching", "exercises") if k not in self.options]
        if missing:
            raise self.error(f"lesson-overview needs :{': and :'.join(missing)}: (minutes)")
        title = f"Преглед на урока · обучение: {self.options['teaching']} мин · упражнения: {self.options['exercises']} мин"
        self.env.metadata[self.env.docname]["civickit_lesson"] = True
        return _admonition(self, title, "lesson-overview")


class KeyPoints(SphinxDirective):
    has_content = True

    def run(self):
        return _admonition(self, "Основни изводи", "key-points")


class TrainerNote(SphinxDirective):
    """Shown in the trainer edition only; the learner edition drops it before it reaches HTML."""

    has_content = True

    def run(self):
        if edition() != "trainer":
            return []
        return _admonition(self, "Бележка за обучителя", "trainer-note")


class InteractiveRole(SphinxRole):
    """`{interactive}`exercises/x.ipynb`` -> a link that opens the notebook on the same server."""

    def run(self):
        text = self.text.strip()
        label = None
        if text.endswith(">") and "<" in text:
            label, _, text = text[:-1].partition("<")
            label = label.strip()
        folder = text.split("/", 1)[0]
        # the server copies an exercise by its file name: exercises sit directly in exercises/
        nested_exercise = folder == "exercises" and text.count("/") > 1
        if folder not in INTERACTIVE_TARGETS or not text.endswith(".ipynb") or nested_exercise:
            msg = self.inliner.reporter.error(
                f"interactive: {text!r} must be exercises/<name>.ipynb or practices/<name>.ipynb", line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        root = Path(self.env.srcdir)
        if not (root / text).is_file():
            msg = self.inliner.reporter.error(
                f"interactive: {text} does not exist under {root}; create it or fix the path", line=self.lineno
            )
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        default_label = INTERACTIVE_TARGETS[folder][1]
        ref = nodes.reference("", "", refuri=interactive_uri(self.env.docname, text), classes=["civickit-open", f"civickit-open-{folder}"])
        ref += nodes.Text(f"▶ {label or default_label}")
        return [ref], []


class PracticeList(SphinxDirective):
    """Every case study in data/practices/, with its summary and a link that opens it in Voila."""

    def run(self):
        from .casestudy import practices

        items = nodes.bullet_list()
        for practice in practices().values():
            if not (Path(self.env.srcdir) / practice["notebook"]).is_file():
                raise self.error(f"{practice['slug']}: notebook {practice['notebook']} does not exist")
            para = nodes.paragraph()
            para += nodes.strong(text=f"{practice['title_bg']}")
            para += nodes.Text(f" ({practice['place_bg']}, {practice['country_bg']}, от {practice['since']} г.). {practice['summary_bg']} ")
            ref = nodes.reference("", "", refuri=interactive_uri(self.env.docname, practice["notebook"]),
                                  classes=["civickit-open", "civickit-open-practices"])
            ref += nodes.Text("▶ Отворете казуса")
            para += ref
            items += nodes.list_item("", para)
        return [items]


def exclude_workspaces(app, config):
    """A cohort workspace inside the kit is never read as pages, whatever its name (solutions, learners' work)."""
    from .paths import workspaces_inside

    config.exclude_patterns.extend(workspaces_inside(Path(app.srcdir)))


def setup(app):
    edition()  # fail early on a bad CIVICKIT_EDITION
    app.add_directive("lesson-overview", LessonOverview)
    app.add_directive("key-points", KeyPoints)
    app.add_directive("trainer-note", TrainerNote)
    app.add_role("interactive", InteractiveRole())
    app.add_directive("quiz", Quiz)
    app.add_directive("practice-list", PracticeList)
    app.add_directive("diagram", Diagram)
    app.add_directive("course-overview", CourseOverview)
    app.add_directive("syllabus", Syllabus)
    app.add_directive("tool-list", ToolList)
    static = Path(__file__).parent / "static"
    app.connect("builder-inited", lambda a: a.config.html_static_path.append(str(static)))
    app.connect("config-inited", install_locale_overrides)
    app.connect("config-inited", exclude_workspaces)
    # Ahead of the theme's own: a few of its components hard-code English labels.
    templates = str(Path(__file__).parent / "templates")
    app.connect("config-inited", lambda _app, config: config.templates_path.insert(0, templates))
    app.add_css_file("civickit.css")
    app.add_js_file("civickit.js", loading_method="defer")
    book_screens.setup(app)  # theme colour mode, Bulgarian bibliography, its list roles
    setup_search(app)  # Bulgarian search language for `language: bg` (stemmer and stop words)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
