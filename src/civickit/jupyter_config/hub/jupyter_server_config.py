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
