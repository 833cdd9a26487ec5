# JupyterHub for a civickit cohort on one server. Started by `civickit hub start`, which passes the
# trainer's choices as CIVICKIT_HUB_* variables (see src/civickit/hub.py); read deploy/README.md.
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821
env = os.environ
state = Path(env["CIVICKIT_HUB_STATE"])
trainers = {n for n in env["CIVICKIT_HUB_TRAINERS"].split(",") if n}

# --- network: loopback unless the trainer asks (behind TLS from nginx/caddy, or TLJH's traefik)
c.JupyterHub.ip = env.get("CIVICKIT_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(env.get("CIVICKIT_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env.get("CIVICKIT_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env.get('CIVICKIT_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [env["CIVICKIT_HUB_PROXY"]]  # pinned in deploy/hub/package-lock.json
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
# Stopping the hub stops the learners' servers too: nothing of the cohort keeps running unseen.
c.JupyterHub.cleanup_servers = True

# --- accounts: NativeAuthenticator. A learner signs up on /hub/signup; a trainer approves on
# /hub/authorize. No e-mail server, no Google/GitHub accounts needed (an NGO's learners may have none),
# passwords stored as bcrypt hashes in the hub database.
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.Authenticator.admin_users = trainers  # admins approve sign-ups; NativeAuthenticator auto-approves them
c.NativeAuthenticator.open_signup = False
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 120
c.Authenticator.allow_all = True  # everyone a trainer approved may log in
# Hub names become Linux accounts (with a prefix): keep them to what useradd accepts.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,19}$"

# --- groups: trainers and learners, decided at each login from the trainer list, so that
# removing someone from --trainer takes effect at their next login.
c.Authenticator.manage_groups = True


def put_in_group(authenticator, handler, auth_model):
    auth_model["groups"] = ["trainers"] if auth_model["name"] in trainers else ["learners"]
    return auth_model


c.Authenticator.post_auth_hook = put_in_group

# --- single-user servers: one Linux account each (see src/civickit/hub_spawner.py for why)
c.JupyterHub.spawner_class = "civickit.hub_spawner.KitSpawner"
c.KitSpawner.course_root = env["CIVICKIT_ROOT"]
c.KitSpawner.user_prefix = env.get("CIVICKIT_HUB_USER_PREFIX", "jupyter-")
c.KitSpawner.home_base = env.get("CIVICKIT_HUB_HOME_BASE", "/home")
c.KitSpawner.accounts_group = env.get("CIVICKIT_HUB_GROUP", "civickit-hub")
c.KitSpawner.exchange_root = env["CIVICKIT_HUB_EXCHANGE"]
c.KitSpawner.course_id = env.get("CIVICKIT_HUB_COURSE_ID", "civickit")
c.KitSpawner.memory_limit_bytes = int(env.get("CIVICKIT_HUB_MEMORY_LIMIT", "0"))
# CPU: no cap without cgroups (TLJH's systemd and Z2JH's Kubernetes have them); learners' servers run at
# nice 10 so the hub, the proxy and the trainers' servers keep answering on a busy machine (hub_spawner.py).
c.KitSpawner.learner_nice = 10
autogroup = Path("/proc/sys/kernel/sched_autogroup_enabled")
if autogroup.exists() and autogroup.read_text().strip() == "1":
    print("[civickit] kernel.sched_autogroup_enabled=1: a learner's server and kernels (a session each) do not "
          "yield the CPU to the hub despite nice 10; `sysctl -w kernel.sched_autogroup_enabled=0` makes it count "
          "(deploy/README.md, Scale).", file=sys.stderr)
c.Spawner.cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
# Activity reaches the hub every minute, so the culler below judges on fresh figures.
c.Spawner.environment = {"JUPYTERHUB_ACTIVITY_INTERVAL": "60"}
c.JupyterHub.last_activity_interval = 60

# --- idle culling: a server idle longer than the timeout is stopped (its files stay in the home).
timeout = int(env.get("CIVICKIT_HUB_IDLE_TIMEOUT", "3600"))
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={timeout}",
                    f"--cull-every={max(5, min(300, timeout // 3))}"],
    },
    # The `civickit hub` CLI and the tests talk to the hub API with this token (state/admin-token, root only).
    {"name": "civickit-admin", "api_token": (state / "admin-token").read_text().strip()},
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
    {"name": "civickit-admin", "scopes": ["admin:users", "tokens", "admin:servers", "admin:groups", "list:users",
                                          "read:users", "access:servers"], "services": ["civickit-admin"]},
]
