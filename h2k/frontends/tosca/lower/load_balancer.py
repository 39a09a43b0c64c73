"""A LoadBalancer and its RoutesTo targets as an Octavia load balancer.

One listener on the `client` capability's port (else the first target's), one pool with the
template's `algorithm` in Octavia's words, and a member per routed server, at its address and
endpoint port. The Kubernetes backend makes the chain one Service of type LoadBalancer selecting
the targets' pods, so only software on a Compute with an endpoint port can be routed to.
"""

from __future__ import annotations

from h2k.frontends.tosca.lower.context import ROUTES_TO, Lowering, TemplateNode, derived, get_attr, get_resource
from h2k.frontends.tosca.lower.endpoints import endpoints
from h2k.ir.expr import Expr, Literal

# TOSCA leaves `algorithm` free; Octavia's names for the usual ones.
_LB_METHODS = {"round_robin": "ROUND_ROBIN", "roundrobin": "ROUND_ROBIN", "least_connections": "LEAST_CONNECTIONS",
               "leastconn": "LEAST_CONNECTIONS", "source_ip": "SOURCE_IP", "source": "SOURCE_IP"}


def load_balancer(low: Lowering, node: TemplateNode) -> None:
    """A LoadBalancer and its RoutesTo targets: an Octavia load balancer, one listener and pool, a member per
    routed server (the Kubernetes backend makes one Service of type LoadBalancer of the chain)."""
    targets: list[tuple[TemplateNode, str, int]] = []
    for relationship, target in node.template.relationships.items():
        routed = low.nodes.get(str(target.name))
        if not derived(relationship, ROUTES_TO) or routed is None:
            continue
        instance = low.instance_of(routed.name)
        ports = [port for port, _, _ in endpoints(low, routed)]
        server = low.nodes.get(instance or "")
        if server is None or server.kind != "server" or not ports:
            low.sink.report("H2K714", f"load balancer {node.name} routes to {routed.name}, which is not on a "
                            "Compute with an endpoint port; give it a public endpoint instead", node.span)
            continue
        targets.append((routed, server.resource, ports[0]))
    if not targets:
        low.sink.report("H2K714", f"load balancer {node.name} routes to nothing h2k translates; it is not "
                        "translated", node.span)
        return
    span = node.span
    client = low.static(low.capability_prop(node, "client", "port"))
    port = client if isinstance(client, int) and not isinstance(client, bool) else targets[0][2]
    algorithm = low.static(low.prop(node, "algorithm"))
    method = _LB_METHODS.get(str(algorithm).lower().replace("-", "_"), str(algorithm).upper()) \
        if algorithm else "ROUND_ROBIN"

    def text(value: object) -> Expr:
        return Literal(value=value, span=span)  # type: ignore[arg-type]

    low.add(node, "OS::Octavia::LoadBalancer", [], name=node.name)
    low.add(node, "OS::Octavia::Listener", [("loadbalancer", get_resource(node.name, span)), ("protocol", text("TCP")),
                                            ("protocol_port", text(port))], name=f"{node.name}_listener")
    low.add(node, "OS::Octavia::Pool", [("listener", get_resource(f"{node.name}_listener", span)),
                                        ("protocol", text("TCP")), ("lb_algorithm", text(method))],
            name=f"{node.name}_pool")
    for member, instance, target_port in targets:
        low.add(node, "OS::Octavia::PoolMember", [("pool", get_resource(f"{node.name}_pool", span)),
                                                  ("address", get_attr(instance, span, "first_address")),
                                                  ("protocol_port", text(target_port))],
                name=f"{node.name}_member_{member.name}")
