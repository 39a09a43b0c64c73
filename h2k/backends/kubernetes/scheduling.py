"""Where pods run: Nova server groups -> pod (anti-)affinity, availability zones -> the zone label.

A server joins a server group through `scheduler_hints: {group: {get_resource: <group>}}`; its
pods get the label `servergroup.h2k.io/<group>: "true"`, and the group's policy becomes a rule over
that label, per node (`kubernetes.io/hostname`), as Nova applies it per hypervisor.
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import ListExpr, Literal, MapExpr
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource

LABEL_PREFIX = "servergroup.h2k.io/"
HOST = "kubernetes.io/hostname"
ZONE = "topology.kubernetes.io/zone"
_POLICIES = ("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity")


def member_label(group: Resource) -> str:
    return f"{LABEL_PREFIX}{group.object_name}"


def server_group_of(server: Resource, ctx: BackendContext) -> Resource | None:
    hints = server.properties.get("scheduler_hints")
    if not isinstance(hints, MapExpr):
        return None
    found = None
    for key, value in hints.entries:
        if key.value == "group":
            group = ctx.stack.resource(resource_target(value) or "")
            if group is not None and group.role == "server-group":
                found = group
            else:
                ctx.drop(server, "scheduler_hints.group", "the server group is not a server group of this template",
                         value.span)
        else:
            ctx.drop(server, f"scheduler_hints.{key.value!s}", "Nova scheduler hints have no pod counterpart",
                     key.span)
    return found


def policy_of(group: Resource, ctx: BackendContext) -> str | None:
    written = group.properties.get("policies")
    policies: list[object] | None = None
    if written is None:
        policies = ["anti-affinity"]  # Heat's default
    elif isinstance(written, ListExpr):
        policies = [i.value if isinstance(i, Literal) else None for i in written.items]
    if not policies or len(policies) != 1 or policies[0] not in _POLICIES:
        span = written.span if written is not None else group.span
        ctx.sink.report("H2K402", f"OS::Nova::ServerGroup.properties.policies of {group.name} is not carried over: "
                        f"one of {', '.join(_POLICIES)} is expected", span)
        return None
    return str(policies[0])


def pod_scheduling(server: Resource, group: Resource | None, ctx: BackendContext) -> dict[str, object]:
    """The pod spec's `affinity`, `topologySpreadConstraints` and `nodeSelector` for a server."""
    scheduling: dict[str, object] = {}
    if group is not None:
        policy = policy_of(group, ctx)
        if policy is not None:
            term = {"labelSelector": {"matchLabels": {member_label(group): "true"}}, "topologyKey": HOST}
            kind = "podAntiAffinity" if "anti" in policy else "podAffinity"
            if policy.startswith("soft-"):
                rule: dict[str, object] = {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 100, "podAffinityTerm": term}]}
            else:
                rule = {"requiredDuringSchedulingIgnoredDuringExecution": [term]}
            scheduling["affinity"] = {kind: rule}
        _max_per_host(group, scheduling, ctx)
    zone = server.properties.get("availability_zone")
    if isinstance(zone, Literal) and isinstance(zone.value, str) and zone.value:
        # cloud-provider-openstack labels each node with its Nova availability zone.
        scheduling["nodeSelector"] = {ZONE: zone.value}
    elif zone is not None:
        ctx.drop(server, "availability_zone", "the zone is only known at deploy time", zone.span)
    return scheduling


def _max_per_host(group: Resource, scheduling: dict[str, object], ctx: BackendContext) -> None:
    rules = group.properties.get("rules")
    limit = rules.get("max_server_per_host") if isinstance(rules, MapExpr) else None
    if isinstance(limit, Literal) and isinstance(limit.value, int) and not isinstance(limit.value, bool):
        scheduling["topologySpreadConstraints"] = [{
            "maxSkew": limit.value, "topologyKey": HOST, "whenUnsatisfiable": "DoNotSchedule",
            "labelSelector": {"matchLabels": {member_label(group): "true"}}}]
        ctx.sink.report("H2K402", f"rules.max_server_per_host of {group.name} is approximated by a topology spread "
                        f"with maxSkew {limit.value}: spreading bounds the difference between nodes, not the count "
                        "per node", limit.span, Severity.WARNING)


MAPPED = {
    "policies": "on every member's pod: `anti-affinity` / `affinity` a required pod (anti-)affinity per node, "
                "`soft-*` a preferred one (weight 100); Heat's default is anti-affinity",
    "rules": "`max_server_per_host`: a topology spread per node with that `maxSkew` (H2K402: an approximation)",
    "name": "nothing: the group is a label on its members' pods (H2K402, a note)",
}


def emit_server_group(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """A server group has no object of its own: its policy goes into its members' pods."""
    for key, _ in resource.properties.entries:
        if key.value == "name":
            ctx.drop(resource, "name", "the group is a label on its members' pods", key.span, Severity.INFO)
        elif key.value not in ("policies", "rules"):
            ctx.drop(resource, str(key.value), "it has no Kubernetes counterpart in this translation", key.span)
    return []
