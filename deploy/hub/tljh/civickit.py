# civickit on The Littlest JupyterHub: copy to /opt/tljh/config/jupyterhub_config.d/civickit.py,
# then `sudo tljh-config reload`. TLJH already gives: one Linux account per user (jupyter-<name>),
# SystemdSpawner with memory/CPU limits (limits.* in config.yaml), the idle culler (services.cull.*),
# HTTPS (https.*). This file adds what the kit needs on top: the same spawn-time course copy, roles
# and nbgrader exchange as `civickit hub start` (deploy/hub/jupyterhub_config.py), tested there.
import os
from pathlib import Path

from civickit import hub_home
from civickit.paths import jupyter_config_dir, jupyter_data_dir

COURSE = "/opt/civickit"  # a clone of the kit (read-only for learners): git clone ... /opt/civickit
EXCHANGE = "/srv/nbgrader/exchange"  # mode 1777: sudo mkdir -p /srv/nbgrader/exchange && sudo chmod 1777 ...
COURSE_ID = "civickit"
TRAINERS = {"maria"}  # hub names of the trainers (they are also tljh admins: tljh-config add-item users.admin maria)

c = get_config()  # noqa: F821
c.Authenticator.manage_groups = True


def put_in_group(authenticator, handler, auth_model):
    auth_model["groups"] = ["trainers"] if auth_model["name"] in TRAINERS else ["learners"]
    return auth_model


c.Authenticator.post_auth_hook = put_in_group


def before_spawn(spawner):
    """Course into the home (never over a learner's file) and the nbgrader/Voila setup of the role."""
    trainer = any(g.name == "trainers" for g in spawner.user.groups)
    # TLJH's spawner would create the account a moment later; it keeps one that exists.
    account = hub_home.ensure_system_user(f"jupyter-{spawner.user.name}", Path("/home"), "civickit-hub")
    hub_home.provision(Path(COURSE), account, trainer)
    hub_config = jupyter_config_dir() / "hub"
    paths = [hub_config, jupyter_config_dir()]
    if not trainer:
        paths.insert(0, hub_config / "learner")
    home = account.pw_dir
    course = os.path.join(home, hub_home.TRAINER_COURSE) if trainer else home
    spawner.environment.update({
        "JUPYTER_CONFIG_PATH": os.pathsep.join(map(str, paths)),
        "JUPYTER_PATH": str(jupyter_data_dir()),
        "CIVICKIT_EXCHANGE": EXCHANGE,
        "CIVICKIT_COURSE_ID": COURSE_ID,
        "CIVICKIT_ROOT": course,
        "CIVICKIT_WORKSPACE": os.path.join(course, ".cohort") if trainer else os.path.join(home, ".civickit"),
    })


c.Spawner.pre_spawn_hook = before_spawn
