"""nbgrader's cell-metadata check, with its schema checked once per process instead of once per cell.

nbgrader validates each cell's `nbgrader` metadata with `jsonschema.validate(meta, schema)`, which first
re-validates the schema itself against the JSON-Schema meta-schema: 0.13 s of CPU per notebook, about a
quarter of the grader's own work per submission (profiled under `civickit benchmark`). The schema is
nbgrader's own file, loaded once; checking it once gives the same verdicts and the same errors
(`best_match` of the instance's errors, as jsonschema.validate raises).
"""

from __future__ import annotations


class _SchemaCheckedOnce:
    """Stands in for the `jsonschema` module inside nbgrader.nbgraderformat.common."""

    def __init__(self, jsonschema):
        self._jsonschema = jsonschema
        self._validators: dict[int, tuple[dict, object]] = {}

    def __getattr__(self, name):
        return getattr(self._jsonschema, name)

    def validate(self, instance, schema):
        # Keyed by identity; the schema is kept in the entry so its id cannot be reused by another object.
        entry = self._validators.get(id(schema))
        if entry is None or entry[0] is not schema:
            cls = self._jsonschema.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = self._validators[id(schema)] = (schema, cls(schema))
        error = self._jsonschema.exceptions.best_match(entry[1].iter_errors(instance))
        if error is not None:
            raise error


def check_schema_once() -> None:
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _SchemaCheckedOnce):
        common.jsonschema = _SchemaCheckedOnce(common.jsonschema)
