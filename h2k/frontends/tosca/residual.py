"""The lowered TOSCA topology written as a HOT template: what the residual Heat stack is cut from.

The residual stack (openstack/infra.yaml) is cut from the source template's own text for HOT. A
TOSCA template has no HOT text, so the HOT template the lowering means is written from the IR
before any pass has run, with its calls as written (get_param, get_resource, get_attr).
"""

from __future__ import annotations

from h2k.ir.expr import to_data
from h2k.ir.nodes import Stack
from h2k.source.nodes import Node, YMap, YScalar, YSeq
from h2k.span import Span


def hot_template(stack: Stack) -> dict[str, object]:
    parameters: dict[str, object] = {}
    for parameter in stack.parameters:
        definition: dict[str, object] = {"type": parameter.type}
        if parameter.description:
            definition["description"] = parameter.description
        if parameter.default is not None:
            definition["default"] = to_data(parameter.default)
        if parameter.constraints is not None:
            definition["constraints"] = to_data(parameter.constraints)
        parameters[parameter.name] = definition
    resources: dict[str, object] = {}
    for resource in stack.resources:
        body: dict[str, object] = {"type": resource.type, "properties": to_data(resource.properties)}
        if resource.metadata is not None:
            body["metadata"] = to_data(resource.metadata)
        if resource.depends_on:
            body["depends_on"] = list(resource.depends_on)
        resources[resource.name] = body
    template: dict[str, object] = {"heat_template_version": stack.version}
    if stack.description:
        template["description"] = stack.description
    template.update({"parameters": parameters, "resources": resources})
    outputs = {o.name: {"value": to_data(o.value), **({"description": o.description} if o.description else {})}
               for o in stack.outputs}
    if outputs:
        template["outputs"] = outputs
    return template


def as_nodes(value: object, span: Span) -> Node:
    """Plain data as loaded nodes, all at `span` (the shape the HOT passes and cuts read)."""
    if isinstance(value, dict):
        return YMap(tuple((YScalar(k, span), as_nodes(v, span)) for k, v in value.items()), span)
    if isinstance(value, list | tuple):
        return YSeq(tuple(as_nodes(v, span) for v in value), span)
    return YScalar(value, span)  # type: ignore[arg-type]
