"""User steering from a config file: image and flavor mappings, storage classes, defaults.

The file is YAML (`h2k.yaml` beside the template, or `--config FILE`) and is validated against
`config.schema.json`. Command-line flags override it; it overrides h2k's built-in defaults.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.source.limits import Limits
from h2k.source.loader import load_file
from h2k.source.nodes import to_python
from h2k.span import Span

CONFIG_NAME = "h2k.yaml"


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


@dataclass(frozen=True)
class Config:
    path: str | None = None
    images: dict[str, str] = field(default_factory=dict)
    flavors: dict[str, Flavor] = field(default_factory=lambda: dict(DEFAULT_FLAVORS))
    storage_classes: dict[str, str] = field(default_factory=dict)
    namespace: str | None = None
    kube_version: str | None = None
    # Resource name -> openstack or kubernetes; the policy for the other servers.
    targets: dict[str, str] = field(default_factory=dict)
    servers: str = "auto"


def find_config(template: Path, explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    beside = template.parent / CONFIG_NAME
    return beside if beside.is_file() else None


def load_config(path: Path | None, sink: DiagnosticSink) -> Config | None:
    """The configuration, or None when the file is invalid (reported as H2K903)."""
    if path is None:
        return Config()
    local = DiagnosticSink()
    source = load_file(str(path), local, Limits())
    sink.extend(local.items)
    if source is None or local.has_at_least(Severity.ERROR):
        return None
    data = {} if source.root is None else to_python(source.root)
    from jsonschema import Draft202012Validator

    schema = json.loads(resources.files("h2k").joinpath("config.schema.json").read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    for error in errors:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        sink.report("H2K903", f"{where}: {error.message}", Span.point(str(path)))
    if errors:
        return None
    assert isinstance(data, dict)
    flavors = dict(DEFAULT_FLAVORS)
    flavors.update({name: Flavor(spec["vcpus"], spec["ram"]) for name, spec in data.get("flavors", {}).items()})
    return Config(
        path=str(path),
        images=dict(data.get("images", {})),
        flavors=flavors,
        storage_classes=dict(data.get("storage_classes", {})),
        namespace=data.get("namespace"),
        kube_version=data.get("kube_version"),
        targets=dict(data.get("targets", {})),
        servers=data.get("servers", "auto"),
    )
