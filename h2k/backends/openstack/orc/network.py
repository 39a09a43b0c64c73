"""OS::Neutron::Net -> Network."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name` (without it, k-orc names the network after the object)",
    "admin_state_up": "`adminStateUp`",
    "shared": "`shared`",
    "port_security_enabled": "`portSecurityEnabled`",
    "dns_domain": "`dnsDomain`",
    "availability_zone_hints": "`availabilityZoneHints`",
    "tags": "`tags`",
    "tenant_id": "`projectRef`: the Project of the stack it names, or one imported (H2K503)",
    "value_specs": "the Neutron attributes k-orc has fields for: `mtu`, `router:external` as `external`, "
                   "`description`; the others (provider attributes among them) are not carried over (H2K501)",
}
REASONS = {
    "dhcp_agent_ids": "Neutron schedules DHCP agents; k-orc cannot choose them",
    "qos_policy": "k-orc has no QoS policy kind",
}


def emit_network(member: Member, s: State) -> dict[str, Any] | None:
    f = Fields(member, s)
    f.name()
    f.boolean("adminStateUp", "admin_state_up")
    f.boolean("shared", "shared")
    f.boolean("portSecurityEnabled", "port_security_enabled")
    f.string("dnsDomain", "dns_domain")
    f.strings("availabilityZoneHints", "availability_zone_hints")
    f.strings("tags", "tags")
    f.ref("projectRef", "Project", "tenant_id")
    _value_specs(member, s, f)
    s.report_unhandled(member.resource, MAPPED, REASONS)
    return f.out


def _value_specs(member: Member, s: State, f: Fields) -> None:
    """Raw Neutron attributes: those k-orc has a field for are carried over."""
    resource = member.resource
    specs = values.entries(resource.properties.get("value_specs"), "value_specs", resource, s)
    for key, value in specs.entries if specs is not None else ():
        name, where = str(key.value), f"value_specs.{key.value!s}"
        if name == "mtu":
            f.set("mtu", values.integer(value, where, resource, s, minimum=68, maximum=9216))
        elif name == "router:external":
            f.set("external", values.boolean(value, where, resource, s))
        elif name == "description":
            f.set("description", values.string(value, where, resource, s))
        elif not values.absent(value):
            s.drop(resource, where, "k-orc passes no other Neutron attributes", key.span)
