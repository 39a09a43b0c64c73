"""OS::Neutron::Router -> Router."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "external_gateway_info": "`externalGateways[0].networkRef` from its `network`; its `enable_snat` and "
                             "`external_fixed_ips` are not carried over (H2K501)",
    "admin_state_up": "`adminStateUp`",
    "distributed": "`distributed`",
    "availability_zone_hints": "`availabilityZoneHints`",
    "tags": "`tags`",
    "tenant_id": "`projectRef`",
}
REASONS = {
    "ha": "k-orc does not set a router's high availability; Neutron's default applies",
    "l3_agent_id": "Neutron schedules L3 agents; k-orc cannot choose them",
    "l3_agent_ids": "Neutron schedules L3 agents; k-orc cannot choose them",
    "value_specs": "k-orc passes no extra Neutron attributes",
}
GATEWAY_REASONS = {
    "enable_snat": "k-orc does not set SNAT on the gateway; Neutron's default (enabled) applies",
    "external_fixed_ips": "k-orc does not choose the gateway's addresses",
}


def emit_router(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    gateway = values.entries(resource.properties.get("external_gateway_info"), "external_gateway_info", resource, s)
    if gateway is not None:
        network = s.ref(resource, gateway.get("network"), "Network", "external_gateway_info.network")
        if network is not None:
            f.out["externalGateways"] = [{"networkRef": network}]
        for key, value in gateway.entries:
            if key.value in GATEWAY_REASONS and not values.absent(value):
                s.drop(resource, f"external_gateway_info.{key.value}", GATEWAY_REASONS[str(key.value)], key.span)
    f.boolean("adminStateUp", "admin_state_up")
    f.boolean("distributed", "distributed")
    f.strings("availabilityZoneHints", "availability_zone_hints")
    f.strings("tags", "tags")
    f.ref("projectRef", "Project", "tenant_id")
    s.report_unhandled(resource, MAPPED, REASONS)
    return f.out
