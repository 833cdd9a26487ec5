"""The `civickit` command: one subcommand per job.

Imports stay inside the commands so that `civickit --help` answers at once.
"""

from __future__ import annotations

import sys

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


def _fail(err) -> None:
    click.secho(f"civickit: {err}", fg="red", err=True)
    sys.exit(2)


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="civickit")
def main():
    """Course kit for civil-society organisations of the Yambol region."""


@main.command()
@click.option("--edition", type=click.Choice(["learner", "trainer"]), default="learner", show_default=True)
@click.option("--strict", is_flag=True, help="Warnings are errors (the CI build).")
@click.option("--all", "full", is_flag=True, help="Rebuild every page, not only changed ones.")
def build(edition, strict, full):
    """Build the course book into _build/."""
    from .book import build as build_book
    from .errors import KitError
    from .paths import course_root

    try:
        out = build_book(course_root(), edition=edition, strict=strict, full=full)
    except KitError as err:
        _fail(err)
    click.echo(f"Book ({edition} edition): {out / 'index.html'}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; keep loopback unless you mean it.")
@click.option("--port", default=8890, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-build", is_flag=True, help="Serve the book as already built.")
def start(host, port, no_build):
    """Build the book (incrementally) and serve book, JupyterLab, nbgrader and Voila on one server."""
    from .book import build as build_book
    from .errors import KitError
    from .paths import course_root
    from .start import check_port_free
    from .start import start as start_server

    try:
        root = course_root()
        check_port_free(host, port)  # before a build that can take minutes
        if not no_build:
            build_book(root)
        start_server(root, host=host, port=port)
    except KitError as err:
        _fail(err)


@main.command()
def check():
    """Check the course files: _toc.yml entries and notebook JSON."""
    from .checks import check_notebooks, check_toc
    from .errors import KitError
    from .paths import course_root

    try:
        root = course_root()
        pages = check_toc(root)
        notebooks = check_notebooks(root)
    except KitError as err:
        _fail(err)
    click.echo(f"OK: {pages} pages in _toc.yml, {notebooks} notebooks.")


@main.group()
def data():
    """The course's data tables."""


@data.command("regenerate")
def data_regenerate():
    """Rewrite the synthetic tables from their seeded generators."""
    from .datasets import DATA, catalogue
    from .synthetic import GENERATORS

    for name, make in GENERATORS.items():
        path = DATA / catalogue()[name]["file"]
        make().to_csv(path, index=False, encoding="utf-8")
        click.echo(f"wrote {path}")


@main.command()
def doctor():
    """Say what this machine lacks for the kit (Chromium for the browser tests)."""
    from .browser import chromium_problem

    problem = chromium_problem()
    if problem:
        _fail(problem)
    click.echo("OK: Chromium found; the browser tests can run.")
