"""Standalone Voila for public mode, with the apps' Bulgarian titles available to the kit's tree template.

Jinja templates cannot read the kit's data, so the titles go into the template environment as a global
(`civickit_apps`, a list of civickit.app_catalog.App) before Voila builds its pages.
Run as `python -m civickit.public_voila <folder> <voila options>` (civickit.public_mode builds the command).
"""

from __future__ import annotations

from pathlib import Path

from voila.app import Voila

from .app_catalog import apps


class KitVoila(Voila):
    def init_settings(self):
        settings = super().init_settings()
        # Public mode serves <kit>/practices, so the kit is the folder above.
        settings["voila_jinja2_env"].globals["civickit_apps"] = apps(Path(self.root_dir).parent)
        return settings


if __name__ == "__main__":
    KitVoila.launch_instance()
