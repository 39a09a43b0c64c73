"""OS::Neutron::Port of a workload -> nothing of its own: the pod's address comes from the cluster network.

A port that only connects a translated server (no fixed address) has no Kubernetes object; its
security groups select the server's pods like the server's own (emit.py), and the rest is
reported. Ports with fixed addresses, or that no workload uses, stay on OpenStack (placement).
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext
from h2k.diagnostics.codes import Severity
from h2k.ir.nodes import Resource

MAPPED = {
    "security_groups": "pod labels of the server using the port, as its own `security_groups`",
    "network, network_id, fixed_ips (subnets only), name": "nothing: the pod's address comes from the cluster "
                                                             "network (H2K402, a note)",
}
NOTED = frozenset({"network", "network_id", "fixed_ips", "name", "description", "admin_state_up"})
REASONS = {
    "mac_address": "pods have no fixed MAC address",
    "allowed_address_pairs": "pods have no address pairs",
    "port_security_enabled": "NetworkPolicies apply to every pod",
    "binding:vnic_type": "pods use the cluster network's interface",
    "qos_policy": "Neutron QoS has no pod counterpart",
    "value_specs": "Neutron-specific settings have no pod counterpart",
}


def emit_port(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    for key, _ in resource.properties.entries:
        name = str(key.value)
        if name == "security_groups":
            continue
        if name in NOTED:
            ctx.drop(resource, name, "the pod's address comes from the cluster network", key.span, Severity.INFO)
        else:
            ctx.drop(resource, name, REASONS.get(name, "it has no Kubernetes counterpart in this translation"),
                     key.span)
    return []
