"""OS::Nova::KeyPair -> KeyPair, when the template gives the public key (k-orc cannot generate one)."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "public_key": "`publicKey` (required by k-orc: without it Heat keeps the key pair, and generates it, H2K507)",
    "type": "`type`",
}
REASONS = {
    "save_private_key": "k-orc never holds a private key",
    "user": "k-orc creates key pairs for the user of its credentials",
}


def emit_key_pair(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    key = f.string("publicKey", "public_key", limit=16384)
    f.choice("type", "type", {"ssh": "ssh", "x509": "x509"})
    s.report_unhandled(resource, MAPPED, REASONS)
    if key is None:
        if values.absent(resource.properties.get("public_key")):
            s.report("H2K507", f"key pair {resource.name} has no public_key, so Heat would generate one; k-orc "
                     "cannot: give public_key (e.g. from a parameter) to have k-orc manage it", resource.span)
        s.keep(resource, "k-orc needs the public key")
        return None
    return f.out
