"""AutoScalingGroup + ScalingPolicy + Aodh alarms -> HorizontalPodAutoscaler (autoscaling/v2).

Heat scales a group when an alarm fires a policy's `alarm_url`; Kubernetes scales a workload to
keep a metric at a target. The group's sizes become `minReplicas`/`maxReplicas`, the threshold of
the alarm that scales up becomes the target (CPU only: `cpu_util` percent directly, Gnocchi's
`cpu` rate through its granularity), and each policy's adjustment and cooldown become a
`behavior` policy. What has no HPA counterpart is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from h2k.backends.kubernetes.context import BackendContext
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, Literal, referenced_resource
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.ir.visit import calls

ALARM_TYPES = frozenset({"OS::Aodh::Alarm", "OS::Aodh::GnocchiAggregationByResourcesAlarm",
                         "OS::Aodh::GnocchiResourcesAlarm", "OS::Aodh::GnocchiAggregationByMetricsAlarm"})
_UP = ("gt", "ge")
_DOWN = ("lt", "le")


@dataclass(frozen=True)
class _Policy:
    resource: Resource
    adjustment: int
    kind: str  # change_in_capacity | percent_change_in_capacity | exact_capacity
    cooldown: int | None


def _number(expr: Expr | None) -> float | None:
    if isinstance(expr, Literal) and isinstance(expr.value, int | float) and not isinstance(expr.value, bool):
        return float(expr.value)
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        try:
            return float(expr.value)
        except ValueError:
            return None
    return None


POLICY_MAPPED = {
    "auto_scaling_group_id": "the group whose Deployment the autoscaler scales",
    "adjustment_type": "`change_in_capacity`: a `Pods` policy, `percent_change_in_capacity`: `Percent`; "
                       "`exact_capacity` has no counterpart (H2K402)",
    "scaling_adjustment": "the policy's value, under `behavior.scaleUp` (positive) or `scaleDown` (negative)",
    "cooldown": "`periodSeconds` and `stabilizationWindowSeconds`",
}
ALARM_MAPPED = {
    "metric / meter_name, threshold, comparison_operator": "for the alarm that fires a scale-up policy: `cpu_util` "
        "> N a CPU `averageUtilization` of N; Gnocchi `cpu` with a `rate:*` aggregation an `averageValue` of "
        "N / (granularity x 10^9) cores (H2K402, a note); other metrics and other alarms' thresholds H2K402",
    "alarm_actions": "which policy the alarm fires (`get_attr: [<policy>, alarm_url]`); an alarm that fires no "
                     "policy of the stack is not translated (H2K301)",
}


def scaled_groups(ctx: BackendContext) -> set[str]:
    """Groups that a scaling policy of this stack scales (their Deployment leaves `replicas` to the HPA)."""
    return {resource_target(p.properties.get("auto_scaling_group_id")) or "" for p in ctx.stack.resources
            if p.role == "scaling-policy"} - {""}


def emit_autoscaler(group: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    replication = group.replication
    if replication is None or replication.min_size is None or group.name not in scaled_groups(ctx):
        return []
    policies = _policies(group, ctx)
    minimum, maximum = _number(replication.min_size), _number(replication.max_size)
    if minimum is None or maximum is None:
        ctx.sink.report("H2K302", f"the sizes of {group.name} are only known at deploy time; no autoscaler is "
                        "written", replication.span)
        return []
    if minimum < 1:
        ctx.sink.report("H2K402", f"min_size 0 of {group.name} becomes minReplicas 1: an autoscaler does not scale "
                        "to zero", replication.min_size.span)
    spec: dict[str, object] = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": group.object_name},
        "minReplicas": max(int(minimum), 1),
        "maxReplicas": max(int(maximum), 1),
    }
    metric = _metric(policies, ctx)
    if metric is not None:
        spec["metrics"] = [metric]
    behavior = _behavior(policies, ctx)
    if behavior:
        spec["behavior"] = behavior
    return [{"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
             "metadata": ctx.metadata(group), "spec": spec}]


def _policies(group: Resource, ctx: BackendContext) -> list[tuple[_Policy, list[Resource]]]:
    """Each policy of the group with the alarms that fire it."""
    found = []
    for policy in ctx.stack.resources:
        if policy.role != "scaling-policy" or resource_target(policy.properties.get("auto_scaling_group_id")) \
                != group.name:
            continue
        adjustment = _number(policy.properties.get("scaling_adjustment"))
        kind = policy.properties.get("adjustment_type")
        cooldown = _number(policy.properties.get("cooldown"))
        if adjustment is None or not isinstance(kind, Literal):
            ctx.sink.report("H2K302", f"the adjustment of policy {policy.name} is not known at compile time",
                            policy.span)
            continue
        alarms = [a for a in ctx.stack.resources if a.role == "alarm" and _fires(a, policy.name)]
        found.append((_Policy(policy, int(adjustment), str(kind.value), None if cooldown is None else int(cooldown)),
                      alarms))
    return found


def _fires(alarm: Resource, policy: str) -> bool:
    actions = alarm.properties.get("alarm_actions")
    return any(c.function == "get_attr" and referenced_resource(c) == policy for c in calls(actions))


def _metric(policies: list[tuple[_Policy, list[Resource]]], ctx: BackendContext) -> dict[str, object] | None:
    """The target of the first alarm that scales up; every other alarm's threshold is reported as lost."""
    metric: dict[str, object] | None = None
    for policy, alarms in policies:
        for alarm in alarms:
            operator = alarm.properties.get("comparison_operator")
            scales_up = isinstance(operator, Literal) and operator.value in _UP and policy.adjustment > 0
            if scales_up and metric is None:
                target = _cpu_target(alarm, ctx)
                if target is not None:
                    metric = {"type": "Resource", "resource": {"name": "cpu", "target": target}}
                continue
            ctx.sink.report("H2K402", f"the threshold of alarm {alarm.name} is not carried over: an autoscaler keeps "
                            "one target, and scales down by itself when usage falls below it", alarm.span,
                            Severity.INFO)
    return metric


