"""Give every parameter the value the stack is compiled with, converted as Heat converts it.

User values win over the template default. Conversion follows Heat's parameter types: a number
is parsed as int, then float; a comma_delimited_list is split on commas without trimming; a
boolean accepts only Heat's spellings; json is parsed from text.

>>> from h2k.passes.bind_parameters import convert
>>> convert("comma_delimited_list", "one, two")
['one', ' two']
>>> convert("number", "010")
10
"""

from __future__ import annotations

import dataclasses
import json

from h2k.ir.expr import from_data, to_data
from h2k.ir.nodes import Parameter, Stack
from h2k.passes.context import PassContext

_TRUE = frozenset({"1", "t", "true", "on", "y", "yes"})
_FALSE = frozenset({"0", "f", "false", "off", "n", "no"})


def bind_parameters(stack: Stack, ctx: PassContext) -> Stack:
    for name in sorted(set(ctx.parameters) - {p.name for p in stack.parameters}):
        ctx.sink.report("H2K106", f"a value was given for parameter {name!r}, which the template does not declare",
                        stack.span)
    return dataclasses.replace(stack, parameters=tuple(_bind(p, ctx) for p in stack.parameters))


def _bind(parameter: Parameter, ctx: PassContext) -> Parameter:
    if not parameter.type:
        return parameter  # an invalid definition, reported by the front-end
    if parameter.name in ctx.parameters:
        raw: object = ctx.parameters[parameter.name]
        origin = "the value given"
    elif parameter.default is not None:
        raw = to_data(parameter.default)
        origin = "the default"
    else:
        ctx.sink.report("H2K105", f"parameter {parameter.name} has no default and no value was given "
                        f"(use -P {parameter.name}=VALUE)", parameter.span)
        return parameter
    try:
        value = convert(parameter.type, raw)
    except ValueError as error:
        shown = "******" if parameter.hidden else repr(raw)
        ctx.sink.report("H2K104", f"parameter {parameter.name}: {origin} {shown} is not a valid {parameter.type}: "
                        f"{error}", parameter.span)
        return parameter
    return dataclasses.replace(parameter, value=from_data(value, parameter.span))


def convert(kind: str, raw: object) -> object:
    """Heat's conversion of a parameter value to its declared type; ValueError when it does not fit."""
    if kind == "string":
        return raw if isinstance(raw, str) else str(raw)
    if kind == "number":
        if isinstance(raw, int | float):
            return raw
        text = str(raw)
        try:
            return int(text)
        except ValueError:
            try:
                return float(text)
            except ValueError:
                raise ValueError("not a number") from None
    if kind == "comma_delimited_list":
        if isinstance(raw, list):
            return [str(item) for item in raw]
        text = str(raw)
        return text.split(",") if text else []
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError("use one of true/false, yes/no, on/off, 1/0, t/f, y/n")
    if kind == "json":
        if isinstance(raw, str):
            if not raw:
                return raw
            try:
                return json.loads(raw)
            except ValueError as error:
                raise ValueError(f"not JSON ({error})") from None
        return json.loads(json.dumps(raw))
    raise ValueError(f"unknown parameter type {kind}")
