"""The ETSI NFV profile (SOL001): virtual deployment units and their storage, ports and links.

A VNF descriptor describes the same things as the normative types with other names and shapes: a
`Vdu.Compute` is a server whose sizes are in its `virtual_compute` capability and whose image is
its `sw_image_data`, a `VduCp` a port (bound with `virtual_binding`, linked with `virtual_link`), a
`VnfVirtualLink` a network whose subnet is in its `vl_profile`, a `Vdu.VirtualBlockStorage` a
volume of `virtual_block_storage_data.size_of_storage`. This module reads those shapes; the
modules of lower/ make the resources.
"""

from __future__ import annotations

from h2k.frontends.tosca.positions import node_at
from h2k.source.nodes import Node, YMap

VDU = "tosca.nodes.nfv.Vdu.Compute"
CP = "tosca.nodes.nfv.VduCp"
VIRTUAL_LINK = "tosca.nodes.nfv.VnfVirtualLink"
VIRTUAL_STORAGE = "tosca.nodes.nfv.Vdu.VirtualBlockStorage"
VNF = "tosca.nodes.nfv.VNF"
ATTACHES_TO = "tosca.relationships.nfv.AttachesTo"
# Requirement names of the profile, by the normative name they stand for.
BINDING = ("binding", "virtual_binding")
LINK = ("link", "virtual_link")


def vdu_sizes(raw: YMap) -> dict[str, Node | None]:
    """The `virtual_compute` sizes of a VDU as written: memory, CPUs, the first local storage."""
    compute = node_at(raw, "capabilities", "virtual_compute", "properties")
    return {"mem_size": node_at(compute, "virtual_memory", "virtual_mem_size"),
            "num_cpus": node_at(compute, "virtual_cpu", "num_virtual_cpu"),
            "disk_size": node_at(compute, "virtual_local_storage", 0, "size_of_storage")}


def subnet(raw: YMap) -> YMap | None:
    """The layer-3 data of a virtual link's first protocol (cidr, ip_version, gateway_ip, dhcp_enabled)."""
    found = node_at(raw, "properties", "vl_profile", "virtual_link_protocol_data", 0, "l3_protocol_data")
    return found if isinstance(found, YMap) else None
