"""OS::Neutron::SecurityGroup -> NetworkPolicy, selecting the pods of the servers in the group.

Neutron security groups are allow-lists, like NetworkPolicy. A group allows no ingress but what
its rules allow, so the policy always isolates ingress. Egress is only restricted when the group
has egress rules, because Heat keeps Neutron's allow-all egress rules otherwise.
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource

MAPPED = {
    "rules": "`ingress` / `egress` entries (below); `policyTypes` has Egress only when some rule is egress",
    "name": "nothing: the policy is named after the resource (H2K402, a note)",
    "description": "nothing (H2K402, a note)",
}
RULE_KEYS = {
    "direction": "an `ingress` or an `egress` entry",
    "protocol": "`ports[].protocol` for tcp/udp/sctp (or 6/17/132); omitted or `any`: every protocol; icmp and "
                "others drop the rule (H2K404)",
    "port_range_min / port_range_max": "`port` / `endPort`",
    "remote_ip_prefix": "`ipBlock.cidr`; `0.0.0.0/0` and `::/0` mean any peer",
    "remote_mode: remote_group_id + remote_group_id": "a `podSelector` on that group's label (this group's without "
                                                      "an id); a group outside the template drops the rule (H2K404)",
    "ethertype": "nothing: a CIDR carries its family",
}
HANDLED = frozenset(MAPPED)
LABEL_PREFIX = "sg.h2k.io/"
_PROTOCOLS = {"tcp": "TCP", "6": "TCP", "udp": "UDP", "17": "UDP", "sctp": "SCTP", "132": "SCTP"}
_ANYWHERE = frozenset({"0.0.0.0/0", "::/0"})


def member_label(group: Resource) -> str:
    return f"{LABEL_PREFIX}{group.object_name}"


def emit_security_group(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    report_unhandled(resource, HANDLED, {}, ctx)
    for key in ("name", "description"):
        span = resource.properties.key_span(key)
        if span is not None:
            ctx.drop(resource, key, f"the policy is named {resource.object_name}, after the resource", span,
                     Severity.INFO)
    ingress: list[dict[str, object]] = []
    egress: list[dict[str, object]] = []
    rules = resource.properties.get("rules")
    items = rules.items if isinstance(rules, ListExpr) else ()
    if rules is not None and not isinstance(rules, ListExpr):
        ctx.sink.report("H2K302", f"the rules of {resource.name} are not known at compile time", rules.span)
    for rule in items:
        if not isinstance(rule, MapExpr):
            ctx.sink.report("H2K404", f"a rule of {resource.name} is not a mapping known at compile time", rule.span)
            continue
        direction = _text(rule.get("direction")) or "ingress"
        if direction not in ("ingress", "egress"):  # Heat refuses others; a NetworkPolicy has no third side
            ctx.sink.report("H2K404", f"rule of {resource.name}: direction {direction} is neither ingress nor "
                            "egress; the rule is dropped", rule.span)
            continue
        translated = _rule(resource, rule, direction, ctx)
        if translated is not None:
            (egress if direction == "egress" else ingress).append(translated)
    has_egress_rules = any(_text(r.get("direction")) == "egress" for r in items if isinstance(r, MapExpr))
    spec: dict[str, object] = {"podSelector": {"matchLabels": {member_label(resource): "true"}}}
    spec["policyTypes"] = ["Ingress", "Egress"] if has_egress_rules else ["Ingress"]
    spec["ingress"] = ingress
    if has_egress_rules:
        spec["egress"] = egress
    return [{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": ctx.metadata(resource),
             "spec": spec}]


def _text(expr: Expr | None) -> str | None:
    if isinstance(expr, Literal) and expr.value is not None:
        return str(expr.value)
    return None


def _rule(group: Resource, rule: MapExpr, direction: str, ctx: BackendContext) -> dict[str, object] | None:
    where = f"rule of {group.name}"
    protocol_text = _text(rule.get("protocol"))
    protocol = None
    if protocol_text is not None and protocol_text.lower() not in ("any", ""):
        protocol = _PROTOCOLS.get(protocol_text.lower())
        if protocol is None:
            ctx.sink.report("H2K404", f"{where}: protocol {protocol_text} cannot be expressed in a NetworkPolicy "
                            "(only TCP, UDP and SCTP); the rule is dropped", rule.span)
            return None
    translated: dict[str, object] = {}
    peer = _peer(group, rule, ctx)
    if peer is False:
        return None
    if peer is not None:
        translated["from" if direction == "ingress" else "to"] = [peer]
    if protocol is not None:
        port: dict[str, object] = {"protocol": protocol}
        low, high = rule.get("port_range_min"), rule.get("port_range_max")
        low_value = low.value if isinstance(low, Literal) else None
        high_value = high.value if isinstance(high, Literal) else None
        if isinstance(low_value, int) and not isinstance(low_value, bool):
            port["port"] = low_value
            if isinstance(high_value, int) and not isinstance(high_value, bool) and high_value > low_value:
                port["endPort"] = high_value
        elif isinstance(high_value, int) and not isinstance(high_value, bool):
            port["port"] = high_value
        translated["ports"] = [port]
    return translated


def _peer(group: Resource, rule: MapExpr, ctx: BackendContext) -> dict[str, object] | bool | None:
    """The rule's remote side; None for anywhere, False when it cannot be expressed (reported)."""
    mode = _text(rule.get("remote_mode")) or "remote_ip_prefix"
    if mode == "remote_group_id":
        remote = rule.get("remote_group_id")
        if remote is None or (isinstance(remote, Literal) and remote.value is None):
            return {"podSelector": {"matchLabels": {member_label(group): "true"}}}  # the group itself
        target = ctx.stack.resource(resource_target(remote) or "")
        if target is None or target.role != "network-policy":
            ctx.sink.report("H2K404", f"rule of {group.name}: the remote group is not a security group of this "
                            "template; the rule is dropped", remote.span)
            return False
        return {"podSelector": {"matchLabels": {member_label(target): "true"}}}
    prefix = _text(rule.get("remote_ip_prefix"))
    if prefix is None or prefix in _ANYWHERE:
        return None
    return {"ipBlock": {"cidr": prefix}}
