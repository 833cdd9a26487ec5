"""The kit's reference modules: the ready solutions that hidden tests compare learners' answers with.

They must not be importable where learners' code runs during grading (civickit.sandbox replaces
their files with a module that raises ImportError with REFUSAL_MESSAGE); the trusted checker
(civickit.trusted_check), which never runs learners' code, imports them. Assignments' setup cells
take what learners are given (constants) from elsewhere (e.g. civickit.stakeholder_groups).
"""

from __future__ import annotations

REFERENCE_MODULES = (
    "civickit.budget",
    "civickit.consultations",
    "civickit.funding",
    "civickit.indicators",
    "civickit.logframe",
    "civickit.stakeholders",
    "civickit.survey",
)

# What the refusing module says (Bulgarian: learners read it in their feedback).
REFUSAL_MESSAGE = ("Този модул на civickit съдържа готовите решения и не е достъпен при оценяването. "
                   "Отговорът трябва да е ваш собствен код.")


def is_reference(module_name: str) -> bool:
    return any(module_name == m or module_name.startswith(m + ".") for m in REFERENCE_MODULES)


def is_refusal(ename: str, message: str) -> bool:
    """Is this the error of importing a reference module inside the sandbox?"""
    return ename in ("ImportError", "ModuleNotFoundError") and message.startswith(REFUSAL_MESSAGE[:60])
