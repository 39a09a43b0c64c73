"""Every resource a template refers to must exist: `get_resource`, `get_attr` and `depends_on`."""

from __future__ import annotations

from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr, name_span, referenced_resource
from h2k.ir.nodes import Stack
from h2k.passes.context import PassContext


def check_references(stack: Stack, ctx: PassContext) -> Stack:
    names = {r.name for r in stack.resources}
    disabled = {r.name for r in stack.disabled}
    for resource in stack.resources:
        for target in resource.depends_on:
            if target not in names and target not in disabled:  # Heat drops edges to disabled resources
                ctx.sink.report("H2K107", f"resource {resource.name} depends on {target!r}, which is not defined",
                                resource.span)
        for expr in (resource.properties, resource.metadata, resource.update_policy, resource.external_id):
            _check(expr, names, disabled, ctx)
    for output in stack.outputs:
        _check(output.value, names, disabled, ctx)
    return stack


def _check(expr: Expr | None, names: set[str], disabled: set[str], ctx: PassContext) -> None:
    if expr is None or isinstance(expr, Literal):
        return
    if isinstance(expr, ListExpr):
        for item in expr.items:
            _check(item, names, disabled, ctx)
        return
    if isinstance(expr, MapExpr):
        for _, value in expr.entries:
            _check(value, names, disabled, ctx)
        return
    _check(expr.args, names, disabled, ctx)
    target = referenced_resource(expr)
    if target is not None and target not in names:
        why = "is disabled by its condition" if target in disabled else "is not defined"
        ctx.sink.report("H2K107", f"{expr.function}: the resource {target!r} {why}", name_span(expr))
