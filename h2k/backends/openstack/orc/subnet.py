"""OS::Neutron::Subnet -> Subnet."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State
from h2k.ir.expr import Literal

MAPPED = {
    "name": "`name`",
    "network": "`networkRef`: the Network of the stack it names, or one imported (H2K503)",
    "network_id": "as `network` (Heat's hidden older name)",
    "cidr": "`cidr` (required by k-orc: a subnet from a subnet pool stays in Heat, H2K516)",
    "ip_version": "`ipVersion` (4 when not given, as in Heat)",
    "gateway_ip": "`gateway`: an address is `{type: IP, ip}`, the empty string `{type: None}`; without it "
                  "Neutron picks one, as in Heat",
    "enable_dhcp": "`enableDHCP`",
    "dns_nameservers": "`dnsNameservers`",
    "allocation_pools": "`allocationPools` (`start`, `end`)",
    "host_routes": "`hostRoutes` (`destination`, `nexthop` as `nextHop`)",
    "ipv6_ra_mode": "`ipv6.raMode`",
    "ipv6_address_mode": "`ipv6.addressMode`",
    "tags": "`tags`",
    "tenant_id": "`projectRef`",
}
REASONS = {
    "subnetpool": "k-orc has no subnet pool kind; the subnet needs a `cidr`",
    "prefixlen": "it only sizes a subnet taken from a subnet pool",
    "value_specs": "k-orc passes no extra Neutron attributes",
    "segment": "k-orc has no network segment kind",
}
IPV6_MODES = {mode: mode for mode in ("slaac", "dhcpv6-stateful", "dhcpv6-stateless")}


def emit_subnet(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.ref("networkRef", "Network", "network", "network_id")
    f.set("cidr", values.cidr(resource.properties.get("cidr"), "cidr", resource, s))
    f.out["ipVersion"] = ip_version(f)
    _gateway(f)
    f.boolean("enableDHCP", "enable_dhcp")
    f.strings("dnsNameservers", "dns_nameservers", limit=45, max_items=16)
    f.set("allocationPools", _pairs(f, "allocation_pools", {"start": "start", "end": "end"}, 32))
    f.set("hostRoutes", _pairs(f, "host_routes", {"destination": "destination", "nexthop": "nextHop"}, 256))
    ipv6: dict[str, str] = {}
    for key, field in (("ipv6_ra_mode", "raMode"), ("ipv6_address_mode", "addressMode")):
        mode = values.choice(resource.properties.get(key), key, resource, s, IPV6_MODES)
        if mode is not None:
            ipv6[field] = mode
    f.set("ipv6", ipv6 or None)
    f.strings("tags", "tags")
    f.ref("projectRef", "Project", "tenant_id")
    s.report_unhandled(resource, MAPPED, REASONS)
    if not f.required("networkRef", "k-orc needs the subnet's network as a k-orc Network"):
        return None
    if not f.required("cidr", "k-orc needs the subnet's CIDR (it has no subnet pools)"):
        return None
    return f.out


def _gateway(f: Fields) -> None:
    expr = f.resource.properties.get("gateway_ip")
    if isinstance(expr, Literal) and expr.value == "":
        f.out["gateway"] = {"type": "None"}
        return
    address = values.string(expr, "gateway_ip", f.resource, f.s, limit=45)
    if address is not None:
        f.out["gateway"] = {"type": "IP", "ip": address}


def _pairs(f: Fields, key: str, fields: dict[str, str], max_items: int) -> list[dict[str, str]] | None:
    """A list of maps whose keys all become k-orc fields (an entry missing one is left out)."""
    found = values.items(f.resource.properties.get(key), key, f.resource, f.s)
    if found is None:
        return None
    result = []
    for _, where, item in values.maps(found, key, f.resource, f.s):
        missing = [heat for heat in fields if values.absent(item.get(heat))]
        if missing:
            f.s.invalid(f.resource, where, f"k-orc needs {' and '.join(missing)}", item.span)
            continue
        entry = {field: (values.cidr if heat == "destination" else values.string)(
                     item.get(heat), f"{where}.{heat}", f.resource, f.s) for heat, field in fields.items()}
        complete = {field: text for field, text in entry.items() if text is not None}
        if len(complete) == len(fields):
            result.append(complete)
    return result[:max_items] or None


def ip_version(f: Fields) -> int:
    """4 or 6; Heat's default is 4 (k-orc requires the field)."""
    expr = f.resource.properties.get("ip_version")
    version = values.integer(expr, "ip_version", f.resource, f.s)
    if version is not None and version not in (4, 6) and expr is not None:
        f.s.invalid(f.resource, "ip_version", f"it must be 4 or 6, not {version}", expr.span)
    return 6 if version == 6 else 4
