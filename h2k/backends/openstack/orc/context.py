"""What the k-orc backend receives and returns, and the envelope every k-orc object shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.nodes import Resource, Stack
from h2k.passes.names import dns_label

API_VERSION = "openstack.k-orc.cloud/v1alpha1"
MANAGED_BY = {"app.kubernetes.io/managed-by": "h2k"}
SOURCE_ANNOTATION = "h2k.io/source"
POLICIES = ("managed", "unmanaged")


@dataclass(frozen=True, slots=True)
class Credentials:
    """`spec.cloudCredentialsRef`: a Secret holding `clouds.yaml`, and the cloud of it to use."""

    secret_name: str = "openstack-clouds"
    cloud_name: str = "openstack"


@dataclass
class OrcContext:
    sink: DiagnosticSink
    namespace: str | None = None
    credentials: Credentials = field(default_factory=Credentials)
    # `managed`: k-orc creates and owns each resource. `unmanaged`: the stack already exists and
    # each resource is imported (by `external_id`, else by its literal `name`), never changed.
    management_policy: str = "managed"
    # Directory the template's path is shown relative to in `h2k.io/source` annotations.
    source_root: str = "."
    # Check every object against its CRD schema (H2K515 for a failure, which is an h2k bug).
    validate: bool = True


@dataclass(frozen=True, slots=True)
class OrcObject:
    """One object (a k-orc object, or a Secret one refers to) and the resource it was made from."""

    resource: Resource
    object: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.object["kind"])

    @property
    def name(self) -> str:
        return str(self.object["metadata"]["name"])


@dataclass
class OrcResult:
    objects: list[OrcObject]
    # Resources kept on OpenStack that k-orc does not create: the residual Heat stack keeps them.
    residual: list[Resource]
    # Resources that became part of another object: resource name -> "Kind/name" of that object.
    merged: dict[str, str] = field(default_factory=dict)


def source_of(resource: Resource, source_root: str) -> str:
    """`file#resources/name` of the definition (in a nested template for a nested resource)."""
    path = PurePath(resource.span.file)
    try:
        shown = path.relative_to(source_root)
    except ValueError:
        shown = PurePath(path.name)
    name = resource.name.removeprefix(".".join(resource.nested_in) + ".") if resource.nested_in else resource.name
    return f"{shown.as_posix()}#resources/{name}"


def metadata(stack: Stack, ctx: OrcContext, resource: Resource, name: str) -> dict[str, object]:
    meta: dict[str, object] = {"name": name}
    if ctx.namespace:
        meta["namespace"] = ctx.namespace
    meta["labels"] = {**MANAGED_BY, "app.kubernetes.io/part-of": dns_label(stack.name)}
    meta["annotations"] = {SOURCE_ANNOTATION: source_of(resource, ctx.source_root)}
    return meta


def credentials_ref(ctx: OrcContext) -> dict[str, str]:
    return {"secretName": ctx.credentials.secret_name, "cloudName": ctx.credentials.cloud_name}
