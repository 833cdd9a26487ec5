"""The course outline, read from its sources: the parts (modules) of _toc.yml and, for each lesson, its title,
minutes, questions, objectives, sections, trainer notes and notebooks; the graded assignments of each module.

One reader for everything generated from the outline (the landing page's overview, the syllabus, the session
plans and the training-day agenda), so none of them is a second copy of the lessons and none can go stale.

A lesson is a page of _toc.yml that opens with a {lesson-overview} (the lesson anatomy). A module is a part of
_toc.yml that holds lessons; its caption reads "Модул N. Заглавие". An assignment belongs to module N when its
notebook's first heading reads "Задание N. Заглавие" (the kit's convention; checked here, so a new assignment
without it is reported by name instead of missing silently from the syllabus).
"""

from __future__ import annotations

import difflib
import html
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .checks import toc_files, toc_parts
from .errors import KitError

LESSON_DIRECTIVE = "lesson-overview"
MODULE_CAPTION = re.compile(r"^Модул\s+(\d+)\.\s*(.+)$")
ASSIGNMENT_HEADING = re.compile(r"^#\s*Задание\s+(\d+)\.\s*(.+?)\s*$")
FIRST_HEADING = re.compile(r"^#\s.*$", re.M)
INTERACTIVE = re.compile(r"\{interactive\}`(?:[^`<]*<)?((?:exercises|practices)/[^`>]+\.ipynb)>?`")
OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")
WORD = re.compile(r"\w+")
TASK_TITLE = "Задача"  # an {admonition} whose title starts so is a task for the learners
# Lists inside the lesson-overview box, by their bold label.
OVERVIEW_LISTS = {"Въпроси": "questions", "Цели": "objectives"}


@dataclass
class Section:
    """One `##` section of a lesson: what is taught there and what the learners do."""

    title: str
    words: int = 0                                      # prose taught (outside tasks, solutions, notes, code)
    tasks: list[str] = field(default_factory=list)      # titles of its tasks ("Задача 1: ...")
    quizzes: int = 0
    notebooks: list[str] = field(default_factory=list)  # exercises/... or practices/... opened from it

    @property
    def activities(self) -> int:
        return len(self.tasks) + self.quizzes + len(self.notebooks)


@dataclass(eq=False)  # one object per lesson: compared and hashed by identity
class Lesson:
    docname: str        # book/05-dialogue/public-consultations
    source: Path
    title: str
    teaching: int       # minutes, from {lesson-overview}
    exercises: int
    module: str         # caption of its part
    questions: list[str] = field(default_factory=list)    # MyST inline text
    objectives: list[str] = field(default_factory=list)
    key_points: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    trainer_notes: list[str] = field(default_factory=list)  # MyST source of each {trainer-note}

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises

    @property
    def notebooks(self) -> list[str]:
        return list(dict.fromkeys(nb for s in self.sections for nb in s.notebooks))

    @property
    def tasks(self) -> int:
        return sum(len(s.tasks) for s in self.sections)

    @property
    def quizzes(self) -> int:
        return sum(s.quizzes for s in self.sections)


@dataclass
class Assignment:
    id: str             # folder under assignments/
    title: str          # from "Задание N. <title>"
    number: int
    notebook: str       # assignments/<id>/<notebook>.ipynb


@dataclass(eq=False)
class Module:
    caption: str
    number: int | None
    title: str
    pages: list[str]
    index: str | None   # the part's first page when it is not a lesson (the module's introduction)
    lessons: list[Lesson] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def teaching(self) -> int:
        return sum(lesson.teaching for lesson in self.lessons)

    @property
    def exercises(self) -> int:
        return sum(lesson.exercises for lesson in self.lessons)

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises

    @property
    def notebooks(self) -> list[str]:
        return list(dict.fromkeys(nb for lesson in self.lessons for nb in lesson.notebooks))


