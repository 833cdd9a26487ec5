# Jupyter server settings for `civickit start`; found through JUPYTER_CONFIG_PATH.
# Address, port and token come from the command line (civickit.start).
c = get_config()  # noqa: F821
c.ServerApp.default_url = "/course/index.html"  # the book is the landing page
# No English "official Jupyter news?" question for learners, no news or update check from the internet:
# the kit runs offline.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.handlers.announcements.NeverCheckForUpdate"
# The cohort workspace (.cohort/) is a hidden folder; nbgrader's links open notebooks in it.
c.ContentsManager.allow_hidden = True
# Voila: the kit's offline template (civickit/jupyter_data), no sources, no tracebacks.
c.VoilaConfiguration.template = "civickit"
c.VoilaConfiguration.strip_sources = True
c.VoilaConfiguration.show_tracebacks = False
# Only the widget managers load in Voila pages: the other JupyterLab extensions (launcher, nbgrader, server
# proxy, notebook) fail there anyway and cost the learner's browser a second of loading.
c.VoilaConfiguration.extension_allowlist = ["@jupyter-widgets/jupyterlab-manager", "@voila-dashboards/widgets-manager8"]
c.VoilaExporter.language_code = "bg"  # <html lang="bg"> on the apps: screen readers read them as Bulgarian
# JupyterLab settings fixed for every learner (lab-settings/overrides.json): widgets keep their state in the
# saved notebook, so an exercise reopened later shows its questions and answers, not "model not found".
c.LabApp.app_settings_dir = __file__.rsplit("/", 1)[0] + "/lab-settings"
