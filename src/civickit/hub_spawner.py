"""The spawner of `civickit hub`: JupyterHub's LocalProcessSpawner with one Linux account per hub user.

Why local processes and real accounts: on one rented server this is what The Littlest JupyterHub does
(SystemdSpawner + system users); file permissions then keep learners apart (home 0700, nbgrader's
exchange modes), not a promise of the web layer. Imported by deploy/hub/jupyterhub_config.py.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Integer, Unicode

from . import hub_home
from .paths import jupyter_config_dir, jupyter_data_dir

TRAINERS_GROUP = "trainers"
LEARNERS_GROUP = "learners"


def lower_priority(nice: int) -> None:
    """Run this process (and the kernels it starts, which inherit it) at a lower CPU priority.

    LocalProcessSpawner cannot enforce jupyterhub's cpu_limit (no cgroups without systemd or Kubernetes).
    What one process can honestly do: yield the CPU to the hub, the proxy and the trainers' servers when the
    machine is busy; an idle machine still gives a learner all of it. Learners are not limited among
    themselves. With the kernel's autogroup scheduling on (kernel.sched_autogroup_enabled=1) a nice level
    counts only inside one session, and the server and each kernel are sessions of their own: then this
    changes nothing, and the hub says so at start (deploy/hub/jupyterhub_config.py).

    The session's autogroup is deliberately left at nice 0: niced, the learner's server (the JupyterLab
    and Voila pages) would lose the CPU to every learner's busy kernel, which starts at autogroup nice 0.
    """
    os.setpriority(os.PRIO_PROCESS, 0, nice)


class KitSpawner(LocalProcessSpawner):
    course_root = Unicode(help="The course kit whose exercises/, practices/ and assignments/ are copied into homes.").tag(config=True)
    user_prefix = Unicode("jupyter-", help="Prefix of the Linux account of each hub user.").tag(config=True)
    home_base = Unicode("/home", help="Folder holding the accounts' homes.").tag(config=True)
    exchange_root = Unicode("/srv/nbgrader/exchange", help="nbgrader's shared exchange (mode 1777).").tag(config=True)
    accounts_group = Unicode("civickit-hub", help="Linux group every hub account joins.").tag(config=True)
    course_id = Unicode("civickit").tag(config=True)
    memory_limit_bytes = Integer(
        0, help="Address-space limit (RLIMIT_AS) of the server and its kernels; 0 = none.").tag(config=True)
    learner_nice = Integer(
        10, help="Nice level of a learner's server and its kernels (0-19); trainers' servers keep 0.").tag(config=True)

    @property
    def system_name(self) -> str:
        return hub_home.system_name(self.user_prefix, self.user.name)

    @property
    def is_trainer(self) -> bool:
        return any(g.name == TRAINERS_GROUP for g in self.user.groups)

    def make_preexec_fn(self, name):
        # `name` is the hub name; the process runs as the prefixed Linux account.
        setuid = set_user_setuid(self.system_name)
        limit = self.memory_limit_bytes
        nice = 0 if self.is_trainer else self.learner_nice

        def preexec():
            if nice:
                lower_priority(nice)
            setuid()
            # LocalProcessSpawner ignores mem_limit; RLIMIT_AS is what one process tree can honestly
            # enforce without cgroups: an allocation past it fails inside the learner's own kernel.
            if limit:
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            os.umask(0o077)  # new files private; nbgrader sets the exchange's modes itself

        return preexec

    def user_env(self, env):
        import pwd

        account = pwd.getpwnam(self.system_name)
        env["USER"] = env["LOGNAME"] = account.pw_name
        env["HOME"] = account.pw_dir
        env["SHELL"] = account.pw_shell
        return env

    def get_env(self):
        env = super().get_env()
        home = Path(env["HOME"])
        venv_bin = str(Path(sys.executable).parent)
        env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "/usr/bin:/bin")  # nbgrader shells out to alembic
        hub_config = jupyter_config_dir() / "hub"
        paths = [hub_config, jupyter_config_dir()]
        if not self.is_trainer:
            paths.insert(0, hub_config / "learner")  # no formgrader, no create-assignment toolbar
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(map(str, paths))
        env["JUPYTER_PATH"] = str(jupyter_data_dir())
        env["CIVICKIT_HUB_ROLE"] = "trainer" if self.is_trainer else "learner"
        env["CIVICKIT_EXCHANGE"] = self.exchange_root
        env["CIVICKIT_COURSE_ID"] = self.course_id
        course = home / hub_home.TRAINER_COURSE if self.is_trainer else home
        env["CIVICKIT_ROOT"] = str(course)
        env["CIVICKIT_WORKSPACE"] = str(course / ".cohort") if self.is_trainer else str(home / ".civickit")
        return env

    async def start(self):
        account = await asyncio.to_thread(hub_home.ensure_system_user, self.system_name, Path(self.home_base), self.accounts_group)
        copied = await asyncio.to_thread(hub_home.provision, Path(self.course_root), account, self.is_trainer)
        self.log.info("Home of %s (%s): new files %s", self.user.name, account.pw_name, copied)
        self.notebook_dir = account.pw_dir
        return await super().start()
