"""OS::Neutron::Trunk -> Trunk."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "description": "`description`",
    "port": "`portRef` (the parent port)",
    "sub_ports": "`subports` (`port` as `portRef`, `segmentation_type` as `segmentationType`, `segmentation_id` "
                 "as `segmentationID`)",
    "admin_state_up": "`adminStateUp`",
}


def emit_trunk(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.string("description", "description")
    f.ref("portRef", "Port", "port")
    subports = []
    found = values.items(resource.properties.get("sub_ports"), "sub_ports", resource, s) or []
    for _, where, item in values.maps(found, "sub_ports", resource, s):
        missing = [key for key in ("port", "segmentation_type", "segmentation_id") if values.absent(item.get(key))]
        if missing:
            s.invalid(resource, where, f"k-orc needs its {' and '.join(missing)}", item.span)
            continue
        port = s.ref(resource, item.get("port"), "Port", f"{where}.port")
        kind = values.choice(item.get("segmentation_type"), f"{where}.segmentation_type", resource, s,
                             {"vlan": "vlan", "inherit": "inherit"})
        segment = values.integer(item.get("segmentation_id"), f"{where}.segmentation_id", resource, s,
                                 minimum=1, maximum=4094)
        if port is not None and kind is not None and segment is not None:  # otherwise reported
            subports.append({"portRef": port, "segmentationType": kind, "segmentationID": segment})
    f.set("subports", subports[:1024] or None)
    f.boolean("adminStateUp", "admin_state_up")
    s.report_unhandled(resource, MAPPED, {})
    if not f.required("portRef", "k-orc needs the parent port as a k-orc Port"):
        return None
    return f.out
