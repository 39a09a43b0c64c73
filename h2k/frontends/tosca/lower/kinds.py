"""What each node template is, decided before anything is lowered: other nodes' lowering depends on it.

A node's kind is the first normative (or NFV) type it derives from; a node hosted on something is
hosted software (a component) whatever its type. Two kinds are refined by what surrounds them: a
Compute that only hosts container runtimes is the cluster's machine, and a network with a
`network_id` or without a `cidr` is an existing one.
"""

from __future__ import annotations

from h2k.frontends.tosca import nfv
from h2k.frontends.tosca.lower.context import (
    BLOCK_STORAGE,
    COMPUTE,
    CONTAINER,
    FLOATING_IP,
    LOAD_BALANCER,
    NETWORK,
    OBJECT_STORAGE,
    PORT,
    RUNTIME,
    Lowering,
    TemplateNode,
)
from h2k.source.nodes import YMap

# Node types that are hosted software: their lifecycle scripts run on the Compute below them.
COMPONENTS = ("tosca.nodes.SoftwareComponent", "tosca.nodes.WebApplication", "tosca.nodes.Database")
# The first of these a node derives from names its kind.
_KINDS = ((COMPUTE, "server"), (CONTAINER, "container"), (RUNTIME, "runtime"), (BLOCK_STORAGE, "volume"),
          (OBJECT_STORAGE, "swift"), (NETWORK, "network"), (PORT, "port"), (FLOATING_IP, "floating-ip"),
          (LOAD_BALANCER, "load-balancer"), (nfv.VDU, "vdu"), (nfv.CP, "port"), (nfv.VIRTUAL_LINK, "network"),
          (nfv.VIRTUAL_STORAGE, "volume"), (nfv.VNF, "vnf"))
# Kinds that become a resource named after the node.
_OWN_RESOURCE = ("server", "container", "vdu", "volume", "swift", "network", "port", "floating-ip")


def classify(low: Lowering, node: TemplateNode) -> None:
    tpl = node.template
    for base, kind in _KINDS:
        if tpl.is_derived_from(base):
            node.kind = kind
            break
    else:
        if any(tpl.is_derived_from(base) for base in COMPONENTS) or low.host(node.name) is not None:
            node.kind = "component"
    if node.kind == "server" and _hosts_only_runtimes(low, node.name):
        node.kind = "cluster-node"
    if node.kind == "network" and (_written(node.raw, "network_id") or
                                   not (_written(node.raw, "cidr") or nfv.subnet(node.raw) is not None)):
        node.kind = "existing-network"
    node.resource = node.name if node.kind in _OWN_RESOURCE else ""


def _hosts_only_runtimes(low: Lowering, name: str) -> bool:
    hosted = [n for n in low.nodes.values() if low.host(n.name) == name]
    return bool(hosted) and all(n.template.is_derived_from(RUNTIME) for n in hosted)


def _written(raw: YMap, prop: str) -> bool:
    properties = raw.get("properties")
    return isinstance(properties, YMap) and prop in properties
