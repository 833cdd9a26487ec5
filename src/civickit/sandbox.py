"""The kernel that runs learners' code during autograding, inside bubblewrap.

Inside, the file system is read-only and these are empty: the cohort workspace (gradebook, other
learners' submissions, release, exchange), the source assignments (solutions, hidden tests), /tmp
and Jupyter's runtime folder (other kernels' connection keys). Only the learner's own autograded
folder is writable. The kernel has its own PID, IPC and network namespaces: no network at all, not
even loopback to the Jupyter server or other local services. It talks to its grader over IPC
(Unix) sockets in a private folder, the only other folder bound writable (civickit.grading_pool
sets KernelManager.transport = "ipc" and a fresh folder per grader).

nbgrader starts it as the kernel `civickit-sandbox` (see kernelspec_dir) during `civickit cohort autograde`.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

KERNEL_NAME = "civickit-sandbox"
# A learner's kernel may not grow past this much memory (address space); a runaway cell then fails alone.
MEMORY_LIMIT_BYTES = 4 * 1024**3


def bwrap_missing() -> str | None:
    if shutil.which("bwrap"):
        return None
    return "bubblewrap is not installed: `sudo apt-get install bubblewrap` (or `make test`, which installs it)."


def kernelspec_dir(workspace: Path) -> Path:
    """Writes the sandbox kernelspec under the workspace and returns the folder to add to JUPYTER_PATH.

    It stays out of the kit's own Jupyter data so learners never see it in JupyterLab's launcher.
    """
    base = workspace / ".sandbox-kernel"
    spec = base / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "civickit.sandbox", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        # Interrupts travel as messages: a signal would reach bubblewrap, not the kernel inside it.
        json.dumps({"argv": argv, "display_name": "Python 3 (civickit sandbox)", "language": "python",
                    "interrupt_mode": "message"}),
        encoding="utf-8",
    )
    return base


IPC_PREFIX = "civickit-ipc-"  # folder name civickit.grading_pool gives each grader's kernel sockets


def ipc_folder(connection_file: str) -> str:
    """The folder of the kernel's IPC sockets; refuses anything but a grader's private folder."""
    with open(connection_file, encoding="utf-8") as fh:
        info = json.load(fh)
    folder = os.path.dirname(os.path.abspath(info.get("ip", "")))
    if info.get("transport") != "ipc" or not os.path.basename(folder).startswith(IPC_PREFIX):
        raise SystemExit(
            f"civickit sandbox: {connection_file} asks for transport {info.get('transport')!r} at {info.get('ip')!r}; "
            "the sandboxed kernel has no network and needs IPC sockets in a civickit-ipc-* folder. "
            "Run it through `civickit cohort autograde`, not plain nbgrader."
        )
    return folder


def command(connection_file: str, cwd: str, hidden: list[str], runtime_dir: str, keep: list[str],
            ipc: str) -> list[str]:
    """`keep`: folders the kernel needs even when they sit under /tmp (the kit, its venv), read-only.
    `ipc`: the folder where the kernel creates its sockets, bound writable."""
    cmd = [
        "bwrap", "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net",
        "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
    ]
    for path in keep:  # a kit cloned under /tmp would otherwise vanish with it
        if path and os.path.isdir(path):
            cmd += ["--ro-bind", path, path]
    for path in [runtime_dir, *hidden]:
        if path and os.path.isdir(path):
            cmd += ["--tmpfs", path]
    cmd += ["--ro-bind", connection_file, connection_file, "--bind", ipc, ipc, "--bind", cwd, cwd, "--chdir", cwd]
    cmd += ["--setenv", "HOME", cwd, "--unsetenv", "CIVICKIT_WORKSPACE", "--unsetenv", "CIVICKIT_ROOT"]
    # In its own PID namespace the kernel cannot see the grader's PID and would think it had died;
    # --die-with-parent ends the sandbox with the grader instead.
    cmd += ["--unsetenv", "JPY_PARENT_PID"]
    return cmd + [sys.executable, "-m", "ipykernel_launcher", "-f", connection_file]


def main(argv: list[str]) -> None:
    import resource

    from jupyter_core.paths import jupyter_runtime_dir

    connection_file = os.path.abspath(argv[argv.index("-f") + 1])
    hidden = [os.environ.get("CIVICKIT_WORKSPACE", "")]
    root = os.environ.get("CIVICKIT_ROOT")
    if root:
        hidden.append(os.path.join(root, "assignments"))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    # The interpreter and everything it imports from (an editable civickit lives in the kit's src/).
    keep = [root or "", sys.prefix, *(p for p in sys.path if p and os.path.isdir(p))]
    ipc = ipc_folder(connection_file)
    cmd = command(connection_file, os.getcwd(), [h for h in hidden if h], jupyter_runtime_dir(), keep, ipc)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
