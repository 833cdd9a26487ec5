"""The case studies and tools as cards in the JupyterLab launcher (jupyter_app_launcher).

The cards are written from civickit.app_catalog each time a server starts, so a new notebook in practices/
gets its card without anyone editing a YAML file. A card opens the app through the Voila of the same server
in a JupyterLab tab; the tab's frame may run scripts and download files (the budget and logframe exports).

A card's URL is put as-is into the tab's iframe, so it must carry the server's base URL: "/" under
`civickit start`, "/user/<name>/" for a hub user (written by that user's own server, see write_hub_config).
A relative URL would not do: it resolves against whatever JupyterLab page is open (/user/ana/lab/tree/...).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .app_catalog import apps
from .errors import KitError
from .soft_hyphens import hyphenate_bg

SECTION = "Казуси и инструменти"
CONFIG_NAME = "jp_app_launcher_civickit.yaml"  # the package reads jp_app_launcher*.yaml
FRAME_PERMISSIONS = ["allow-scripts", "allow-same-origin", "allow-forms", "allow-downloads", "allow-popups"]
ICONS = Path(__file__).parent / "static"


def entries(root: Path, base_url: str = "/") -> list[dict]:
    return [
        {
            "title": hyphenate_bg(app.title),  # a card is ~14 letters wide: break long words at syllables
            "description": ("Интерактивен казус" if app.kind == "case" else "Инструмент") + f": {app.title}",
            "source": f"{base_url}voila/render/practices/{app.path}",
            "type": "url",
            "catalog": SECTION,
            "icon": str(ICONS / f"launcher-{app.kind}.svg"),
            "args": {"sandbox": FRAME_PERMISSIONS},
        }
        for app in apps(root)
    ]


def write_config(root: Path, folder: Path, base_url: str = "/") -> Path:
    """Writes the launcher's YAML into `folder` (the server finds it through JUPYTER_APP_LAUNCHER_PATH)."""
    import yaml

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_NAME
    path.write_text(yaml.safe_dump(entries(root, base_url), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


HUB_FOLDER = Path(".civickit") / "launcher"  # in the home of a hub user; the server reads it, nobody else


def write_hub_config(home: Path, environ=os.environ) -> Path | None:
    """In a hub user's own server: the cards for the apps in ~/practices, under this server's prefix.

    JupyterHub gives each single-user server its prefix (/user/<name>/) in JUPYTERHUB_SERVICE_PREFIX; the
    server's root is the home, where practices/ was copied. Called from jupyter_config/hub/jupyter_server_config.py,
    i.e. as the user, so it writes only where the user may. Returns the folder for JUPYTER_APP_LAUNCHER_PATH,
    or None (and says why in the server log) when the cards cannot be made: the server starts anyway.
    """
    prefix = environ.get("JUPYTERHUB_SERVICE_PREFIX")
    if not prefix:
        return None  # not under a hub
    try:
        return write_config(home, home / HUB_FOLDER, prefix if prefix.endswith("/") else prefix + "/").parent
    except (KitError, OSError) as err:
        # e.g. a learner removed the heading of a tool notebook in their home: no cards, but the server runs
        print(f"[civickit] launcher cards not written: {err}", file=sys.stderr)
        return None
