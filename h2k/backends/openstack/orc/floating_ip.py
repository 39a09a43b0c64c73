"""OS::Neutron::FloatingIP -> FloatingIP; an OS::Neutron::FloatingIPAssociation becomes its `portRef`."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Call, referenced_resource
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource

MAPPED = {
    "floating_network": "`floatingNetworkRef` (left out when `floating_subnet` is given: k-orc takes one of them, "
                        "and the subnet says the network)",
    "floating_network_id": "as `floating_network` (Heat's hidden older name)",
    "floating_subnet": "`floatingSubnetRef`",
    "port_id": "`portRef`",
    "fixed_ip_address": "`fixedIP`",
    "floating_ip_address": "`floatingIP`",
}
REASONS = {
    "value_specs": "k-orc passes no extra Neutron attributes",
    "dns_name": "k-orc does not set DNS names of floating IPs",
    "dns_domain": "k-orc does not set DNS names of floating IPs",
}
ASSOCIATION_MAPPED = {
    "floatingip_id": "the FloatingIP it completes (a floating IP of the stack written by k-orc; otherwise the "
                     "association stays in Heat, H2K516)",
    "port_id": "`portRef` of that FloatingIP",
    "fixed_ip_address": "`fixedIP` of that FloatingIP",
}


def emit_floating_ip(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    subnet = f.ref("floatingSubnetRef", "Subnet", "floating_subnet")
    if subnet is None:
        f.ref("floatingNetworkRef", "Network", "floating_network", "floating_network_id")
    else:
        key, given = f.pick("floating_network", "floating_network_id")
        if given is not None:
            s.drop(resource, key, "k-orc takes the network from floating_subnet", given.span, Severity.INFO)
    _port(f, s)
    f.string("fixedIP", "fixed_ip_address", limit=45)
    f.string("floatingIP", "floating_ip_address", limit=45)
    s.report_unhandled(resource, MAPPED, REASONS)
    if "floatingSubnetRef" not in f.out and not f.required(
            "floatingNetworkRef", "k-orc needs the external network (or subnet) as a k-orc object"):
        return None
    return f.out


def _port(f: Fields, s: State) -> None:
    """`portRef`; a server's port (`get_attr: [server, addresses, ...]`) once the servers are written."""
    port = f.resource.properties.get("port_id")
    if isinstance(port, Call) and port.function == "get_attr" and (
            target := s.stack.resource(referenced_resource(port) or "")) is not None \
            and target.type == "OS::Nova::Server":
        spec, resource = f.out, f.resource

        def resolve() -> None:
            found = s.ref(resource, port, "Port", "port_id")
            if found is not None:
                spec["portRef"] = found

        s.later.append(resolve)
        return
    f.ref("portRef", "Port", "port_id")


def merge_association(association: Resource, s: State) -> None:
    """Complete the floating IP the association names with the port (and fixed address) it gives."""
    properties = association.properties
    target = s.stack.resource(resource_target(properties.get("floatingip_id")) or "")
    objects = s.written.get(target.name) if target is not None else None
    if target is None or objects is None or len(objects) != 1:
        s.keep(association, "the floating IP it associates is not a single k-orc FloatingIP of this stack")
        return
    spec = objects[0]["spec"]["resource"]
    port = s.ref(association, properties.get("port_id"), "Port", "port_id")
    if port is None:
        s.keep(association, "k-orc needs the port as a k-orc Port")
        return
    if "portRef" in spec and spec["portRef"] != port:
        s.keep(association, f"floating IP {target.name} already names port {spec['portRef']}")
        return
    spec["portRef"] = port
    fixed = values.string(properties.get("fixed_ip_address"), "fixed_ip_address", association, s, limit=45)
    if fixed is not None:
        spec["fixedIP"] = fixed
    s.report_unhandled(association, ASSOCIATION_MAPPED, {})
    s.merge(association, "FloatingIP", objects[0])


def attach_to_port(server: Resource, fip_expr: Any, port: str, where: str, s: State) -> None:
    """A server's `networks` entry with `floating_ip`: the floating IP goes on the port written for it."""
    target = s.stack.resource(referenced_resource(fip_expr) or "") if resource_target(fip_expr) else None
    objects = s.written.get(target.name) if target is not None else None
    if target is None or objects is None or len(objects) != 1:
        s.report("H2K505", f"{where} of {server.name} must name a floating IP of the stack written by k-orc; "
                 "it is left out", fip_expr.span)
        return
    spec = objects[0]["spec"]["resource"]
    if spec.get("portRef", port) != port:
        s.report("H2K505", f"{where} of {server.name}: floating IP {target.name} already names port "
                 f"{spec['portRef']}; it is left out", fip_expr.span)
        return
    spec["portRef"] = port
