"""`civickit start`: one Jupyter server on loopback serving the book, JupyterLab, nbgrader and Voila.

Two modes: "learner" (the default of `make start`: no Formgrader, Create Assignment or course list, the
kit's exercises/ read-only in JupyterLab) and "trainer" (`make start MODE=trainer`: nbgrader's trainer
tools too). The token goes to the server in its environment, never on its command line (`ps` shows that
to every user of the machine).
"""

from __future__ import annotations

import errno
import os
import secrets
import socket
import sys
from pathlib import Path

from .errors import KitError
from .launcher import write_config
from .paths import WORKSPACE_FOLDERS, _prepend, jupyter_config_dir, kit_environment, workspace

DEFAULT_PORT = 8890
MODES = ("learner", "trainer")
# Ahead of the kit's own config in the learner's mode: trainer extensions off, exercises/ read-only.
LEARNER_CONFIG = "learner"


def check_port_free(host: str, port: int) -> None:
    """Fail with a message naming the port, before Jupyter would pick another one silently."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                raise KitError(
                    f"Port {port} on {host} is already in use (another `make start`?). "
                    f"Stop that program or choose another port: make start PORT={port + 1}"
                ) from None
            raise KitError(f"Cannot listen on {host}:{port}: {err.strerror}.") from None


def server_command(root: Path, host: str, port: int) -> list[str]:
    """The server's command line: everything but the token, which every user of the machine could read here."""
    # Jupyter refuses root unless told; training laptops and CI containers often run as root.
    as_root = ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
    return [
        str(Path(sys.executable).parent / "jupyter-server"),
        *as_root,
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
    ]


def check_workspace_served(root: Path) -> Path:
    """The learner's fetched assignments live in the workspace; JupyterLab opens only files under root."""
    work = workspace(root)
    if not work.is_relative_to(root.resolve()):
        raise KitError(
            f"CIVICKIT_WORKSPACE={work} is outside the course folder {root}: the server could list the "
            "learners' assignments there but JupyterLab could not open them (404). For `civickit start`, "
            "leave CIVICKIT_WORKSPACE unset (the workspace is .cohort/) or point it at a folder inside "
            f"{root}; a workspace elsewhere works for the `civickit cohort` commands and for the hub."
        )
    return work


def server_env(root: Path, token: str, mode: str = "learner") -> dict[str, str]:
    if mode not in MODES:
        raise KitError(f"Unknown mode {mode!r}: use one of {', '.join(MODES)} (make start MODE=trainer).")
    # nbgrader's exchange, the learners' fetched copies and its cache live in the cohort workspace:
    # create them, never empty them.
    work = check_workspace_served(root)
    for folder in WORKSPACE_FOLDERS:
        (work / folder).mkdir(parents=True, exist_ok=True)
    env = kit_environment(root)
    if mode == "learner":
        _prepend(env, "JUPYTER_CONFIG_PATH", jupyter_config_dir() / LEARNER_CONFIG)
    # Jupyter Server reads its token from JUPYTER_TOKEN; a process's environment is readable only by its
    # owner (and root), unlike its arguments. CIVICKIT_TOKEN was only the way in: kernels need not see it twice.
    env["JUPYTER_TOKEN"] = token
    env.pop("CIVICKIT_TOKEN", None)
    env.pop("JUPYTER_TOKEN_FILE", None)
    # The launcher's cards for the apps in practices/, rewritten at every start so they follow the notebooks.
    env["JUPYTER_APP_LAUNCHER_PATH"] = str(write_config(root, root / "_build" / "launcher").parent)
    return env


def book_url(host: str, port: int, token: str) -> str:
    return f"http://{host}:{port}/course/index.html?token={token}"


MODE_LINES = {
    "learner": (
        "  Режим: курсист (без инструментите на обучителя) / Mode: learner (no trainer tools)\n"
        "  За обучителя / for the trainer: make start MODE=trainer (civickit start --mode trainer)\n"
    ),
    "trainer": (
        "  Режим: обучител (с Formgrader) / Mode: trainer (with Formgrader)\n"
        "  За курсистите / for learners: make start (civickit start)\n"
    ),
}


def start(root: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT, token: str | None = None,
          mode: str = "learner") -> None:
    """Replace this process with the Jupyter server (Ctrl+C stops it)."""
    check_port_free(host, port)
    check_workspace_served(root)
    token = token or os.environ.get("CIVICKIT_TOKEN") or secrets.token_hex(24)
    cmd = server_command(root, host, port)
    env = server_env(root, token, mode)
    print(
        "\n  Курсът е готов. Отворете в браузъра / The course is ready, open:\n"
        f"    {book_url(host, port, token)}\n"
        f"  JupyterLab: http://{host}:{port}/lab?token={token}\n"
        f"{MODE_LINES[mode]}"
        "  Спиране / stop: Ctrl+C\n",
        flush=True,
    )
    os.execve(cmd[0], cmd, env)
