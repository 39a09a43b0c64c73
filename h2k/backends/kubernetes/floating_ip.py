"""Floating IPs on servers -> Services of type LoadBalancer, the way a pod gets an address from outside.

A floating IP reaches a server through its port (`port_id` of the floating IP or of an association,
the port being in the server's `networks`), through `server_id` (Nova's association), or through
`floating_ip` in the server's `networks`. The Service selects that server's pods and exposes its
`h2k.io/port` ports; cloud-provider-openstack gives it an address from the floating network.
"""

from __future__ import annotations

from h2k.backends.kubernetes.addresses import WORKLOAD_ROLES
from h2k.backends.kubernetes.adoption import adopted_address
from h2k.backends.kubernetes.context import BackendContext
from h2k.backends.kubernetes.server import container_ports
from h2k.diagnostics.codes import Severity
from h2k.ir.links import floating_ip_instance
from h2k.ir.nodes import Resource

MAPPED = {
    "port_id (or an association's port_id / server_id, or the server's `networks[].floating_ip`; a port given as "
    "`{get_attr: [server, addresses, <net>, <n>, port]}`, of a server or a Zun container)":
        "the Service's selector: the pods of the server behind that port",
    "floating_network": "nothing: cloud-provider-openstack's configured floating network (H2K402, a note)",
}


def server_of(fip: Resource, ctx: BackendContext) -> Resource | None:
    """The translated server or container the floating IP is on."""
    instance = floating_ip_instance(ctx.stack, fip)
    return instance if instance is not None and instance.role in WORKLOAD_ROLES else None


def emit_floating_ip(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    for key, _ in resource.properties.entries:
        if key.value not in ("port_id", "floating_network", "floating_network_id", "pool"):
            ctx.drop(resource, str(key.value), "a Service's address is chosen by the cloud provider", key.span)
        elif key.value != "port_id":
            ctx.drop(resource, str(key.value), "the cloud provider's configured floating network is used",
                     key.span, Severity.INFO)
    server = server_of(resource, ctx)
    if server is None:
        ctx.sink.report("H2K301", f"floating IP {resource.name} is not associated with a server of this template; it "
                        "is not translated", resource.span)
        return []
    ports = container_ports(server, ctx)
    if not ports:
        ctx.sink.report("H2K402", f"floating IP {resource.name}: server {server.name} declares no port (metadata "
                        "h2k.io/port), so no Service exposes it", resource.span)
        return []
    selector = {"app.kubernetes.io/name": server.object_name, "app.kubernetes.io/part-of": ctx.part_of}
    spec: dict[str, object] = {
        "type": "LoadBalancer", "selector": selector,
        "ports": [{"name": f"{p['protocol'].lower()}-{p['containerPort']}", "port": p["containerPort"],
                   "targetPort": p["containerPort"], "protocol": p["protocol"]} for p in ports]}
    annotations: dict[str, str] = {}
    adopted_address(resource, spec, annotations, ctx)
    metadata = ctx.metadata(resource)
    if annotations:
        metadata["annotations"] = {**metadata["annotations"], **annotations}  # type: ignore[dict-item]
    return [{"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec}]


def emit_association(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """An association only says which server a floating IP is on (see server_of)."""
    return []
