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
    """Is this the error of importing a reference module inside the sandbox? Its refusal, or any import or
    file error naming a reference module (how the sandbox hides the file may change)."""
    if ename in ("ImportError", "ModuleNotFoundError") and message.startswith(REFUSAL_MESSAGE[:60]):
        return True
    if ename not in ("ImportError", "ModuleNotFoundError", "PermissionError", "FileNotFoundError", "OSError"):
        return False
    names = [(m, m.replace(".", "/")) for m in REFERENCE_MODULES]
    return any(f"'{dotted}'" in message or f"{path}.py" in message or f"{path}/" in message for dotted, path in names)
