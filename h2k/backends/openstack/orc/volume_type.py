"""OS::Cinder::VolumeType -> VolumeType."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "description": "`description`",
    "is_public": "`isPublic`",
    "metadata": "`extraSpecs` (`name`, `value`)",
}
REASONS = {"projects": "k-orc does not grant projects access to a private volume type"}


def emit_volume_type(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.string("description", "description")
    f.boolean("isPublic", "is_public")
    f.set("extraSpecs", values.pairs(resource.properties.get("metadata"), "metadata", resource, s, "name"))
    s.report_unhandled(resource, MAPPED, REASONS)
    return f.out
