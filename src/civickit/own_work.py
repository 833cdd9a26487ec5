"""Own work: a graded answer must be the learner's code, not a call into the kit's reference modules.

The reference modules (civickit.reference_modules: civickit.funding, civickit.stakeholders, ...) hold
the ready solutions the hidden tests compare with. They are not importable where learners' code runs
during grading (the sandbox replaces them with a module that refuses to import), so an answer that
uses them -- by any route: alias, importlib, __import__, sys.modules, strings built at run time --
fails there. The trusted checker (civickit.trusted_check) then fails that part as NotOwnWork, and
the learner's feedback says why (civickit.grading.HideHiddenTests).

This replaced a check run inside the learner's kernel (it read the answer's bytecode): learner code
running in the same process could switch it off, as it could any check run there.
"""

from __future__ import annotations


class NotOwnWork(AssertionError):
    """A graded answer needs a reference module. The message is for the trainer (graded notebook);
    the learner's feedback shows a fixed text naming the answer (civickit.grading.HideHiddenTests)."""


def message(name: str, found: str) -> str:
    return (f"Отговорът „{name}“ не е изцяло ваш код: {found}. Оценяваните отговори трябва да са "
            "написани от вас; готова функция от пакета civickit за същата задача носи 0 точки за тази част.")
