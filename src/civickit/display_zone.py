"""Times in Formgrader in the cohort's own zone, as `civickit cohort due` and `cohort status` show them.

nbgrader stores due dates and submission times in UTC and its API (NbGraderAPI.timezone, default UTC)
converts them for Formgrader: a due date of 23:59 Europe/Sofia appeared there as 21:59 UTC.
"""

from __future__ import annotations

from pathlib import Path

# The region's zone: what `civickit cohort init` writes unless told otherwise, and what due dates and
# Formgrader use where no cohort.json says (e.g. a hub trainer's ~/course before any `cohort init`).
DEFAULT_TIMEZONE = "Europe/Sofia"


def configure_display_zone(c, root: Path, work: Path) -> None:
    """Formgrader's due dates and submission times in the zone of the cohort's cohort.json, else the default
    one (nbgrader reloads this config on every Formgrader request, so a cohort initialised later counts too)."""
    from .cohort import Cohort  # cohort imports grading, which calls this

    try:
        zone = Cohort(root, work).settings().get("timezone")
    except (OSError, ValueError):
        zone = None  # no cohort.json (yet): times still in the zone `cohort init` would choose
    c.NbGraderAPI.timezone = zone or DEFAULT_TIMEZONE
