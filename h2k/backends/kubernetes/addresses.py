"""A workload's address -> the DNS name of a headless Service selecting its pods.

Heat hands one server's IP address to another (`{get_attr: [db, first_address]}`). Pod IPs change
with every restart, so the stable counterpart is a Service name; a headless Service (no cluster
IP, no ports needed) resolves to the pods' addresses, which is what the IP address was. The
Service is written once per workload whose address is used, unless one of the same name exists.
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext
from h2k.ir.expr import Expr
from h2k.ir.links import address_owner
from h2k.ir.nodes import Resource

WORKLOAD_ROLES = ("workload", "container", "virtual-machine")  # a KubeVirt machine's pod carries its labels


def addressed_workload(expr: Expr, ctx: BackendContext) -> Resource | None:
    """The workload whose address `expr` is, when it is a whole `get_attr` of one."""
    owner = address_owner(expr, ctx.stack)
    return owner if owner is not None and owner.role in WORKLOAD_ROLES else None


def service_name(workload: Resource, expr: Expr, ctx: BackendContext) -> str:
    """The DNS name standing for `workload`'s address; its Service is written by `address_services`."""
    ctx.addressed.add(workload.name)
    ctx.sink.report("H2K415", f"the address of {workload.name} is the DNS name of its Service, "
                    f"{workload.object_name!r}", expr.span)
    return workload.object_name


def address_services(ctx: BackendContext, taken: set[str]) -> list[tuple[Resource, dict[str, object]]]:
    """A headless Service for every addressed workload that has no Service of its name yet."""
    from h2k.backends.kubernetes.server import container_ports

    services: list[tuple[Resource, dict[str, object]]] = []
    for workload in ctx.stack.resources:
        if workload.name not in ctx.addressed or workload.object_name in taken:
            continue
        spec: dict[str, object] = {"clusterIP": "None", "selector": {
            "app.kubernetes.io/name": workload.object_name, "app.kubernetes.io/part-of": ctx.part_of}}
        ports = container_ports(workload, ctx)
        if ports:
            spec["ports"] = [{"name": f"{p['protocol'].lower()}-{p['containerPort']}", "port": p["containerPort"],
                              "protocol": p["protocol"]} for p in ports]
        services.append((workload, {"apiVersion": "v1", "kind": "Service", "metadata": ctx.metadata(workload),
                                    "spec": spec}))
    return services
