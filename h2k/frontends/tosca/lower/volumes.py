"""BlockStorage as an OS::Cinder::Volume, and each AttachesTo as an OS::Cinder::VolumeAttachment.

Cinder sizes volumes in whole GiB, so a TOSCA size is rounded up. An attachment may be written on
either side (the Compute or the BlockStorage holds the requirement), with its `location` inline or
in a relationship template; a location that is not a `/dev/` path is where the claim is mounted on
Kubernetes (metadata `h2k.io/mount-path`).
"""

from __future__ import annotations

from h2k.diagnostics.codes import Severity
from h2k.frontends.tosca import nfv
from h2k.frontends.tosca.functions import Scope
from h2k.frontends.tosca.lower.context import ATTACHES_TO, Lowering, TemplateNode, derived
from h2k.frontends.tosca.positions import node_at
from h2k.frontends.tosca.units import gibibytes_up
from h2k.ir.expr import Call, Expr, Literal
from h2k.source.nodes import Node, YMap, YScalar, YSeq

MOUNT_PATH_KEY = "h2k.io/mount-path"


def volume(low: Lowering, node: TemplateNode) -> None:
    properties: list[tuple[str, Expr]] = []
    size = low.prop(node, "size")
    nfv_size = node_at(node.raw, "properties", "virtual_block_storage_data", "size_of_storage")
    if size is None and nfv_size is not None:
        size = low.values.expr(nfv_size, Scope(self_name=node.name))
    if size is not None:
        gib = gibibytes_up(low.static(size))
        if gib is None:
            low.sink.report("H2K712", f"the size of {node.name} is not a size known while compiling; the volume "
                            "has no size", size.span)
        else:
            properties.append(("size", Literal(value=gib, span=size.span)))
    for name, hot in (("snapshot_id", "snapshot_id"), ("name", "name")):
        value = low.prop(node, name)
        if value is not None:
            properties.append((hot, value))
    volume_id = low.prop(node, "volume_id")
    if volume_id is not None:
        low.sink.report("H2K712", f"{node.name} names an existing volume (volume_id); a new one is described, "
                        "adopt the existing one with --adopt", volume_id.span, Severity.INFO)
    low.unused(node, {"size", "snapshot_id", "name", "volume_id", "virtual_block_storage_data", "sw_image_data"})
    low.add(node, "OS::Cinder::Volume", properties)


def attachments(low: Lowering) -> None:
    """Each AttachesTo between a Compute and a BlockStorage (either side may hold the requirement)."""
    for node in list(low.nodes.values()):
        requirements = node.raw.get("requirements")
        items = requirements.items if isinstance(requirements, YSeq) else ()
        for relationship, target in node.template.relationships.items():
            if not _attaches(relationship):
                continue
            other = low.nodes.get(str(target.name))
            pair = (node, other) if node.kind in ("server", "vdu") else (other, node)
            server, attached = pair
            if server is None or attached is None or server.kind not in ("server", "vdu") or \
                    attached.kind != "volume":
                low.sink.report("H2K709", f"{node.name} attaches to {target.name}: only a BlockStorage attached "
                                "to a Compute is translated", node.span)
                continue
            written = _requirement_to(items, str(target.name))
            location = _location(low, written)
            properties: list[tuple[str, Expr]] = [
                ("instance_uuid", Call(function="get_resource", args=Literal(value=server.resource,
                                                                             span=node.span), span=node.span)),
                ("volume_id", Call(function="get_resource", args=Literal(value=attached.resource, span=node.span),
                                   span=node.span))]
            metadata: dict[str, Expr] = {}
            if location is not None:
                properties.append(("mountpoint", location))
                path = low.static(location)
                if isinstance(path, str) and not path.startswith("/dev/"):
                    metadata[MOUNT_PATH_KEY] = location
            name = f"{attached.name}_attachment" if _attached_once(low, attached.name) else \
                f"{attached.name}_{server.name}_attachment"
            low.add(attached, "OS::Cinder::VolumeAttachment", properties, metadata or None, name=name)


def _attaches(relationship: object) -> bool:
    return derived(relationship, ATTACHES_TO) or derived(relationship, nfv.ATTACHES_TO)


def _attached_once(low: Lowering, volume: str) -> bool:
    count = sum(1 for n in low.nodes.values() for r, t in n.template.relationships.items()
                if _attaches(r) and volume in (n.name, str(t.name)))
    return count <= 1


def _location(low: Lowering, written: Node | None) -> Expr | None:
    """`location` of an AttachesTo: in the requirement's relationship, or its relationship template."""
    relationship = written.get("relationship") if isinstance(written, YMap) else None
    if isinstance(relationship, YScalar):
        templates = low.topology.get("relationship_templates")
        relationship = templates.get(relationship.value) if isinstance(templates, YMap) else None
    properties = relationship.get("properties") if isinstance(relationship, YMap) else None
    value = properties.get("location") if isinstance(properties, YMap) else None
    return low.values.expr(value, Scope(self_name="")) if value is not None else None


def _requirement_to(items: tuple[Node, ...], target: str) -> Node | None:
    """The written requirement (its value) that names `target`."""
    for item in items:
        if isinstance(item, YMap) and len(item) == 1:
            value = item.entries[0][1]
            named = value.get("node") if isinstance(value, YMap) else value
            if isinstance(named, YScalar) and named.value == target:
                return value
    return None
