"""Expressions: literal data and intrinsic-function calls, each with the span it came from.

A front-end turns template values into these nodes; the evaluate pass folds every call whose
inputs are known at compile time into literal data, and what depends on deploy-time values (the
attributes of created resources) stays a `Call` for the backends to lower or report.
"""

from __future__ import annotations

from dataclasses import dataclass

from h2k.source.nodes import ScalarValue
from h2k.span import Span


@dataclass(frozen=True, slots=True, kw_only=True)
class Literal:
    value: ScalarValue
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class ListExpr:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class MapExpr:
    """A mapping; keys are literal scalars (templates never compute keys outside functions)."""

    entries: tuple[tuple[Literal, Expr], ...]
    span: Span

    def get(self, key: object) -> Expr | None:
        for name, value in self.entries:
            if name.value == key:
                return value
        return None

    def key_span(self, key: object) -> Span | None:
        for name, _ in self.entries:
            if name.value == key:
                return name.span
        return None

    def keys(self) -> list[ScalarValue]:
        return [name.value for name, _ in self.entries]


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """An intrinsic function call, e.g. `{get_attr: [server, first_address]}`."""

    function: str
    args: Expr
    span: Span


Expr = Literal | ListExpr | MapExpr | Call


def name_span(call: Call) -> Span:
    """Where the name a call refers to is written (its first argument)."""
    if isinstance(call.args, ListExpr) and call.args.items:
        return call.args.items[0].span
    return call.args.span


def referenced_resource(call: Call) -> str | None:
    """The resource a `get_resource` or `get_attr` call names, when it is written literally."""
    if call.function == "get_resource" and isinstance(call.args, Literal) and isinstance(call.args.value, str):
        return call.args.value
    if call.function == "get_attr" and isinstance(call.args, ListExpr) and call.args.items:
        first = call.args.items[0]
        if isinstance(first, Literal) and isinstance(first.value, str):
            return first.value
    return None


def is_known(expr: Expr) -> bool:
    """True when the expression holds no call: its value is fully known at compile time."""
    if isinstance(expr, Literal):
        return True
    if isinstance(expr, ListExpr):
        return all(is_known(item) for item in expr.items)
    if isinstance(expr, MapExpr):
        return all(is_known(value) for _, value in expr.entries)
    return False


def to_data(expr: Expr) -> object:
    """Plain Python data of a known expression (calls are kept as one-key dicts, as written)."""
    if isinstance(expr, Literal):
        return expr.value
    if isinstance(expr, ListExpr):
        return [to_data(item) for item in expr.items]
    if isinstance(expr, MapExpr):
        return {name.value: to_data(value) for name, value in expr.entries}
    return {expr.function: to_data(expr.args)}


def from_data(value: object, span: Span) -> Expr:
    """Wrap plain data computed at compile time; every piece points at the expression it came from."""
    if isinstance(value, dict):
        return MapExpr(entries=tuple((Literal(value=k, span=span), from_data(v, span)) for k, v in value.items()),
                       span=span)
    if isinstance(value, list | tuple):
        return ListExpr(items=tuple(from_data(v, span) for v in value), span=span)
    return Literal(value=value, span=span)  # type: ignore[arg-type]
