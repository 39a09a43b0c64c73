"""OS::Nova::Server -> Deployment: image, flavor -> resources, volumes, security-group labels."""

from __future__ import annotations

import dataclasses
from typing import Any

from h2k.backends.kubernetes.autoscaling import emit_autoscaler
from h2k.backends.kubernetes.built_image import IMAGE_KEY, builds_image, built_image, given_image, glance_image
from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.disruption import budget, rolling_update
from h2k.backends.kubernetes.job import completion_reason, job
from h2k.backends.kubernetes.scheduling import member_label, pod_scheduling, server_group_of
from h2k.backends.kubernetes.software_deployment import init_containers, step_volumes
from h2k.backends.kubernetes.volume import claim_spec, per_member, read_only
from h2k.config import Flavor
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Call, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Resource

PORT_KEY = "h2k.io/port"
UNMAPPED_IMAGE = "H2K-UNMAPPED"  # upper case: an invalid reference, so nothing unrelated is ever pulled

# What each carried-over property becomes (the conversion matrix is generated from these tables).
MAPPED = {
    "image": "the container image, through `images:` in the config (or metadata `h2k.io/image`); else, "
             "when the server has a boot script, the image built from it (`images/<name>/Containerfile`, its "
             "`FROM` from the Glance image, H2K610); else `H2K-UNMAPPED/<image>` and H2K401",
    "user_data": "read statement by statement (H2K610): packages, downloads and fixed files into the image "
                 "recipe, parameter-dependent files and commands into the ConfigMap `<name>-boot` (H2K614), the "
                 "started service into the CMD; what needs a VM is reported (H2K612)",
    "flavor": "`resources.requests` cpu and memory and a memory limit, from the flavor table (H2K403 when unknown)",
    "security_groups": "pod labels `sg.h2k.io/<group>: \"true\"`, which the groups' NetworkPolicies select",
    "scheduler_hints": "`group`: pod (anti-)affinity from the server group's policy; other hints H2K402",
    "availability_zone": "`nodeSelector: {topology.kubernetes.io/zone: <zone>}`",
    "name": "nothing: objects are named after the resource (H2K402, a note)",
}
STEERING = {
    IMAGE_KEY: "the container image",
    "h2k.io/workload": "`job`: a Job (batch/v1) that runs once (as does a server whose boot script ends by powering "
                       "off, H2K429); `deployment`: a Deployment whatever the script does",
    PORT_KEY: "`containerPort`s (TCP): a port or a list",
}
# Carried over when the boot script became the image (built_image.py), else reported.
BOOT_HANDLED = frozenset({"user_data", "user_data_format"})
HANDLED = frozenset(MAPPED) - BOOT_HANDLED
REASONS = {
    "networks": "pods join the cluster network; Neutron networks and ports stay with OpenStack",
    "key_name": "containers are not reached over SSH",
    "admin_pass": "containers have no console login",
    "user_data": "the container image is given (h2k.io/image or images:), so the boot script is not read; the "
                 "image must already hold its effects",
    "user_data_format": "a container does not boot; its software deployments run as init containers",
    "software_config_transport": "deployments reach the pod as init containers, not through a metadata poll",
    "config_drive": "containers have no config drive",
    "metadata": "Nova instance metadata has no pod counterpart",
    "block_device_mapping": "boot volumes are not translated yet; attach data volumes with "
                            "OS::Cinder::VolumeAttachment",
    "block_device_mapping_v2": "boot volumes are not translated yet; attach data volumes with "
                               "OS::Cinder::VolumeAttachment",
    "personality": "injected files are not translated yet",
}


