# A hub user's server (`civickit hub`, TLJH, Z2JH): loaded ahead of the kit's own jupyter_server_config.py.
# The launcher cards must open /user/<name>/voila/..., not /voila/... (that is the hub's own path, not this
# server): this server writes them with its own prefix, as its own user, into ~/.civickit/launcher.
import os
from pathlib import Path

from civickit.launcher import write_hub_config

c = get_config()  # noqa: F821
cards = write_hub_config(Path.home())
if cards:
    # jupyter_app_launcher reads this variable in this same process, at the first launcher request
    os.environ["JUPYTER_APP_LAUNCHER_PATH"] = str(cards)

# JupyterHub's single-user servers forbid every frame (Content-Security-Policy: frame-ancestors 'none', set by
# jupyterhub.singleuser) unless the server sets a policy of its own. Then the Formgrader tab of the trainer's
# JupyterLab, a frame of the trainer's own server inside it, stays blank ("127.0.0.1 refused to connect";
# tests/test_hub_journey.py). Jupyter Server's own default, which `civickit start` sends, lets pages of the
# hub's origin frame them and no other site.
prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
c.ServerApp.tornado_settings = {
    "headers": {"Content-Security-Policy": f"frame-ancestors 'self'; report-uri {prefix}api/security/csp-report"}
}
