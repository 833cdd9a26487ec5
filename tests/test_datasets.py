"""The kit's tables: each loads through its schema; synthetic ones are exactly what their seeded generator makes."""

from __future__ import annotations

import pandas as pd
import pytest

from civickit.datasets import DATA, catalogue, load_table, validate
from civickit.errors import KitError
from civickit.synth import generators

TABLES = sorted(catalogue())


@pytest.mark.parametrize("name", TABLES)
def test_table_loads_and_names_its_source(name):
    """Does every table load through its schema and say where it comes from and under which licence?"""
    spec = catalogue()[name]
    table = load_table(name)
    assert len(table) > 0
    assert list(table.columns) == list(spec["columns"])
    assert spec["source"].strip() and spec["licence"].strip()


@pytest.mark.parametrize("name", [t for t in TABLES if catalogue()[t]["synthetic"]])
def test_synthetic_table_is_what_its_generator_makes(name):
    """Is a synthetic table named so, and identical to a fresh run of its seeded generator?"""
    assert name.endswith("_synthetic")
    fresh = validate(generators()[name]().astype(str).replace({"<NA>": None, "": None}), name, "generator")
    assert fresh.equals(load_table(name))


def test_every_generator_has_its_table():
    """Does each generator module belong to a table with a schema?"""
    assert set(generators()) <= set(TABLES)


def test_wrong_columns_are_named():
    """Does a table with a missing column fail with the table and column named?"""
    frame = pd.read_csv(DATA / catalogue()["consultations_synthetic"]["file"], dtype=str).drop(columns=["closes"])
    with pytest.raises(KitError, match="closes"):
        validate(frame, "consultations_synthetic", "upload.csv")
