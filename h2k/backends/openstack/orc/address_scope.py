"""OS::Neutron::AddressScope -> AddressScope."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State
from h2k.backends.openstack.orc.subnet import ip_version

MAPPED = {
    "name": "`name`",
    "shared": "`shared`",
    "ip_version": "`ipVersion` (4 when not given, as in Heat)",
    "tenant_id": "`projectRef`",
}


def emit_address_scope(member: Member, s: State) -> dict[str, Any] | None:
    f = Fields(member, s)
    f.name()
    f.boolean("shared", "shared")
    f.out["ipVersion"] = ip_version(f)
    f.ref("projectRef", "Project", "tenant_id")
    s.report_unhandled(member.resource, MAPPED, {})
    return f.out