@dataclass
class Outline:
    root: Path
    modules: list[Module]      # the parts of _toc.yml that hold lessons, in reading order
    pages: list[str]           # every page of _toc.yml
    sources: list[Path]        # every file read (for Sphinx's rebuild dependencies)

    @property
    def lessons(self) -> list[Lesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def teaching(self) -> int:
        return sum(m.teaching for m in self.modules)

    @property
    def exercises(self) -> int:
        return sum(m.exercises for m in self.modules)

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises

    def module_of(self, lesson: Lesson) -> Module:
        return next(m for m in self.modules if lesson in m.lessons)

    def title_of(self, docname: str) -> str | None:
        lesson = next((les for les in self.lessons if les.docname == docname), None)
        if lesson:
            return lesson.title
        module = next((m for m in self.modules if m.index == docname), None)
        return module.caption if module else None

    def select(self, names: list[str]) -> list[Lesson]:
        """Lessons named on a command line, in the order given; a module (its folder or index) gives all of its lessons."""
        if not names:
            raise KitError("Name at least one lesson, e.g. book/05-dialogue/public-consultations "
                           "(or a module, e.g. book/05-dialogue).")
        chosen = []
        for name in names:
            chosen.extend(self._resolve(name))
        return chosen

    def _resolve(self, name: str) -> list[Lesson]:
        docname = normalise_docname(name)
        for lesson in self.lessons:
            if lesson.docname == docname:
                return [lesson]
        for module in self.modules:
            folder = str(Path(module.pages[0]).parent)
            if docname in (folder, module.index):
                return list(module.lessons)
        if docname in self.pages:
            raise KitError(f"'{name}' is a page of _toc.yml but not a lesson (it has no {{{LESSON_DIRECTIVE}}} "
                           "box with minutes); name one of its module's lessons instead.")
        known = [les.docname for les in self.lessons]
        close = difflib.get_close_matches(docname, known, n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(close)}?" if close else f" Lessons look like {known[0]}."
        raise KitError(f"Unknown lesson '{name}': no lesson {docname} in _toc.yml.{hint}")


def normalise_docname(name: str) -> str:
    """'05-dialogue/public-consultations.md', './book/05-dialogue/' ... -> 'book/05-dialogue/...'."""
    text = name.strip().replace("\\", "/").strip("/")
    text = re.sub(r"^(\./)+", "", text)
    text = re.sub(r"\.(md|ipynb)$", "", text)
    return text if text.startswith("book/") or text == "book" else f"book/{text}"


# ------------------------------------------------------------------------------------------------- reading


@lru_cache(maxsize=1)
def markdown():
    """The MyST block syntax the kit's pages use (colon fences, roles), as markdown-it tokens."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.myst_role import myst_role_plugin

    return MarkdownIt("commonmark").use(colon_fence_plugin).use(myst_role_plugin).use(deflist_plugin).enable("table")


def page_source(root: Path, docname: str) -> tuple[Path, str]:
    for suffix in (".md", ".ipynb"):
        path = root / f"{docname}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            if suffix == ".ipynb":
                cells = json.loads(text).get("cells", [])
                text = "\n\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                                   for c in cells if c.get("cell_type") == "markdown")
            return path, text
    raise KitError(f"_toc.yml entry `{docname}` points nowhere: no {docname}.md or {docname}.ipynb under {root}.")


def fence_name(info: str) -> tuple[str, str]:
    """'{admonition} Задача 1: ...' -> ('admonition', 'Задача 1: ...')."""
    match = re.match(r"^\{([\w:-]+)\}\s*(.*)$", info.strip())
    return (match.group(1), match.group(2)) if match else ("", info.strip())


def fence_options(content: str) -> tuple[dict[str, str], str]:
    """The `:key: value` lines that open a directive's content, and the rest."""
    options, lines = {}, content.splitlines()
    while lines and OPTION.match(lines[0]):
        key, value = OPTION.match(lines.pop(0)).groups()
        options[key] = value.strip()
    return options, "\n".join(lines)


def list_items(text: str) -> dict[str, list[str]]:
    """The bullet items of a MyST text, grouped by the bold label that precedes them ('' before any label)."""
    groups: dict[str, list[str]] = {"": []}
    label, depth = "", 0
    for token in markdown().parse(text):
        if token.type == "list_item_open":
            depth += 1
        elif token.type == "list_item_close":
            depth -= 1
        elif token.type == "inline":
            bold = re.fullmatch(r"\*\*(.+?)\*\*:?", token.content.strip())
            if depth == 0 and bold:
                label = bold.group(1).strip()
                groups.setdefault(label, [])
            elif depth == 1:
                groups.setdefault(label, []).append(token.content.strip())
    return groups


def words(text: str) -> int:
    return len(WORD.findall(re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)))


