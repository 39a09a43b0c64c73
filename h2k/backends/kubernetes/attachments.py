"""Which volume is attached to which server, and where it is mounted inside the container.

A volume attached to a server that became a KubeVirt virtual machine is a disk of the machine
instead: the guest mounts it, as it did on OpenStack, so it has no mount path here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from h2k.backends.kubernetes.context import report_unhandled
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, Literal, MapExpr
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.ir.recipe import VOLUME
from h2k.passes.placement import VM_ROLE

if TYPE_CHECKING:
    from h2k.backends.kubernetes.context import BackendContext

MOUNT_PATH_KEY = "h2k.io/mount-path"


@dataclass(frozen=True, slots=True)
class Mount:
    volume: Resource
    path: str  # empty for a disk of a virtual machine
    attachment: Resource


def hint(metadata: Expr | None, key: str) -> str | None:
    """A non-empty string under `key` of a resource's metadata (an `h2k.io/...` steering key)."""
    value = metadata.get(key) if isinstance(metadata, MapExpr) else None
    return value.value if isinstance(value, Literal) and isinstance(value.value, str) and value.value else None


def index_mounts(ctx: BackendContext) -> dict[str, list[Mount]]:
    """Server name -> its mounts, in template order; unusable attachments are reported."""
    roles = {r.name: r for r in ctx.stack.resources}
    mounts: dict[str, list[Mount]] = {}
    attached: dict[str | None, int] = {}  # server -> how many attachments name it
    for resource in ctx.stack.resources:
        if resource.role == "volume-attachment":
            server_name = resource_target(resource.properties.get("instance_uuid"))
            attached[server_name] = attached.get(server_name, 0) + 1
    for attachment in ctx.stack.resources:
        if attachment.role != "volume-attachment":
            continue
        server = roles.get(resource_target(attachment.properties.get("instance_uuid")) or "")
        volume = roles.get(resource_target(attachment.properties.get("volume_id")) or "")
        if server is None or server.role not in ("workload", VM_ROLE) or volume is None or volume.role != "volume":
            ctx.sink.report("H2K407", f"attachment {attachment.name} must name a translated server "
                            "(instance_uuid: {get_resource: ...}) and volume (volume_id: {get_resource: ...})",
                            attachment.span)
            continue
        if server.role == VM_ROLE:
            mounts.setdefault(server.name, []).append(Mount(volume, "", attachment))
            continue
        path = (hint(attachment.metadata, MOUNT_PATH_KEY) or hint(volume.metadata, MOUNT_PATH_KEY)
                or script_mount_path(server, attachment, attached.get(server.name, 0)))
        if path is None:
            path = f"/mnt/{volume.object_name}"
            ctx.sink.report("H2K405", f"volume {volume.name} is mounted at {path}; set metadata "
                            f"{MOUNT_PATH_KEY} on {attachment.name} or {volume.name} to choose the path",
                            attachment.span)
        mounts.setdefault(server.name, []).append(Mount(volume, path, attachment))
    return mounts


def script_mount_path(server: Resource, attachment: Resource, attachments: int) -> str | None:
    """Where the server's boot script mounts the attachment's device (`mount /dev/vdb /data`).

    The device is the attachment's `mountpoint`; without one, a script that mounts exactly one
    device, on a server with exactly one attachment (`attachments` counts them), mounts that one.
    """
    recipe = server.recipe
    if recipe is None:
        return None
    mounted = {step.name: step.path for step in recipe.of_kind(VOLUME) if step.name and step.path}
    device = attachment.properties.get("mountpoint")
    if isinstance(device, Literal) and isinstance(device.value, str):
        return mounted.get(device.value)
    return next(iter(mounted.values())) if len(mounted) == 1 and attachments == 1 else None


MAPPED = {
    "instance_uuid, volume_id": "`volumes` and `volumeMounts` of the server's pod (H2K407 when either is not a "
                                  "translated resource); the mount path from metadata `h2k.io/mount-path` on the "
                                  "attachment, else on the volume, else where the server's boot script mounts the "
                                  "device (H2K617), else `/mnt/<volume>` (H2K405); for a KubeVirt "
                                  "virtual machine, a disk of the machine reading the volume's claim",
    "mountpoint": "nothing: a device path inside a VM (H2K402, a note); a virtual machine's disks appear in the "
                  "order of its `disks`",
}


def emit_attachment(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """An attachment becomes a volume mount of its server (index_mounts); it has no object of its own."""
    report_unhandled(resource, frozenset({"instance_uuid", "volume_id", "mountpoint"}), {}, ctx)
    span = resource.properties.key_span("mountpoint")
    server = ctx.stack.resource(resource_target(resource.properties.get("instance_uuid")) or "")
    if span is not None and server is not None and server.role == VM_ROLE:
        ctx.drop(resource, "mountpoint", f"the guest of {server.name} names its disks in the order of the "
                 "VirtualMachine's disks", span, Severity.INFO)
    elif span is not None:
        ctx.drop(resource, "mountpoint", "it is a device path inside a VM; the container's mount path comes from "
                 f"{MOUNT_PATH_KEY}", span, Severity.INFO)
    return []
