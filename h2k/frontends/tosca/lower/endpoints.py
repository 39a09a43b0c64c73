"""Endpoint capabilities: the ports a workload listens on, and whether they are public.

The ports of a node's Endpoints, and of the software it hosts, become the workload's metadata
`h2k.io/port` (containerPorts on Kubernetes). A public one (`network_name: PUBLIC`, or
`floating: true`) becomes a floating IP on the workload, which the Kubernetes backend makes a
Service of type LoadBalancer.
"""

from __future__ import annotations

from h2k.frontends.tosca.lower.context import ENDPOINT, Lowering, TemplateNode, derived, get_attr
from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Resource
from h2k.source.nodes import YMap
from h2k.span import Span

PORT_KEY = "h2k.io/port"


def endpoints(low: Lowering, node: TemplateNode) -> list[tuple[int, bool, Span]]:
    """(port, public, where) of the Endpoint capabilities of a node and of what it hosts."""
    found: list[tuple[int, bool, Span]] = []
    members = [n for n in low.nodes.values() if low.instance_of(n.name) == node.resource] or [node]
    for member in members:
        capabilities = member.template.get_capabilities()
        for cap_name, capability in capabilities.items():
            if not derived(capability.definition, ENDPOINT):
                continue
            port = low.static(low.capability_prop(member, cap_name, "port"))
            if not isinstance(port, int) or isinstance(port, bool):
                continue
            network = low.static(low.capability_prop(member, cap_name, "network_name"))
            floating = low.static(low.capability_prop(member, cap_name, "floating"))
            public = str(network).upper() == "PUBLIC" or floating is True
            written = member.raw.get("capabilities")
            where = written.get(cap_name) if isinstance(written, YMap) else None
            found.append((port, public, where.span if where is not None else member.span))
    return found


def ports_metadata(low: Lowering, node: TemplateNode) -> dict[str, Expr] | None:
    ports = sorted({port for port, _, _ in endpoints(low, node)})
    if not ports:
        return None
    return {PORT_KEY: ListExpr(items=tuple(Literal(value=p, span=node.span) for p in ports), span=node.span)}


def public(low: Lowering, node: TemplateNode, resource: Resource) -> None:
    """A public endpoint: a floating IP on the workload (a LoadBalancer Service on Kubernetes)."""
    spans = [span for _, is_public, span in endpoints(low, node) if is_public]
    if not spans:
        return
    span = spans[0]
    port_id = get_attr(resource.name, span, "addresses", "private", 0, "port")
    low.resources.append(Resource(
        name=f"{resource.name}_public_address", type="OS::Neutron::FloatingIP", span=span,
        properties=MapExpr(entries=((Literal(value="floating_network", span=span), Literal(value="public", span=span)),
                                    (Literal(value="port_id", span=span), port_id)), span=span),
        description=f"TOSCA {node.name}: the public endpoint of {node.template.type}"))
