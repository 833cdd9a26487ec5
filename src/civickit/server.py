"""Jupyter server extension: the built book on the same server as JupyterLab and Voila.

The learner edition is served at /course/, the trainer edition (if built) at /trainer/.
Both need the server's token, like everything else on it.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_server.base.handlers import AuthenticatedFileHandler, JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

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
    static = Path(__file__).parent / "static"
    handlers.append((url_path_join(base, "civickit/static/(.*)"), web.StaticFileHandler, {"path": str(static)}))
    # Voila would otherwise point its pages at MathJax on a CDN.
    serverapp.web_app.settings["mathjax_url"] = url_path_join(base, "civickit/static/no-mathjax.js")
    serverapp.web_app.add_handlers(".*$", handlers)
    serverapp.log.info("civickit: book served at %s", url_path_join(base, "course/"))
