"""Cinder volume types -> StorageClasses of the Cinder CSI driver; deletion policies -> reclaim policies.

A claim names the class of its volume's type: the config's `storage_classes:` mapping when it has
one (a class the cluster already has), else a class h2k writes, named after the type, with the
provisioner `cinder.csi.openstack.org` and the type as its `type` parameter. A volume Heat keeps
on delete (`deletion_policy: Retain`) gets a class whose reclaim policy is Retain.
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Literal
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.passes.names import dns_label

PROVISIONER = "cinder.csi.openstack.org"
_KEEP = ("Retain", "retain", "Snapshot", "snapshot")

MAPPED = {
    "name": "`parameters.type`: the Cinder type the CSI driver creates volumes of",
    "description": "nothing (H2K402, a note)",
}
HANDLED = frozenset(MAPPED)
REASONS = {
    "metadata": "extra specs of a Cinder volume type are set by the cloud's operator, not by a StorageClass",
    "is_public": "StorageClasses are cluster-wide",
    "projects": "StorageClasses are cluster-wide",
}


def cinder_type_name(volume_type: Resource) -> str:
    given = volume_type.properties.get("name")
    return given.value if isinstance(given, Literal) and isinstance(given.value, str) else volume_type.name


def emit_volume_type(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """OS::Cinder::VolumeType: the StorageClass its volumes use (written once, by storage_class_of)."""
    report_unhandled(resource, HANDLED, REASONS, ctx)
    description = resource.properties.key_span("description")
    if description is not None:
        ctx.drop(resource, "description", "StorageClasses have no description", description, Severity.INFO)
    return [_storage_class(resource, resource.object_name, cinder_type_name(resource), "Delete", ctx)]


def storage_class_of(volume: Resource, ctx: BackendContext) -> str | None:
    """The class a volume's claim names, writing the class when h2k has to; None: the cluster default."""
    policy = volume.deletion_policy
    keep = isinstance(policy, Literal) and policy.value in _KEEP
    if isinstance(policy, Literal) and str(policy.value).lower() == "snapshot":
        ctx.sink.report("H2K402", f"deletion_policy Snapshot of {volume.name} is carried over as Retain: the volume "
                        "is kept, not snapshotted", policy.span)
    written = volume.properties.get("volume_type")
    declared = ctx.stack.resource(resource_target(written) or "")
    if declared is not None and declared.role == "storage-class":
        if not keep:
            return declared.object_name
        cinder_type, base, source = cinder_type_name(declared), declared.object_name, declared
    elif isinstance(written, Literal) and isinstance(written.value, str) and written.value:
        mapped = ctx.config.storage_classes.get(written.value)
        if mapped is not None:
            if keep and policy is not None:
                ctx.sink.report("H2K402", f"deletion_policy of {volume.name} is not carried over: the reclaim policy "
                                f"is the one of the mapped class {mapped}", policy.span)
            return mapped
        cinder_type, base, source = written.value, dns_label(written.value), volume
        ctx.sink.report("H2K409", f"volume type {written.value!r} of {volume.name} gets a StorageClass of its own "
                        f"({base}); map it under storage_classes: in the config file to use one the cluster has",
                        written.span)
    elif written is not None:
        ctx.sink.report("H2K302", f"the volume type of {volume.name} is only known at deploy time; the claim uses the "
                        "cluster's default StorageClass", written.span)
        return None
    elif keep:
        cinder_type, base, source = None, "cinder", volume
    else:
        return None
    name = f"{base}-retain" if keep else base
    if name not in ctx.storage_classes:
        ctx.storage_classes[name] = (source, _storage_class(source, name, cinder_type,
                                                            "Retain" if keep else "Delete", ctx))
    return name


def _storage_class(source: Resource, name: str, cinder_type: str | None, reclaim: str,
                   ctx: BackendContext) -> dict[str, object]:
    storage_class: dict[str, object] = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": ctx.metadata(source, name, cluster_scoped=True),
        "provisioner": PROVISIONER,
    }
    if cinder_type is not None:
        storage_class["parameters"] = {"type": cinder_type}
    storage_class["reclaimPolicy"] = reclaim
    storage_class["allowVolumeExpansion"] = True
    # Cinder volumes live in one availability zone: bind where the pod is scheduled.
    storage_class["volumeBindingMode"] = "WaitForFirstConsumer"
    return storage_class
