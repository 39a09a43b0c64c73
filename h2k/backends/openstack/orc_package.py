"""`--infra orc`: what stays on OpenStack as k-orc objects in `openstack/k-orc/`, the rest in Heat.

openstack-resource-controller runs in the cluster and creates (or, for adopted resources,
imports) each object's OpenStack resource. The objects are laid out like the workload's: one
file per object and a `kustomization.yaml`; what k-orc has no kind for stays in the residual
Heat stack, whose definitions then take the IDs of k-orc's resources as parameters.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.expr import Literal
from h2k.ir.nodes import Stack

if TYPE_CHECKING:
    from h2k.backends.kubernetes.context import BackendContext

ORC_DIRECTORY = "openstack/k-orc"


@dataclasses.dataclass
class OrcFiles:
    files: dict[str, bytes]
    # Top-level resources the residual Heat stack keeps (k-orc has no kind for them).
    residual: set[str]
    # Resource name -> the k-orc object ("Kind/name") standing for it, for the report's wiring.
    objects: dict[str, str]


def orc_files(stack: Stack, ctx: BackendContext, fmt: str, sink: DiagnosticSink) -> OrcFiles:
    from h2k.backends.openstack.orc.context import OrcContext
    from h2k.backends.openstack.orc.emit import emit_orc
    from h2k.output.serialize import to_json, to_yaml

    adopted = _with_adopted_ids(stack, ctx)
    result = emit_orc(adopted, OrcContext(sink=sink, namespace=ctx.namespace, source_root=ctx.source_root))
    dump = to_json if fmt == "json" else to_yaml
    names = [f"{o.kind.lower()}-{o.name}.{fmt}" for o in result.objects]
    files = {f"{ORC_DIRECTORY}/{name}": dump(o.object).encode() for name, o in zip(names, result.objects, strict=True)}
    if files:
        kustomization: dict[str, object] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
        if ctx.namespace:
            kustomization["namespace"] = ctx.namespace
        kustomization["resources"] = sorted(names)
        files[f"{ORC_DIRECTORY}/kustomization.yaml"] = to_yaml(kustomization).encode()
    objects = {o.resource.name: f"{o.kind}/{o.name}" for o in result.objects if o.kind != "Secret"}
    objects.update(result.merged)
    return OrcFiles(dict(sorted(files.items())), {r.name for r in result.residual}, objects)


def _with_adopted_ids(stack: Stack, ctx: BackendContext) -> Stack:
    """Adopted resources staying on OpenStack get their ID as `external_id`: k-orc imports them."""
    if not ctx.adopted:
        return stack
    resources = tuple(
        dataclasses.replace(r, external_id=Literal(value=ctx.adopted[r.name].id, span=r.span))
        if r.role == "infrastructure" and r.name in ctx.adopted and r.external_id is None else r
        for r in stack.resources)
    return dataclasses.replace(stack, resources=resources)
