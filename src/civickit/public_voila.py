"""Standalone Voila for public mode, with the apps' Bulgarian titles available to the kit's tree template.

Jinja templates cannot read the kit's data, so the titles go into the template environment as a global
(`civickit_apps`, a list of civickit.app_catalog.App) before Voila builds its pages.
Run as `python -m civickit.public_voila <folder> <voila options>` (civickit.public_mode builds the command).
"""

from __future__ import annotations

from pathlib import Path

import voila.notebook_renderer
from voila.app import Voila
from voila.execute import VoilaExecutor

from .app_catalog import apps


class KitExecutor(VoilaExecutor):
    """Voila's executor with its learner-facing error lines reduced to the kit's Bulgarian instructions.

    Voila prefixes them with fixed English text ("There was an error when executing cell [3]. ...");
    a learner needs only what to do (public_mode.CELL_ERROR_TEXT / CELL_TIMEOUT_TEXT).
    """

    def strip_code_cell_errors(self, cell):
        if cell["cell_type"] == "code":
            for output in cell["outputs"]:
                if output["output_type"] == "error":
                    output.update(ename="ExecutionError", evalue="", traceback=[self.cell_error_instruction])
        return cell

    def show_code_cell_timeout(self, cell):
        cell["outputs"] = [{"output_type": "error", "ename": "TimeoutError", "evalue": "",
                            "traceback": [self.cell_timeout_instruction]}]


# The renderer builds its executor from this name (voila 0.5.x); only this public-mode process is affected.
voila.notebook_renderer.VoilaExecutor = KitExecutor


class KitVoila(Voila):
    def init_settings(self):
        settings = super().init_settings()
        # Public mode serves <kit>/practices, so the kit is the folder above.
        settings["voila_jinja2_env"].globals["civickit_apps"] = apps(Path(self.root_dir).parent)
        return settings


if __name__ == "__main__":
    import os

    # Kernels inherit it: an app that would store personal data (the teach-back rubric) knows nobody logged in.
    os.environ["CIVICKIT_PUBLIC_MODE"] = "1"
    KitVoila.launch_instance()
