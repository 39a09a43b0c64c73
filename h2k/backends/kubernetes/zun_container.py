"""OS::Zun::Container -> a Deployment, or a Job when its restart policy says it runs to completion.

A Zun container already is a container: its image, command, environment, resources and mounts
carry over directly. Its restart policy decides the kind: `always`, `unless-stopped` or none give a
Deployment (a long-running service); `no` and `on-failure[:n]` describe a run to completion, which is
a Job (`restartPolicy: Never`, or `OnFailure` with `backoffLimit: n`).
"""

from __future__ import annotations

import json
import re
import shlex

from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.server import declared_ports, replica_count
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, is_known, to_data
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.ir.visit import calls
from h2k.span import Span

PULL_POLICIES = {"always": "Always", "ifnotpresent": "IfNotPresent", "never": "Never"}
# A Kubernetes annotation key: an optional DNS prefix and a name of at most 63 characters.
ANNOTATION_KEY = re.compile(r"([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?")
RESTART = re.compile(r"(no|always|unless-stopped|on-failure)(:(\d+))?")

MAPPED = {
    "image": "the container image (a Glance image, `image_driver: glance`, needs a mapping like a server's, H2K401)",
    "image_driver": "`docker` images are used as they are; `glance` ones through `images:` in the config",
    "command": "`args`, split like a shell would (it replaces the image's CMD, as in Zun)",
    "cpu": "`resources.requests.cpu`",
    "memory": "`resources.requests.memory` and `resources.limits.memory` (MiB)",
    "environment": "`env`; a value from an `OS::Heat::RandomString` comes from its Secret; other deploy-time values "
                   "H2K302",
    "workdir": "`workingDir`",
    "labels": "pod annotations (Docker labels are metadata, not selectors); keys that are not valid annotation keys "
              "H2K402",
    "image_pull_policy": "`imagePullPolicy` (`Always`, `IfNotPresent`, `Never`)",
    "restart_policy": "the kind: `always`, `unless-stopped` or none -> Deployment; `no` -> Job with `restartPolicy: "
                      "Never` and `backoffLimit: 0`; `on-failure[:n]` -> Job with `restartPolicy: OnFailure` and "
                      "`backoffLimit: n` (6 without n)",
    "interactive": "`stdin`",
    "tty": "`tty`",
    "hostname": "the pod's `hostname`",
    "security_groups": "pod labels `sg.h2k.io/<group>: \"true\"`, which the groups' NetworkPolicies select",
    "mounts": "`volume_id` of a volume in the template -> its claim; `volume_size` -> a claim of its own "
              "(`<container>-mount-<n>`), mounted at `mount_path`",
    "name": "nothing: objects are named after the resource (H2K402, a note)",
}
HANDLED = frozenset(MAPPED)
REASONS = {
    "networks": "pods join the cluster network; Neutron networks and ports stay with OpenStack",
    "hints": "Zun scheduler hints have no pod counterpart",
}


