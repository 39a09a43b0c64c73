"""The state of one run of the k-orc backend: names, objects, findings, and references between objects.

A k-orc reference (`networkRef`, `flavorRef`, ...) is the name of another k-orc object in the same
namespace, never an OpenStack name or ID. So every value that refers to something becomes an
object name: `{get_resource: net}` the object of `net`; a literal name or UUID of something outside
the stack an unmanaged object that imports it (`import.filter.name`, or `import.id` for a UUID),
shared by every reference to the same thing; a value known only at deploy time nothing (H2K504).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from h2k.backends.openstack.orc.context import OrcContext, OrcObject, credentials_ref, metadata
from h2k.backends.openstack.orc.kinds import ATTRIBUTE_REFS, IMPORTABLE, NAME_LIMIT
from h2k.backends.openstack.orc.names import Names
from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.expr import Call, Expr, ListExpr, Literal, referenced_resource
from h2k.ir.nodes import Resource, Stack
from h2k.passes.names import dns_label
from h2k.span import Span

# What OpenStack IDs look like (Keystone's have no dashes); anything else is taken for a name.
UUID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")
INFRASTRUCTURE_ROLE = "infrastructure"
# Keystone's default domain has an ID that is not a UUID, so k-orc can only import it by name.
DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME = "default", "Default"


@dataclass(frozen=True, slots=True)
class Member:
    """What one object is written from: the resource (a group member's with its index filled in)."""

    resource: Resource
    name: str
    index: int | None = None


class State:
    def __init__(self, stack: Stack, ctx: OrcContext, excluded: frozenset[str]) -> None:
        self.stack = stack
        self.ctx = ctx
        # Findings go to a sink of the run's own: the backend reruns until the set of resources
        # the residual Heat stack keeps is stable, and only the last run's findings count.
        self.sink = DiagnosticSink()
        self.names = Names()
        # Resources the residual Heat stack keeps, known before this run (from the previous one).
        self.excluded = excluded
        # Resources found in this run to stay in the residual Heat stack (an ordered set).
        self.failed: dict[str, None] = {}
        self.objects: list[OrcObject] = []
        self.merged: dict[str, str] = {}
        # Resource name -> the names of its objects (one per member of a group).
        self.planned: dict[str, list[str]] = {}
        # (server, network name) -> the Port written for the server's first entry on that network:
        # what `{get_attr: [server, addresses, <network>, 0, port]}` names.
        self.address_ports: dict[tuple[str, str], str] = {}
        # Resource name -> the objects written for it (one per member of a group).
        self.written: dict[str, list[dict[str, Any]]] = {}
        # Work that needs every object written first (a server's floating IPs, merged resources).
        self.later: list[Callable[[], None]] = []
        # The member being written, for references between members of one group.
        self.current: Member | None = None
        self._imports: dict[tuple[str, str, str], str] = {}
        # (kind, literal `name` property) -> resource: a literal that names a resource of the stack.
        self._given: dict[tuple[str, str], Resource] = {}
        self._originals = {resource.name: resource for resource in stack.resources}

    # -- findings ---------------------------------------------------------------------------------

    def report(self, key: str, message: str, span: Span, severity: Severity | None = None) -> None:
        self.sink.report(key, message, span, severity)

    def drop(self, resource: Resource, key: str, reason: str, span: Span, severity: Severity | None = None) -> None:
        self.report("H2K501", f"{resource.type}.properties.{key} of {resource.name} is not carried over to k-orc: "
                    f"{reason}", span, severity)

    def deploy_time(self, resource: Resource, where: str, span: Span) -> None:
        self.report("H2K504", f"{where} of {resource.name} is only known at deploy time; a k-orc object cannot hold "
                    "it, so it is left out", span)

    def invalid(self, resource: Resource, where: str, why: str, span: Span) -> None:
        self.report("H2K510", f"{where} of {resource.name} is left out: {why}", span)

    def keep(self, resource: Resource, why: str, span: Span | None = None) -> None:
        """The resource cannot be a k-orc object: the residual Heat stack keeps it."""
        self.report("H2K516", f"{resource.name} ({resource.type}) stays in the residual Heat stack: {why}",
                    span or resource.span)
        self.failed[resource.name] = None

    def report_unhandled(self, resource: Resource, handled: Iterable[str], reasons: dict[str, str]) -> None:
        """Every property an emitter does not carry over is reported, with its reason when one is known."""
        handled = set(handled)
        for key, value in resource.properties.entries:
            name = str(key.value)
            if name in handled or (isinstance(value, Literal) and value.value is None):
                continue
            self.drop(resource, name, reasons.get(name, "its k-orc kind has no such field"), key.span)

    # -- objects ----------------------------------------------------------------------------------

    def add(self, resource: Resource, obj: dict[str, Any]) -> None:
        # Objects point at the resource as the stack has it (not a group member's copy).
        self.objects.append(OrcObject(self._originals.get(resource.name, resource), obj))

    def checkpoint(self) -> tuple[int, int, dict[tuple[str, str, str], str], dict[str, set[str]]]:
        """What `rollback` needs to undo the objects of a resource that turns out to stay in Heat."""
        return len(self.objects), len(self.later), dict(self._imports), self.names.snapshot()

    def rollback(self, mark: tuple[int, int, dict[tuple[str, str, str], str], dict[str, set[str]]]) -> None:
        objects, later, imports, names = mark
        del self.objects[objects:]
        del self.later[later:]
        self._imports = imports
        self.names.restore(names)

    def merge(self, resource: Resource, kind: str, obj: dict[str, Any]) -> None:
        """The resource became part of `obj`."""
        shown = f"{kind}/{obj['metadata']['name']}"
        self.merged[resource.name] = shown
        self.report("H2K513", f"{resource.name} ({resource.type}) becomes part of the k-orc {shown}", resource.span)

    def head(self, kind: str, resource: Resource, name: str) -> dict[str, Any]:
        return {"apiVersion": "openstack.k-orc.cloud/v1alpha1", "kind": kind,
                "metadata": metadata(self.stack, self.ctx, resource, name)}

    def managed(self, kind: str, resource: Resource, name: str, spec: dict[str, Any],
                on_delete: str | None = None) -> dict[str, Any]:
        """A managed object: k-orc creates the resource from `spec` (its `spec.resource`)."""
        obj = self.head(kind, resource, name)
        body: dict[str, Any] = {"cloudCredentialsRef": credentials_ref(self.ctx), "managementPolicy": "managed"}
        if on_delete is not None:
            body["managedOptions"] = {"onDelete": on_delete}
        body["resource"] = spec
        obj["spec"] = body
        return obj

    def unmanaged(self, kind: str, resource: Resource, name: str, selector: dict[str, Any]) -> dict[str, Any]:
        """An unmanaged object: k-orc imports an existing resource (`selector` is `spec.import`)."""
        obj = self.head(kind, resource, name)
        obj["spec"] = {"cloudCredentialsRef": credentials_ref(self.ctx), "managementPolicy": "unmanaged",
                       "import": selector}
        return obj

    # -- planning ---------------------------------------------------------------------------------

    def plan(self, resource: Resource, kind: str, count: int | None) -> list[str]:
        """Reserve the names of a resource's objects before anything refers to them."""
        base = resource.object_name or dns_label(resource.name)
        if count is None:
            found = [self.names.claim(kind, base)]
        else:
            found = [self.names.suffixed(kind, base, str(index)) for index in range(count)]
        self.planned[resource.name] = found
        given = resource.properties.get("name")
        if count is None and isinstance(given, Literal) and isinstance(given.value, str):
            self._given.setdefault((kind, given.value), resource)
        return found

    # -- references -------------------------------------------------------------------------------

    def ref(self, resource: Resource, expr: Expr | None, kind: str, where: str) -> str | None:
        """The name of the k-orc object of `kind` that `expr` refers to, or None (reported)."""
        if expr is None or (isinstance(expr, Literal) and expr.value in (None, "")):
            return None
        if isinstance(expr, Call) and expr.function == "get_resource":
            target = self.stack.resource(referenced_resource(expr) or "")
            return None if target is None else self._to_resource(resource, target, kind, where, expr.span)
        if isinstance(expr, Call) and expr.function == "get_attr":
            return self._to_attribute(resource, expr, kind, where)
        if isinstance(expr, Call):
            self.deploy_time(resource, where, expr.span)
            return None
        if isinstance(expr, Literal) and isinstance(expr.value, str | int) and not isinstance(expr.value, bool):
            return self._to_literal(resource, str(expr.value), kind, where, expr.span)
        self.invalid(resource, where, f"it must name a {kind}", expr.span)
        return None

    def refs(self, resource: Resource, expr: Expr | None, kind: str, where: str) -> list[str] | None:
        """A list of references (duplicates once: k-orc's lists of references are sets)."""
        if expr is None or (isinstance(expr, Literal) and expr.value is None):
            return None
        if isinstance(expr, Call):
            self.deploy_time(resource, where, expr.span)
            return None
        if not isinstance(expr, ListExpr):
            self.invalid(resource, where, f"it must be a list of {kind} names", expr.span)
            return None
        found: list[str] = []
        for index, item in enumerate(expr.items):
            name = self.ref(resource, item, kind, f"{where}[{index}]")
            if name is not None and name not in found:
                found.append(name)
        return found

    def _to_attribute(self, resource: Resource, call: Call, kind: str, where: str) -> str | None:
        """An attribute that names another resource (a trunk's `port_id`), or a server's port on a network."""
        items = call.args.items if isinstance(call.args, ListExpr) else ()
        path = [item.value for item in items if isinstance(item, Literal)]
        if len(path) != len(items):
            path = []
        target = self.stack.resource(str(path[0])) if path else None
        if target is not None and len(path) == 2 and (target.type, path[1]) in ATTRIBUTE_REFS:
            for key in ATTRIBUTE_REFS[(target.type, str(path[1]))]:
                value = target.properties.get(key)
                if value is not None and not (isinstance(value, Literal) and value.value is None):
                    return self.ref(resource, value, kind, where)
        if target is not None and kind == "Port" and len(path) == 5 and path[1] == "addresses" and path[3] == 0 \
                and path[4] == "port":
            port = self.address_ports.get((target.name, str(path[2])))
            if port is not None:
                return port
            self.report("H2K505", f"{where} of {resource.name} is the port of {target.name} on network {path[2]!s}, "
                        "for which no k-orc Port is written; it is left out", call.span)
            return None
        self.deploy_time(resource, where, call.span)
        return None

    def _to_resource(self, resource: Resource, target: Resource, kind: str, where: str, span: Span) -> str | None:
        wanted = IMPORTABLE.get(target.type)
        if wanted != kind:
            self.report("H2K505", f"{where} of {resource.name} names {target.name} ({target.type}) where k-orc "
                        f"needs a {kind}; it is left out", span)
            return None
        if target.role != INFRASTRUCTURE_ROLE:
            shown = f"role {target.role}" if target.role else "it is not translated"
            self.report("H2K505", f"{where} of {resource.name} names {target.name}, which does not stay on "
                        f"OpenStack ({shown}), so no k-orc {kind} stands for it; it is left out", span)
            return None
        names = self.planned.get(target.name)
        if names is None or target.name in self.excluded:
            return self._kept_by_heat(resource, target, kind, where, span)
        if len(names) == 1 and target.replication is None:
            return names[0]
        current = self.current
        if current is not None and current.index is not None and resource.replication is not None \
                and target.replication is not None and resource.replication.span == target.replication.span:
            return names[current.index]
        self.report("H2K505", f"{where} of {resource.name} names {target.name}, a member of a group, without "
                    "saying which member; it is left out", span)
        return None

    def _kept_by_heat(self, resource: Resource, target: Resource, kind: str, where: str, span: Span) -> str | None:
        """A resource the residual Heat stack creates can be imported by its literal name, once it exists."""
        given = target.properties.get("name")
        if isinstance(given, Literal) and isinstance(given.value, str) and given.value and target.replication is None:
            return self._import(resource, kind, given.value, span, by_id=False,
                                why=f"{target.name} stays in the residual Heat stack")
        self.report("H2K505", f"{where} of {resource.name} names {target.name}, which stays in the residual Heat "
                    "stack without a literal name to import it by; it is left out", span)
        return None

    def _to_literal(self, resource: Resource, value: str, kind: str, where: str, span: Span) -> str | None:
        given = self._given.get((kind, value))
        if given is not None and given.name not in self.excluded:
            return self.planned[given.name][0]
        if kind == "Domain" and value == DEFAULT_DOMAIN_ID:
            why = f"domain {value!r} is the ID of Keystone's default domain, named {DEFAULT_DOMAIN_NAME!r}"
            return self._import(resource, kind, DEFAULT_DOMAIN_NAME, span, False, why)
        by_id = UUID.fullmatch(value) is not None and kind != "KeyPair"
        return self._import(resource, kind, value, span, by_id, f"{value!r} is not part of the stack")

    def _import(self, resource: Resource, kind: str, value: str, span: Span, by_id: bool, why: str) -> str | None:
        key = (kind, "id" if by_id else "name", value)
        if key in self._imports:
            return self._imports[key]
        limit = NAME_LIMIT.get(kind)
        if limit is None:
            self.report("H2K505", f"{kind} {value!r} of {resource.name} cannot be imported: k-orc imports this kind "
                        "by its references only; it is left out", span)
            return None
        if not by_id and (len(value) > limit or "," in value):
            self.invalid(resource, f"{kind} {value!r}", f"k-orc imports by names of at most {limit} characters "
                         "without a comma", span)
            return None
        name = self.names.claim(kind, f"{kind.lower()}-{value}" if by_id else value)
        selector: dict[str, Any] = {"id": value} if by_id else {"filter": {"name": value}}
        self.add(resource, self.unmanaged(kind, resource, name, selector))
        self._imports[key] = name
        how = f"import.id {value}" if by_id else f"import.filter.name {value!r}"
        self.report("H2K503", f"{why}: the unmanaged k-orc {kind} {name} imports it ({how})", span)
        return name

    def import_by(self, resource: Resource, kind: str, name: str, selector: dict[str, Any]) -> None:
        """The object of a resource that k-orc imports instead of creating (external_id, unmanaged policy)."""
        self.add(resource, self.unmanaged(kind, resource, name, selector))

