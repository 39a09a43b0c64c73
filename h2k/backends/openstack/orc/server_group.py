"""OS::Nova::ServerGroup -> ServerGroup; servers join it through `schedulerHints.serverGroupRef`."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State

MAPPED = {
    "name": "`name`",
    "policies": "`policy` (Nova takes one policy; anti-affinity when not given, as in Heat)",
    "rules": "`rules.maxServerPerHost` from `max_server_per_host` (anti-affinity only)",
}
POLICIES = {policy: policy for policy in ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")}


def emit_server_group(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    listed = values.items(resource.properties.get("policies"), "policies", resource, s)
    policy = "anti-affinity"
    if listed:
        if len(listed) > 1:
            s.invalid(resource, "policies", "Nova and k-orc take one policy; the first is used", listed[1].span)
        policy = values.choice(listed[0], "policies[0]", resource, s, POLICIES) or policy
    f.out["policy"] = policy
    rules = values.entries(resource.properties.get("rules"), "rules", resource, s)
    if rules is not None:
        for key, value in rules.entries:
            if key.value == "max_server_per_host":
                most = values.integer(value, "rules.max_server_per_host", resource, s, minimum=1, maximum=2**31 - 1)
                if most is not None and policy != "anti-affinity":
                    s.invalid(resource, "rules.max_server_per_host", "it only applies to the anti-affinity policy",
                              value.span)
                elif most is not None:
                    f.out["rules"] = {"maxServerPerHost": most}
            elif not values.absent(value):
                s.drop(resource, f"rules.{key.value!s}", "k-orc knows only max_server_per_host", key.span)
    s.report_unhandled(resource, MAPPED, {})
    return f.out
