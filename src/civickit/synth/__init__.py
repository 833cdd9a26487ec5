"""Seeded generators of the synthetic tables: one module per table, named after it, with generate()."""

from __future__ import annotations

import importlib
import pkgutil


def generators() -> dict:
    """{table name: generate function} for every module in this package."""
    return {
        info.name: importlib.import_module(f"{__name__}.{info.name}").generate
        for info in pkgutil.iter_modules(__path__)
    }
