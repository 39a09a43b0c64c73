"""Stack outputs -> a ConfigMap `<stack>-outputs` holding those whose value is known at compile time.

Outputs that depend on deploy-time values (addresses, IDs) have no static value; they are listed
in the report with H2K302, so a consumer knows to look elsewhere.
"""

from __future__ import annotations

import json

from h2k.backends.kubernetes.context import MANAGED_BY, BackendContext
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import is_known, to_data
from h2k.ir.links import reads_only_infrastructure
from h2k.passes.names import dns_label


def emit_outputs(ctx: BackendContext) -> dict[str, object] | None:
    data: dict[str, str] = {}
    for output in ctx.stack.outputs:
        if not is_known(output.value):
            if reads_only_infrastructure(output.value, ctx.stack):
                ctx.sink.report("H2K302", f"output {output.name} comes from what stays on OpenStack: it is an output "
                                "of the residual stack (openstack/infra.yaml)", output.span, Severity.INFO)
            else:
                ctx.sink.report("H2K302", f"output {output.name} is only known at deploy time; it is not in the "
                                "outputs ConfigMap", output.span)
            continue
        value = to_data(output.value)
        if value is None:
            continue
        key = _key(output.name)
        data[key] = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    if not data:
        return None
    metadata: dict[str, object] = {"name": f"{dns_label(ctx.stack.name)}-outputs"[:63]}
    if ctx.namespace:
        metadata["namespace"] = ctx.namespace
    metadata["labels"] = {**MANAGED_BY, "app.kubernetes.io/part-of": ctx.part_of}
    metadata["annotations"] = {"h2k.io/source": f"{ctx.source_of_stack()}#outputs"}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": dict(sorted(data.items()))}


def _key(name: str) -> str:
    """ConfigMap keys allow letters, digits, `-`, `_` and `.`."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "_"
