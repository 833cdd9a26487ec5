"""Own work and plain data, quickly: the assignments never need a reference module where learners' code
runs, and answers reach the checker only as plain values (civickit.answer_wire).

The full path (civickit cohort autograde in the sandbox) is in test_forged_grades.py and
test_hostile_submissions.py.
"""

from __future__ import annotations

import ast
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from conftest import REPO

from civickit import answer_wire
from civickit.datasets import load_table
from civickit.reference_modules import REFERENCE_MODULES, is_reference
from civickit.trusted_check import cell_role

ASSIGNMENTS = sorted((REPO / "assignments").glob("*/*.ipynb"))
TABLES = ["stakeholders_synthetic", "stakeholder_links_synthetic", "needs_survey_synthetic", "consultations_synthetic",
          "funding_programmes_2021_2027", "logframe_example_synthetic", "budget_lines_synthetic",
          "municipal_indicators_synthetic"]


def wire(value):
    """A value as the learner's kernel sends it and the checker rebuilds it (JSON in between)."""
    text = json.dumps(answer_wire.encode(value), allow_nan=False)
    return answer_wire.decode(json.loads(text), lambda handle, name: ("proxy", handle, name))


def imported_modules(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return found


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda p: p.parent.name)
def test_only_test_cells_use_reference_modules(path):
    """Does every cell that runs in the learner's kernel (setup and answers) do without the reference modules,
    which the grading sandbox refuses to import? Only test cells, run by the trusted checker, may use them."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] != "code" or (meta.get("grade") and not meta.get("solution")):
            continue
        used = sorted(m for m in imported_modules("".join(cell["source"])) if is_reference(m))
        assert not used, (path.name, meta.get("grade_id"), used)


@pytest.mark.parametrize("path", ASSIGNMENTS, ids=lambda p: p.parent.name)
def test_test_cells_are_recognised_as_trusted(path):
    """Is every autograded test cell of the assignment one the checker runs itself (locked, with nbgrader's
    checksum), so none of them runs in the learner's kernel?"""
    from nbformat import reads
    from nbgrader.utils import compute_checksum

    nb = reads(path.read_text(encoding="utf-8"), as_version=4)
    tests = 0
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution"):
            meta["checksum"] = compute_checksum(cell)  # what OverwriteCells restores from the gradebook
            assert cell_role(cell) == "test", meta.get("grade_id")
            tests += 1
    assert tests > 0


def test_reference_list_is_importable_by_the_checker():
    """Can the trusted checker import every reference module it lists?"""
    import importlib

    for name in REFERENCE_MODULES:
        assert importlib.import_module(name).__name__ == name


@pytest.mark.parametrize("name", TABLES)
def test_course_tables_travel_exactly(name):
    """Does each course table (and each of its columns) arrive as an equal DataFrame with the same dtypes?"""
    frame = load_table(name)
    back = wire(frame)
    pd.testing.assert_frame_equal(frame, back, check_exact=True)
    assert list(frame.dtypes) == list(back.dtypes)
    for column in frame.columns:
        pd.testing.assert_series_equal(frame[column], wire(frame[column]), check_exact=True)


def test_grouped_results_travel_exactly():
    """Do the shapes answers return (grouped means, cross tables, a MultiIndex, categories) arrive unchanged?"""
    survey = load_table("needs_survey_synthetic")
    answered = (survey["responded"] == "да").astype(float)
    pd.testing.assert_series_equal(answered.groupby(survey["municipality"]).mean(),
                                   wire(answered.groupby(survey["municipality"]).mean()))
    table = pd.crosstab(survey["municipality"], survey["org_type"])
    pd.testing.assert_frame_equal(table, wire(table))
    sizes = survey.groupby(["municipality", "org_type"]).size()
    pd.testing.assert_series_equal(sizes, wire(sizes))
    places = survey["municipality"].astype("category")
    pd.testing.assert_series_equal(places, wire(places))


def test_plain_values_travel_with_their_types():
    """Do scalars keep type and value (numpy scalars, NaN, pd.NA, dates, tuples in lists, sets)?"""
    values = [None, True, 7, 2.5, "текст", (1, [2, {"a": {3}}]), dt.date(2026, 1, 2), np.int64(4), np.float64(0.5),
              np.bool_(True), pd.Timestamp("2026-11-30T22:30:00Z"), np.array([[1, 2], [3, 4]])]
    for value in values:
        back = wire(value)
        assert type(back) is type(value), value
        assert (back == value).all() if isinstance(value, np.ndarray) else back == value
    assert np.isnan(wire(float("nan"))) and wire(pd.NA) is pd.NA and wire(pd.NaT) is pd.NaT


def test_lying_values_arrive_as_what_they_hold():
    """Does an always-equal float subclass arrive as the plain float it holds, and an object whose
    __eq__/__bool__ lie as a value that refuses every comparison?"""

    class Days(float):
        def __eq__(self, other):
            return True

        __hash__ = float.__hash__

    class Anything:
        def __eq__(self, other):
            return True

        def __bool__(self):
            return True

    back = wire(Days(0))
    assert type(back) is float and back == 0.0 and back != 30
    liar = wire([Anything()])[0]
    for check in (lambda: liar == 30, lambda: bool(liar), lambda: liar >= 14, lambda: liar + 1):
        with pytest.raises(TypeError):
            check()
    frame = pd.DataFrame({"x": [Days(1.0)]}, dtype=object)
    assert type(wire(frame).iloc[0, 0]) is float
