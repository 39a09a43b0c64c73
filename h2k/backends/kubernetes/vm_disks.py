"""The disks of a KubeVirt virtual machine: its boot disk, its volumes, and disk images from `vm_images:`.

Nova boots a Glance image; KubeVirt boots a disk. The config's `vm_images:` maps a Glance image to
a containerDisk (an OCI image holding the disk, fresh at every boot, as an ephemeral Nova root
disk) or to a CDI DataVolume imported from a URL (a persistent disk, as a volume booted from an
image). A server's `image` becomes its boot disk; a boot volume of its block device mapping wins
over it, as in Nova. Volumes attached to the server are disks reading their claims; a volume made
from a Glance image that a virtual machine uses becomes a DataVolume importing the mapped image;
a volume of each member of a group becomes a DataVolume template of each member's machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from h2k.backends.kubernetes.context import BackendContext
from h2k.backends.kubernetes.storage_class import storage_class_of
from h2k.backends.kubernetes.volume import per_member, read_only, requested_size
from h2k.config import VmImage
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.passes.placement import VM_ROLE

CDI_API = "cdi.kubevirt.io/v1beta1"
BOOT_DISK = "rootdisk"
UNMAPPED_IMAGE = "H2K-UNMAPPED"  # upper case: an invalid reference, so nothing unrelated is ever pulled
_BUSES = ("virtio", "sata", "scsi", "usb")
_BOOT_DEVICES = ("vda", "/dev/vda", "sda", "/dev/sda")
# Keys of a block device mapping entry this translation reads; the others are reported.
_ENTRY_KEYS = frozenset({"volume_id", "image", "image_id", "boot_index", "volume_size", "disk_bus"})
# Keys that are read or have no effect, reported as notes.
_ENTRY_NOTES = {
    "device_name": "the guest names its disks in the order of the VirtualMachine's disks (the boot disk first)",
    "delete_on_termination": "a DataVolume template is deleted with its machine; the claim of a volume of the "
                             "template stays",
}


@dataclass
class Disks:
    """What a machine's disks add to its VirtualMachine: devices, volumes and DataVolume templates."""

    disks: list[dict[str, object]] = field(default_factory=list)
    volumes: list[dict[str, object]] = field(default_factory=list)
    templates: list[dict[str, object]] = field(default_factory=list)

    def add(self, name: str, source: dict[str, object], boot: bool = False, bus: str = "virtio",
            readonly: bool = False) -> None:
        target: dict[str, object] = {"bus": bus, **({"readonly": True} if readonly else {})}
        disk: dict[str, object] = {"name": name, **({"bootOrder": 1} if boot else {}), "disk": target}
        if boot:
            self.disks.insert(0, disk)
            self.volumes.insert(0, {"name": name, **source})
        else:
            self.disks.append(disk)
            self.volumes.append({"name": name, **source})

    def taken(self, name: str) -> bool:
        return any(volume["name"] == name for volume in self.volumes)


def image_source(image: VmImage) -> dict[str, object]:
    """The CDI import source of a mapped image (a containerDisk image is imported from its registry)."""
    if image.http is not None:
        return {"http": {"url": image.http}}
    if image.registry is not None:
        return {"registry": {"url": image.registry}}
    return {"registry": {"url": f"docker://{image.container_disk}"}}


def _glance_name(expr: Expr | None) -> str | None:
    return expr.value if isinstance(expr, Literal) and isinstance(expr.value, str) and expr.value else None


def mapped_image(expr: Expr | None, ctx: BackendContext) -> VmImage | None:
    name = _glance_name(expr)
    return ctx.config.vm_images.get(name) if name is not None else None


def _unmapped(server: Resource, expr: Expr | None, where: str, ctx: BackendContext) -> str:
    """Report a Glance image without a mapping; the invalid containerDisk reference standing for it."""
    name = _glance_name(expr)
    if expr is None:
        what = "has no image and no boot volume"
    elif name is None:
        what = f"boots an image only known at deploy time ({where})"
    else:
        what = f"boots Glance image {name!r} ({where}), which is not mapped"
    ctx.sink.report("H2K430", f"server {server.name} {what}: map its image to a containerDisk or a DataVolume under "
                    "vm_images: in the config file", expr.span if expr is not None else server.span)
    return f"{UNMAPPED_IMAGE}/{name or 'unknown'}"


def vm_volumes(ctx: BackendContext) -> dict[str, list[Resource]]:
    """Volume name -> the virtual machines that use it (attached, or in their block device mapping)."""
    found: dict[str, list[Resource]] = {}
    for server in ctx.stack.resources:
        if server.role != VM_ROLE:
            continue
        names = [m.volume.name for m in ctx.mounts.get(server.name, [])]
        names += [name for entry in _entries(server) if (name := resource_target(entry.get("volume_id")))]
        for name in names:
            if server not in found.setdefault(name, []):
                found[name].append(server)
    return found


