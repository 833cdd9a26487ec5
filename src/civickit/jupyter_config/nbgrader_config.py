# nbgrader settings for the kit; found through JUPYTER_CONFIG_PATH (see civickit.paths).
from civickit.grading import configure_nbgrader

configure_nbgrader(get_config())  # noqa: F821
