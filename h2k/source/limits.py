"""Bounds on what the loader accepts, so hostile input costs little time and memory."""

from __future__ import annotations

from dataclasses import dataclass

# Heat's own `max_template_size` default.
HEAT_MAX_TEMPLATE_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = HEAT_MAX_TEMPLATE_BYTES
    # Nodes a document may describe once every alias is expanded ("billion laughs" defence).
    max_nodes: int = 250_000
    # Nesting of mappings and sequences; keeps every recursive walk far from Python's stack limit.
    max_depth: int = 500


DEFAULT_LIMITS = Limits()
