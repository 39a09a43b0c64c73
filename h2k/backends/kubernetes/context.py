"""What every emitter receives, and the metadata every object carries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING

from h2k.config import Config
from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.nodes import Resource, Stack
from h2k.passes.names import dns_label
from h2k.span import Span

if TYPE_CHECKING:
    from h2k.backends.kubernetes.adoption import Existing
    from h2k.backends.kubernetes.attachments import Mount
    from h2k.backends.kubernetes.config_users import ConfigUsers
    from h2k.backends.kubernetes.software_deployment import Step
    from h2k.backends.kubernetes.wiring import Wire

MANAGED_BY = {"app.kubernetes.io/managed-by": "h2k"}
SOURCE_ANNOTATION = "h2k.io/source"


@dataclass
class BackendContext:
    stack: Stack
    config: Config
    sink: DiagnosticSink
    namespace: str | None = None
    # Directory the template's own path is shown relative to in `h2k.io/source` annotations.
    source_root: str = "."
    # Resources of the running stack to take over instead of creating (--adopt), by resource name.
    adopted: dict[str, Existing] = field(default_factory=dict)
    # Filled by emitters that contribute to other objects (e.g. pod labels from security groups).
    pod_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    # Server name -> the volumes mounted into it.
    mounts: dict[str, list[Mount]] = field(default_factory=dict)
    # Server name -> the readiness probe of its container (from a load balancer's health monitor).
    probes: dict[str, dict[str, object]] = field(default_factory=dict)
    # Server name -> the software deployments its pod runs first, in order.
    steps: dict[str, list[Step]] = field(default_factory=dict)
    # Server name -> the seconds its pods have to become ready (from the wait conditions it signals).
    deadlines: dict[str, int] = field(default_factory=dict)
    # Workloads whose address another value uses: each gets a headless Service (addresses.py).
    addressed: set[str] = field(default_factory=set)
    # Values the workload reads from resources staying on OpenStack (wiring.py), in the order met.
    wires: list[Wire] = field(default_factory=list)
    # With --infra orc: resource name -> the k-orc object standing for it ("Kind/name").
    orc_objects: dict[str, str] = field(default_factory=dict)
    # Hidden parameters that an environment variable reads from a Secret (parameter_secret.py).
    hidden_used: set[str] = field(default_factory=set)
    # Who uses each software config, indexed on first use (config_users.py).
    config_users: ConfigUsers | None = None
    # Files of the image recipes written from boot scripts (built_image.py), by path in the output tree.
    images: dict[str, bytes] = field(default_factory=dict)
    # StorageClasses h2k writes for volume types, by name (shared by the claims that use them).
    storage_classes: dict[str, tuple[Resource, dict[str, object]]] = field(default_factory=dict)

    @property
    def part_of(self) -> str:
        return dns_label(self.stack.name)

    def source_of_stack(self) -> str:
        path = PurePath(self.stack.path)
        try:
            return path.relative_to(self.source_root).as_posix()
        except ValueError:
            return path.name

    def source_of(self, resource: Resource) -> str:
        """`file#resources/name` of the definition (in a nested template for a nested resource)."""
        path = PurePath(resource.span.file)
        try:
            shown = path.relative_to(self.source_root)
        except ValueError:
            shown = PurePath(path.name)
        name = resource.name.removeprefix(".".join(resource.nested_in) + ".") if resource.nested_in else resource.name
        return f"{shown.as_posix()}#resources/{name}"

    def metadata(self, resource: Resource, name: str | None = None, cluster_scoped: bool = False) -> dict[str, object]:
        meta: dict[str, object] = {"name": name or resource.object_name}
        if self.namespace and not cluster_scoped:
            meta["namespace"] = self.namespace
        meta["labels"] = {**MANAGED_BY, "app.kubernetes.io/part-of": self.part_of}
        meta["annotations"] = {SOURCE_ANNOTATION: self.source_of(resource)}
        return meta

    def drop(self, resource: Resource, key: str, reason: str, span: Span,
             severity: Severity | None = None) -> None:
        self.sink.report("H2K402", f"{resource.type}.properties.{key} of {resource.name} is not carried over: "
                         f"{reason}", span, severity)


def report_unhandled(resource: Resource, handled: frozenset[str], reasons: dict[str, str],
                     ctx: BackendContext) -> None:
    """Every property an emitter does not use is reported, with the reason when one is known."""
    for key, _ in resource.properties.entries:
        if key.value not in handled:
            name = str(key.value)
            ctx.drop(resource, name, reasons.get(name, "it has no Kubernetes counterpart in this translation"),
                     key.span)
