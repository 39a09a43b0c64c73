"""OS::Nova::Flavor -> Flavor."""

from __future__ import annotations

import re
from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "flavorid": "`id`",
    "ram": "`ram` (MiB)",
    "vcpus": "`vcpus`",
    "disk": "`disk` (GiB; 0 when not given, as in Heat)",
    "swap": "`swap`",
    "ephemeral": "`ephemeral`",
    "extra_specs": "`extraSpecs` (`name`, `value`)",
    "is_public": "`isPublic`",
}
REASONS = {
    "rxtx_factor": "Nova no longer uses it, and k-orc has no field for it",
    "tenants": "k-orc does not grant projects access to a private flavor",
}
SPEC_NAME = re.compile(r"[a-zA-Z0-9-_:. ]+")
FLAVOR_ID = re.compile(r"[a-zA-Z0-9._-]([a-zA-Z0-9. _-]*[a-zA-Z0-9._-])?")


def emit_flavor(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    flavor_id = f.string("id", "flavorid")
    if flavor_id is not None and FLAVOR_ID.fullmatch(flavor_id) is None:
        del f.out["id"]
        s.invalid(resource, "flavorid", "k-orc accepts letters, digits, '.', '_', '-' and inner spaces",
                  resource.properties.get("flavorid").span)  # type: ignore[union-attr]
    f.integer("ram", "ram", minimum=1, maximum=2**31 - 1)
    f.integer("vcpus", "vcpus", minimum=1, maximum=2**31 - 1)
    disk = f.integer("disk", "disk", minimum=0, maximum=2**31 - 1)
    if disk is None:
        f.out["disk"] = 0
    f.integer("swap", "swap", minimum=0, maximum=2**31 - 1)
    f.integer("ephemeral", "ephemeral", minimum=0, maximum=2**31 - 1)
    f.set("extraSpecs", values.pairs(resource.properties.get("extra_specs"), "extra_specs", resource, s, "name",
                                     max_items=128, key_pattern=SPEC_NAME))
    f.boolean("isPublic", "is_public")
    s.report_unhandled(resource, MAPPED, REASONS)
    if not f.required("ram", "k-orc needs the flavor's ram") or not f.required("vcpus", "k-orc needs its vcpus"):
        return None
    return f.out
