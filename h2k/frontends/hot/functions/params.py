"""get_param and get_file: values the user supplies, so always known when compiling."""

from __future__ import annotations

from typing import Any

from h2k.frontends.hot.functions.base import UNKNOWN, Evaluation, FunctionError, data, is_map, known, result
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, name_span


def get_param(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """A parameter's value, walked by the path; a path that does not fit gives '' (as Heat)."""
    if not known(args):
        return None
    value = data(args)
    if not value:
        raise FunctionError('Function "get_param" must have arguments')
    if isinstance(value, str):
        name, path = value, []
    elif isinstance(value, list):
        name, path = value[0], value[1:]
    else:
        raise FunctionError('Argument to "get_param" must be string or list')
    if not isinstance(name, str):
        raise FunctionError('Parameter name in "get_param" must be string')
    found = ev.parameter_value(name, name_span(call))
    if found is UNKNOWN:
        return None
    if isinstance(found, Call | ListExpr | MapExpr | Literal):
        return found if not path else None  # a deploy-time value passed into a nested stack
    try:
        for step in path:
            found = _step(found, step)
    except (KeyError, IndexError, TypeError):
        found = ""
    return result(found, call, ev)


def _step(collection: Any, key: Any) -> Any:
    if not (is_map(collection) or isinstance(collection, list | str)):
        raise TypeError("cannot traverse")
    if not isinstance(key, str | int):
        raise TypeError("path components must be strings")
    if isinstance(collection, list | str) and isinstance(key, str):
        try:
            key = int(key)
        except ValueError:
            raise TypeError("not an index") from None
    return collection[key]


def get_file(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    if not known(args):
        return None
    key = data(args)
    if not isinstance(key, str):
        raise FunctionError('Argument to "get_file" must be a string')
    return result(ev.read_file(key, call.span), call, ev)
