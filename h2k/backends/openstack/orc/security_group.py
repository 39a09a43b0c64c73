"""OS::Neutron::SecurityGroup -> SecurityGroup with its rules inline; a SecurityGroupRule joins its group.

k-orc rules have no remote group, and name protocols rather than number them. A rule k-orc cannot
express is left out, never widened: leaving out an allow rule only allows less than Heat did.
"""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State
from h2k.ir.expr import Expr, MapExpr
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource

MAPPED = {
    "name": "`name`",
    "description": "`description`",
    "rules": "`rules` (see the rule keys below)",
    "stateful": "`stateful`",
}
RULE_KEYS = {
    "direction": "`direction` (ingress when not given, as in Heat)",
    "ethertype": "`ethertype` (IPv4 when not given, as in Heat)",
    "protocol": "`protocol`, by name (a protocol number becomes its name; one k-orc has no name for leaves the "
                "rule out, H2K506)",
    "port_range_min, port_range_max": "`portRange` (`min`, `max`); an ICMP type without a code leaves the rule out "
                                      "(H2K506)",
    "remote_ip_prefix": "`remoteIPPrefix` (an address without a prefix length as /32 or /128, as Neutron reads it)",
    "remote_mode, remote_group_id": "nothing: k-orc rules have no remote group; such a rule is left out (H2K506)",
    "description": "`description`",
}
RULE_MAPPED = {
    "security_group": "the SecurityGroup it joins, as one of its `rules` (a group of the stack written by k-orc; "
                      "otherwise the rule stays in Heat, H2K516)",
    "direction": RULE_KEYS["direction"],
    "ethertype": RULE_KEYS["ethertype"],
    "protocol": "`protocol` (tcp when not given, as in Heat)",
    "port_range_min": "`portRange.min`",
    "port_range_max": "`portRange.max`",
    "remote_ip_prefix": RULE_KEYS["remote_ip_prefix"],
    "remote_group": "nothing: k-orc rules have no remote group; the rule stays in Heat (H2K506)",
    "description": "`description`",
}
# IANA protocol numbers k-orc has a name for.
PROTOCOL_NAMES = {1: "icmp", 2: "igmp", 4: "ipip", 6: "tcp", 8: "egp", 17: "udp", 33: "dccp", 41: "ipv6-encap",
                  43: "ipv6-route", 44: "ipv6-frag", 46: "rsvp", 47: "gre", 50: "esp", 51: "ah", 58: "ipv6-icmp",
                  59: "ipv6-nonxt", 60: "ipv6-opts", 89: "ospf", 112: "vrrp", 113: "pgm", 132: "sctp",
                  136: "udplite"}
PROTOCOLS = frozenset(PROTOCOL_NAMES.values()) | {"icmpv6"}
PORTED = frozenset({"tcp", "udp", "dccp", "sctp", "udplite"})
ICMP = frozenset({"icmp", "icmpv6", "ipv6-icmp"})


