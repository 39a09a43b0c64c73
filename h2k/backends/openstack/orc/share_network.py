"""OS::Manila::ShareNetwork -> ShareNetwork."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "description": "`description`",
    "neutron_network": "`networkRef` (k-orc takes the network and the subnet together, or neither)",
    "neutron_subnet": "`subnetRef`",
}
REASONS = {
    "security_services": "k-orc has no Manila security service kind",
    "nova_network": "nova-network is gone from OpenStack",
}


def emit_share_network(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.string("description", "description")
    f.ref("networkRef", "Network", "neutron_network")
    f.ref("subnetRef", "Subnet", "neutron_subnet")
    if ("networkRef" in f.out) != ("subnetRef" in f.out):
        missing = "neutron_subnet" if "networkRef" in f.out else "neutron_network"
        s.invalid(resource, missing, "k-orc takes a share network's network and subnet together; both are left "
                  "out", resource.span)
        f.out.pop("networkRef", None)
        f.out.pop("subnetRef", None)
    s.report_unhandled(resource, MAPPED, REASONS)
    return f.out
