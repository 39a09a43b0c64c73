"""OS::Nova::KeyPair: containers are not reached over SSH, so it has no Kubernetes counterpart."""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext
from h2k.ir.nodes import Resource


def emit_key_pair(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    ctx.sink.report("H2K411", f"key pair {resource.name} has no Kubernetes counterpart: containers are not reached "
                    "over SSH (a private key Heat would generate is never written)", resource.span)
    return []