def emit_security_group(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.string("description", "description")
    found = values.items(resource.properties.get("rules"), "rules", resource, s)
    rules = []
    for _, where, item in values.maps(found or [], "rules", resource, s):
        converted = rule(resource, s, item, where, default_protocol=None)
        if converted is not None:
            rules.append(converted)
    if any(r.get("direction") == "egress" for r in rules):
        s.report("H2K506", f"security group {resource.name} has egress rules: Heat deletes Neutron's default rules "
                 "that allow all egress from such a group, k-orc creates the group with them; delete them once "
                 "k-orc has created the group, or egress is wider than in Heat", resource.span)
    f.set("rules", rules[:256] or None)
    f.boolean("stateful", "stateful")
    s.report_unhandled(resource, MAPPED, {})
    return f.out


def rule(resource: Resource, s: State, item: MapExpr, where: str,
         default_protocol: str | None) -> dict[str, Any] | None:
    """One Heat rule as a k-orc rule, or None when k-orc cannot express it (reported)."""
    def get(key: str) -> Expr | None:
        return item.get(key)

    mode = values.string(get("remote_mode"), f"{where}.remote_mode", resource, s)
    group = get("remote_group_id") if not values.absent(get("remote_group_id")) else get("remote_group")
    if mode == "remote_group_id" or not values.absent(group):
        s.report("H2K506", f"{where} of {resource.name} allows traffic from the members of a security group; k-orc "
                 "rules have no remote group, so the rule is left out", item.span)
        return None
    converted: dict[str, Any] = {}
    direction = values.choice(get("direction"), f"{where}.direction", resource, s,
                              {"ingress": "ingress", "egress": "egress"})
    converted["direction"] = direction or "ingress"
    ethertype = values.choice(get("ethertype"), f"{where}.ethertype", resource, s, {"IPv4": "IPv4", "IPv6": "IPv6"})
    converted["ethertype"] = ethertype or "IPv4"
    protocol = _protocol(resource, s, get("protocol"), f"{where}.protocol", default_protocol)
    if protocol is False:
        return None
    if protocol is not None:
        converted["protocol"] = protocol
    low = values.integer(get("port_range_min"), f"{where}.port_range_min", resource, s, minimum=0, maximum=65535)
    high = values.integer(get("port_range_max"), f"{where}.port_range_max", resource, s, minimum=0, maximum=65535)
    if low is not None and high is not None:
        converted["portRange"] = {"min": low, "max": high}
    elif low is not None and protocol in ICMP:
        s.report("H2K506", f"{where} of {resource.name} allows ICMP type {low} with any code; a k-orc port range "
                 "needs both, so the rule is left out", item.span)
        return None
    elif low is not None or high is not None:
        s.invalid(resource, where, "a port range needs port_range_min and port_range_max (Neutron refuses one "
                  "alone); the rule is left out", item.span)
        return None
    prefix_expr = get("remote_ip_prefix")
    prefix = values.cidr(prefix_expr, f"{where}.remote_ip_prefix", resource, s)
    if prefix is not None:
        converted["remoteIPPrefix"] = prefix
    elif not values.absent(prefix_expr):
        return None  # reported; without its prefix the rule would allow more
    description = values.string(get("description"), f"{where}.description", resource, s)
    if description is not None:
        converted["description"] = description
    return converted


def _protocol(resource: Resource, s: State, expr: Expr | None, where: str, default: str | None) -> str | bool | None:
    """k-orc's name for a protocol; None for any protocol; False when the rule cannot be written."""
    if values.absent(expr):
        return default
    assert expr is not None
    if not values.known(expr, where, resource, s):
        return False
    text = values.string(expr, where, resource, s)
    if text is None:
        return default
    if text.isdigit():
        name = PROTOCOL_NAMES.get(int(text))
        if name is None:
            assert expr is not None
            s.report("H2K506", f"{where} of {resource.name} is protocol number {text}, which k-orc cannot name; "
                     "the rule is left out", expr.span)
            return False
        return name
    if text in PROTOCOLS:
        return text
    assert expr is not None
    s.invalid(resource, where, f"k-orc does not know protocol {text!r}; the rule is left out", expr.span)
    return False


def merge_rule(rule_resource: Resource, s: State) -> None:
    """An OS::Neutron::SecurityGroupRule becomes one more rule of its group's object."""
    target = s.stack.resource(resource_target(rule_resource.properties.get("security_group")) or "")
    objects = s.written.get(target.name) if target is not None else None
    if target is None or objects is None or len(objects) != 1:
        s.keep(rule_resource, "k-orc can only add a rule to a security group of the stack that k-orc writes")
        return
    converted = rule(rule_resource, s, rule_resource.properties, "rule", default_protocol="tcp")
    s.report_unhandled(rule_resource, RULE_MAPPED, {})
    if converted is None:
        s.keep(rule_resource, "k-orc cannot express the rule")
        return
    spec = objects[0]["spec"]["resource"]
    spec.setdefault("rules", []).append(converted)
    s.merge(rule_resource, "SecurityGroup", objects[0])
