"""The hidden-test guard civickit.own_work, in a real IPython shell (the kernel nbgrader grades with runs one).

The full path (nbgrader autograde in the sandbox, feedback, report) is in test_hostile_submissions.py;
here each way of reaching the reference module is tried quickly.
"""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell

REFERENCE = "civickit.stakeholders"
# What load_data gives every learner of the stakeholders assignment: constants of the reference module are allowed.
GIVEN = "import pandas as pd\nfrom civickit.stakeholders import MANAGE_CLOSELY, MONITOR, SECTORS\n"
# What an earlier hidden test cell leaves in the namespace.
HIDDEN_IMPORT = "from civickit import stakeholders as reference\n"

BORROWED = {
    "module alias": "import civickit.stakeholders as s\ndef classify(df, threshold=3):\n    return s.classify(df, threshold)",
    "function alias": "from civickit.stakeholders import classify as c\ndef classify(df, threshold=3):\n    return c(df)",
    "function imported inside": "def classify(df, threshold=3):\n"
                                "    from civickit.stakeholders import MONITOR, classify as c\n    return c(df)",
    "star import": "from civickit.stakeholders import *",
    "import inside": "def classify(df, threshold=3):\n    from civickit import stakeholders\n    return stakeholders.classify(df)",
    "package inside": "def classify(df, threshold=3):\n    import civickit\n    return civickit.stakeholders.classify(df)",
    "importlib": "import importlib\ndef classify(df, threshold=3):\n"
                 "    return importlib.import_module('civickit.stakeholders').classify(df)",
    "__import__": "def classify(df, threshold=3):\n    return __import__('civickit.stakeholders', fromlist=['x']).classify(df)",
    "sys.modules": "import sys\ndef classify(df, threshold=3):\n    return sys.modules['civickit.stakeholders'].classify(df)",
    "getattr on the package": "import civickit\ndef classify(df, threshold=3):\n"
                              "    return getattr(civickit, 'stakeholders').classify(df)",
    "own helper": "from civickit import stakeholders as z\ndef helper(df):\n    return z.classify(df)\n"
                  "def classify(df, threshold=3):\n    return helper(df)",
    "lambda": "import civickit.stakeholders as q\nclassify = lambda df, threshold=3: q.classify(df, threshold)",
    "partial": "import functools, civickit.stakeholders as q\nclassify = functools.partial(q.classify)",
    "closure": "def make():\n    from civickit.stakeholders import classify as k\n"
               "    def classify(df, threshold=3):\n        return k(df)\n    return classify\nclassify = make()",
    "the hidden test's own import": "def classify(df, threshold=3):\n    return reference.classify(df, threshold)",
}
OWN = {
    "plain pandas": "def classify(df, threshold=3):\n    out = df.copy()\n    out['quadrant'] = MONITOR\n    return out",
    "given constants": "def classify(df, threshold=3):\n    return [s for s in SECTORS if s != MANAGE_CLOSELY]",
    "given constants imported again": "def classify(df, threshold=3):\n"
                                      "    from civickit.stakeholders import MANAGE_CLOSELY\n    return MANAGE_CLOSELY",
    "another kit module": "import civickit\ndef classify(df, threshold=3):\n    return civickit.datasets.load_table('x')",
    "attribute named like the hidden import": "def classify(df, threshold=3):\n    return df.reference",
}


@pytest.fixture
def shell():
    sh = InteractiveShell.instance()
    sh.reset()
    for cell in (GIVEN, HIDDEN_IMPORT):
        assert sh.run_cell(cell, store_history=True).success
    return sh


def found_in(sh, answer_cell: str, name: str) -> list[str]:
    assert sh.run_cell(answer_cell, store_history=True).success
    check = f"from civickit.own_work import uses_of\n_found = uses_of({name!r}, ({REFERENCE!r},), globals())"
    assert sh.run_cell(check, store_history=True).success
    return sh.user_ns["_found"]


@pytest.mark.parametrize("how", sorted(BORROWED))
def test_borrowed_answer_is_found(shell, how):
    """Is a function answer that reaches the reference module found, whatever the alias or route?"""
    assert found_in(shell, BORROWED[how], "classify")


@pytest.mark.parametrize("how", sorted(OWN))
def test_own_answer_is_not_flagged(shell, how):
    """Is an answer of the learner's own, using what the notebook gives, left alone?"""
    assert found_in(shell, OWN[how], "classify") == []


def test_value_answer_is_checked_through_its_cell(shell):
    """Is a value answer (`best_connector = ...`) checked through the cell that assigned it, tuples included?"""
    assert found_in(shell, "import civickit.stakeholders as st\nn, best_connector = 1, st.quadrant(5, 5)",
                    "best_connector")
    assert found_in(shell, "best_connector = sorted(['b', 'a'])[0]", "best_connector") == []


def test_failure_message_is_bulgarian_and_names_the_answer(shell):
    """Does the failing check raise NotOwnWork with a Bulgarian reason naming the answer and the route?"""
    assert shell.run_cell(BORROWED["function alias"], store_history=True).success
    result = shell.run_cell("from civickit.own_work import require_own_work\n"
                            f"require_own_work('classify', {REFERENCE!r})", store_history=True)
    err = result.error_in_exec
    assert type(err).__name__ == "NotOwnWork" and isinstance(err, AssertionError)
    assert str(err).startswith("Отговорът „classify“ не е изцяло ваш код: използва „c“")
    assert "0 точки" in str(err)


def test_every_hidden_test_cell_guards_its_answer():
    """Does every hidden test block of every assignment call require_own_work (so a new assignment cannot forget)?"""
    import json

    from conftest import REPO

    missing = []
    for path in sorted((REPO / "assignments").glob("*/*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and meta.get("grade") and "### BEGIN HIDDEN TESTS" in source:
                hidden = source.split("### BEGIN HIDDEN TESTS", 1)[1]
                if "require_own_work(" not in hidden:
                    missing.append(f"{path.name}: {meta.get('grade_id')}")
    assert not missing, missing