def emit_zun_container(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    report_unhandled(resource, HANDLED, REASONS, ctx)
    name_span = resource.properties.key_span("name")
    if name_span is not None:
        ctx.drop(resource, "name", f"the workload is named {resource.object_name}, after the resource", name_span,
                 Severity.INFO)
    props = resource.properties
    container: dict[str, object] = {"name": resource.object_name, "image": _image(resource, ctx)}
    command = _text(props.get("command"), resource, "command", ctx)
    if command is not None:
        try:
            container["args"] = shlex.split(command)
        except ValueError as error:
            ctx.drop(resource, "command", f"it cannot be split into arguments ({error})", _span(props, "command"))
    for key, field in (("workdir", "workingDir"),):
        text = _text(props.get(key), resource, key, ctx)
        if text is not None:
            container[field] = text
    ports = declared_ports(resource, ctx)
    if ports:
        container["ports"] = ports
    env = _environment(resource, ctx)
    if env:
        container["env"] = env
    resources = _resources(resource, ctx)
    if resources:
        container["resources"] = resources
    policy = _text(props.get("image_pull_policy"), resource, "image_pull_policy", ctx)
    if policy is not None and policy in PULL_POLICIES:
        container["imagePullPolicy"] = PULL_POLICIES[policy]
    for key in ("interactive", "tty"):
        flag = props.get(key)
        if isinstance(flag, Literal) and flag.value is True:
            container["stdin" if key == "interactive" else "tty"] = True
    claims, volumes, mounts = _mounts(resource, ctx)
    if mounts:
        container["volumeMounts"] = mounts
    pod_spec: dict[str, object] = {"containers": [container]}
    if volumes:
        pod_spec["volumes"] = volumes
    hostname = _text(props.get("hostname"), resource, "hostname", ctx)
    if hostname is not None:
        pod_spec["hostname"] = hostname
    selector = {"app.kubernetes.io/name": resource.object_name, "app.kubernetes.io/part-of": ctx.part_of}
    template: dict[str, object] = {"metadata": {"labels": {**selector, **ctx.pod_labels.get(resource.name, {})}},
                                   "spec": pod_spec}
    annotations = _annotations(resource, ctx)
    if annotations:
        template["metadata"]["annotations"] = annotations  # type: ignore[index]
    restart = _restart(resource, ctx)
    workload: dict[str, object]
    if restart is None:
        spec: dict[str, object] = {"replicas": replica_count(resource, ctx), "selector": {"matchLabels": selector},
                                   "template": template}
        if claims or any("persistentVolumeClaim" in v for v in volumes):
            spec["strategy"] = {"type": "Recreate"}  # a ReadWriteOnce claim cannot surge onto another node
        workload = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": ctx.metadata(resource), "spec": spec}
    else:
        restart_policy, retries = restart
        pod_spec["restartPolicy"] = restart_policy
        job_spec: dict[str, object] = {"backoffLimit": retries, "template": template}
        if resource.replication is not None:
            count = replica_count(resource, ctx)
            job_spec = {"completions": count, "parallelism": count, **job_spec}
        workload = {"apiVersion": "batch/v1", "kind": "Job", "metadata": ctx.metadata(resource), "spec": job_spec}
    return [*claims, workload]


def _span(props: MapExpr, key: str) -> Span:
    return props.key_span(key) or props.span


def _text(expr: Expr | None, resource: Resource, key: str, ctx: BackendContext) -> str | None:
    if expr is None:
        return None
    if isinstance(expr, Literal) and isinstance(expr.value, str | int | float) and not isinstance(expr.value, bool):
        return str(expr.value)
    if isinstance(expr, Call):
        ctx.sink.report("H2K302", f"{key} of {resource.name} is only known at deploy time; it is left out", expr.span)
    return None


def _image(resource: Resource, ctx: BackendContext) -> str:
    from h2k.backends.kubernetes.server import UNMAPPED_IMAGE

    image = resource.properties.get("image")
    driver = resource.properties.get("image_driver")
    name = image.value if isinstance(image, Literal) and isinstance(image.value, str) else None
    if name is not None and not (isinstance(driver, Literal) and driver.value == "glance"):
        return name
    if name is not None and name in ctx.config.images:
        return ctx.config.images[name]
    ctx.sink.report("H2K401", f"container {resource.name} has no image known at compile time: map Glance image "
                    f"{name or 'unknown'!r} under images: in the config file", resource.span)
    return f"{UNMAPPED_IMAGE}/{name or 'unknown'}"


def _environment(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    from h2k.backends.kubernetes.software_deployment import env_entry

    given = resource.properties.get("environment")
    if given is None:
        return []
    if not isinstance(given, MapExpr):
        ctx.sink.report("H2K302", f"the environment of {resource.name} is only known at deploy time; it is left out",
                        given.span)
        return []
    entries = [env_entry(str(key.value), value, resource, ctx) for key, value in given.entries]
    return [entry for entry in entries if entry is not None]


def _resources(resource: Resource, ctx: BackendContext) -> dict[str, object]:
    requests: dict[str, str] = {}
    cpu = resource.properties.get("cpu")
    if isinstance(cpu, Literal) and isinstance(cpu.value, int | float) and not isinstance(cpu.value, bool):
        requests["cpu"] = str(int(cpu.value)) if float(cpu.value).is_integer() else f"{round(cpu.value * 1000)}m"
    elif cpu is not None:
        _text(cpu, resource, "cpu", ctx)
    memory = resource.properties.get("memory")
    if isinstance(memory, Literal) and isinstance(memory.value, int) and not isinstance(memory.value, bool):
        requests["memory"] = f"{memory.value}Mi"
    elif memory is not None:
        _text(memory, resource, "memory", ctx)
    if not requests:
        return {}
    limits = {"memory": requests["memory"]} if "memory" in requests else {}
    return {"requests": requests, **({"limits": limits} if limits else {})}


def _annotations(resource: Resource, ctx: BackendContext) -> dict[str, str]:
    labels = resource.properties.get("labels")
    if labels is None:
        return {}
    if not isinstance(labels, MapExpr) or not is_known(labels):
        _text(labels if isinstance(labels, Call) else next(calls(labels), None), resource, "labels", ctx)
        return {}
    found = {}
    for key, value in labels.entries:
        data = to_data(value)
        if not ANNOTATION_KEY.fullmatch(str(key.value)):
            ctx.drop(resource, "labels", f"{key.value!r} is not a valid Kubernetes annotation key", key.span)
            continue
        found[str(key.value)] = data if isinstance(data, str) else json.dumps(data)
    return found


def _restart(resource: Resource, ctx: BackendContext) -> tuple[str, int] | None:
    """None for a long-running service; else the Job's pod restart policy and retries."""
    text = _text(resource.properties.get("restart_policy"), resource, "restart_policy", ctx)
    match = RESTART.fullmatch(text) if text is not None else None
    if match is None or match.group(1) in ("always", "unless-stopped"):
        return None
    if match.group(1) == "no":
        return "Never", 0
    return "OnFailure", int(match.group(3)) if match.group(3) else 6


def _mounts(resource: Resource, ctx: BackendContext) -> tuple[list[dict[str, object]], list[dict[str, object]],
                                                              list[dict[str, object]]]:
    """Claims of its own, pod volumes and container mounts for the container's `mounts`."""
    given = resource.properties.get("mounts")
    claims: list[dict[str, object]] = []
    volumes: list[dict[str, object]] = []
    mounts: list[dict[str, object]] = []
    if given is None:
        return claims, volumes, mounts
    if not isinstance(given, ListExpr):
        _text(given, resource, "mounts", ctx)
        return claims, volumes, mounts
    for index, item in enumerate(given.items):
        path = item.get("mount_path") if isinstance(item, MapExpr) else None
        if not (isinstance(path, Literal) and isinstance(path.value, str)):
            ctx.drop(resource, "mounts", "a mount without a mount_path known at compile time", item.span)
            continue
        assert isinstance(item, MapExpr)
        volume = ctx.stack.resource(resource_target(item.get("volume_id")) or "")
        size = item.get("volume_size")
        if volume is not None and volume.role == "volume":
            claim = volume.object_name
        elif isinstance(size, Literal) and isinstance(size.value, int) and not isinstance(size.value, bool):
            claim = f"{resource.object_name[:50]}-mount-{index}"
            metadata = ctx.metadata(resource, claim)
            claims.append({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata,
                           "spec": {"accessModes": ["ReadWriteOnce"],
                                    "resources": {"requests": {"storage": f"{size.value}Gi"}},
                                    "volumeMode": "Filesystem"}})
        else:
            ctx.drop(resource, "mounts", "the volume is not a volume of this template, nor a size known at compile "
                     "time", item.span)
            continue
        volumes.append({"name": claim, "persistentVolumeClaim": {"claimName": claim}})
        mounts.append({"name": claim, "mountPath": path.value})
    return claims, volumes, mounts
