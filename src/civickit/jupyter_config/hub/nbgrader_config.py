# nbgrader on `civickit hub`: loaded ahead of the kit's own nbgrader_config.py (see civickit.hub_spawner).
# The kit's config already points the trainer's course at ~/course (CIVICKIT_ROOT); here the exchange
# becomes the hub's shared folder, and a learner fetches into the home the server shows.
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("CIVICKIT_COURSE_ID", "civickit")
c.Exchange.root = os.environ["CIVICKIT_EXCHANGE"]
c.Exchange.assignment_dir = os.environ["HOME"]
