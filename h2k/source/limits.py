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
    # Nesting of mappings and sequences. Real templates nest about 15 deep; the IR walks recurse
    # a few frames per level, so 100 keeps them far from Python's recursion limit.
    max_depth: int = 100


DEFAULT_LIMITS = Limits()
