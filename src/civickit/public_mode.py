"""Public mode: the case studies and tools on a server without logins (standalone Voila over practices/).

Only practices/ is served (no assignments, no solutions, no book sources); code is stripped and
tracebacks hidden; idle kernels are culled; a cell may not run forever. Standalone Voila itself lets the
browser send a kernel only widget and kernel-info messages (its kernel manager hard-codes the list, so a
config flag could not widen or narrow it); tests/test_public_mode.py checks that an execute request sent
by hand over the websocket is dropped.

Each app keeps `pool_size` kernels that have already run its notebook (Voila's preheated kernels), so a
learner gets a rendered page without waiting for Python and pandas to start; Voila refills the pool a second
after one is taken. Pooled kernels are never culled (Voila's kernel manager skips them); a kernel a learner
has left is culled after `cull_idle` seconds.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

IDLE_CULL_SECONDS = 600
CELL_TIMEOUT_SECONDS = 60
POOL_SIZE = 1
# The widget managers are the only JupyterLab extensions an app needs; the others installed for JupyterLab
# (launcher, nbgrader, server proxy) fail to load in a Voila page and cost the browser time.
VOILA_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]

# Shown to a learner in place of Voila's English advice to the operator (which names command-line flags).
CELL_ERROR_TEXT = "Приложението срещна грешка. Презаредете страницата; ако грешката остане, съобщете на обучителя."
CELL_TIMEOUT_TEXT = "Изчислението продължи твърде дълго и беше спряно. Презаредете страницата."


def command(root: Path, host: str, port: int, cull_idle: int = IDLE_CULL_SECONDS,
            cell_timeout: int = CELL_TIMEOUT_SECONDS, pool_size: int = POOL_SIZE) -> list[str]:
    # The culler looks for idle kernels every cull_interval seconds: often enough to honour a short
    # cull_idle, at most once a minute.
    cull_interval = max(1, min(60, cull_idle // 2))
    preheat = [f"--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={pool_size}"] \
        if pool_size > 0 else []
    return [
        sys.executable, "-m", "civickit.public_voila", str(root / "practices"),
        "--no-browser", f"--Voila.ip={host}", f"--port={port}", "--Voila.port_retries=0",
        "--VoilaConfiguration.strip_sources=True", "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.template=civickit", "--VoilaConfiguration.classic_tree=True",
        "--VoilaExporter.language_code=bg",  # <html lang="bg">: screen readers read the apps as Bulgarian
        f"--VoilaConfiguration.extension_allowlist={json.dumps(VOILA_EXTENSIONS)}",
        *preheat,
        # Kernels talk to the server over Unix sockets: many kernels starting at once (a class opening an app)
        # raced for TCP ports ("Address already in use", kernel died), and TCP is unencrypted besides.
        "--KernelManager.transport=ipc",
        f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
        f"--MappingKernelManager.cull_interval={cull_interval}",
        f"--VoilaExecutor.timeout={cell_timeout}",
        # Interrupt the runaway cell (and go on with the rest of the app) instead of leaving it running.
        "--VoilaExecutor.interrupt_on_timeout=True",
        # nbclient waits 4 s for a cell's output after its reply and then drops it silently: with a class
        # opening apps at once on a small server, apps came up without their widgets.
        "--VoilaExecutor.iopub_timeout=30",
        f"--VoilaExecutor.cell_error_instruction={CELL_ERROR_TEXT}",
        f"--VoilaExecutor.cell_timeout_instruction={CELL_TIMEOUT_TEXT}",
    ]