def _cpu_target(alarm: Resource, ctx: BackendContext) -> dict[str, object] | None:
    name_expr = alarm.properties.get("metric") or alarm.properties.get("meter_name")
    name = name_expr.value if isinstance(name_expr, Literal) else None
    threshold = _number(alarm.properties.get("threshold"))
    if threshold is None:
        return None
    if name == "cpu_util":
        return {"type": "Utilization", "averageUtilization": max(int(threshold), 1)}
    granularity = _number(alarm.properties.get("granularity"))
    aggregation = alarm.properties.get("aggregation_method")
    if name == "cpu" and granularity and isinstance(aggregation, Literal) and str(aggregation.value).startswith("rate"):
        # Gnocchi's cpu is nanoseconds of CPU time: a rate per granularity period, in cores.
        cores = threshold / (granularity * 1e9)
        ctx.sink.report("H2K402", f"the threshold of {alarm.name} ({threshold:g} ns of CPU per {granularity:g} s) "
                        f"becomes an average of {cores:.3f} cores per pod", alarm.span, Severity.INFO)
        return {"type": "AverageValue", "averageValue": f"{max(round(cores * 1000), 1)}m"}
    ctx.sink.report("H2K402", f"alarm {alarm.name} watches {name!r}; only CPU metrics become autoscaler targets "
                    "(others need a metrics adapter)", alarm.span)
    return None


def _behavior(policies: list[tuple[_Policy, list[Resource]]], ctx: BackendContext) -> dict[str, object]:
    behavior: dict[str, object] = {}
    for policy, _alarms in policies:
        if policy.kind == "exact_capacity":
            ctx.sink.report("H2K402", f"policy {policy.resource.name} sets an exact capacity; an autoscaler only "
                            "scales by steps", policy.resource.span)
            continue
        direction = "scaleUp" if policy.adjustment > 0 else "scaleDown"
        step: dict[str, object] = {"type": "Percent" if policy.kind == "percent_change_in_capacity" else "Pods",
                                   "value": abs(policy.adjustment), "periodSeconds": policy.cooldown or 60}
        rules = behavior.setdefault(direction, {"policies": []})
        rules["policies"].append(step)  # type: ignore[index]
        if policy.cooldown:
            rules["stabilizationWindowSeconds"] = policy.cooldown  # type: ignore[index]
    return behavior


def emit_merged(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """Policies and alarms become part of their group's autoscaler; an alarm that fires no policy is reported."""
    if resource.role == "alarm" and not any(
            c.function == "get_attr" and (r := ctx.stack.resource(referenced_resource(c) or "")) is not None
            and r.role == "scaling-policy" for c in calls(resource.properties.get("alarm_actions"))):
        ctx.sink.report("H2K301", f"alarm {resource.name} ({resource.type}) scales nothing of this stack; monitoring "
                        "alarms are not translated", resource.span)
    return []


