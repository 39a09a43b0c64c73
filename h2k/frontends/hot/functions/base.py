"""What a function implementation receives and returns, and how it refuses a call.

An implementation gets the call as written (Heat checks the shape of the arguments as written,
before resolving them) and its arguments folded; it returns the result as an expression, or
None when an argument is only known at deploy time, so the call stays for the backends.
"""

from __future__ import annotations

import collections.abc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from h2k.frontends.hot.versions import HotVersion
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, from_data, is_known, to_data
from h2k.span import Span


class FunctionError(Exception):
    """Heat refuses the call; the message is Heat's own wording where it has one."""

    def __init__(self, message: str, code: str = "H2K108", span: Span | None = None) -> None:
        super().__init__(message)
        self.code = code
        # Where the problem is written, when that is more precise than the call (e.g. a name).
        self.span = span


class LimitError(FunctionError):
    def __init__(self, message: str) -> None:
        super().__init__(message, "H2K120")


class Absent:
    """The value of `if` without a false branch when its condition is false: the item disappears."""

    _instance: Absent | None = None

    def __new__(cls) -> Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT = Absent()
UNKNOWN = object()  # a value only known at deploy time


@dataclass(frozen=True, slots=True)
class EvalLimits:
    # Every computed string, and every computed collection (counted in nodes), stays below these.
    max_string: int = 1 << 20
    max_nodes: int = 250_000


class Evaluation(Protocol):
    """The evaluator, as functions see it."""

    version: HotVersion
    stack_name: str
    limits: EvalLimits

    def fold(self, expr: Expr) -> Expr | Absent: ...

    def condition_value(self, value: object, span: Span) -> bool | None: ...

    def decide(self, expr: Expr) -> bool | None: ...

    def parameter_value(self, name: str, span: Span) -> object: ...

    def read_file(self, key: str, span: Span) -> str: ...


Implementation = Callable[[Call, Expr, Evaluation], "Expr | Absent | None"]


def known(expr: Expr) -> bool:
    return is_known(expr)


def data(expr: Expr) -> Any:
    return to_data(expr)


def result(value: Any, call: Call, ev: Evaluation) -> Expr:
    """The computed value as an expression at the call's position, within the size limits."""
    check_size(value, ev.limits)
    return from_data(_plain(value), call.span)


def _plain(value: Any) -> Any:
    """Tuples (from yaql) become lists, other mappings dicts: the IR holds plain data."""
    if isinstance(value, str | bytes | bool | int | float) or value is None:
        return value
    if isinstance(value, collections.abc.Mapping):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, collections.abc.Iterable):
        return [_plain(v) for v in value]
    return value


def check_size(value: Any, limits: EvalLimits) -> None:
    nodes = 0
    stack = [value]
    while stack:
        item = stack.pop()
        nodes += 1
        if nodes > limits.max_nodes:
            raise LimitError(f"the result has more than {limits.max_nodes} elements")
        if isinstance(item, str):
            if len(item) > limits.max_string:
                raise LimitError(f"the result is a string longer than {limits.max_string} characters")
        elif isinstance(item, collections.abc.Mapping):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def is_sequence(value: Any) -> bool:
    """collections.abc.Sequence, as Heat tests it (strings included)."""
    return isinstance(value, collections.abc.Sequence)


def is_list(value: Any) -> bool:
    """A sequence that is not a string."""
    return isinstance(value, collections.abc.Sequence) and not isinstance(value, str | bytes)


def is_map(value: Any) -> bool:
    return isinstance(value, collections.abc.Mapping)


def raw_is_list(expr: Expr) -> bool:
    """The argument as written is a YAML sequence (a call there is not a list, as in Heat)."""
    return isinstance(expr, ListExpr)


def raw_is_map(expr: Expr) -> bool:
    return isinstance(expr, MapExpr)


def raw_is_string(expr: Expr) -> bool:
    return isinstance(expr, Literal) and isinstance(expr.value, str)


def raw_is_call(expr: Expr) -> bool:
    return isinstance(expr, Call)


def json_dumps(value: Any) -> str:
    """Heat's JSON for values put into strings: sorted keys, Python's default separators."""
    import json

    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError) as error:
        raise TypeError(str(error)) from None
