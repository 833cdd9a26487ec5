"""Jupyter server extension: the built book on the same server as JupyterLab and Voila.

The learner edition is served at /course/, the trainer edition (if built) at /trainer/.
Both need the server's token, like everything else on it. The book's exercise links go to
/civickit/exercise/<name>, which opens the learner's own copy (civickit.learner_copy).
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from jupyter_server.base.handlers import AuthenticatedFileHandler, JupyterHandler
from jupyter_server.utils import url_escape, url_path_join
from tornado import web

from . import learner_copy
from .book import html_dir

MOUNTS = {"course": "learner", "trainer": "trainer"}


class BookHandler(AuthenticatedFileHandler):
    """The built book: token-protected, but not sandboxed like user files.

    Jupyter sandboxes files it serves from the contents tree (they may be anyone's HTML);
    the book is the kit's own build, and a sandboxed page loses its login cookie and search.
    """

    @property
    def content_security_policy(self) -> str:
        return JupyterHandler.content_security_policy.fget(self)


class BookNotBuiltHandler(JupyterHandler):
    """Answers when an edition has not been built yet, saying how to build it."""

    def initialize(self, edition: str):
        self.edition = edition

    @web.authenticated
    def get(self, _path=""):
        self.set_status(404)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            "<!doctype html><html lang='bg'><meta charset='utf-8'><title>Книгата не е изградена</title>"
            f"<main><h1>Книгата ({self.edition}) още не е изградена</h1>"
            f"<p>Изпълнете <code>civickit build --edition {self.edition}</code> и презаредете страницата.</p>"
            f"<p lang='en'>The {self.edition} edition is not built: run <code>civickit build --edition {self.edition}</code>.</p></main></html>"
        )


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='bg'><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{html.escape(title)}</title>"
            f"<main style='max-width:40rem;margin:2rem auto;padding:0 1rem;font-family:sans-serif;line-height:1.5'>"
            f"<h1>{html.escape(title)}</h1>{body}</main></html>")


class ExerciseHandler(JupyterHandler):
    """/civickit/exercise/<name>: the learner's own copy of a kit exercise, opened in JupyterLab.

    GET makes the copy on first open and redirects to it. When the kit's notebook changed since the
    copy was made, it asks instead: keep working in the copy, or take a fresh copy (POST, with the
    server's XSRF check). Nothing is written for a bad or unknown name.
    """

    def initialize(self, kit_root: Path):
        self.kit_root = kit_root

    def _lab_url(self, copy: Path) -> str:
        served = Path(self.settings["server_root_dir"]).expanduser().resolve()
        if not copy.resolve().is_relative_to(served):
            # the server was started some other way than `civickit start`, with the workspace elsewhere
            raise web.HTTPError(500, f"learner copy {copy} is outside the served folder {served}")
        rel = copy.resolve().relative_to(served).as_posix()
        return url_path_join(self.base_url, "lab/tree", url_escape(rel))

    def _refuse(self, err: Exception, name: str) -> None:
        if isinstance(err, learner_copy.BadName):
            self.set_status(400)
            title, text = "Невалидно име на упражнение", "Адресът не е име на упражнение от курса."
        else:
            self.set_status(404)
            title, text = "Няма такова упражнение", "В курса няма упражнение с това име."
        self.log.warning("civickit: exercise %r refused (%s)", name, type(err).__name__)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        back = url_path_join(self.base_url, "course/index.html")
        self.finish(_page(title, f"<p>{text} <code>{html.escape(name)}</code></p>"
                                 f"<p><a href='{back}'>Към книгата на курса</a></p>"))

    @web.authenticated
    def get(self, name: str):
        try:
            opened = learner_copy.open_copy(self.kit_root, name)
        except (learner_copy.BadName, learner_copy.UnknownExercise) as err:
            return self._refuse(err, name)
        if not opened.kit_changed:
            return self.redirect(self._lab_url(opened.copy))
        self.set_header("Content-Type", "text/html; charset=utf-8")
        yours = html.escape(opened.copy.name)
        self.finish(_page("Упражнението е обновено", (
            f"<p>След като направихте своето копие <code>{yours}</code>, упражнението в курса е обновено. "
            "Вашето копие и отговорите в него са запазени непроменени.</p>"
            f"<form method='post'>{self.xsrf_form_html()}"
            "<p><button name='action' value='keep'>Продължете с моето копие</button></p>"
            "<p><button name='action' value='fresh'>Отворете ново копие на обновеното упражнение</button> "
            "(вашето сегашно копие остава в папка „" + html.escape(learner_copy.FOLDER) + "“)</p></form>"
        )))

    @web.authenticated
    def post(self, name: str):
        action = self.get_body_argument("action", "")
        try:
            if action == "keep":
                copy = learner_copy.keep_copy(self.kit_root, name)
            elif action == "fresh":
                copy = learner_copy.fresh_copy(self.kit_root, name)
            else:
                raise web.HTTPError(400, f"unknown action {action!r}")
        except (learner_copy.BadName, learner_copy.UnknownExercise) as err:
            return self._refuse(err, name)
        self.redirect(self._lab_url(copy), status=303)


def _load_jupyter_server_extension(serverapp):
    root = Path(serverapp.root_dir)
    base = serverapp.web_app.settings["base_url"]
    handlers = []
    for mount, edition in MOUNTS.items():
        pattern = url_path_join(base, mount, "(.*)")
        folder = html_dir(root, edition)
        if (folder / "index.html").is_file():
            handlers.append((pattern, BookHandler, {"path": str(folder), "default_filename": "index.html"}))
        else:
            handlers.append((pattern, BookNotBuiltHandler, {"edition": edition}))
        handlers.append((url_path_join(base, mount), web.RedirectHandler, {"url": url_path_join(base, mount) + "/"}))
    # The kit whose exercises are copied: CIVICKIT_ROOT (a hub trainer's course sits below the served home).
    kit_root = Path(os.environ.get("CIVICKIT_ROOT") or root)
    handlers.append((url_path_join(base, "civickit/exercise/(.*)"), ExerciseHandler, {"kit_root": kit_root}))
    static = Path(__file__).parent / "static"
    handlers.append((url_path_join(base, "civickit/static/(.*)"), web.StaticFileHandler, {"path": str(static)}))
    # Voila would otherwise point its pages at MathJax on a CDN.
    serverapp.web_app.settings["mathjax_url"] = url_path_join(base, "civickit/static/no-mathjax.js")
    serverapp.web_app.add_handlers(".*$", handlers)
    serverapp.log.info("civickit: book served at %s", url_path_join(base, "course/"))
