"""Passes: plain functions `Stack -> Stack`, run in the order of PIPELINE."""

from __future__ import annotations

from collections.abc import Callable

from h2k.ir.nodes import Stack
from h2k.passes.bind_parameters import bind_parameters
from h2k.passes.check_references import check_references
from h2k.passes.context import PassContext
from h2k.passes.evaluate import evaluate
from h2k.passes.unfilled_hints import unfilled_hints

Pass = Callable[[Stack, PassContext], Stack]

# What `h2k check` runs: parameters are bound to their defaults only, nothing is translated.
CHECK_PIPELINE: tuple[Pass, ...] = (bind_parameters, evaluate, check_references, unfilled_hints)


def _pipeline() -> tuple[Pass, ...]:
    """The full pipeline; its translating passes are imported on first use, so `h2k check` starts faster."""
    from h2k.passes.classify import classify
    from h2k.passes.expand_groups import expand_groups
    from h2k.passes.expand_nested import expand_nested
    from h2k.passes.immutability import immutability
    from h2k.passes.names import assign_names
    from h2k.passes.placement import place

    return (bind_parameters, evaluate, expand_groups, expand_nested, check_references,
            unfilled_hints, classify, immutability, place, assign_names)


def __getattr__(name: str) -> tuple[Pass, ...]:
    if name == "PIPELINE":
        return _pipeline()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run(stack: Stack, ctx: PassContext, pipeline: tuple[Pass, ...] | None = None) -> Stack:
    """Run `pipeline` (PIPELINE when not given) over the stack."""
    for step in _pipeline() if pipeline is None else pipeline:
        stack = step(stack, ctx)
    return stack


__all__ = ["CHECK_PIPELINE", "PIPELINE", "PassContext", "run"]
