"""`civickit hub`: a JupyterHub for a cohort on this machine (for trial, for tests, for one rented server).

The hub's configuration is deploy/hub/jupyterhub_config.py; this module checks the machine, prepares the
shared folders and passes the trainer's choices to that file through CIVICKIT_HUB_* variables.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import KitError
from .hub_home import HUB_NAME

PROXY = Path("node_modules") / "configurable-http-proxy" / "bin" / "configurable-http-proxy"


@dataclass
class HubSettings:
    root: Path  # the course kit
    state: Path  # hub database, cookie secret, service token: root-only
    port: int = 8000
    ip: str = "127.0.0.1"
    trainers: list[str] = field(default_factory=list)
    exchange: Path = Path("/srv/nbgrader/exchange")
    home_base: Path = Path("/home")
    user_prefix: str = "jupyter-"
    idle_timeout: int = 3600
    memory_limit: str = "4G"
    course_id: str = "civickit"
    group: str = "civickit-hub"  # every hub account joins it
    hub_port: int = 8081  # the hub's own API, always on loopback
    proxy_api_port: int = 0  # 0: port + 1, the proxy's default

    @property
    def deploy_dir(self) -> Path:
        return self.root / "deploy" / "hub"

    @property
    def proxy(self) -> Path:
        return self.deploy_dir / PROXY

    @property
    def token_file(self) -> Path:
        return self.state / "admin-token"


def parse_bytes(text: str) -> int:
    """'4G', '512M', '0' -> bytes."""
    units = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
    size = text.strip().upper().removesuffix("B")
    number, unit = (size[:-1], size[-1]) if size and size[-1] in units else (size, "")
    try:
        return int(float(number) * units[unit])
    except ValueError:
        raise KitError(f"Memory limit '{text}' is not a size: write e.g. 2G, 1536M or 0 for none.") from None


def check_machine(s: HubSettings) -> None:
    """Everything the hub needs, each missing piece named with what to do."""
    if os.geteuid() != 0:
        raise KitError("civickit hub must run as root: it creates one Linux account per learner (run with sudo).")
    for tool in ("useradd",):
        if not shutil.which(tool):
            raise KitError(f"`{tool}` not found: install the Debian package `passwd`.")
    if not s.proxy.is_file():
        raise KitError(f"configurable-http-proxy missing at {s.proxy}: run `make hub-proxy` (npm ci in deploy/hub).")
    for name in s.trainers:
        if not HUB_NAME.match(name):
            raise KitError(f"Trainer name '{name}' is not allowed: use 1-20 lowercase Latin letters, digits, - or _.")
    if not s.trainers:
        raise KitError("Name at least one trainer: `civickit hub start --trainer NAME` (they approve sign-ups).")


def prepare(s: HubSettings) -> None:
    """State folder (root only), the shared exchange (1777 like /tmp: anyone drops, nobody lists others')."""
    s.state.mkdir(parents=True, exist_ok=True)
    os.chmod(s.state, 0o700)
    s.exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(s.exchange, 0o1777)
    s.home_base.mkdir(parents=True, exist_ok=True)
    if not s.token_file.exists():
        s.token_file.write_text(secrets.token_hex(32), encoding="utf-8")
        os.chmod(s.token_file, 0o600)


def check_interpreter(s: HubSettings) -> None:
    """Can an account of the hub's group run this Python and its Jupyter? Tried as `nobody` in that group.

    A venv built from a Python under /root (pyenv) is unreachable for every other account: the
    learners' servers would die at spawn with "Permission denied" in the hub log only.
    """
    import subprocess

    from .hub_home import ensure_group

    gid = ensure_group(s.group)

    def as_nobody():
        os.setgroups([gid])
        os.setgid(65534)
        os.setuid(65534)

    probe = [sys.executable, "-c", "import jupyterhub.singleuser, nbgrader, voila"]
    result = subprocess.run(probe, preexec_fn=as_nobody, capture_output=True, text=True, cwd="/")
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise KitError(
            f"The learners' accounts cannot run {sys.executable} ({reason}). Install the kit with a Python every "
            f"account can reach (e.g. `make PYTHON=/usr/bin/python3 start`), or let the group {s.group} through "
            f"the private folder: `setfacl -m g:{s.group}:x /root` (package acl)."
        )


def environment(s: HubSettings) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "/usr/bin:/bin")
    env.update({
        "CIVICKIT_ROOT": str(s.root),
        "CIVICKIT_HUB_STATE": str(s.state),
        "CIVICKIT_HUB_IP": s.ip,
        "CIVICKIT_HUB_PORT": str(s.port),
        "CIVICKIT_HUB_TRAINERS": ",".join(s.trainers),
        "CIVICKIT_HUB_EXCHANGE": str(s.exchange),
        "CIVICKIT_HUB_HOME_BASE": str(s.home_base),
        "CIVICKIT_HUB_USER_PREFIX": s.user_prefix,
        "CIVICKIT_HUB_IDLE_TIMEOUT": str(s.idle_timeout),
        "CIVICKIT_HUB_MEMORY_LIMIT": str(parse_bytes(s.memory_limit)),
        "CIVICKIT_HUB_COURSE_ID": s.course_id,
        "CIVICKIT_HUB_GROUP": s.group,
        "CIVICKIT_HUB_PROXY": str(s.proxy),
        "CIVICKIT_HUB_API_PORT": str(s.hub_port),
        "CIVICKIT_HUB_PROXY_API_PORT": str(s.proxy_api_port or s.port + 1),
    })
    return env


def command(s: HubSettings) -> list[str]:
    return [str(Path(sys.executable).parent / "jupyterhub"), "-f", str(s.deploy_dir / "jupyterhub_config.py")]
