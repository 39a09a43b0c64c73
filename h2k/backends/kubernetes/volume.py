"""OS::Cinder::Volume -> PersistentVolumeClaim; the volume type names the StorageClass."""

from __future__ import annotations

from h2k.backends.kubernetes.attachments import resource_target
from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.storage_class import storage_class_of
from h2k.diagnostics.codes import Severity
from h2k.frontends.hot.constraints import bool_from_string
from h2k.ir.expr import Literal
from h2k.ir.nodes import Resource

MAPPED = {
    "size": "`resources.requests.storage: <size>Gi` (1Gi and H2K408 when unknown)",
    "volume_type": "`storageClassName` (see OS::Cinder::VolumeType); the class mapped under `storage_classes:` in "
                   "the config, else one h2k writes for the Cinder CSI driver (H2K409, a note)",
    "name": "nothing: the claim is named after the resource (H2K402, a note)",
    "description": "nothing (H2K402, a note)",
    "read_only": "`readOnly: true` on every mount of the volume when it is true; a value not known at compile time "
                 "is reported (H2K402) and the mounts stay writable",
    "source_volid": "`dataSource` (a PersistentVolumeClaim clone) when it is `get_resource` of a volume of the same "
                    "stack that becomes a claim; other sources are reported (H2K402)",
}
HANDLED = frozenset(MAPPED)
REASONS = {
    "image": "volumes created from Glance images are not translated yet",
    "snapshot_id": "restoring from snapshots is not translated yet",
    "backup_id": "restoring from backups is not translated yet",
    "availability_zone": "zone placement is not translated yet",
    "metadata": "Cinder volume metadata has no claim counterpart",
    "multiattach": "shared volumes are not translated yet",
    "scheduler_hints": "Cinder scheduler hints have no claim counterpart",
}


def per_member(volume: Resource, ctx: BackendContext) -> bool:
    """A volume of each member of a group, mounted by that member: a claim template of a StatefulSet."""
    return volume.replication is not None and any(
        m.volume.name == volume.name for server, mounts in ctx.mounts.items() for m in mounts
        if (s := ctx.stack.resource(server)) is not None and s.replication is not None)


def _read_only_flag(volume: Resource) -> bool | None:
    """The `read_only` property as Heat reads a Boolean (`"yes"`, `"1"`... too); None when not known."""
    flag = volume.properties.get("read_only")
    if not isinstance(flag, Literal):
        return None
    try:
        return bool_from_string(flag.value)
    except ValueError:
        return None


def read_only(volume: Resource) -> bool:
    """Cinder's read-only flag holds for every attachment, so every mount of the volume is read-only."""
    return _read_only_flag(volume) is True


def emit_volume(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    report_unhandled(resource, HANDLED, REASONS, ctx)
    flag = resource.properties.get("read_only")
    if flag is not None and _read_only_flag(resource) is None:
        ctx.drop(resource, "read_only", "its value is not known at compile time; the mounts stay writable",
                 flag.span)
    for key in ("name", "description"):
        span = resource.properties.key_span(key)
        if span is not None:
            ctx.drop(resource, key, f"the claim is named {resource.object_name}, after the resource", span,
                     Severity.INFO)
    if per_member(resource, ctx):
        return []  # the StatefulSet of its server holds it as a claim template
    return [{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ctx.metadata(resource),
             "spec": claim_spec(resource, ctx)}]


def claim_spec(resource: Resource, ctx: BackendContext) -> dict[str, object]:
    spec: dict[str, object] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": _size(resource, ctx)}},
    }
    storage_class = storage_class_of(resource, ctx)
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    spec["volumeMode"] = "Filesystem"
    source = _clone_source(resource, ctx)
    if source is not None:
        spec["dataSource"] = {"kind": "PersistentVolumeClaim", "name": source}
    return spec


def _clone_source(resource: Resource, ctx: BackendContext) -> str | None:
    """The claim a volume is cloned from: CSI cloning needs the source in the same namespace, so
    only a volume of this stack that becomes a stand-alone claim can be one."""
    expr = resource.properties.get("source_volid")
    if expr is None:
        return None
    target = resource_target(expr)
    source = ctx.stack.resource(target) if target is not None else None
    if source is not None and source.type == "OS::Cinder::Volume" and not per_member(source, ctx) \
            and not per_member(resource, ctx):
        return source.object_name
    reason = ("a clone of a volume outside the stack, or of a volume held per group member, has no claim to "
              "name as its dataSource; the claim starts empty")
    ctx.drop(resource, "source_volid", reason, expr.span)
    return None


def _size(resource: Resource, ctx: BackendContext) -> str:
    size = resource.properties.get("size")
    if isinstance(size, Literal) and isinstance(size.value, int) and not isinstance(size.value, bool) \
            and size.value > 0:
        return f"{size.value}Gi"  # Cinder sizes are GiB
    span = size.span if size is not None else resource.span
    ctx.sink.report("H2K408", f"the size of volume {resource.name} is not known at compile time; "
                    "the claim requests 1Gi", span)
    return "1Gi"