def emit_server(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    mounts = ctx.mounts.get(resource.name, [])
    ports = declared_ports(resource, ctx)
    given = given_image(resource, ctx)
    boot = built_image(resource, ports, ctx) if builds_image(resource, ctx) else None
    report_unhandled(resource, HANDLED | BOOT_HANDLED if boot else HANDLED, _reasons(resource, given), ctx)
    name_span = resource.properties.key_span("name")
    if name_span is not None:
        ctx.drop(resource, "name", f"the Deployment is named {resource.object_name}, after the resource",
                 name_span, Severity.INFO)
    selector = {"app.kubernetes.io/name": resource.object_name, "app.kubernetes.io/part-of": ctx.part_of}
    container: dict[str, object] = {"name": resource.object_name,
                                    "image": boot.image if boot else given or _unmapped(resource, ctx)}
    configs = boot.objects if boot else []
    if boot and boot.command:
        container["command"] = boot.command
        if boot.args:
            container["args"] = boot.args
    if boot and boot.env:
        container["env"] = boot.env
    if ports:
        container["ports"] = ports
    resources = _resources(resource, ctx)
    if resources:
        container["resources"] = resources
    if resource.name in ctx.probes:
        container["readinessProbe"] = ctx.probes[resource.name]
    elif boot and boot.probe:
        container["readinessProbe"] = boot.probe
    volume_mounts: list[dict[str, object]] = [{"name": m.volume.object_name, "mountPath": m.path,
                                               **({"readOnly": True} if read_only(m.volume) else {})}
                                              for m in mounts]
    if boot:
        volume_mounts += boot.mounts
    if volume_mounts:
        container["volumeMounts"] = volume_mounts
    steps = ctx.steps.get(resource.name, [])
    # A volume per member of a group (a nested template of server + volume): a StatefulSet, whose
    # claim templates give every pod a claim of its own, as every member had its own volume.
    own = [m for m in mounts if per_member(m.volume, ctx)]
    shared = [m for m in mounts if m not in own]
    pod_spec: dict[str, object] = {}
    if steps:
        pod_spec["initContainers"] = init_containers(steps, container)
    pod_spec["containers"] = [container]
    volumes: list[dict[str, object]] = [{"name": m.volume.object_name,
                                         "persistentVolumeClaim": {"claimName": m.volume.object_name}}
                                        for m in shared]
    volumes += step_volumes(steps)
    if boot:
        volumes += boot.volumes
    if volumes:
        pod_spec["volumes"] = volumes
    completion = completion_reason(resource, ctx) if not own else None
    if completion is not None:
        ctx.sink.report("H2K429", f"server {resource.name} runs to completion ({completion}): a Job", resource.span)
        group = server_group_of(resource, ctx)
        pod_spec.update(pod_scheduling(resource, group, ctx))
        labels = {**selector, **ctx.pod_labels.get(resource.name, {})}
        if group is not None:
            labels[member_label(group)] = "true"
        return [*configs, job(resource, pod_spec, labels, replica_count(resource, ctx), ctx)]
    spec: dict[str, object] = {}
    autoscaler = emit_autoscaler(resource, ctx)
    if not autoscaler:  # an autoscaler owns the replica count
        spec["replicas"] = replica_count(resource, ctx)
    spec["selector"] = {"matchLabels": selector}
    strategy, ready_after, min_available = rolling_update(resource, ctx)
    if ready_after:
        spec["minReadySeconds"] = ready_after
    deadline = ctx.deadlines.get(resource.name)
    if deadline is not None and not own:
        spec["progressDeadlineSeconds"] = max(deadline, (ready_after or 0) + 1)
    if own:
        spec["serviceName"] = resource.object_name
        spec["podManagementPolicy"] = "Parallel"  # Heat creates a group's members together
    elif mounts:
        # A ReadWriteOnce claim cannot follow a rolling update onto another node: replace, don't surge.
        spec["strategy"] = {"type": "Recreate"}
    elif strategy:
        spec["strategy"] = strategy
    extra = [budget(resource, min_available, selector, ctx)] if min_available else []
    group = server_group_of(resource, ctx)
    pod_spec.update(pod_scheduling(resource, group, ctx))
    labels = {**selector, **ctx.pod_labels.get(resource.name, {})}
    if group is not None:
        labels[member_label(group)] = "true"
    spec["template"] = {"metadata": {"labels": labels}, "spec": pod_spec}
    if not own:
        return [*configs,
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": ctx.metadata(resource), "spec": spec},
                *autoscaler, *extra]
    spec["volumeClaimTemplates"] = [{"metadata": {"name": m.volume.object_name}, "spec": claim_spec(m.volume, ctx)}
                                    for m in own]
    for item in autoscaler:
        item["spec"]["scaleTargetRef"]["kind"] = "StatefulSet"  # type: ignore[index]
    service: dict[str, object] = {"clusterIP": "None", "selector": selector}
    if ports:
        service["ports"] = [{"name": f"port-{p['containerPort']}", "port": p["containerPort"],
                             "protocol": p["protocol"]} for p in ports]
    return [*configs,
            {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ctx.metadata(resource), "spec": spec},
            {"apiVersion": "v1", "kind": "Service", "metadata": ctx.metadata(resource), "spec": service},
            *autoscaler, *extra]


def _reasons(resource: Resource, given: str | None) -> dict[str, str]:
    """Why properties are dropped; for `user_data`, why no image was built from it."""
    recipe = resource.recipe
    if given is not None or recipe is None:
        return REASONS
    why = recipe.unreadable or "it holds no statement to build an image from"
    return {**REASONS, "user_data": f"no image is built from it: {why}"}


def _unmapped(resource: Resource, ctx: BackendContext) -> str:
    glance = glance_image(resource)
    shown = "unknown" if glance is None else glance
    ctx.sink.report("H2K401", f"server {resource.name} has no container image: set metadata {IMAGE_KEY}, or map "
                    f"Glance image {shown!r} under images: in the config file", resource.span)
    return f"{UNMAPPED_IMAGE}/{shown}"


def flavor_of(resource: Resource, ctx: BackendContext) -> Flavor | None:
    """The server's flavor from the flavor table; one that is unknown, or known only at deploy time, is reported."""
    flavor = resource.properties.get("flavor")
    if flavor is None:
        return None
    if not isinstance(flavor, Literal) or not isinstance(flavor.value, str):
        if isinstance(flavor, Call):
            ctx.sink.report("H2K302", f"the flavor of {resource.name} is only known at deploy time; "
                            "no resources were set from it", flavor.span)
        return None
    found = ctx.config.flavors.get(flavor.value)
    if found is None:
        ctx.sink.report("H2K403", f"flavor {flavor.value!r} of {resource.name} is not in the flavor table; "
                        "add it under flavors: in the config file", flavor.span)
    return found


def _resources(resource: Resource, ctx: BackendContext) -> dict[str, object]:
    found = flavor_of(resource, ctx)
    if found is None:
        return {}
    cpu = str(int(found.vcpus)) if float(found.vcpus).is_integer() else f"{int(found.vcpus * 1000)}m"
    memory = f"{found.ram_mib}Mi"
    # No CPU limit: a limit throttles, whereas a VM's vCPUs were never capped below a full core.
    return {"requests": {"cpu": cpu, "memory": memory}, "limits": {"memory": memory}}


def container_ports(resource: Resource, ctx: BackendContext) -> list[dict[str, Any]]:
    """The container ports a server declares (metadata h2k.io/port), without reporting (the server does)."""
    from h2k.diagnostics.model import DiagnosticSink

    quiet = dataclasses.replace(ctx, sink=DiagnosticSink())
    return declared_ports(resource, quiet)


def declared_ports(resource: Resource, ctx: BackendContext) -> list[dict[str, Any]]:
    value = resource.metadata.get(PORT_KEY) if isinstance(resource.metadata, MapExpr) else None
    if value is None:
        return []
    items = value.items if isinstance(value, ListExpr) else (value,)
    ports = []
    for item in items:
        if isinstance(item, Literal) and isinstance(item.value, int) and not isinstance(item.value, bool) \
                and 0 < item.value < 65536:
            ports.append({"containerPort": item.value, "protocol": "TCP"})
        else:
            ctx.sink.report("H2K103", f"metadata {PORT_KEY} of {resource.name} must be a port number or a list "
                            "of port numbers", item.span)
    return ports


def replica_count(resource: Resource, ctx: BackendContext) -> int:
    """One per server; a group's count when the group's size is known at compile time."""
    replication = resource.replication
    if replication is None:
        return 1
    count = replication.count
    if isinstance(count, Literal) and isinstance(count.value, int) and not isinstance(count.value, bool):
        return count.value
    span = count.span if count is not None else resource.span
    ctx.sink.report("H2K302", f"the size of group {resource.name} is only known at deploy time; one replica is "
                    "written", span)
    return 1
