"""nbgrader's autograding kernel, sandboxed: the one place every autograde path goes through.

configure_nbgrader puts SandboxedExecute in place of nbgrader's Execute in the Autograde converter,
so `civickit cohort autograde` (civickit.grading_pool), Formgrader's Autograde button (nbgrader's API
runs the same converter inside the trainer's server), plain `nbgrader autograde` with the kit's config
and the hub all run learners' code in civickit.sandbox. Learners' own runs and Validate are untouched.

The kernel needs no kernelspec on disk (learners would see it in JupyterLab's launcher): the kernel
manager carries its own. Each kernel gets a private folder for its IPC sockets (the sandbox has no
network), so no kernel can reach another's sockets.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute
from traitlets import Bool

from .sandbox import IPC_PREFIX, bwrap_missing


class SandboxKernelManager(AsyncKernelManager):
    """A kernel inside bubblewrap, talking over IPC sockets in a folder of its own."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Short path: a Unix socket path may not exceed 107 bytes.
        self._ipc_folder = tempfile.mkdtemp(prefix=IPC_PREFIX)
        self.transport = "ipc"
        self.ip = os.path.join(self._ipc_folder, "k")
        self._kernel_spec = KernelSpec(
            argv=[sys.executable, "-m", "civickit.sandbox", "-f", "{connection_file}"],
            display_name="Python 3 (civickit sandbox)", language="python",
            # Interrupts travel as messages: a signal would reach bubblewrap, not the kernel inside it.
            interrupt_mode="message", metadata={},
        )

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._ipc_folder, ignore_errors=True)


class SandboxedExecute(Execute):
    """nbgrader's Execute with the learner's kernel in the sandbox (sandbox=False: trusted submissions only)."""

    sandbox = Bool(True, help="Run learners' code in bubblewrap (civickit.sandbox).").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        if self.sandbox:
            problem = bwrap_missing()
            if problem:
                raise RuntimeError(problem)
            self.kernel_manager_class = SandboxKernelManager
        return super().preprocess(nb, resources, km)
