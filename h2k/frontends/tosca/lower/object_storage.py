"""ObjectStorage as an OS::Swift::Container: its `name`, and `maxsize` (else `size`) as its quota."""

from __future__ import annotations

from h2k.frontends.tosca.lower.context import Lowering, TemplateNode
from h2k.frontends.tosca.units import size_bytes
from h2k.ir.expr import Expr, Literal, MapExpr


def swift(low: Lowering, node: TemplateNode) -> None:
    properties: list[tuple[str, Expr]] = []
    name = low.prop(node, "name")
    if name is not None:
        properties.append(("name", name))
    quota = low.prop(node, "maxsize") or low.prop(node, "size")
    if quota is not None:
        found = size_bytes(low.static(quota), "gb")
        if found is not None:
            properties.append(("X-Container-Meta", MapExpr(entries=((Literal(value="Quota-Bytes", span=quota.span),
                                                                      Literal(value=int(found), span=quota.span)),),
                                                            span=quota.span)))
    low.unused(node, {"name", "maxsize", "size"})
    low.add(node, "OS::Swift::Container", properties)
