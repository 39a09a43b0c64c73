"""Scaling: a Scaling policy, a Compute's `scalable` capability or a VDU's `vdu_profile`, as a group.

The scaled node's resource becomes the member of an OS::Heat::ResourceGroup when its size is
fixed (min = max), else of an OS::Heat::AutoScalingGroup (the default size its desired
capacity); on Kubernetes, the workload's replicas. Other policies are reported.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from h2k.frontends.tosca.lower.context import INSTANCES, Lowering
from h2k.ir.expr import Expr, Literal, MapExpr, from_data
from h2k.source.nodes import YMap, YSeq
from h2k.span import Span

_SIZES = ("min_instances", "max_instances", "default_instances")


def policies(low: Lowering) -> None:
    written = low.topology.get("policies")
    spans: dict[str, Span] = {}
    for item in written.items if isinstance(written, YSeq) else ():
        if isinstance(item, YMap) and len(item) == 1:
            spans[str(item.entries[0][0].value)] = item.entries[0][0].span
    scaled: set[str] = set()
    for policy in getattr(low.template, "policies", None) or []:
        span = spans.get(policy.name, low.positions.fallback())
        if policy.is_derived_from("tosca.policies.Scaling"):
            properties = policy.get_properties() if hasattr(policy, "get_properties") else {}
            sizes = {k: properties[k].value for k in _SIZES if k in properties}
            # Targets are the policy's own, or (in Tacker's profile) a `targets` property.
            targets = [str(getattr(t, "name", t)) for t in policy.targets_list or []]
            listed = properties["targets"].value if "targets" in properties else None
            targets += [str(t) for t in listed or [] if str(t) not in targets] if isinstance(listed, list) else []
            if not targets:
                low.sink.report("H2K710", f"scaling policy {policy.name} has no targets", span)
            for name in targets:
                scaled.add(name)
                _scale(low, name, sizes, span)
            continue
        low.sink.report("H2K710", f"policy {policy.name} ({policy.type}) is not translated", span)
    for node in low.nodes.values():
        if node.name in scaled or node.kind not in INSTANCES:
            continue
        scalable = node.template.get_capabilities().get("scalable")
        if node.kind == "vdu":  # an NFV unit's instance counts are its vdu_profile
            profile = node.template.get_properties().get("vdu_profile")
            value = profile.value if profile is not None else None
            sizes = {"min_instances": value.get("min_number_of_instances", 1),
                     "max_instances": value.get("max_number_of_instances", 1)} if isinstance(value, dict) else {}
        elif scalable is not None:
            properties = scalable.get_properties()
            sizes = {k: properties[k].value for k in _SIZES if k in properties}
        else:
            continue
        if sizes.get("default_instances", sizes.get("min_instances", 1)) != 1 or sizes.get("max_instances", 1) != 1:
            _scale(low, node.name, sizes, node.span)


def _scale(low: Lowering, name: str, sizes: dict[str, Any], span: Span) -> None:
    """The node's resource becomes the member of a group: a ResourceGroup of a fixed size, else an
    AutoScalingGroup (minimum, maximum, and the default as desired capacity)."""
    node = low.nodes.get(name)
    position = next((i for i, r in enumerate(low.resources) if node is not None and r.name == node.resource), None)
    if node is None or position is None or node.kind not in INSTANCES:
        low.sink.report("H2K710", f"scaling targets {name}, which is not a Compute or a container; it is "
                        "not scaled", span)
        return
    member = low.resources[position]
    low_size, high = sizes.get("min_instances", 1), sizes.get("max_instances", 1)
    default = sizes.get("default_instances", low_size)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low_size, high, default)):
        low.sink.report("H2K710", f"the scaling sizes of {name} are not known while compiling; it is not "
                        "scaled", span)
        return
    definition: dict[str, Expr] = {"type": Literal(value=member.type, span=span), "properties": member.properties}
    if member.metadata is not None:
        definition["metadata"] = member.metadata
    body = MapExpr(entries=tuple((Literal(value=k, span=span), v) for k, v in definition.items()), span=span)
    if low_size == high:
        group = [("count", from_data(default, span)), ("resource_def", body)]
        kind = "OS::Heat::ResourceGroup"
    else:
        group = [("min_size", from_data(low_size, span)), ("max_size", from_data(high, span)),
                 ("desired_capacity", from_data(default, span)), ("resource", body)]
        kind = "OS::Heat::AutoScalingGroup"
    low.resources[position] = dataclasses.replace(
        member, type=kind, metadata=None,
        properties=MapExpr(entries=tuple((Literal(value=k, span=span), v) for k, v in group), span=span))