def _storage(volume: Resource, size: str | None, ctx: BackendContext) -> dict[str, object]:
    """A DataVolume's `storage`: CDI picks access and volume modes from the class's storage profile."""
    storage: dict[str, object] = {"resources": {"requests": {"storage": size or requested_size(volume, ctx)}}}
    storage_class = storage_class_of(volume, ctx)
    if storage_class is not None:
        storage["storageClassName"] = storage_class
    return storage


def _image_of(volume: Resource, ctx: BackendContext) -> VmImage | None:
    """The mapped disk image a volume is made from, when a virtual machine uses the volume."""
    expr = volume.properties.get("image") or volume.properties.get("imageRef")
    if expr is None or volume.name not in vm_volumes(ctx):
        return None
    return mapped_image(expr, ctx)


def emit_data_volume(volume: Resource, ctx: BackendContext) -> dict[str, object] | None:
    """A volume made from a mapped Glance image and used by a virtual machine: a DataVolume importing the
    image, instead of an empty claim (the claim it creates has the volume's name). None otherwise."""
    image = _image_of(volume, ctx)
    if image is None or per_member(volume, ctx):
        return None
    for key in ("image", "imageRef"):
        span = volume.properties.key_span(key)
        if span is not None:
            ctx.sink.report("H2K402", f"OS::Cinder::Volume.properties.{key} of {volume.name} is carried over as a "
                            f"DataVolume importing {_shown(image)}", span, Severity.INFO)
    return {"apiVersion": CDI_API, "kind": "DataVolume", "metadata": ctx.metadata(volume),
            "spec": {"source": image_source(image), "storage": _storage(volume, None, ctx)}}


def _shown(image: VmImage) -> str:
    return image.http or image.registry or f"docker://{image.container_disk}"


def _volume_source(volume: Resource, vm_name: str, disks: Disks, ctx: BackendContext) -> dict[str, object]:
    """How a machine reads a stack volume: its claim, the DataVolume it became, or a template of its own."""
    if per_member(volume, ctx):
        # One per member of the group: a DataVolume template of each member's machine.
        image = mapped_image(volume.properties.get("image") or volume.properties.get("imageRef"), ctx)
        name = f"{vm_name}-{volume.object_name}"[:253]
        source = image_source(image) if image is not None else {"blank": {}}
        disks.templates.append({"metadata": {"name": name},
                                "spec": {"source": source, "storage": _storage(volume, None, ctx)}})
        return {"dataVolume": {"name": name}}
    if volume.name not in ctx.adopted and _image_of(volume, ctx) is not None:
        return {"dataVolume": {"name": volume.object_name}}
    return {"persistentVolumeClaim": {"claimName": volume.object_name}}


def _disk_name(volume: Resource, disks: Disks) -> str:
    name = volume.object_name
    return name if not disks.taken(name) and name != BOOT_DISK else f"volume-{name}"[:63].rstrip("-")


def _entries(server: Resource) -> list[MapExpr]:
    found: list[MapExpr] = []
    for key in ("block_device_mapping", "block_device_mapping_v2"):
        value = server.properties.get(key)
        found += [e for e in value.items if isinstance(e, MapExpr)] if isinstance(value, ListExpr) else []
    return found


def vm_disks(server: Resource, properties: MapExpr, vm_name: str, ctx: BackendContext) -> Disks:
    """The machine's disks: the boot disk first, then its block device mapping and attached volumes."""
    disks = Disks()
    booted = _block_devices(server, properties, vm_name, disks, ctx)
    image = properties.get("image")
    if booted and image is not None:
        ctx.drop(server, "image", "the server boots from its block device mapping, as in Nova", image.span,
                 Severity.INFO)
    elif not booted:
        _boot_image(server, image, vm_name, disks, ctx)
    for mount in ctx.mounts.get(server.name, []):
        volume = mount.volume
        disks.add(_disk_name(volume, disks), _volume_source(volume, vm_name, disks, ctx),
                  readonly=read_only(volume))
    return disks


def _boot_image(server: Resource, expr: Expr | None, vm_name: str, disks: Disks, ctx: BackendContext) -> None:
    """The boot disk from the server's Glance image: a containerDisk, or a DataVolume template."""
    image = mapped_image(expr, ctx)
    if image is None:
        unmapped = _unmapped(server, expr, "image", ctx)
        disks.add(BOOT_DISK, {"containerDisk": {"image": unmapped}}, boot=True)
    elif image.container_disk is not None:
        disks.add(BOOT_DISK, {"containerDisk": {"image": image.container_disk}}, boot=True)
    else:
        assert image.size is not None  # the config's schema requires a DataVolume's size
        _template(image, image.size, f"{vm_name}-{BOOT_DISK}", BOOT_DISK, disks, True, "virtio")


