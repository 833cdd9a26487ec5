"""Work nbgrader repeats for every cell or every gradebook it opens, done once per process instead.

Both were found by profiling the grader under `civickit benchmark`; neither changes what nbgrader decides.

1. Metadata schema: nbgrader checks each cell's `nbgrader` metadata with `jsonschema.validate(meta,
   schema)`, which first re-validates the schema itself against the JSON-Schema meta-schema: 0.13 s of
   CPU per notebook. The schema is nbgrader's own file, loaded once; checking it once gives the same
   verdicts and the same errors (`best_match` of the instance's errors, as jsonschema.validate raises).
2. Gradebook engines: nbgrader opens a new `Gradebook` -- a new SQLAlchemy engine -- about nine times
   per submission, and each new engine starts with an empty cache of compiled SQL, so the same queries
   are compiled again every time (~0.2 s of CPU per submission). One engine per database URL and process
   keeps that cache; `Gradebook.close()` still disposes of its connections (the engine reconnects when
   used again). A forked grader gets engines of its own: the key holds the process id.
"""

from __future__ import annotations

import os


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


def share_gradebook_engines() -> None:
    from nbgrader import api

    if getattr(api.create_engine, "civickit_shared", False):
        return
    create = api.create_engine
    engines: dict = {}

    def shared_engine(url, **kwargs):
        key = (os.getpid(), str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = create(url, **kwargs)
        return engines[key]

    shared_engine.civickit_shared = True
    api.create_engine = shared_engine
