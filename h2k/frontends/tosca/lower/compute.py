"""A Compute (or an NFV Vdu.Compute) as an OS::Nova::Server.

Heat's server names a flavor and an image where TOSCA describes the machine: the flavor is the
smallest of OpenStack's default flavors with the `host` capability's CPUs, memory and disk; the
image is an image artifact's file, else `<distribution>-<version>` of the `os` capability. A
custom Compute type's server properties (`flavor`, `image`, ...) are passed through as they are.
"""

from __future__ import annotations

from h2k.config import DEFAULT_FLAVORS
from h2k.frontends.tosca import nfv
from h2k.frontends.tosca.functions import Scope
from h2k.frontends.tosca.lower.context import IMAGE_ARTIFACT, Lowering, TemplateNode
from h2k.frontends.tosca.lower.endpoints import ports_metadata, public
from h2k.frontends.tosca.lower.lifecycle import boot_script
from h2k.frontends.tosca.positions import node_at
from h2k.frontends.tosca.units import mebibytes, size_bytes
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.source.nodes import YMap, YScalar

# The root disks of OpenStack's classic default flavors (config.DEFAULT_FLAVORS has their CPUs and memory).
_FLAVOR_DISK_GB = {"m1.tiny": 1, "m1.small": 20, "m1.medium": 40, "m1.large": 80, "m1.xlarge": 160}
# Server properties a custom Compute type may carry, passed through as they are.
SERVER_PROPERTIES = frozenset({"flavor", "image", "key_name", "availability_zone", "security_groups", "user_data",
                               "admin_pass", "config_drive"})


def server(low: Lowering, node: TemplateNode) -> None:
    properties: list[tuple[str, Expr]] = []
    for name in sorted(SERVER_PROPERTIES - {"user_data"}):
        value = low.prop(node, name)
        if value is not None:
            properties.append((name, value))
    given = {k for k, _ in properties}
    if "flavor" not in given:
        flavor = _flavor(low, node)
        if flavor is not None:
            properties.append(("flavor", flavor))
    if "image" not in given:
        image = _server_image(low, node)
        if image is not None:
            properties.append(("image", image))
    networks = _bound_ports(low, node)
    if networks:
        properties.append(("networks", ListExpr(items=tuple(networks), span=node.span)))
    script = boot_script(low, node)
    if script is not None:
        properties += [("user_data_format", Literal(value="RAW", span=node.span)), ("user_data", script)]
    low.unused(node, set(SERVER_PROPERTIES))
    resource = low.add(node, "OS::Nova::Server", properties, ports_metadata(low, node))
    public(low, node, resource)


def image_artifact(low: Lowering, node: TemplateNode) -> Expr | None:
    """The `file` of the node's first image artifact (tosca.artifacts.Deployment.Image...)."""
    artifacts = node.raw.get("artifacts")
    for _, artifact in artifacts.entries if isinstance(artifacts, YMap) else ():
        if isinstance(artifact, YMap):
            kind = artifact.get("type")
            file = artifact.get("file")
            if isinstance(kind, YScalar) and str(kind.value).startswith(IMAGE_ARTIFACT) and file is not None:
                return low.values.expr(file, Scope(self_name=node.name))
    return None


def _host_size(low: Lowering, node: TemplateNode, name: str) -> Expr | None:
    """A size of a Compute's `host` capability, or of a VDU's `virtual_compute`."""
    if node.kind == "vdu":
        written = nfv.vdu_sizes(node.raw)[name]
        return low.values.expr(written, Scope(self_name=node.name)) if written is not None else None
    return low.capability_prop(node, "host", name)


def _flavor(low: Lowering, node: TemplateNode) -> Expr | None:
    """The smallest of OpenStack's default flavors with the host capability's CPUs and memory."""
    cpus_expr = _host_size(low, node, "num_cpus")
    memory_expr = _host_size(low, node, "mem_size")
    if cpus_expr is None and memory_expr is None:
        return None
    cpus, memory = low.static(cpus_expr), mebibytes(low.static(memory_expr))
    span = (cpus_expr or memory_expr or node.raw).span
    if (cpus_expr is not None and not isinstance(cpus, int | float)) or \
            (memory_expr is not None and memory is None):
        low.sink.report("H2K712", f"the host sizes of {node.name} are not known while compiling; no flavor "
                        "is chosen", span)
        return None
    disk_expr = _host_size(low, node, "disk_size")
    disk = size_bytes(low.static(disk_expr), "gb") if disk_expr is not None else None
    for flavor_name, flavor in sorted(DEFAULT_FLAVORS.items(), key=lambda kv: (kv[1].ram_mib, kv[1].vcpus)):
        fits_disk = disk is None or _FLAVOR_DISK_GB.get(flavor_name, 0) * 10**9 >= disk
        if flavor.vcpus >= float(cpus or 0) and flavor.ram_mib >= (memory or 0) and fits_disk:  # type: ignore[arg-type]
            return Literal(value=flavor_name, span=span)
    low.sink.report("H2K712", f"no default flavor has the {cpus} CPUs and {memory} MiB of {node.name}; add "
                    "a flavor property", span)
    return None


def _server_image(low: Lowering, node: TemplateNode) -> Expr | None:
    artifact = image_artifact(low, node)
    if artifact is not None:
        return artifact
    if node.kind == "vdu":
        written = node_at(node.raw, "properties", "sw_image_data", "name")
        return low.values.expr(written, Scope(self_name=node.name)) if written is not None else None
    distribution = low.static(low.capability_prop(node, "os", "distribution"))
    version = low.static(low.capability_prop(node, "os", "version"))
    if distribution is None:
        return None
    name = f"{distribution}-{version}" if version is not None else str(distribution)
    os_key = node.raw.get("capabilities")
    span = os_key.span if os_key is not None else node.span
    return Literal(value=name.lower(), span=span)


def _bound_ports(low: Lowering, node: TemplateNode) -> list[Expr]:
    """`{port: ...}` entries of the Ports bound to this Compute (network.BindsTo), by their `order`."""
    bound = []
    for port in (n for n in low.nodes.values() if n.kind == "port"):
        if node.name in (low.requirement_target(port.name, name) for name in nfv.BINDING):
            order = low.static(low.prop(port, "order"))
            entry = MapExpr(entries=((Literal(value="port", span=port.span),
                                      Call(function="get_resource", args=Literal(value=port.resource, span=port.span),
                                           span=port.span)),), span=port.span)
            bound.append((order if isinstance(order, int) else 0, entry))
    return [entry for _, entry in sorted(bound, key=lambda item: item[0])]
