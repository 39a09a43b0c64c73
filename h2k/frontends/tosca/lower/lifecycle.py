"""The Standard lifecycle of a Compute and the software hosted on it, as the server's boot script.

Heat has no lifecycle: what TOSCA runs at `create`, `configure` and `start` on a Compute runs
once, at boot, from the server's user_data (which the Kubernetes backend builds an image from).
The Compute's own operations come first, then each hosted component's, a component after those
it requires; the template's inputs and each operation's inputs are exported for the scripts
(scripts.py writes the script).
"""

from __future__ import annotations

import dataclasses

from h2k.diagnostics.codes import Severity
from h2k.frontends.tosca.functions import Scope
from h2k.frontends.tosca.lower.connections import connections
from h2k.frontends.tosca.lower.context import Lowering, TemplateNode
from h2k.frontends.tosca.scripts import LIFECYCLE, Operation
from h2k.ir.expr import Call, Expr, Literal, MapExpr
from h2k.source.nodes import YMap, YScalar


def boot_script(low: Lowering, node: TemplateNode) -> Expr | None:
    members = _ordered_components(low, node)
    # The Compute's own operations first: what is hosted on it comes after it is set up.
    operations = [op for member in (node, *members) for op in _operations(low, member)]
    if not operations:
        return None
    inputs = [(p.name, _quotable(low, Call(function="get_param", args=Literal(value=p.name, span=p.span),
                                           span=p.span))) for p in low.parameters]
    operations = [dataclasses.replace(op, inputs=tuple((k, _quotable(low, v)) for k, v in op.inputs))
                  for op in operations]
    for member in members:
        connections(low, member, None)
    return low.scripts.user_data(node.name, inputs, operations, node.span)


def standard_interface(raw: YMap) -> YMap | None:
    """The operations of the Standard interface as written (1.3 wraps them in `operations:`)."""
    interfaces = raw.get("interfaces")
    standard = None
    if isinstance(interfaces, YMap):
        standard = interfaces.get("Standard") or interfaces.get("tosca.interfaces.node.lifecycle.Standard")
    if isinstance(standard, YMap) and isinstance(standard.get("operations"), YMap):
        operations = standard.get("operations")
        assert isinstance(operations, YMap)
        return operations
    return standard if isinstance(standard, YMap) else None


def _quotable(low: Lowering, value: Expr) -> Expr:
    """A string input's value, with its single quotes escaped for the single-quoted shell word it lands in."""
    if isinstance(value, Call) and value.function == "get_param" and isinstance(value.args, Literal):
        declared = next((p for p in low.parameters if p.name == value.args.value), None)
        if declared is not None and declared.type == "string":
            span = value.span
            escape = MapExpr(entries=((Literal(value="'", span=span), Literal(value="'\"'\"'", span=span)),),
                             span=span)
            return Call(function="str_replace", span=span, args=MapExpr(entries=(
                (Literal(value="template", span=span), value), (Literal(value="params", span=span), escape)),
                span=span))
    return value


def _ordered_components(low: Lowering, server: TemplateNode) -> list[TemplateNode]:
    """The components on a server, each after the nodes it requires (template order otherwise)."""
    members = [n for n in low.nodes.values() if n.kind == "component" and low.instance_of(n.name) ==
               server.resource]
    names = {m.name for m in members}
    done: list[TemplateNode] = []
    placed: set[str] = set()
    while len(done) < len(members):
        progress = False
        for member in members:
            if member.name in placed:
                continue
            needs = {str(t.name) for t in member.template.relationships.values()} & names
            if needs <= placed:
                done.append(member)
                placed.add(member.name)
                progress = True
        if not progress:  # a cycle: the rest in template order
            done += [m for m in members if m.name not in placed]
            break
    return done


def _operations(low: Lowering, node: TemplateNode) -> list[Operation]:
    found: dict[str, Operation] = {}
    written = standard_interface(node.raw)
    for interface in node.template.interfaces or []:
        if interface.type not in ("Standard", "tosca.interfaces.node.lifecycle.Standard") or \
                interface.name not in LIFECYCLE:
            if interface.name in ("stop", "delete"):
                continue
            where = written.get(interface.name) if written is not None else None
            low.sink.report("H2K711", f"{node.name}: operation {interface.type}.{interface.name} is not run "
                            "(only the Standard create, configure and start are)",
                            where.span if where is not None else node.span, Severity.INFO)
            continue
        implementation = interface.implementation
        if isinstance(implementation, dict):
            implementation = implementation.get("primary")
        if not isinstance(implementation, str):
            continue
        implementation = _artifact_file(node, implementation)
        raw_op = written.get(interface.name) if written is not None else None
        inputs_node = raw_op.get("inputs") if isinstance(raw_op, YMap) else None
        scope = Scope(self_name=node.name)
        inputs = tuple((str(k.value), low.values.expr(v, scope)) for k, v in inputs_node.entries) \
            if isinstance(inputs_node, YMap) else ()
        span = raw_op.span if raw_op is not None else node.span
        found[interface.name] = Operation(node.name, interface.name, implementation, inputs, span)
    return [found[name] for name in LIFECYCLE if name in found]


def _artifact_file(node: TemplateNode, implementation: str) -> str:
    """An implementation naming one of the node's artifacts: that artifact's file."""
    artifacts = node.raw.get("artifacts")
    artifact = artifacts.get(implementation) if isinstance(artifacts, YMap) else None
    if isinstance(artifact, YScalar) and isinstance(artifact.value, str):
        return artifact.value
    file = artifact.get("file") if isinstance(artifact, YMap) else None
    return str(file.value) if isinstance(file, YScalar) else implementation
