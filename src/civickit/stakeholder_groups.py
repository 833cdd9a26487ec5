"""What learners of the stakeholders assignment are given: the sectors and the four groups of the
power/interest grid. Kept apart from civickit.stakeholders (a reference module, not importable while
answers are graded: civickit.reference_modules), so the assignment's setup cell can import them there too.
"""

from __future__ import annotations

SECTORS = ["публичен", "граждански", "бизнес", "синдикат", "работодатели", "образование", "медии"]
LINK_KINDS = ["съвместен проект", "членство", "финансиране"]

# The four quadrants, named after what to do with the stakeholders in them.
MANAGE_CLOSELY = "управлявай отблизо"      # high power, high interest: key players
KEEP_SATISFIED = "поддържай удовлетворени"  # high power, low interest
KEEP_INFORMED = "поддържай информирани"     # low power, high interest
MONITOR = "наблюдавай"                      # low power, low interest
QUADRANTS = [MANAGE_CLOSELY, KEEP_SATISFIED, KEEP_INFORMED, MONITOR]
