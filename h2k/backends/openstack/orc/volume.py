"""OS::Cinder::Volume -> Volume (empty, or made from an image; k-orc has no other source)."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "description": "`description`",
    "size": "`size` (GiB; required by k-orc: a volume sized by its source stays in Heat, H2K516)",
    "volume_type": "`volumeTypeRef`: the VolumeType of the stack it names, or one imported (H2K503)",
    "availability_zone": "`availabilityZone`",
    "image": "`imageRef`",
    "imageRef": "as `image` (Heat's hidden older name)",
    "metadata": "`metadata` (`name`, `value`; non-string values as JSON)",
}
REASONS = {
    "snapshot_id": "k-orc creates volumes empty or from an image only; the volume starts empty",
    "source_volid": "k-orc creates volumes empty or from an image only; the volume starts empty",
    "backup_id": "k-orc creates volumes empty or from an image only; the volume starts empty",
    "scheduler_hints": "k-orc passes no Cinder scheduler hints",
    "read_only": "k-orc does not set a volume's read-only flag",
    "multiattach": "k-orc does not create multi-attach volumes; use a volume type that allows them",
}


def emit_volume(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.string("description", "description")
    f.integer("size", "size", minimum=1, maximum=2**31 - 1)
    f.ref("volumeTypeRef", "VolumeType", "volume_type")
    f.string("availabilityZone", "availability_zone")
    f.ref("imageRef", "Image", "image", "imageRef")
    f.set("metadata", values.pairs(resource.properties.get("metadata"), "metadata", resource, s, "name"))
    s.report_unhandled(resource, MAPPED, REASONS)
    if not f.required("size", "k-orc needs the volume's size (it cannot take it from the volume's source)"):
        return None
    return f.out
