"""Every resource a template refers to must exist: `get_resource`, `get_attr` and `depends_on`."""

from __future__ import annotations

from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, name_span, referenced_resource
from h2k.ir.nodes import Stack
from h2k.passes.context import PassContext


def check_references(stack: Stack, ctx: PassContext) -> Stack:
    names = {r.name for r in stack.resources}
    for resource in stack.resources:
        for target in resource.depends_on:
            if target not in names:
                ctx.sink.report("H2K107", f"resource {resource.name} depends on {target!r}, which is not defined",
                                resource.span)
        for expr in (resource.properties, resource.metadata, resource.update_policy, resource.external_id):
            _check(expr, names, ctx)
    for output in stack.outputs:
        _check(output.value, names, ctx)
    return stack


def _check(expr: Expr | None, names: set[str], ctx: PassContext) -> None:
    if expr is None or isinstance(expr, Literal):
        return
    if isinstance(expr, ListExpr):
        for item in expr.items:
            _check(item, names, ctx)
        return
    if isinstance(expr, MapExpr):
        for _, value in expr.entries:
            _check(value, names, ctx)
        return
    _check(expr.args, names, ctx)
    if expr.function not in ("get_resource", "get_attr"):
        return
    target = referenced_resource(expr)
    if target is not None:
        if target not in names:
            ctx.sink.report("H2K107", f"{expr.function}: the resource {target!r} is not defined", name_span(expr))
    elif not _computed_name(expr):
        usage = "a resource name" if expr.function == "get_resource" else "[resource, attribute, ...]"
        ctx.sink.report("H2K108", f'"{expr.function}" takes {usage}', expr.span)


def _computed_name(call: Call) -> bool:
    """A name that another function computes (checked once it is known)."""
    first = call.args.items[0] if isinstance(call.args, ListExpr) and call.args.items else call.args
    return isinstance(first, Call)
