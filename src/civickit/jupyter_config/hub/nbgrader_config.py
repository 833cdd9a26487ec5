# nbgrader on a hub (`civickit hub`, TLJH, Z2JH): loaded ahead of the kit's own nbgrader_config.py
# (see civickit.hub_spawner). The kit's config already points the trainer's course at ~/course
# (CIVICKIT_ROOT); here the exchange becomes the hub's shared folder, and a learner fetches into the
# home the server shows.
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = os.environ.get("CIVICKIT_COURSE_ID", "civickit")
c.Exchange.root = os.environ.get("CIVICKIT_EXCHANGE", "/srv/nbgrader/exchange")
c.Exchange.assignment_dir = os.environ["HOME"]
# Several trainers grading at once need one server-side gradebook (Z2JH: PostgreSQL), not SQLite files.
if os.environ.get("CIVICKIT_GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["CIVICKIT_GRADEBOOK_URL"]
# On Kubernetes every pod runs as the same uid: the exchange goes through ngshare's access control.
if os.environ.get("CIVICKIT_NGSHARE_URL"):
    from ngshare_exchange import configureExchange

    configureExchange(c, os.environ["CIVICKIT_NGSHARE_URL"])
