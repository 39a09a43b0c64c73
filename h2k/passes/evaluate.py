"""Fold intrinsic functions whose inputs are known at compile time into literal data.

Arguments are folded first, then the call itself when every argument is known. Functions that
depend on deploy-time values (`get_resource`, `get_attr`, `OS::stack_id`) stay calls for the
backends to lower.

>>> from h2k.span import Span
>>> from h2k.ir.expr import Call, Literal, from_data
>>> s = Span.point("t.yaml")
>>> _walk(from_data({"net": "private"}, s), ["net"], s)
Literal(value='private', span=Span(file='t.yaml', line=1, column=1, end_line=1, end_column=1))
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, from_data, is_known, name_span, to_data
from h2k.ir.nodes import Stack
from h2k.passes.context import PassContext
from h2k.span import Span

# Pseudo parameters whose value is only known once Heat creates the stack.
_DEPLOY_TIME_PSEUDO = frozenset({"OS::stack_id", "OS::project_id"})


def evaluate(stack: Stack, ctx: PassContext) -> Stack:
    folder = _Folder(stack, ctx)
    resources = tuple(
        dataclasses.replace(
            r,
            properties=folder.fold_map(r.properties),
            metadata=folder.fold_optional(r.metadata),
            deletion_policy=folder.fold_optional(r.deletion_policy),
            update_policy=folder.fold_optional(r.update_policy),
            condition=folder.fold_optional(r.condition),
            external_id=folder.fold_optional(r.external_id),
        )
        for r in stack.resources
    )
    outputs = tuple(dataclasses.replace(o, value=folder.fold(o.value), condition=folder.fold_optional(o.condition))
                    for o in stack.outputs)
    conditions = tuple(dataclasses.replace(c, expr=folder.fold(c.expr)) for c in stack.conditions)
    return dataclasses.replace(stack, resources=resources, outputs=outputs, conditions=conditions)


class _Folder:
    def __init__(self, stack: Stack, ctx: PassContext) -> None:
        self.stack = stack
        self.ctx = ctx
        self.functions: dict[str, Callable[[Call], Expr]] = {"get_param": self.get_param}

    def fold_optional(self, expr: Expr | None) -> Expr | None:
        return None if expr is None else self.fold(expr)

    def fold_map(self, expr: MapExpr) -> MapExpr:
        return dataclasses.replace(expr, entries=tuple((k, self.fold(v)) for k, v in expr.entries))

    def fold(self, expr: Expr) -> Expr:
        if isinstance(expr, Literal):
            return expr
        if isinstance(expr, ListExpr):
            return dataclasses.replace(expr, items=tuple(self.fold(i) for i in expr.items))
        if isinstance(expr, MapExpr):
            return self.fold_map(expr)
        call = dataclasses.replace(expr, args=self.fold(expr.args))
        implementation = self.functions.get(call.function)
        if implementation is None or not is_known(call.args):
            return call
        return implementation(call)

    def get_param(self, call: Call) -> Expr:
        args = to_data(call.args)
        if isinstance(args, list) and args:
            name, path = args[0], args[1:]
        elif isinstance(args, str):
            name, path = args, []
        else:
            self.ctx.sink.report("H2K108", 'argument to "get_param" must be a parameter name or a list '
                                 "[name, key or index, ...]", call.span)
            return call
        if not isinstance(name, str):
            self.ctx.sink.report("H2K108", 'the parameter name given to "get_param" must be a string', call.span)
            return call
        if name == "OS::stack_name":
            return Literal(value=self.stack.name, span=call.span)
        if name in _DEPLOY_TIME_PSEUDO:
            return call
        parameter = self.stack.parameter(name)
        if parameter is None:
            self.ctx.sink.report("H2K106", f"get_param: the parameter {name!r} is not declared", name_span(call))
            return call
        if parameter.value is None:
            return call  # no value (already reported by bind_parameters)
        return _walk(parameter.value, path, call.span)


def _walk(value: Expr, path: list[object], span: Span) -> Expr:
    """Heat's get_param path: keys into maps, indexes into lists; any miss gives ''."""
    data = to_data(value)
    for step in path:
        try:
            if isinstance(data, list):
                data = data[int(step)]  # type: ignore[call-overload]
            elif isinstance(data, dict):
                data = data[step]
            else:
                return Literal(value="", span=span)
        except (KeyError, IndexError, ValueError, TypeError):
            return Literal(value="", span=span)
    return from_data(data, span)
