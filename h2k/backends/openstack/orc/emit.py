"""The k-orc backend: the resources that stay on OpenStack as openstack-resource-controller objects.

Every resource whose role is `infrastructure` is accounted for: it becomes an object of its k-orc
kind (one per member of a ResourceGroup), becomes part of another object (a rule of its security
group, an attachment of its server), or stays in the residual Heat stack (`OrcResult.residual`),
with a finding saying why.

Whether a resource can be a k-orc object may depend on others: a subnet whose network stays in
Heat has no `networkRef` to write unless the network can be imported by its name. So the backend
runs until the set of resources that stay in Heat no longer grows (it only grows, and is bounded
by the stack), and keeps the objects and findings of the last run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from h2k.backends.openstack.orc import (
    address_scope,
    attachment,
    flavor,
    floating_ip,
    identity,
    image,
    key_pair,
    network,
    port,
    role_assignment,
    router,
    router_interface,
    security_group,
    server,
    server_group,
    share_network,
    subnet,
    trunk,
    user,
    volume,
    volume_type,
)
from h2k.backends.openstack.orc.context import POLICIES, OrcContext, OrcResult
from h2k.backends.openstack.orc.kinds import KINDS, MERGED, no_kind_reason
from h2k.backends.openstack.orc.state import INFRASTRUCTURE_ROLE, UUID, Member, State
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Literal
from h2k.ir.nodes import Resource, Stack
from h2k.passes.expand_groups import RESOURCE_GROUP, member_properties

Emitter = Callable[[Member, State], "dict[str, Any] | None"]

EMITTERS: dict[str, Emitter] = {
    "OS::Neutron::Net": network.emit_network,
    "OS::Neutron::Subnet": subnet.emit_subnet,
    "OS::Neutron::Router": router.emit_router,
    "OS::Neutron::RouterInterface": router_interface.emit_router_interface,
    "OS::Neutron::Port": port.emit_port,
    "OS::Neutron::FloatingIP": floating_ip.emit_floating_ip,
    "OS::Neutron::SecurityGroup": security_group.emit_security_group,
    "OS::Neutron::Trunk": trunk.emit_trunk,
    "OS::Neutron::AddressScope": address_scope.emit_address_scope,
    "OS::Nova::Server": server.emit_server,
    "OS::Nova::ServerGroup": server_group.emit_server_group,
    "OS::Nova::KeyPair": key_pair.emit_key_pair,
    "OS::Nova::Flavor": flavor.emit_flavor,
    "OS::Cinder::Volume": volume.emit_volume,
    "OS::Cinder::VolumeType": volume_type.emit_volume_type,
    "OS::Glance::WebImage": image.emit_image,
    "OS::Manila::ShareNetwork": share_network.emit_share_network,
    "OS::Keystone::Project": identity.emit_project,
    "OS::Keystone::Domain": identity.emit_domain,
    "OS::Keystone::Role": identity.emit_role,
    "OS::Keystone::Group": identity.emit_group,
    "OS::Keystone::User": user.emit_user,
    "OS::Keystone::Service": identity.emit_service,
    "OS::Keystone::Endpoint": identity.emit_endpoint,
}
# Resources that complete objects written for others, once all are written.
MERGERS: dict[str, Callable[[Resource, State], None]] = {
    "OS::Neutron::SecurityGroupRule": security_group.merge_rule,
    "OS::Neutron::FloatingIPAssociation": floating_ip.merge_association,
    "OS::Cinder::VolumeAttachment": attachment.merge_attachment,
    "OS::Keystone::UserRoleAssignment": role_assignment.emit_assignments,
    "OS::Keystone::GroupRoleAssignment": role_assignment.emit_assignments,
}
assert set(EMITTERS) == set(KINDS) and set(MERGERS) == set(MERGED)
# Kinds without a management policy: the object is the relation itself.
BARE = frozenset({"RouterInterface"})
CANNOT = -1  # a group whose members cannot be written one by one


def emit_orc(stack: Stack, ctx: OrcContext) -> OrcResult:
    """The k-orc objects (and the Secrets they read) for the stack's `infrastructure` resources."""
    if ctx.management_policy not in POLICIES:
        raise ValueError(f"management policy must be one of {', '.join(POLICIES)}, not {ctx.management_policy!r}")
    excluded: frozenset[str] = frozenset()
    while True:
        state = _run(stack, ctx, excluded)
        failed = excluded | frozenset(state.failed)
        if failed == excluded:
            break
        excluded = failed
    residual = [r for r in stack.resources if r.role == INFRASTRUCTURE_ROLE and r.name in excluded]
    result = OrcResult(state.objects, residual, state.merged)
    ctx.sink.extend(state.sink.items)
    if ctx.validate:
        _validate(result, ctx)
    return result


