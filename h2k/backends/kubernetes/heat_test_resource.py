"""OS::Heat::TestResource: a stand-in Heat offers for testing templates; it does nothing outside Heat."""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext
from h2k.ir.nodes import Resource


def emit_test_resource(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    ctx.sink.report("H2K411", f"{resource.name} is Heat's test resource, which only returns the values it is given "
                    "(after an optional wait or failure); it has no Kubernetes counterpart", resource.span)
    return []
