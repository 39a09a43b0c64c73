"""OS::Cinder::Volume -> PersistentVolumeClaim; the volume type names the StorageClass.

A volume that starts from other data starts from it as a claim too where Kubernetes has the
counterpart: a clone of another claim, or a VolumeSnapshot, both named in `dataSourceRef` (the
field Kubernetes recommends over `dataSource` wherever volume populators are on, as they are by
default from 1.24). A Cinder snapshot lives outside the cluster until it is imported, which the
user does (H2K418); backups and Glance images have no counterpart, and the claim starts empty. A
volume made from a Glance image that a KubeVirt virtual machine uses is a disk image, though: it
becomes a CDI DataVolume importing the image mapped under `vm_images:` (vm_disks.py).
"""

from __future__ import annotations

import hashlib

from h2k.backends.kubernetes.adoption import adopted_volume
from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.storage_class import PROVISIONER, storage_class_of
from h2k.diagnostics.codes import Severity
from h2k.frontends.hot.constraints import bool_from_string
from h2k.ir.expr import Literal
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.passes.names import dns_label

SNAPSHOT_GROUP = "snapshot.storage.k8s.io"

MAPPED = {
    "size": "`resources.requests.storage: <size>Gi` (1Gi and H2K408 when unknown)",
    "volume_type": "`storageClassName` (see OS::Cinder::VolumeType); the class mapped under `storage_classes:` in "
                   "the config, else one h2k writes for the Cinder CSI driver (H2K409, a note)",
    "name": "nothing: the claim is named after the resource (H2K402, a note)",
    "description": "nothing (H2K402, a note)",
    "read_only": "`readOnly: true` on every mount of the volume when it is true; a value not known at compile time "
                 "is reported (H2K402) and the mounts stay writable",
    "source_volid": "`dataSourceRef` (a PersistentVolumeClaim clone) when it is `get_resource` of a volume of the "
                    "same stack that becomes a claim; any other source leaves the claim empty (H2K419)",
    "snapshot_id": "`dataSourceRef` naming the VolumeSnapshot `cinder-snapshot-<id>` (snapshot.storage.k8s.io), "
                   "which the user imports from Cinder first (H2K418 names the VolumeSnapshotContent and "
                   "VolumeSnapshot to create); an id only known at deploy time leaves the claim empty (H2K419)",
    "backup_id": "nothing: Kubernetes has no data source for a Cinder backup; the claim starts empty (H2K419)",
    "image": "nothing: a volume made from a Glance image is a virtual machine's disk; a container's files come "
             "from its container image, and the claim starts empty (H2K419). Used by a KubeVirt virtual machine, "
             "a DataVolume (cdi.kubevirt.io/v1beta1) importing the image mapped under `vm_images:` instead",
    "imageRef": "as `image` (Heat's hidden older name for it)",
}
HANDLED = frozenset(MAPPED)
REASONS = {
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
    if resource.name not in ctx.adopted:
        from h2k.backends.kubernetes.vm_disks import emit_data_volume

        data_volume = emit_data_volume(resource, ctx)
        if data_volume is not None:
            return [data_volume]
    if per_member(resource, ctx):
        if resource.name in ctx.adopted:
            ctx.sink.report("H2K428", f"volume {resource.name} is one per group member: its claims come from a claim "
                            "template and cannot be bound to one existing volume", resource.span)
        return []  # the StatefulSet of its server holds it as a claim template
    claim: dict[str, object] = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ctx.metadata(resource),
             "spec": claim_spec(resource, ctx)}
    return adopted_volume(resource, claim, ctx)


def claim_spec(resource: Resource, ctx: BackendContext) -> dict[str, object]:
    spec: dict[str, object] = {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": requested_size(resource, ctx)}},
    }
    storage_class = storage_class_of(resource, ctx)
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    spec["volumeMode"] = "Filesystem"
    source = _snapshot_source(resource, ctx) or _clone_source(resource, ctx)
    _report_empty_sources(resource, ctx)
    if source is not None:
        spec["dataSourceRef"] = source
    return spec


