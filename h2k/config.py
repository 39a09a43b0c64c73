"""User steering from a config file: image and flavor mappings, storage classes, defaults.

The file is `h2k.yaml` beside the template, or the `[tool.h2k]` table of the project's
pyproject.toml, or `--config FILE` (config_files.py finds and reads it), and is validated against
`config.schema.json` (config_schema.py). Command-line flags override it; it overrides the
template's metadata and h2k's built-in defaults. Its `stacks:` are what `compile --all` builds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from h2k.config_files import CONFIG_NAME, read_config
from h2k.config_files import find_config as find_in
from h2k.config_stacks import StackEntry, stack_entries
from h2k.diagnostics.model import DiagnosticSink

__all__ = ["CONFIG_NAME", "Config", "Flavor", "StackEntry", "find_config", "load_config"]


@dataclass(frozen=True, slots=True)
class Flavor:
    vcpus: float
    ram_mib: int


# OpenStack's classic default flavors (what `nova-manage` used to create), so that templates
# written against them get resource requests without any configuration.
DEFAULT_FLAVORS: dict[str, Flavor] = {
    "m1.tiny": Flavor(1, 512),
    "m1.small": Flavor(1, 2048),
    "m1.medium": Flavor(2, 4096),
    "m1.large": Flavor(4, 8192),
    "m1.xlarge": Flavor(8, 16384),
}


@dataclass(frozen=True, slots=True)
class VmImage:
    """The disk a virtual machine on KubeVirt boots instead of a Glance image (`vm_images:`): a
    containerDisk image, or a CDI DataVolume imported from an HTTP URL or a registry."""

    container_disk: str | None = None
    http: str | None = None
    registry: str | None = None
    size: str | None = None
    storage_class: str | None = None


def _vm_image(spec: str | dict[str, object]) -> VmImage:
    """One `vm_images:` entry, already checked by the schema."""
    if isinstance(spec, str):
        return VmImage(container_disk=spec)
    if "containerDisk" in spec:
        return VmImage(container_disk=str(spec["containerDisk"]))
    volume = spec["dataVolume"]
    assert isinstance(volume, dict)
    return VmImage(http=volume.get("http"), registry=volume.get("registry"), size=str(volume["size"]),
                   storage_class=volume.get("storageClass"))


@dataclass(frozen=True)
class Config:
    path: str | None = None
    images: dict[str, str] = field(default_factory=dict)
    # Glance image -> the FROM of a Containerfile written from a boot script; where those images go.
    base_images: dict[str, str] = field(default_factory=dict)
    registry: str = "localhost/h2k"
    # Glance image -> the disk of a server that becomes a KubeVirt VirtualMachine.
    vm_images: dict[str, VmImage] = field(default_factory=dict)
    flavors: dict[str, Flavor] = field(default_factory=lambda: dict(DEFAULT_FLAVORS))
    storage_classes: dict[str, str] = field(default_factory=dict)
    namespace: str | None = None
    kube_version: str | None = None
    # Resource name -> openstack, kubernetes or kubevirt; the policy for the other servers.
    targets: dict[str, str] = field(default_factory=dict)
    servers: str = "auto"
    # Where `auto` puts the servers it cannot make containers of.
    fallback: str = "openstack"
    # Output settings; None leaves them to the flags, then h2k's defaults (kustomize, yaml, heat).
    package: str | None = None
    format: str | None = None
    infra: str | None = None
    stacks: tuple[StackEntry, ...] = ()


def find_config(template: Path, explicit: Path | None, sink: DiagnosticSink | None = None) -> Path | None:
    """`--config`, else h2k.yaml beside the template, else the project's pyproject.toml [tool.h2k]."""
    if explicit is not None:
        return explicit
    return find_in(template.parent, sink)


def load_config(path: Path | None, sink: DiagnosticSink) -> Config | None:
    """The configuration, or None when the file is invalid (reported as H2K903)."""
    if path is None:
        return Config()
    from h2k.config_schema import validate

    text = read_config(path, sink)
    if text is None or not validate(text, sink):
        return None
    data = text.data
    assert isinstance(data, dict)
    stacks = stack_entries(data.get("stacks", []), str(path), text.locate, sink)
    if stacks is None:
        return None
    flavors = dict(DEFAULT_FLAVORS)
    flavors.update({name: Flavor(spec["vcpus"], spec["ram"]) for name, spec in data.get("flavors", {}).items()})
    return Config(
        path=str(path),
        images=dict(data.get("images", {})),
        base_images=dict(data.get("base_images", {})),
        registry=data.get("registry", "localhost/h2k"),
        vm_images={name: _vm_image(spec) for name, spec in data.get("vm_images", {}).items()},
        flavors=flavors,
        storage_classes=dict(data.get("storage_classes", {})),
        namespace=data.get("namespace"),
        kube_version=data.get("kube_version"),
        targets=dict(data.get("targets", {})),
        servers=data.get("servers", "auto"),
        fallback=data.get("fallback", "openstack"),
        package=data.get("package"),
        format=data.get("format"),
        infra=data.get("infra"),
        stacks=stacks,
    )
