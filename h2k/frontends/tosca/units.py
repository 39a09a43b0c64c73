"""TOSCA scalar-unit sizes (`10 GB`, `512 MiB`): what Cinder sizes and flavors are counted in."""

from __future__ import annotations

import math
import re

_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*")
# TOSCA's size units: decimal and binary prefixes, case-insensitive as TOSCA reads them.
_FACTORS = {"b": 1, "kb": 10**3, "kib": 2**10, "mb": 10**6, "mib": 2**20, "gb": 10**9, "gib": 2**30,
            "tb": 10**12, "tib": 2**40}


def size_bytes(value: object, default_unit: str = "b") -> float | None:
    """Bytes in a size written as a scalar-unit (a bare number counts in `default_unit`); None if not a size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) * _FACTORS[default_unit]
    if not isinstance(value, str):
        return None
    match = _SIZE.fullmatch(value)
    if match is None:
        return None
    unit = (match.group(2) or default_unit).lower()
    factor = _FACTORS.get(unit)
    return None if factor is None else float(match.group(1)) * factor


def gibibytes_up(value: object) -> int | None:
    """Whole GiB, rounded up (Cinder sizes); a bare number is taken as GiB already."""
    found = size_bytes(value, "gib")
    return None if found is None or found <= 0 else max(1, math.ceil(found / 2**30 - 1e-9))


def mebibytes(value: object) -> float | None:
    """MiB in a memory size; a bare number is taken as MB, as TOSCA's mem_size examples write it."""
    found = size_bytes(value, "mb")
    return None if found is None else found / 2**20
