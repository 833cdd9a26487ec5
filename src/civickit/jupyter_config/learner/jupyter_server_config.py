# The learner's server under `civickit start` (the default mode; `--mode trainer` leaves this folder off
# JUPYTER_CONFIG_PATH). Next to it: no Formgrader, Create Assignment or course list (JSON files here).
# The kit's exercises/ are read-only in JupyterLab: the learner works in their own copy, opened from the book.
c = get_config()  # noqa: F821
c.ContentsManager.pre_save_hook = "civickit.learner_copy.refuse_saving_kit_exercises"