def _clone_source(resource: Resource, ctx: BackendContext) -> dict[str, object] | None:
    """The claim a volume is cloned from: CSI cloning needs the source in the same namespace, so
    only a volume of this stack that becomes a stand-alone claim can be one."""
    expr = resource.properties.get("source_volid")
    if expr is None:
        return None
    target = resource_target(expr)
    source = ctx.stack.resource(target) if target is not None else None
    if source is not None and source.type == "OS::Cinder::Volume" and not per_member(source, ctx) \
            and not per_member(resource, ctx):
        return {"kind": "PersistentVolumeClaim", "name": source.object_name}
    ctx.sink.report("H2K419", f"volume {resource.name} is a clone of a volume outside the stack, or of one held per "
                    "group member: it has no claim to name as its data source, so the claim starts empty", expr.span)
    return None


def snapshot_name(snapshot_id: str) -> str:
    """The VolumeSnapshot (and VolumeSnapshotContent) a Cinder snapshot is imported as: one per snapshot,
    so that every claim restored from it names the same one. An id that is not a valid name as it
    stands gets a digest of itself, so that two ids never share a name.

    >>> snapshot_name("6e1c8a52-0d4f-4f0e-9c1a-3b7f1d2e9a10")
    'cinder-snapshot-6e1c8a52-0d4f-4f0e-9c1a-3b7f1d2e9a10'
    """
    name = f"cinder-snapshot-{snapshot_id}"
    label = dns_label(name)
    if label == name:
        return name
    digest = hashlib.sha256(snapshot_id.encode()).hexdigest()[:8]
    return f"{label[:54].rstrip('-')}-{digest}"


def _snapshot_source(resource: Resource, ctx: BackendContext) -> dict[str, object] | None:
    """The VolumeSnapshot a volume is restored from. Heat has no snapshot resource, so the snapshot is
    always Cinder's own: it has to be imported (pre-provisioned) before the claim can use it."""
    expr = resource.properties.get("snapshot_id")
    if expr is None:
        return None
    value = expr.value if isinstance(expr, Literal) else None
    if value is None or isinstance(value, bool) or not str(value).strip():
        ctx.sink.report("H2K419", f"the snapshot volume {resource.name} is restored from is only known at deploy "
                        "time; the claim starts empty", expr.span)
        return None
    snapshot_id = str(value).strip()
    name = snapshot_name(snapshot_id)
    where = f"namespace {ctx.namespace}" if ctx.namespace else "the claim's namespace"
    ctx.sink.report("H2K418", f"volume {resource.name} is restored from Cinder snapshot {snapshot_id}: before the "
                    f"claim, create a VolumeSnapshotContent {name} (driver {PROVISIONER}, source.snapshotHandle "
                    f"{snapshot_id}, deletionPolicy Retain, volumeSnapshotRef to the VolumeSnapshot {name} in {where}) "
                    f"and that VolumeSnapshot (source.volumeSnapshotContentName {name}), both {SNAPSHOT_GROUP}/v1",
                    expr.span)
    return {"apiGroup": SNAPSHOT_GROUP, "kind": "VolumeSnapshot", "name": name}


def _report_empty_sources(resource: Resource, ctx: BackendContext) -> None:
    """Initial content Kubernetes has no data source for: the claim starts empty, which the user must know."""
    span = resource.properties.key_span("backup_id")
    if span is not None:
        ctx.sink.report("H2K419", f"volume {resource.name} is restored from a Cinder backup, which no claim can "
                        "start from; the claim starts empty (restore the backup into it once it is bound)", span)
    for key in ("image", "imageRef"):
        span = resource.properties.key_span(key)
        if span is not None:
            ctx.sink.report("H2K419", f"volume {resource.name} is made from a Glance image: a virtual machine's disk, "
                            "while a container's files come from its container image; the claim starts empty", span)


def requested_size(resource: Resource, ctx: BackendContext) -> str:
    """The size a volume's claim requests, in GiB as Cinder's; 1Gi (reported) when not known."""
    size = resource.properties.get("size")
    if isinstance(size, Literal) and isinstance(size.value, int) and not isinstance(size.value, bool) \
            and size.value > 0:
        return f"{size.value}Gi"  # Cinder sizes are GiB
    span = size.span if size is not None else resource.span
    restored = any(resource.properties.get(key) is not None for key in ("snapshot_id", "source_volid"))
    ctx.sink.report("H2K408", f"the size of volume {resource.name} is not known at compile time; the claim requests "
                    f"1Gi{', and must request at least the size of its source' if restored else ''}", span)
    return "1Gi"
