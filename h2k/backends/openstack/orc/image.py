"""OS::Glance::WebImage -> Image, which k-orc downloads from the same URL."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.state import Member, State
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, Literal
from h2k.ir.nodes import Resource

MAPPED = {
    "name": "`name`",
    "location": "`content.download.url`",
    "disk_format": "`content.diskFormat`",
    "container_format": "`content.containerFormat`",
    "min_disk": "`properties.minDiskGB` (0, Heat's default, is no minimum and is left out)",
    "min_ram": "`properties.minMemoryMB` (likewise)",
    "protected": "`protected`",
    "tags": "`tags`",
    "visibility": "`visibility`",
    "architecture": "`properties.architecture` (one of the names k-orc knows, such as x86_64 or aarch64)",
    "os_distro": "`properties.operatingSystem.distro` (one of the names k-orc knows)",
    "os_version": "`properties.operatingSystem.version`",
    "extra_properties": "the Glance properties k-orc has fields for (`hypervisor_type`, `hw_*` hardware "
                        "properties, `os_distro`, `os_version`, `architecture`) into `properties`; the others are "
                        "not carried over (H2K501)",
}
REASONS = {
    "id": "Glance chooses the ID of an image k-orc creates",
    "kernel_id": "k-orc has no kernel image field",
    "ramdisk_id": "k-orc has no ramdisk image field",
    "owner": "k-orc creates images in the project of its credentials",
    "members": "k-orc does not share images with other projects",
    "active": "k-orc always leaves the image active",
}
DISK_FORMATS = {f: f for f in ("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "ploop", "iso")}
CONTAINER_FORMATS = {f: f for f in ("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed")}
VISIBILITY = {v: v for v in ("public", "private", "shared", "community")}
ARCHITECTURES = {a: a for a in (
    "aarch64", "alpha", "armv7l", "cris", "i686", "ia64", "lm32", "m68k", "microblaze", "microblazeel", "mips",
    "mipsel", "mips64", "mips64el", "openrisc", "parisc", "parisc64", "ppc", "ppc64", "ppcemb", "s390", "s390x",
    "sh4", "sh4eb", "sparc", "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb")}
DISTROS = {d: d for d in (
    "arch", "centos", "debian", "fedora", "freebsd", "gentoo", "mandrake", "mandriva", "mes", "msdos", "netbsd",
    "netware", "openbsd", "opensolaris", "opensuse", "rocky", "rhel", "sled", "ubuntu", "windows")}
BUSES = {b: b for b in ("scsi", "virtio", "uml", "xen", "ide", "usb", "lxc")}
# Glance property -> (field under `properties.hardware`, allowed values or "int"/"bool"/"str").
HARDWARE: dict[str, tuple[str, dict[str, str] | str]] = {
    "hw_cdrom_bus": ("cdromBus", BUSES),
    "hw_disk_bus": ("diskBus", BUSES),
    "hw_cpu_cores": ("cpuCores", "int"),
    "hw_cpu_sockets": ("cpuSockets", "int"),
    "hw_cpu_threads": ("cpuThreads", "int"),
    "hw_cpu_policy": ("cpuPolicy", {"shared": "shared", "dedicated": "dedicated"}),
    "hw_cpu_thread_policy": ("cpuThreadPolicy", {"prefer": "prefer", "isolate": "isolate", "require": "require"}),
    "hw_qemu_guest_agent": ("qemuGuestAgent", "bool"),
    "hw_rng_model": ("rngModel", "str"),
    "hw_scsi_model": ("scsiModel", {"virtio-scsi": "virtio-scsi"}),
    "hw_vif_model": ("vifModel", {m: m for m in ("e1000", "e1000e", "ne2k_pci", "pcnet", "rtl8139", "virtio",
                                                  "vmxnet3")}),
}
HYPERVISORS = {h: h for h in ("hyperv", "ironic", "lxc", "qemu", "uml", "vmware", "xen")}


def emit_image(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    content: dict[str, Any] = {}
    url = values.string(resource.properties.get("location"), "location", resource, s, limit=2048)
    disk = values.choice(resource.properties.get("disk_format"), "disk_format", resource, s, DISK_FORMATS)
    container = values.choice(resource.properties.get("container_format"), "container_format", resource, s,
                              CONTAINER_FORMATS)
    if container is not None:
        content["containerFormat"] = container
    if disk is not None:
        content["diskFormat"] = disk
    if url is not None:
        content["download"] = {"url": url}
    f.boolean("protected", "protected")
    f.strings("tags", "tags")
    f.choice("visibility", "visibility", VISIBILITY)
    properties = _properties(resource, s)
    if properties:
        f.out["properties"] = properties
    active = resource.properties.get("active")
    s.report_unhandled(resource, {*MAPPED, "active"}, REASONS)
    if not values.absent(active):
        flag = values.boolean(active, "active", resource, s)
        assert active is not None
        s.drop(resource, "active", REASONS["active"], active.span, None if flag is False else Severity.INFO)
    if url is None or disk is None:
        s.keep(resource, "k-orc needs the image's location and disk format to upload it")
        return None
    f.out["content"] = content
    return f.out


def _properties(resource: Resource, s: State) -> dict[str, Any]:
    """`properties`: Heat's own image properties, then the known keys of `extra_properties`."""
    found: dict[str, Any] = {}
    given: dict[str, tuple[Expr, str]] = {}
    extra = values.entries(resource.properties.get("extra_properties"), "extra_properties", resource, s)
    for entry, expr in extra.entries if extra is not None else ():
        given[str(entry.value)] = (expr, f"extra_properties.{entry.value!s}")
    for name in ("architecture", "os_distro", "os_version", "min_disk", "min_ram"):
        own = resource.properties.get(name)
        if own is not None and not values.absent(own):
            given[name] = (own, name)
    hardware: dict[str, Any] = {}
    system: dict[str, Any] = {}
    for key, (value, where) in given.items():
        if key == "architecture":
            _put(found, "architecture", values.choice(value, where, resource, s, ARCHITECTURES))
        elif key == "os_distro":
            _put(system, "distro", values.choice(value, where, resource, s, DISTROS))
        elif key == "os_version":
            _put(system, "version", values.string(value, where, resource, s))
        elif key == "hypervisor_type":
            _put(found, "hypervisorType", values.choice(value, where, resource, s, HYPERVISORS))
        elif key in ("min_disk", "min_ram"):
            number = values.integer(value, where, resource, s, minimum=0, maximum=2**31 - 1)
            _put(found, "minDiskGB" if key == "min_disk" else "minMemoryMB", number or None)
        elif key in HARDWARE:
            field, kind = HARDWARE[key]
            _put(hardware, field, _hardware(value, where, resource, s, kind))
        elif not values.absent(value):
            s.drop(resource, where, "k-orc sets only the image properties it has fields for", value.span)
    if system:
        found["operatingSystem"] = system
    if hardware:
        found["hardware"] = hardware
    return found


def _hardware(value: Expr, where: str, resource: Resource, s: State, kind: dict[str, str] | str) -> object:
    if isinstance(kind, dict):
        return values.choice(value, where, resource, s, kind)
    if kind == "int":
        return values.integer(value, where, resource, s, minimum=1, maximum=2**31 - 1)
    if kind == "bool":  # Glance writes yes/no
        if isinstance(value, Literal) and isinstance(value.value, str) and value.value.lower() in ("yes", "no"):
            return value.value.lower() == "yes"
        return values.boolean(value, where, resource, s)
    return values.string(value, where, resource, s)


def _put(target: dict[str, Any], field: str, value: object) -> None:
    if value is not None:
        target[field] = value
