"""Closing a CRD's JSON Schema, so that validation is as strict as `kubectl apply --validate=strict`.

A CRD's structural schema allows fields it does not list only where it says so
(`x-kubernetes-preserve-unknown-fields`); JSON Schema allows them everywhere unless told
otherwise. Integer formats (`int32`, `int64`) become bounds: validators run format checks on
strings only, so an out-of-range number would otherwise pass.
"""

from __future__ import annotations

_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def close(node: object) -> None:
    """Close object schemas in place, through properties, items, additionalProperties and
    definitions, never allOf/anyOf/not (which only restate constraints). `properties` maps field
    names to schemas, so its keys are never taken for keywords (k-orc has a field named
    `additionalProperties`)."""
    if not isinstance(node, dict):
        return
    bounds = _RANGES.get(node.get("format", ""))
    if bounds is not None and "minimum" not in node and "maximum" not in node:
        node["minimum"], node["maximum"] = bounds
    properties = node.get("properties")
    if (isinstance(properties, dict) and "additionalProperties" not in node and "patternProperties" not in node
            and node.get("x-kubernetes-preserve-unknown-fields") is not True):
        node["additionalProperties"] = False
    for child in (properties or {}).values():
        close(child)
    if isinstance(node.get("additionalProperties"), dict):
        close(node["additionalProperties"])
    items = node.get("items")
    for child in items if isinstance(items, list) else [items]:
        close(child)
    for child in (node.get("definitions") or {}).values():
        close(child)
