"""A Container.Application with an image artifact as an OS::Zun::Container.

The artifact's `file` is the image; the inputs of the container's lifecycle operations are its
environment (running the image is its `create`), with the addresses it connects to; its CPUs and
memory are the `host` capability of the Container.Runtime it is hosted on (else its own).
"""

from __future__ import annotations

from h2k.frontends.tosca.functions import Scope
from h2k.frontends.tosca.lower.compute import image_artifact
from h2k.frontends.tosca.lower.connections import connections
from h2k.frontends.tosca.lower.context import IMAGE_ARTIFACT, Lowering, TemplateNode
from h2k.frontends.tosca.lower.endpoints import ports_metadata, public
from h2k.frontends.tosca.lower.lifecycle import standard_interface
from h2k.frontends.tosca.scripts import LIFECYCLE
from h2k.frontends.tosca.units import mebibytes
from h2k.ir.expr import Expr, Literal, MapExpr
from h2k.source.nodes import YMap


def container(low: Lowering, node: TemplateNode) -> None:
    image = image_artifact(low, node)
    if image is None:
        low.sink.report("H2K717", f"container {node.name} has no image artifact (type "
                        f"{IMAGE_ARTIFACT}.*, `file` naming the image); it is not translated", node.span)
        return
    properties: list[tuple[str, Expr]] = [("image", image)]
    environment: list[tuple[str, Expr]] = []
    for inputs in _operation_inputs(low, node):
        environment += list(inputs)
    connections(low, node, environment)
    if environment:
        properties.append(("environment", MapExpr(entries=tuple((Literal(value=k, span=v.span), v)
                                                                for k, v in environment), span=node.span)))
    runtime = low.nodes.get(low.host(node.name) or "")
    sizes = runtime if runtime is not None and runtime.kind == "runtime" else node
    cpus = low.static(low.capability_prop(sizes, "host", "num_cpus"))
    memory = mebibytes(low.static(low.capability_prop(sizes, "host", "mem_size")))
    if isinstance(cpus, int | float) and not isinstance(cpus, bool):
        properties.append(("cpu", Literal(value=cpus, span=sizes.span)))
    if memory is not None:
        properties.append(("memory", Literal(value=max(1, round(memory)), span=sizes.span)))
    for name in ("command", "workdir", "hostname"):
        value = low.prop(node, name)
        if value is not None:
            properties.append((name, value))
    low.unused(node, {"command", "workdir", "hostname"})
    resource = low.add(node, "OS::Zun::Container", properties, ports_metadata(low, node))
    public(low, node, resource)


def _operation_inputs(low: Lowering, node: TemplateNode) -> list[tuple[tuple[str, Expr], ...]]:
    """The inputs of each Standard operation that has some, in lifecycle order."""
    written = standard_interface(node.raw)
    found = []
    for name in LIFECYCLE:
        raw_op = written.get(name) if written is not None else None
        inputs_node = raw_op.get("inputs") if isinstance(raw_op, YMap) else None
        if not isinstance(inputs_node, YMap):
            continue
        scope = Scope(self_name=node.name)
        found.append(tuple((str(k.value), low.values.expr(v, scope)) for k, v in inputs_node.entries))
    return found
