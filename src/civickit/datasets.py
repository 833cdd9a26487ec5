"""The one way to load the course's tables: data/<file> checked against data/schemas/<table>.json."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from .errors import KitError

DATA = Path(__file__).parent / "data"
DTYPES = {"str": "string", "int": "Int64", "float": "Float64", "date": "date"}


@cache
def catalogue() -> dict:
    """Each table's file, schema, source and licence (one schema file per table)."""
    tables = {}
    for path in sorted((DATA / "schemas").glob("*.json")):
        tables.update(json.loads(path.read_text(encoding="utf-8")))
    return tables


def validate(frame: pd.DataFrame, name: str, origin: str) -> pd.DataFrame:
    """Check columns and convert types; errors name the table, column and row."""
    schema = catalogue()[name]["columns"]
    missing = [c for c in schema if c not in frame.columns]
    extra = [c for c in frame.columns if c not in schema]
    if missing or extra:
        raise KitError(f"{origin}: columns do not match table '{name}' (missing: {missing or 'none'}; unexpected: {extra or 'none'}).")
    out = frame.copy()
    for column, spec in schema.items():
        kind = DTYPES[spec["type"]]
        values = out[column]
        if spec.get("required") and values.isna().any():
            row = int(values.isna().to_numpy().argmax()) + 2  # +2: header line and 1-based rows
            raise KitError(f"{origin}: column '{column}' is empty on line {row}; every row needs a value.")
        try:
            if kind == "date":
                out[column] = pd.to_datetime(values, format="%Y-%m-%d").dt.date
            else:
                out[column] = values.astype(kind)
        except (ValueError, TypeError) as err:
            raise KitError(f"{origin}: column '{column}' should hold {spec['type']} values ({err}).") from None
    return out


def load_table(name: str) -> pd.DataFrame:
    """A validated copy of one of the kit's tables, e.g. load_table('consultations_synthetic')."""
    if name not in catalogue():
        raise KitError(f"No table '{name}'; the kit has: {', '.join(sorted(catalogue()))}.")
    path = DATA / catalogue()[name]["file"]
    frame = pd.read_csv(path, encoding="utf-8", dtype=str, keep_default_na=False, na_values=[""])
    return validate(frame, name, path.name)