def read_lesson(root: Path, docname: str, module: str) -> Lesson | None:
    """The lesson on page `docname`, or None when the page has no {lesson-overview} (not a lesson)."""
    path, text = page_source(root, docname)
    tokens = markdown().parse(text)
    rel = path.relative_to(root)
    title, overview, sections = None, None, []
    key_points, notes = [], []
    current = Section("Въведение")
    heading = None
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag
            continue
        if token.type == "inline" and heading:
            if heading == "h1" and title is None:
                title = plain_text(token.content)
            elif heading == "h2":
                sections.append(current)
                current = Section(plain_text(token.content))
            else:
                current.words += words(token.content)
            heading = None
            continue
        if token.type == "colon_fence":
            name, argument = fence_name(token.info)
            options, body = fence_options(token.content)
            if name == LESSON_DIRECTIVE:
                overview = (options, list_items(body))
            elif name == "key-points":
                key_points = list_items(body)[""]
            elif name == "trainer-note":
                notes.append(body.strip())
            elif name == "quiz":
                current.quizzes += 1
            elif name == "practice-list":  # the directive links every case study
                from .casestudy import practices

                current.notebooks.extend(p["notebook"] for p in practices().values())
            elif name == "admonition" and argument.startswith(TASK_TITLE):
                current.tasks.append(plain_text(argument))
                current.notebooks.extend(INTERACTIVE.findall(body))
            elif name not in ("dropdown", "diagram"):  # solutions and diagrams are not prose taught
                current.words += words(body)
                current.notebooks.extend(INTERACTIVE.findall(body))
        elif token.type == "inline":
            current.words += words(token.content)
            current.notebooks.extend(INTERACTIVE.findall(token.content))
    sections.append(current)
    if overview is None:
        return None
    options, lists = overview
    minutes = {}
    for key in ("teaching", "exercises"):
        value = options.get(key, "")
        if not value.isdigit():
            raise KitError(f"{rel}: {{{LESSON_DIRECTIVE}}} needs :{key}: with whole minutes (found {value!r}).")
        minutes[key] = int(value)
    if not title:
        raise KitError(f"{rel}: a lesson page needs a title line starting with '# '.")
    lesson = Lesson(docname, path, title, minutes["teaching"], minutes["exercises"], module,
                    key_points=key_points, trainer_notes=notes,
                    sections=[s for s in sections if s.title != "Въведение" or s.words or s.activities])
    for label, attribute in OVERVIEW_LISTS.items():
        setattr(lesson, attribute, lists.get(label, []))
    return lesson


def read_assignments(root: Path) -> tuple[list[Assignment], list[Path]]:
    found, read = [], []
    for folder in sorted(p for p in (root / "assignments").glob("*") if p.is_dir() and not p.name.startswith(".")):
        notebooks = sorted(folder.glob("*.ipynb"))
        if not notebooks:
            continue
        notebook = notebooks[0]
        read.append(notebook)
        first = FIRST_HEADING.search(notebook_markdown(notebook))
        match = ASSIGNMENT_HEADING.match(first.group(0)) if first else None
        if not match:
            raise KitError(f"{notebook.relative_to(root)}: its first heading must read '# Задание N. Заглавие' "
                           "(N = the number of its module) so that the syllabus and the session plans can place it.")
        found.append(Assignment(folder.name, match.group(2), int(match.group(1)), str(notebook.relative_to(root))))
    return found, read


def notebook_markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return "\n\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                       for c in cells if c.get("cell_type") == "markdown")


def notebook_title(root: Path, notebook: str) -> str:
    """The first heading of a notebook (what a learner sees when it opens), else its file name."""
    path = root / notebook
    if path.is_file():
        match = re.search(r"^#\s+(.+?)\s*$", notebook_markdown(path), re.M)
        if match:
            return plain_text(match.group(1))
    return Path(notebook).stem


