"""The topology as a Stack: inputs, each node template by its kind, attachments, policies, outputs.

Every node is classified before any is lowered (a node's lowering asks what its neighbours are),
and the order of the resources is the order of the node templates, so the output is stable.
"""

from __future__ import annotations

from collections.abc import Callable

from h2k.diagnostics.codes import Severity
from h2k.frontends.tosca.functions import Scope
from h2k.frontends.tosca.inputs import parameter
from h2k.frontends.tosca.lower.compute import server
from h2k.frontends.tosca.lower.container import container
from h2k.frontends.tosca.lower.context import Lowering, TemplateNode
from h2k.frontends.tosca.lower.kinds import classify
from h2k.frontends.tosca.lower.lifecycle import standard_interface
from h2k.frontends.tosca.lower.load_balancer import load_balancer
from h2k.frontends.tosca.lower.network import floating_ip, network, port
from h2k.frontends.tosca.lower.object_storage import swift
from h2k.frontends.tosca.lower.scaling import policies
from h2k.frontends.tosca.lower.volumes import attachments, volume
from h2k.ir.nodes import Output, Parameter, Stack
from h2k.source.nodes import YMap, YScalar

# The HOT version the lowered stack is evaluated with: every function the translation uses exists in it.
HOT_VERSION = "2021-04-16"

_LOWER: dict[str, Callable[[Lowering, TemplateNode], None]] = {
    "server": server, "vdu": server, "container": container, "volume": volume, "swift": swift, "network": network,
    "port": port, "floating-ip": floating_ip, "load-balancer": load_balancer}
# Kinds that become nothing of their own, and why (a note).
_NOTHING = {
    "vnf": "describes the VNF as a whole; its units are translated one by one",
    "cluster-node": "is the machine a container runtime runs on: the cluster takes its place, so it becomes "
                    "nothing of its own"}


class ToscaLowering(Lowering):
    def stack(self, name: str) -> Stack:
        self.parameters = self.inputs()
        for node in self.nodes.values():
            classify(self, node)
        for node in self.nodes.values():
            self.lower_node(node)
        attachments(self)
        policies(self)
        self.other_sections()
        description = self.root.get("description")
        return Stack(path=self.path, name=name, version=HOT_VERSION, span=self.root.span,
                     description=str(description.value) if isinstance(description, YScalar) and description.value
                     else None,
                     parameters=tuple(self.parameters), resources=tuple(self.resources), outputs=tuple(self.outputs()))

    def inputs(self) -> list[Parameter]:
        section = self.topology.get("inputs")
        found = []
        for key, raw in section.entries if isinstance(section, YMap) else ():
            lowered = parameter(key, raw, self.sink)
            if lowered is not None:
                found.append(lowered)
        return found

    def outputs(self) -> list[Output]:
        section = self.topology.get("outputs")
        found = []
        for key, raw in section.entries if isinstance(section, YMap) else ():
            value = raw.get("value") if isinstance(raw, YMap) else None
            if value is None:
                self.sink.report("H2K713", f"output {key.value!r} has no value", key.span)
                continue
            description = raw.get("description") if isinstance(raw, YMap) else None
            found.append(Output(name=str(key.value), value=self.values.expr(value, Scope(self_name="")),
                                span=key.span.through(raw.span),
                                description=str(description.value) if isinstance(description, YScalar) else None))
        return found

    def other_sections(self) -> None:
        for section, reason in (("groups", "TOSCA groups only gather nodes; nothing is made of them"),
                                ("substitution_mappings", "a substitution mapping describes how the topology is "
                                 "used inside another one; it is not translated")):
            key = self.topology.key_node(section)
            if key is not None:
                self.sink.report("H2K715", f"{section}: {reason}", key.span, Severity.INFO)

    def lower_node(self, node: TemplateNode) -> None:
        lower = _LOWER.get(node.kind)
        if lower is not None:
            lower(self, node)
        elif node.kind == "component":
            instance = self.nodes.get(self.instance_of(node.name) or "")
            if instance is None:
                self.sink.report("H2K716", f"{node.name} ({node.template.type}) is not hosted on a Compute or a "
                                 "container; its lifecycle operations are not translated", node.span)
            elif instance.kind == "container" and standard_interface(node.raw) is not None:
                self.sink.report("H2K711", f"{node.name} runs in container {instance.name}, whose image is given: "
                                 "its lifecycle operations are not run", node.span)
        elif node.kind in _NOTHING:
            self.sink.report("H2K706", f"{node.name} {_NOTHING[node.kind]}", node.span, Severity.INFO)
        elif node.kind == "existing-network":
            self.sink.report("H2K706", f"network {node.name} names an existing network (network_id, or no cidr); "
                             "nothing is created for it", node.span, Severity.INFO)
        elif node.kind == "runtime":
            self.sink.report("H2K706", f"{node.name} ({node.template.type}) is the cluster the containers run on; "
                             "it becomes nothing of its own (its host sizes go to the containers)", node.span,
                             Severity.INFO)
        else:
            self.sink.report("H2K706", f"{node.name} has type {node.template.type}, which h2k does not translate",
                             node.span)