def _run(stack: Stack, ctx: OrcContext, excluded: frozenset[str]) -> State:
    s = State(stack, ctx, excluded)
    infrastructure = [r for r in stack.resources if r.role == INFRASTRUCTURE_ROLE]
    planned: list[tuple[Resource, list[str]]] = []
    for resource in infrastructure:
        if resource.type in KINDS:
            count = _count(resource, s)
            if count != CANNOT:
                planned.append((resource, s.plan(resource, KINDS[resource.type], count)))
        elif resource.type not in MERGED:
            s.report("H2K502", f"{resource.name} ({resource.type}) stays in the residual Heat stack: "
                     f"{no_kind_reason(resource.type)}", resource.span)
            s.failed[resource.name] = None
    for resource, names in planned:
        mark = s.checkpoint()
        objects = [obj for index, name in enumerate(names)
                   if (obj := _member(resource, name, index if resource.replication else None, s)) is not None]
        if resource.name in s.failed or resource.name in excluded:
            s.failed[resource.name] = None
            s.rollback(mark)
        else:
            s.written[resource.name] = objects
    s.current = None
    for work in list(s.later):
        work()
    for resource in infrastructure:
        if resource.type in MERGERS:
            _merge(resource, s)
    return s


def _merge(resource: Resource, s: State) -> None:
    """A resource that completes other objects: once, or once per member of its group."""
    count = _count(resource, s)
    if count == CANNOT:
        return
    mark = s.checkpoint()
    for index in range(count) if count is not None else [None]:
        member = resource if index is None else \
            dataclasses.replace(resource, properties=member_properties(resource, index))
        s.current = Member(member, "", index)
        MERGERS[resource.type](member, s)
    s.current = None
    if resource.name in s.failed:
        s.rollback(mark)


def _count(resource: Resource, s: State) -> int | None:
    """How many objects a resource makes: None for one, the count of its group, CANNOT when it cannot."""
    replication = resource.replication
    if replication is None:
        return None
    count = replication.count
    if replication.group_type == RESOURCE_GROUP and isinstance(count, Literal) and isinstance(count.value, int) \
            and not isinstance(count.value, bool) and count.value >= 0:
        return count.value
    why = "its size changes at run time" if replication.group_type != RESOURCE_GROUP else \
        "its count is not known at compile time"
    s.report("H2K514", f"{resource.name} is a member of {replication.group_type} ({why}); k-orc has no group "
             "kind, so it stays in the residual Heat stack", replication.span)
    s.failed[resource.name] = None
    return CANNOT


def _member(resource: Resource, name: str, index: int | None, s: State) -> dict[str, Any] | None:
    """The object of one member (or of the resource), added to the state; None when it cannot be written."""
    kind = KINDS[resource.type]
    if index is not None:
        resource = dataclasses.replace(resource, properties=member_properties(resource, index), object_name=name)
    member = Member(resource, name, index)
    s.current = member
    imported = _imported(member, kind, s)
    if imported is not None:
        return imported if imported else None
    spec = EMITTERS[resource.type](member, s)
    if spec is None or resource.name in s.failed:
        return None
    if kind in BARE:
        obj = s.head(kind, resource, name)
        obj["spec"] = spec
    else:
        obj = s.managed(kind, resource, name, spec, _on_delete(resource, s))
    s.add(resource, obj)
    return obj


def _imported(member: Member, kind: str, s: State) -> dict[str, Any] | None:
    """The import of an existing resource (`external_id`, or the unmanaged policy); None to create it.

    An empty dict means the resource cannot be imported (reported, and kept by Heat).
    """
    resource = member.resource
    external = resource.external_id
    if kind in BARE or (external is None and s.ctx.management_policy == "managed"):
        return None
    if isinstance(external, Literal) and isinstance(external.value, str) and external.value:
        value = external.value
        selector: dict[str, Any] = {"id": value} if UUID.fullmatch(value) and kind != "KeyPair" else \
            {"filter": {"name": value}}
        why = "external_id"
    else:
        given = resource.properties.get("name")
        if external is not None or not (isinstance(given, Literal) and isinstance(given.value, str) and given.value):
            s.keep(resource, "k-orc imports it only by a literal external_id or name")
            return {}
        selector, why = {"filter": {"name": given.value}}, "the unmanaged policy"
    obj = s.unmanaged(kind, resource, member.name, selector)
    s.add(resource, obj)
    s.report("H2K503", f"{resource.name} already exists ({why}): the unmanaged k-orc {kind} {member.name} imports "
             "it, and its properties are not applied", (external or resource.properties).span, Severity.INFO)
    return obj


def _on_delete(resource: Resource, s: State) -> str | None:
    """Heat's `deletion_policy`: Retain keeps the resource when the object is deleted (`detach`)."""
    policy = resource.deletion_policy
    value = policy.value if isinstance(policy, Literal) else None
    if value == "Retain":
        return "detach"
    if value == "Snapshot":
        assert policy is not None
        s.report("H2K501", f"deletion_policy Snapshot of {resource.name}: k-orc takes no snapshot; the resource is "
                 "kept instead when its object is deleted (onDelete: detach)", policy.span)
        return "detach"
    return None


def _validate(result: OrcResult, ctx: OrcContext) -> None:
    from h2k.validate import kubernetes, orc

    version = kubernetes.default_version()
    for item in result.objects:
        api_version = item.object.get("apiVersion")
        errors = orc.validate(item.object) if api_version == orc.API_VERSION else \
            kubernetes.validate(item.object, version)
        for error in errors:
            ctx.sink.report("H2K515", f"{item.kind}/{item.name} from {item.resource.name} is invalid: {error}",
                            item.resource.span)
