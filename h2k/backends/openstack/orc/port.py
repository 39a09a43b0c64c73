"""OS::Neutron::Port -> Port; the same port fields serve a server's `port_extra_properties`."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Literal, MapExpr
from h2k.ir.nodes import Resource

# Fields a port and a server's `port_extra_properties` share.
EXTRA_MAPPED = {
    "admin_state_up": "`adminStateUp`",
    "mac_address": "`macAddress`",
    "allowed_address_pairs": "`allowedAddressPairs` (`ip_address` as `ip`, `mac_address` as `mac`)",
    "binding:vnic_type": "`vnicType`",
    "port_security_enabled": "`portSecurity`: `Enabled` or `Disabled` (without it the network's setting applies, "
                             "`Inherit`)",
    "propagate_uplink_status": "`propagateUplinkStatus`",
    "value_specs": "`valueSpecs` (`key`, `value`; non-string values as JSON)",
}
EXTRA_REASONS = {
    "qos_policy": "k-orc has no QoS policy kind",
    "no_fixed_ips": "k-orc always lets Neutron give the port an address when it lists none",
}
MAPPED = {
    "name": "`name`",
    "network": "`networkRef`",
    "network_id": "as `network` (Heat's hidden older name)",
    "fixed_ips": "`addresses`: `subnet` as `subnetRef`, `ip_address` as `ip` (k-orc needs the subnet of each "
                 "address: an address without one is left out, H2K510)",
    "security_groups": "`securityGroupRefs`",
    "tags": "`tags`",
    **EXTRA_MAPPED,
}
REASONS = {
    "device_id": "a port is plugged into a server through the server's `ports` in k-orc",
    "device_owner": "Neutron sets the owner of a port when it is plugged in",
    "dns_name": "k-orc does not set the DNS name of a port",
    "replacement_policy": "it only steers Heat's own updates",
    **EXTRA_REASONS,
}


def emit_port(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.ref("networkRef", "Network", "network", "network_id")
    f.set("addresses", addresses(resource, s, resource.properties.get("fixed_ips"), "fixed_ips"))
    f.refs("securityGroupRefs", "SecurityGroup", "security_groups")
    f.strings("tags", "tags")
    extras(resource, s, resource.properties, "", f.out)
    s.report_unhandled(resource, {*MAPPED, *EXTRA_REASONS}, REASONS)
    if not f.required("networkRef", "k-orc needs the port's network as a k-orc Network"):
        return None
    return f.out


def addresses(resource: Resource, s: State, expr: Any, where: str) -> list[dict[str, str]] | None:
    """Fixed addresses `{subnet, ip_address}` as k-orc's `{subnetRef, ip}`."""
    found = values.items(expr, where, resource, s)
    if found is None:
        return None
    result: list[dict[str, str]] = []
    for _, shown, item in values.maps(found, where, resource, s):
        key = "subnet" if not values.absent(item.get("subnet")) else "subnet_id"
        subnet = s.ref(resource, item.get(key), "Subnet", f"{shown}.{key}")
        address = values.string(item.get("ip_address"), f"{shown}.ip_address", resource, s, limit=45)
        if subnet is None:
            if values.absent(item.get(key)):
                s.invalid(resource, shown, "k-orc needs the subnet of a fixed address", item.span)
            continue
        entry = {"subnetRef": subnet}
        if address is not None:
            entry["ip"] = address
        result.append(entry)
    return result[:128] or None


def extras(resource: Resource, s: State, props: MapExpr, prefix: str, out: dict[str, Any]) -> None:
    """The port fields a port and `port_extra_properties` share, from `props`, into `out`."""
    def get(key: str) -> Any:
        return props.get(key)

    def where(key: str) -> str:
        return f"{prefix}{key}"

    for key, field in (("admin_state_up", "adminStateUp"), ("propagate_uplink_status", "propagateUplinkStatus")):
        flag = values.boolean(get(key), where(key), resource, s)
        if flag is not None:
            out[field] = flag
    mac = values.string(get("mac_address"), where("mac_address"), resource, s, limit=32)
    if mac is not None:
        out["macAddress"] = mac
    vnic = values.string(get("binding:vnic_type"), where("binding:vnic_type"), resource, s, limit=64)
    if vnic is not None:
        out["vnicType"] = vnic
    pairs = _address_pairs(resource, s, get("allowed_address_pairs"), where("allowed_address_pairs"))
    if pairs:
        out["allowedAddressPairs"] = pairs
    specs = values.pairs(get("value_specs"), where("value_specs"), resource, s, "key", max_items=128)
    if specs:
        out["valueSpecs"] = specs
    security = values.boolean(get("port_security_enabled"), where("port_security_enabled"), resource, s)
    if security is not None:
        out["portSecurity"] = "Enabled" if security else "Disabled"
    if security is False:
        for field in ("securityGroupRefs", "allowedAddressPairs"):
            if field in out:
                del out[field]
                s.invalid(resource, where("port_security_enabled"), f"k-orc refuses {field} on a port without port "
                          "security (so does Neutron)", props.span)
    for key, reason in EXTRA_REASONS.items():
        value = get(key)
        if values.absent(value):
            continue
        quiet = key == "no_fixed_ips" and isinstance(value, Literal) and value.value in (False, "false", "False")
        span = props.key_span(key) or props.span
        s.drop(resource, where(key), reason, span, Severity.INFO if quiet else None)


def _address_pairs(resource: Resource, s: State, expr: Any, where: str) -> list[dict[str, str]] | None:
    found = values.items(expr, where, resource, s)
    if found is None:
        return None
    result = []
    for _, shown, item in values.maps(found, where, resource, s):
        address = values.string(item.get("ip_address"), f"{shown}.ip_address", resource, s, limit=45)
        if address is None:
            continue
        pair = {"ip": address}
        mac = values.string(item.get("mac_address"), f"{shown}.mac_address", resource, s, limit=17)
        if mac is not None:
            pair["mac"] = mac
        result.append(pair)
    return result[:128] or None
