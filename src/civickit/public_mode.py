"""Public mode: the case studies and tools on a server without logins (standalone Voila over practices/).

Only practices/ is served (no assignments, no solutions, no book sources); code is stripped and
tracebacks hidden; idle kernels are culled; a cell may not run forever. Standalone Voila itself lets the
browser send a kernel only widget and kernel-info messages (its kernel manager hard-codes the list, so a
config flag could not widen or narrow it); tests/test_public_mode.py checks that an execute request sent
by hand over the websocket is dropped.
"""

from __future__ import annotations

import sys
from pathlib import Path

IDLE_CULL_SECONDS = 600
CELL_TIMEOUT_SECONDS = 60


def command(root: Path, host: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "voila", str(root / "practices"),
        "--no-browser", f"--Voila.ip={host}", f"--port={port}", "--Voila.port_retries=0",
        "--VoilaConfiguration.strip_sources=True", "--VoilaConfiguration.show_tracebacks=False",
        "--VoilaConfiguration.template=civickit", "--VoilaConfiguration.classic_tree=True",
        f"--MappingKernelManager.cull_idle_timeout={IDLE_CULL_SECONDS}",
        "--MappingKernelManager.cull_interval=60",
        f"--VoilaExecutor.timeout={CELL_TIMEOUT_SECONDS}",
    ]
