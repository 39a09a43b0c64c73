"""Networks, ports and floating IPs as their Neutron resources.

A Network with a `cidr` is a net and a subnet (an NFV virtual link: the first layer-3 protocol
data of its `vl_profile`); a Port joins the network it links to, with a fixed IP when one is
written (the server it binds to lists it, compute.py); a FloatingIP attaches to the port it links
to. They stay on OpenStack: the Kubernetes backend leaves them in the residual stack.
"""

from __future__ import annotations

from h2k.frontends.tosca import nfv
from h2k.frontends.tosca.functions import Scope
from h2k.frontends.tosca.lower.context import Lowering, TemplateNode
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.source.nodes import YMap


def network(low: Lowering, node: TemplateNode) -> None:
    layer3 = nfv.subnet(node.raw)
    if layer3 is not None:
        _virtual_link(low, node, layer3)
        return
    cidr = low.prop(node, "cidr")
    assert cidr is not None  # kinds.classify made a network without one an existing network
    net_props: list[tuple[str, Expr]] = []
    for tosca, hot in (("network_name", "name"),):
        value = low.prop(node, tosca)
        if value is not None:
            net_props.append((hot, value))
    low.add(node, "OS::Neutron::Net", net_props)
    subnet: list[tuple[str, Expr]] = [("network", Call(function="get_resource",
                                                       args=Literal(value=node.resource, span=node.span),
                                                       span=node.span)), ("cidr", cidr)]
    for tosca, hot in (("ip_version", "ip_version"), ("gateway_ip", "gateway_ip"), ("dhcp_enabled", "enable_dhcp")):
        value = low.prop(node, tosca)
        if value is not None:
            subnet.append((hot, value))
    start, end = low.prop(node, "start_ip"), low.prop(node, "end_ip")
    if start is not None and end is not None:
        pool = MapExpr(entries=((Literal(value="start", span=start.span), start),
                                (Literal(value="end", span=end.span), end)), span=start.span)
        subnet.append(("allocation_pools", ListExpr(items=(pool,), span=start.span)))
    low.unused(node, {"cidr", "network_name", "network_id", "ip_version", "gateway_ip", "dhcp_enabled",
                      "start_ip", "end_ip"})
    low.add(node, "OS::Neutron::Subnet", subnet, name=f"{node.name}_subnet")


def _virtual_link(low: Lowering, node: TemplateNode, layer3: YMap) -> None:
    """An NFV virtual link: a network, and a subnet of its first layer-3 protocol data."""
    low.add(node, "OS::Neutron::Net", [])
    scope = Scope(self_name=node.name)
    subnet: list[tuple[str, Expr]] = [("network", Call(function="get_resource", args=Literal(
        value=node.resource, span=node.span), span=node.span))]
    for key, hot in (("cidr", "cidr"), ("gateway_ip", "gateway_ip"), ("dhcp_enabled", "enable_dhcp")):
        written = layer3.get(key)
        if written is not None:
            subnet.append((hot, low.values.expr(written, scope)))
    version = layer3.get("ip_version")
    if version is not None and getattr(version, "value", None) in ("ipv4", "ipv6"):
        subnet.append(("ip_version", Literal(value=4 if version.value == "ipv4" else 6,  # type: ignore[union-attr]
                                             span=version.span)))
    low.unused(node, {"connectivity_type", "description", "vl_profile", "test_access"})
    low.add(node, "OS::Neutron::Subnet", subnet, name=f"{node.name}_subnet")


def port(low: Lowering, node: TemplateNode) -> None:
    link = low.nodes.get(next(filter(None, (low.requirement_target(node.name, n) for n in nfv.LINK)), ""))
    properties: list[tuple[str, Expr]] = []
    if link is not None and link.resource:
        properties.append(("network", Call(function="get_resource", args=Literal(value=link.resource,
                                                                                 span=node.span), span=node.span)))
    elif link is not None:
        name = low.prop(link, "network_id") or low.prop(link, "network_name")
        if name is not None:
            properties.append(("network", name))
    address = low.prop(node, "ip_address")
    if address is not None:
        properties.append(("fixed_ips", ListExpr(items=(MapExpr(entries=((Literal(value="ip_address",
                                                                                  span=address.span), address),),
                                                                span=address.span),), span=address.span)))
    low.unused(node, {"ip_address", "order", "is_default", "layer_protocols", "description", "role",
                      "vnic_type", "trunk_mode", "protocol", "bitrate_requirement"})
    low.add(node, "OS::Neutron::Port", properties)


def floating_ip(low: Lowering, node: TemplateNode) -> None:
    properties: list[tuple[str, Expr]] = []
    for name in ("floating_network", "floating_ip_address"):
        value = low.prop(node, name)
        if value is not None:
            properties.append((name, value))
    port_node = low.nodes.get(low.requirement_target(node.name, "link") or "")
    if port_node is not None and port_node.resource:
        properties.append(("port_id", Call(function="get_resource", args=Literal(value=port_node.resource,
                                                                                 span=node.span), span=node.span)))
    low.unused(node, {"floating_network", "floating_ip_address", "port_id"})
    low.add(node, "OS::Neutron::FloatingIP", properties)
