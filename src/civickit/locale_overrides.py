"""The kit's own Bulgarian strings for Sphinx and the book theme, placed ahead of the shipped ones.

Sphinx adds a later catalogue only as a fallback; the kit's corrections must win, so its
translator goes first and the shipped one becomes its fallback.
"""

from __future__ import annotations

import gettext
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx import locale

LOCALE = Path(__file__).parent / "locale"


def compile_catalogue(po: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    mo = out_dir / po.with_suffix(".mo").name
    with po.open("rb") as src, mo.open("wb") as dst:
        write_mo(dst, read_po(src))
    return mo


def install(app, _config=None) -> None:
    """Runs at config-inited: before the builder hands the translator to the HTML templates."""
    language = app.config.language
    folder = LOCALE / language / "LC_MESSAGES"
    if not folder.is_dir():
        return
    out_dir = Path(app.doctreedir) / "civickit-locale"
    for po in sorted(folder.glob("*.po")):
        with compile_catalogue(po, out_dir).open("rb") as fh:
            ours = gettext.GNUTranslations(fh)
        key = ("general", po.stem)
        shipped = locale.translators.get(key)
        if shipped is not None:
            ours.add_fallback(shipped)
        locale.translators[key] = ours
        if po.stem == "sphinx":
            app.translator = ours  # the HTML templates take their strings from here