def notebook_lead(root: Path, notebook: str) -> str:
    """The first paragraph under a notebook's title, as plain text (what the tool says it does)."""
    text = notebook_markdown(root / notebook)
    after_title = re.split(r"^#\s+.+$", text, maxsplit=1, flags=re.M)[-1]
    for paragraph in re.split(r"\n\s*\n", after_title):
        paragraph = paragraph.strip()
        if paragraph and not paragraph.startswith(("#", "**", "1.", "-", "```")):
            return plain_text(" ".join(paragraph.split()))
    return ""


def read_outline(root: Path) -> Outline:
    root = Path(root)
    sources = [root / "_toc.yml"]
    modules = []
    for caption, pages in toc_parts(root):
        match = MODULE_CAPTION.match(caption)
        module = Module(caption, int(match.group(1)) if match else None, match.group(2) if match else caption,
                        pages, None)
        for docname in pages:
            lesson = read_lesson(root, docname, caption)
            sources.append(page_source(root, docname)[0])
            if lesson:
                module.lessons.append(lesson)
            elif docname == pages[0]:
                module.index = docname
        if module.lessons:
            modules.append(module)
    assignments, read = read_assignments(root)
    sources.extend(read)
    by_number = {m.number: m for m in modules if m.number is not None}
    for assignment in assignments:
        if assignment.number not in by_number:
            raise KitError(f"{assignment.notebook}: 'Задание {assignment.number}' names no module of _toc.yml "
                           f"(modules: {', '.join(str(n) for n in by_number)}); fix its first heading.")
        by_number[assignment.number].assignments.append(assignment)
    return Outline(root, modules, toc_files(root), sources)


# ------------------------------------------------------------------------------------------------ rendering


def plain_text(text: str) -> str:
    """MyST inline text without markup: roles give their label, emphasis and code marks go."""
    text = re.sub(r"\{[\w:-]+\}`([^`]*)`", lambda m: role_label(m.group(1)), text)
    return re.sub(r"[*_`]", "", text).strip()


def role_label(content: str) -> str:
    """`label <target>` -> label; `target` -> target."""
    match = re.fullmatch(r"\s*(.*?)\s*<([^>]*)>\s*", content, re.S)
    return match.group(1) if match and match.group(1) else content.strip()


def to_html(text: str, outline: Outline | None = None, docname: str = "", inline: bool = False) -> str:
    """MyST text (a trainer note, a list item) as HTML for the printable plans; roles become readable text."""
    from markdown_it.renderer import RendererHTML

    md = markdown()
    env = {"outline": outline, "docname": docname}
    renderer = RendererHTML(md)
    renderer.rules["myst_role"] = lambda tokens, idx, options, env: render_role(tokens[idx].meta["name"],
                                                                                 tokens[idx].content, env)
    tokens = md.parseInline(text, env) if inline else md.parse(text, env)
    return renderer.render(tokens, md.options, env)


def render_role(name: str, content: str, env: dict) -> str:
    outline, docname = env.get("outline"), env.get("docname", "")
    if name.startswith("cite"):
        return f'<span class="cite">[{html.escape(content)}]</span>'
    if name == "doc":
        label = role_label(content)
        if label == content.strip() and outline:
            import posixpath

            target = posixpath.normpath(posixpath.join(posixpath.dirname(docname), content.strip()))
            label = outline.title_of(target) or label
        return f"<em>{html.escape(label)}</em>"
    if name == "interactive":
        path = role_label(content) if "<" not in content else content.split("<", 1)[1].rstrip(">").strip()
        return f'<span class="material">▶ <code>{html.escape(path)}</code></span>'
    return html.escape(role_label(content))


def duration_bg(minutes: int) -> str:
    """125 -> '2 ч 05 мин'; 45 -> '45 мин' (clock hours of 60 minutes)."""
    hours, rest = divmod(minutes, 60)
    return f"{hours}\u00a0ч {rest:02d}\u00a0мин" if hours else f"{rest}\u00a0мин"


def count_bg(n: int, one: str, many: str) -> str:
    """Bulgarian counted forms: 1 урок, 4 урока; 1 модул, 10 модула."""
    return f"{n}\u00a0{one if n == 1 else many}"
