"""The table from IR role to emitter, and the walk that applies it to a stack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from h2k.backends.kubernetes.addresses import address_services
from h2k.backends.kubernetes.attachments import emit_attachment, index_mounts
from h2k.backends.kubernetes.autoscaling import emit_merged
from h2k.backends.kubernetes.context import BackendContext
from h2k.backends.kubernetes.floating_ip import emit_association, emit_floating_ip
from h2k.backends.kubernetes.heat_test_resource import emit_test_resource
from h2k.backends.kubernetes.ingress import emit_listener, emit_policy, emit_pool, emit_rule, routed_pods
from h2k.backends.kubernetes.key_pair import emit_key_pair
from h2k.backends.kubernetes.load_balancer import emit_load_balancer, emit_part, readiness_probes
from h2k.backends.kubernetes.load_balancer import pod_labels as balanced_pods
from h2k.backends.kubernetes.outputs import emit_outputs
from h2k.backends.kubernetes.parameter_secret import parameter_secrets
from h2k.backends.kubernetes.port import emit_port
from h2k.backends.kubernetes.scheduling import emit_server_group
from h2k.backends.kubernetes.secret import emit_random_string
from h2k.backends.kubernetes.security_group import emit_security_group, member_label
from h2k.backends.kubernetes.server import emit_server
from h2k.backends.kubernetes.software_config import emit_config
from h2k.backends.kubernetes.software_deployment import emit_deployment, index_steps
from h2k.backends.kubernetes.storage_class import emit_volume_type
from h2k.backends.kubernetes.virtual_machine import emit_virtual_machine
from h2k.backends.kubernetes.volume import emit_volume
from h2k.backends.kubernetes.wait_condition import emit_handle, emit_wait_condition, index_deadlines
from h2k.backends.kubernetes.wiring import wiring_objects
from h2k.backends.kubernetes.zun_container import emit_zun_container
from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource


@dataclass(frozen=True, slots=True)
class Emitted:
    """One Kubernetes object and the resource it was made from."""

    resource: Resource | None  # None for what the stack as a whole gives (its outputs)
    object: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.object["kind"])

    @property
    def name(self) -> str:
        return str(self.object["metadata"]["name"])


Emitter = Callable[[Resource, BackendContext], list[dict[str, object]]]


EMITTERS: dict[str, Emitter] = {
    "workload": emit_server,
    "virtual-machine": emit_virtual_machine,
    "container": emit_zun_container,
    "port": emit_port,
    "volume": emit_volume,
    "volume-attachment": emit_attachment,
    "network-policy": emit_security_group,
    "storage-class": emit_volume_type,
    "server-group": emit_server_group,
    "key-pair": emit_key_pair,
    "test-resource": emit_test_resource,
    "secret": emit_random_string,
    "load-balancer": emit_load_balancer,
    "floating-ip": emit_floating_ip,
    "floating-ip-association": emit_association,
    "lb-listener": emit_listener,
    "lb-pool": emit_pool,
    "lb-member": emit_part,
    "lb-monitor": emit_part,
    "lb-l7-policy": emit_policy,
    "lb-l7-rule": emit_rule,
    "scaling-policy": emit_merged,
    "alarm": emit_merged,
    "software-config": emit_config,
    "software-deployment": emit_deployment,
    "wait-condition": emit_wait_condition,
    "wait-handle": emit_handle,
}


def emit(ctx: BackendContext) -> list[Emitted]:
    ctx.pod_labels = _group_labels(ctx)
    for server, labels in balanced_pods(ctx).items():
        ctx.pod_labels.setdefault(server, {}).update(labels)
    for server, labels in routed_pods(ctx).items():
        ctx.pod_labels.setdefault(server, {}).update(labels)
    ctx.probes = readiness_probes(ctx)
    ctx.mounts = index_mounts(ctx)
    ctx.steps = index_steps(ctx)
    ctx.deadlines = index_deadlines(ctx)
    emitted = [Emitted(resource, obj)
               for resource in ctx.stack.resources if resource.role in EMITTERS
               for obj in EMITTERS[resource.role](resource, ctx)]
    emitted += [Emitted(source, obj) for source, obj in ctx.storage_classes.values()]
    services = {item.name for item in emitted if item.kind == "Service"}
    emitted += [Emitted(source, obj) for source, obj in address_services(ctx, services)]
    emitted += [Emitted(None, obj) for obj in parameter_secrets(ctx)]
    emitted += [Emitted(None, obj) for obj in wiring_objects(ctx)]
    outputs = emit_outputs(ctx)
    if outputs is not None:
        emitted.append(Emitted(None, outputs))
    return emitted


def _group_labels(ctx: BackendContext) -> dict[str, dict[str, str]]:
    """Server name -> the pod labels that make NetworkPolicies of its security groups select it."""
    groups = {r.name: r for r in ctx.stack.resources if r.role == "network-policy"}
    by_given_name = {}
    for candidate in groups.values():
        given = candidate.properties.get("name")
        if isinstance(given, Literal) and isinstance(given.value, str):
            by_given_name[given.value] = candidate
    labels: dict[str, dict[str, str]] = {}
    for server in ctx.stack.resources:
        if server.role not in ("workload", "container", "virtual-machine"):
            continue
        for entry in _security_groups(server, ctx):
            group: Resource | None = groups.get(resource_target(entry) or "")
            if group is None and isinstance(entry, Literal) and isinstance(entry.value, str):
                group = by_given_name.get(entry.value)
            if group is None:
                shown = entry.value if isinstance(entry, Literal) else "a computed value"
                ctx.drop(server, "security_groups", f"security group {shown!r} is not defined in this template, so "
                         "no NetworkPolicy stands for it", entry.span)
                continue
            labels.setdefault(server.name, {})[member_label(group)] = "true"
    return labels


def _security_groups(server: Resource, ctx: BackendContext) -> list[Expr]:
    """A server's security groups, with those of the ports it uses (they merge into its pods)."""
    found: list[Expr] = []
    entries = server.properties.get("security_groups")
    found += entries.items if isinstance(entries, ListExpr) else []
    networks = server.properties.get("networks")
    for network in networks.items if isinstance(networks, ListExpr) else ():
        named = resource_target(network.get("port")) if isinstance(network, MapExpr) else None
        port = ctx.stack.resource(named or "")
        groups = port.properties.get("security_groups") if port is not None and port.role == "port" else None
        found += groups.items if isinstance(groups, ListExpr) else []
    return found
