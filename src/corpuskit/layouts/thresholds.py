"""The thresholds and weights that were fitted on the development set, read from
``thresholds.toml`` (package data) once per process. ``benchmarks/fit_thresholds.py`` fits them
and may try other values in-process with :func:`override`."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

_overrides: dict[str, dict[str, Any]] = {}


@cache
def _load() -> dict[str, dict[str, Any]]:
    text = resources.files(__package__).joinpath("thresholds.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def section(name: str) -> dict[str, Any]:
    """One section's values, with any in-process overrides applied."""
    values = _load()[name]
    extra = _overrides.get(name)
    return {**values, **extra} if extra else values


def override(values: dict[str, dict[str, Any]]) -> None:
    """Try other values (the fitting script); an empty dict restores the file's."""
    _overrides.clear()
    for name, items in values.items():
        _overrides[name] = dict(items)
