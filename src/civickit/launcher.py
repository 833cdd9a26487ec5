"""The case studies and tools as cards in the JupyterLab launcher (jupyter_app_launcher), under `civickit start`.

The cards are written from civickit.app_catalog each time the server starts, so a new notebook in practices/
gets its card without anyone editing a YAML file. A card opens the app through the Voila of the same server
in a JupyterLab tab; the tab's frame may run scripts and download files (the budget and logframe exports).
"""

from __future__ import annotations

from pathlib import Path

from .app_catalog import apps

SECTION = "Казуси и инструменти"
CONFIG_NAME = "jp_app_launcher_civickit.yaml"  # the package reads jp_app_launcher*.yaml
FRAME_PERMISSIONS = ["allow-scripts", "allow-same-origin", "allow-forms", "allow-downloads", "allow-popups"]
ICONS = Path(__file__).parent / "static"


def entries(root: Path, base_url: str = "/") -> list[dict]:
    return [
        {
            "title": app.title,
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
