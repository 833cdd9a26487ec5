"""The kit's faster nbgrader metadata check gives nbgrader's own verdicts."""

from __future__ import annotations

import jsonschema
import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator, common

from civickit.grading_speedups import check_schema_once


def _cell(**nbgrader):
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["nbgrader"] = {"schema_version": 3, "grade": True, "solution": False, "locked": True,
                                 "grade_id": "a", "points": 1, **nbgrader}
    return cell


def _verdict(cell):
    try:
        MetadataValidator().validate_cell(cell)
    except jsonschema.ValidationError as err:
        return err.message
    return "ok"


@pytest.mark.parametrize("fields", [{}, {"points": "ten"}, {"grade_id": 5}, {"locked": "yes"}, {"task": 3}])
def test_checked_once_gives_nbgraders_verdict(fields, monkeypatch):
    """Does a cell's metadata pass or fail with the same message as with jsonschema.validate itself?"""
    monkeypatch.setattr(common, "jsonschema", jsonschema)
    expected = _verdict(_cell(**fields))
    check_schema_once()
    assert common.jsonschema is not jsonschema
    assert _verdict(_cell(**fields)) == expected
    if fields:
        assert expected != "ok", "the case must be one nbgrader rejects"


def test_shared_engine_keeps_the_gradebook_working(tmp_path):
    """After one Gradebook is closed, does the next on the same file still read and write, on the same engine?"""
    from nbgrader.api import Gradebook

    from civickit.grading_speedups import share_gradebook_engines

    share_gradebook_engines()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as first:
        first.add_student("ana")
        engine = first.engine
    with Gradebook(url) as second:
        second.add_student("boris")
        assert second.engine is engine
        assert sorted(s.id for s in second.students) == ["ana", "boris"]
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with Gradebook(other) as third:
        assert third.engine is not engine and third.students == []
