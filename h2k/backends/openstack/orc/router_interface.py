"""OS::Neutron::RouterInterface -> RouterInterface (a subnet's interface; k-orc has no port-type one)."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "router": "`routerRef`",
    "router_id": "as `router` (Heat's hidden older name)",
    "subnet": "`subnetRef`, with `type: Subnet`",
    "subnet_id": "as `subnet` (Heat's hidden older name)",
    "port": "nothing: k-orc only makes interfaces on subnets; the interface stays in Heat (H2K516)",
    "port_id": "as `port`",
}


def emit_router_interface(member: Member, s: State) -> dict[str, Any] | None:
    """The spec itself: a RouterInterface has no management policy and no `spec.resource`."""
    resource = member.resource
    properties = resource.properties
    port = properties.get("port") if not values.absent(properties.get("port")) else properties.get("port_id")
    if not values.absent(port):
        s.keep(resource, "k-orc only creates router interfaces on subnets, not on ports")
        return None
    router_key = "router" if not values.absent(properties.get("router")) else "router_id"
    subnet_key = "subnet" if not values.absent(properties.get("subnet")) else "subnet_id"
    router = s.ref(resource, properties.get(router_key), "Router", router_key)
    subnet = s.ref(resource, properties.get(subnet_key), "Subnet", subnet_key)
    s.report_unhandled(resource, MAPPED, {})
    if router is None or subnet is None:
        s.keep(resource, "k-orc needs both the router and the subnet as k-orc objects")
        return None
    return {"type": "Subnet", "routerRef": router, "subnetRef": subnet}
