"""OS::Cinder::VolumeAttachment -> an entry of its server's `volumes` (k-orc has no attachment kind)."""

from __future__ import annotations

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.state import State
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource

MAPPED = {
    "instance_uuid": "the Server whose `volumes` it joins (a server of the stack written by k-orc; otherwise the "
                     "attachment stays in Heat, H2K516)",
    "volume_id": "`volumeRef` of that entry",
    "mountpoint": "`device` of that entry (without it, Nova picks the device)",
}


def merge_attachment(attachment: Resource, s: State) -> None:
    properties = attachment.properties
    server = s.stack.resource(resource_target(properties.get("instance_uuid")) or "")
    objects = s.written.get(server.name) if server is not None else None
    if server is None or objects is None or len(objects) != 1:
        s.keep(attachment, "k-orc can only attach a volume to a server of the stack that k-orc writes")
        return
    volume = s.ref(attachment, properties.get("volume_id"), "Volume", "volume_id")
    if volume is None:
        s.keep(attachment, "k-orc needs the volume as a k-orc Volume")
        return
    entry = {"volumeRef": volume}
    device = values.string(properties.get("mountpoint"), "mountpoint", attachment, s)
    if device is not None:
        entry["device"] = device
    s.report_unhandled(attachment, MAPPED, {})
    spec = objects[0]["spec"]["resource"]
    spec.setdefault("volumes", []).append(entry)
    s.merge(attachment, "Server", objects[0])
