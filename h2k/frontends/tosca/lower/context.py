"""What every part of the lowering shares: the node templates, the resources made so far, and the
answers the value translator asks for (functions.Topology).

tosca-parser answers the questions of types (what a node derives from, its relationships, the
defaults of its properties); the values and their positions come from h2k's own YAML nodes, kept
beside each node template.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.tosca.functions import ADDRESS_ATTRIBUTES, Scope, Topology, Values
from h2k.frontends.tosca.inputs import literal_value
from h2k.frontends.tosca.positions import Positions
from h2k.frontends.tosca.scripts import ScriptBuilder
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Parameter, Resource
from h2k.source.nodes import YMap
from h2k.span import Span

COMPUTE = "tosca.nodes.Compute"
CONTAINER = "tosca.nodes.Container.Application"
RUNTIME = "tosca.nodes.Container.Runtime"
BLOCK_STORAGE = "tosca.nodes.BlockStorage"
OBJECT_STORAGE = "tosca.nodes.ObjectStorage"
NETWORK = "tosca.nodes.network.Network"
PORT = "tosca.nodes.network.Port"
FLOATING_IP = "tosca.nodes.network.FloatingIP"
LOAD_BALANCER = "tosca.nodes.LoadBalancer"
HOSTED_ON = "tosca.relationships.HostedOn"
ATTACHES_TO = "tosca.relationships.AttachesTo"
CONNECTS_TO = "tosca.relationships.ConnectsTo"
ROUTES_TO = "tosca.relationships.RoutesTo"
ENDPOINT = "tosca.capabilities.Endpoint"
IMAGE_ARTIFACT = "tosca.artifacts.Deployment.Image"
# Node kinds (kinds.py) whose resource is a workload, which hosted software and endpoints belong to.
INSTANCES = ("server", "container", "vdu")


@dataclasses.dataclass
class TemplateNode:
    """A node template: tosca-parser's view of it (types), and as written (values, positions)."""

    name: str
    template: Any  # toscaparser NodeTemplate
    raw: YMap
    span: Span
    kind: str = ""  # server, container, runtime, volume, component, network, port, floating-ip, swift, ...
    resource: str = ""  # the name of the resource it becomes, when it becomes one of its own


