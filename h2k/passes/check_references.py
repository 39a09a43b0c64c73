"""Every resource a template refers to must exist, and the references may not form a cycle.

References are `depends_on`, `get_resource` and `get_attr`; Heat orders creation by them.
"""

from __future__ import annotations

from h2k.ir.expr import Expr, name_span, referenced_resource
from h2k.ir.nodes import Stack
from h2k.ir.visit import calls
from h2k.passes.context import PassContext


def check_references(stack: Stack, ctx: PassContext) -> Stack:
    names = {r.name for r in stack.resources}
    # A chain or a nested stack expanded into `facade.member` resources is still referred to by its name.
    names |= {name.rsplit(".", 1)[0] for name in names if "." in name}
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
    _check_cycles(stack, ctx)
    return stack


def _check(expr: Expr | None, names: set[str], disabled: set[str], ctx: PassContext) -> None:
    for call in calls(expr):
        target = referenced_resource(call)
        if target is not None and target not in names:
            why = "is disabled by its condition" if target in disabled else "is not defined"
            ctx.sink.report("H2K107", f"{call.function}: the resource {target!r} {why}", name_span(call))


def _check_cycles(stack: Stack, ctx: PassContext) -> None:
    """Depth-first over the dependency graph (iteratively: graphs can be long); one finding per cycle."""
    edges: dict[str, list[str]] = {}
    for resource in stack.resources:
        found = set(resource.depends_on)
        for expr in (resource.properties, resource.metadata, resource.update_policy):
            found.update(t for t in (referenced_resource(c) for c in calls(expr)) if t is not None)
        edges[resource.name] = sorted(t for t in found if t != resource.name and stack.resource(t) is not None)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in edges:
        if state.get(start):
            continue
        path, iterators = [start], [iter(edges[start])]
        state[start] = 1
        while path:
            following = next(iterators[-1], None)
            if following is None:
                state[path.pop()] = 2
                iterators.pop()
            elif state.get(following) == 1:
                cycle = [*path[path.index(following):], following]
                first = stack.resource(following)
                assert first is not None
                ctx.sink.report("H2K122", "Circular Dependency Found: " + " -> ".join(cycle), first.span)
            elif not state.get(following):
                state[following] = 1
                path.append(following)
                iterators.append(iter(edges[following]))