def _template(image: VmImage, size: str, name: str, disk: str, disks: Disks, boot: bool, bus: str) -> None:
    """A DataVolume template importing a mapped image, and the disk reading it."""
    storage: dict[str, object] = {"resources": {"requests": {"storage": size}}}
    if image.storage_class:
        storage["storageClassName"] = image.storage_class
    disks.templates.append({"metadata": {"name": name}, "spec": {"source": image_source(image), "storage": storage}})
    disks.add(disk, {"dataVolume": {"name": name}}, boot=boot, bus=bus)


def _block_devices(server: Resource, properties: MapExpr, vm_name: str, disks: Disks, ctx: BackendContext) -> bool:
    """Disks from `block_device_mapping(_v2)`; True when one of them is the boot disk."""
    booted = False
    for key in ("block_device_mapping", "block_device_mapping_v2"):
        value = properties.get(key)
        if value is None:
            continue
        if not isinstance(value, ListExpr):
            ctx.drop(server, key, "it is only known at deploy time", value.span)
            continue
        for index, entry in enumerate(value.items):
            if not isinstance(entry, MapExpr):
                ctx.drop(server, key, "an entry only known at deploy time", entry.span)
                continue
            boot = _is_boot(entry, key) and not booted
            added = _block_device(server, key, index, entry, vm_name, boot, disks, ctx)
            booted = booted or (added and boot)
    return booted


def _is_boot(entry: MapExpr, key: str) -> bool:
    if key == "block_device_mapping_v2":
        index = entry.get("boot_index")
        return isinstance(index, Literal) and str(index.value) == "0"
    device = entry.get("device_name")
    return isinstance(device, Literal) and device.value in _BOOT_DEVICES


def _block_device(server: Resource, key: str, index: int, entry: MapExpr, vm_name: str, boot: bool, disks: Disks,
                  ctx: BackendContext) -> bool:
    """One entry: a stack volume, or (v2) a volume made from an image; False when it adds no disk."""
    where = f"{key}[{index}]"
    for entry_key, _ in entry.entries:
        written = str(entry_key.value)
        if written in _ENTRY_NOTES:
            ctx.drop(server, f"{where}.{written}", _ENTRY_NOTES[written], entry_key.span, Severity.INFO)
        elif written not in _ENTRY_KEYS:
            ctx.drop(server, f"{where}.{written}", "block devices other than volumes and images (snapshots, swap, "
                     "ephemeral disks, CD-ROMs) are not translated", entry_key.span)
    bus = _bus(server, entry, where, ctx)
    volume_ref = entry.get("volume_id")
    image_ref = entry.get("image") or entry.get("image_id")
    if volume_ref is not None:
        volume = ctx.stack.resource(resource_target(volume_ref) or "")
        if volume is None or volume.role != "volume":
            ctx.drop(server, f"{where}.volume_id", "the volume is not a volume of this template; import it as a claim "
                     "and attach it by hand", volume_ref.span)
            return False
        disks.add(_disk_name(volume, disks), _volume_source(volume, vm_name, disks, ctx), boot=boot, bus=bus,
                  readonly=read_only(volume))
        return True
    if image_ref is not None and key == "block_device_mapping_v2":
        image = mapped_image(image_ref, ctx)
        if image is None:
            _unmapped(server, image_ref, where, ctx)
            return False
        size = _gibibytes(entry.get("volume_size"))
        name = BOOT_DISK if boot else f"disk-{index}"
        if image.container_disk is not None and size is None:
            # A containerDisk mapping and no size: the image itself, an ephemeral disk.
            disks.add(name, {"containerDisk": {"image": image.container_disk}}, boot=boot, bus=bus)
        else:
            _template(image, size or image.size or "", f"{vm_name}-{name}", name, disks, boot, bus)
        return True
    ctx.drop(server, where, "only entries with a volume of this template, or an image, become disks", entry.span)
    return False


def _gibibytes(size: Expr | None) -> str | None:
    """A block device's `volume_size` (GiB) as a quantity, when it is known."""
    value = size.value if isinstance(size, Literal) else None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return f"{value}Gi" if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _bus(server: Resource, entry: MapExpr, where: str, ctx: BackendContext) -> str:
    bus = entry.get("disk_bus")
    if bus is None:
        return "virtio"
    if isinstance(bus, Literal) and bus.value in _BUSES:
        return str(bus.value)
    ctx.drop(server, f"{where}.disk_bus", f"KubeVirt's disk buses are {', '.join(_BUSES)}; virtio is used", bus.span)
    return "virtio"