class Lowering(Topology):
    """The state the node lowerings share; stack.ToscaLowering drives them."""

    def __init__(self, template: Any, root: YMap, path: str, directory: Path, base: Path, sink: DiagnosticSink,
                 parameters: dict[str, object], max_bytes: int) -> None:
        self.template = template
        self.root = root
        self.path = path
        self.sink = sink
        self.given = parameters
        self.positions = Positions(root, path)
        self.values = Values(self, sink)
        self.scripts = ScriptBuilder(directory, base, sink, max_bytes)
        topology = root.get("topology_template")
        self.topology = topology if isinstance(topology, YMap) else YMap((), self.positions.fallback())
        raw_nodes = self.topology.get("node_templates")
        self.nodes: dict[str, TemplateNode] = {}
        for tpl in getattr(template, "nodetemplates", None) or []:
            raw = raw_nodes.get(tpl.name) if isinstance(raw_nodes, YMap) else None
            key = raw_nodes.key_node(tpl.name) if isinstance(raw_nodes, YMap) else None
            span = key.span if key is not None else self.positions.fallback()
            self.nodes[tpl.name] = TemplateNode(tpl.name, tpl, raw if isinstance(raw, YMap) else YMap((), span), span)
        self.resources: list[Resource] = []
        self.parameters: list[Parameter] = []

    # -- Topology, for the value translator --------------------------------------------------------

    def raw(self, name: str) -> YMap | None:
        node = self.nodes.get(name)
        return node.raw if node is not None else None

    def host(self, name: str) -> str | None:
        node = self.nodes.get(name)
        if node is None:
            return None
        for relationship, target in node.template.relationships.items():
            if derived(relationship, HOSTED_ON):
                return str(target.name)
        return None

    def requirement_target(self, name: str, requirement: str) -> str | None:
        node = self.nodes.get(name)
        for item in (node.template.requirements or []) if node is not None else []:
            if isinstance(item, dict) and requirement in item:
                value = item[requirement]
                target = value.get("node") if isinstance(value, dict) else value
                return str(target) if isinstance(target, str) and target in self.nodes else None
        return None

    def default(self, name: str, capability: str | None, prop: str) -> tuple[bool, Any]:
        node = self.nodes.get(name)
        if node is None:
            return False, None
        if capability is None:
            properties = node.template.get_properties()
            if prop in properties:
                return True, properties[prop].value
            return False, None
        found = node.template.get_capabilities().get(capability)
        if found is None:
            return False, None
        properties = found.get_properties()
        return (True, properties[prop].value) if prop in properties else (False, None)

    def attribute(self, name: str, attribute: str, span: Span) -> Expr | None:
        node = self.nodes.get(name)
        if node is None:
            return None
        if attribute == "tosca_name" or attribute == "tosca_id":
            return Literal(value=name, span=span)
        instance = self.instance_of(name)
        if attribute in ADDRESS_ATTRIBUTES and instance is not None:
            return get_attr(instance, span, "first_address")
        if attribute == "networks" and instance is not None:
            return get_attr(instance, span, "networks")
        if node.kind == "volume" and attribute == "volume_id":
            return Call(function="get_resource", args=Literal(value=node.resource, span=span), span=span)
        if node.kind == "port" and attribute == "ip_address":
            return get_attr(node.resource, span, "fixed_ips", 0, "ip_address")
        return None

    def instance_of(self, name: str) -> str | None:
        """The server or container a node is, or runs on (up its host chain)."""
        seen: set[str] = set()
        current: str | None = name
        while current is not None and current not in seen:
            seen.add(current)
            node = self.nodes.get(current)
            if node is not None and node.kind in INSTANCES:
                return node.resource
            current = self.host(current)
        return None

    # -- what the node lowerings share -------------------------------------------------------------

    def add(self, node: TemplateNode, kind: str, properties: list[tuple[str, Expr]],
            metadata: dict[str, Expr] | None = None, name: str | None = None,
            depends_on: tuple[str, ...] = ()) -> Resource:
        resource = Resource(
            name=name or node.resource, type=kind, span=node.span,
            properties=MapExpr(entries=tuple((Literal(value=k, span=v.span), v) for k, v in properties),
                               span=node.raw.span),
            metadata=MapExpr(entries=tuple((Literal(value=k, span=v.span), v) for k, v in metadata.items()),
                             span=node.span) if metadata else None,
            depends_on=depends_on, description=f"TOSCA {node.name}: {node.template.type}")
        self.resources.append(resource)
        return resource

    def prop(self, node: TemplateNode, name: str) -> Expr | None:
        """A node property as written, translated; None when the template does not set it."""
        properties = node.raw.get("properties")
        value = properties.get(name) if isinstance(properties, YMap) else None
        return self.values.expr(value, Scope(self_name=node.name)) if value is not None else None

    def capability_prop(self, node: TemplateNode, capability: str, name: str) -> Expr | None:
        found = self.values.capability_property(node.name, capability, name, node.span)
        return None if found is None or (isinstance(found, Literal) and found.value is None) else found

    def static(self, expr: Expr | None) -> object:
        """The value of an expression while lowering (a flavor is chosen now): inputs given, else defaults."""
        if isinstance(expr, Literal):
            return expr.value
        if isinstance(expr, Call) and expr.function == "get_param" and isinstance(expr.args, Literal):
            declared = next((p for p in self.parameters if p.name == expr.args.value), None)
            return literal_value(declared, self.given) if declared is not None else None
        return None

    def unused(self, node: TemplateNode, used: set[str]) -> None:
        properties = node.raw.get("properties")
        for key, _ in properties.entries if isinstance(properties, YMap) else ():
            if key.value not in used:
                self.sink.report("H2K712", f"property {key.value!r} of {node.name} ({node.template.type}) has no "
                                 "counterpart; it is not translated", key.span, Severity.INFO)


def derived(entity: Any, base: str) -> bool:
    """Whether a tosca-parser type (relationship, capability) is `base` or derives from it."""
    seen = 0
    current = entity
    while current is not None and seen < 64:
        if getattr(current, "type", None) == base:
            return True
        current = getattr(current, "parent_type", None)
        seen += 1
    return False


def get_attr(resource: str, span: Span, *path: object) -> Call:
    items = (Literal(value=resource, span=span), *(Literal(value=p, span=span) for p in path))  # type: ignore[arg-type]
    return Call(function="get_attr", args=ListExpr(items=items, span=span), span=span)


def get_resource(name: str, span: Span) -> Call:
    return Call(function="get_resource", args=Literal(value=name, span=span), span=span)
