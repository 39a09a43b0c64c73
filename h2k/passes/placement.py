"""Decide which side each resource lands on: Kubernetes runs the workload, OpenStack keeps the rest.

The policy is a table (type -> why it stays on OpenStack), then choices: per resource
(`targets:` in the config file, then `metadata: {h2k.io/target: openstack|kubernetes|kubevirt}`),
and for servers without one, the server policy (`--servers`, then `servers:` in the config file):
`auto` makes a container of a server whose container image is known (metadata `h2k.io/image`
or the config's `images:`), or whose boot script the immutability pass turned into an image
recipe with confidence, and keeps the others as virtual machines (on OpenStack, or on KubeVirt
with `fallback: kubevirt` in the config); `container` and `openstack`
decide for all, and `kubevirt` keeps every server a virtual machine, but on Kubernetes (a KubeVirt
VirtualMachine, role `virtual-machine`), where what is attached to it follows it. Then what is
attached to a server kept on OpenStack as a virtual machine stays with it: its volume attachments
and the volumes only it uses, its deployments and the configs only they use, its ports and
floating IPs, the wait conditions it signals, its key pair, its server group, the scaling
policies and alarms of its group, and a load balancer whose members are all such servers.
A resource that stays gets the role `infrastructure` and a note saying why (H2K303).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr, referenced_resource
from h2k.ir.links import (
    INSTANCE_TYPES,
    deployment_servers,
    floating_ip_instance,
    port_instance,
    references,
    resource_target,
    signalling_servers,
)
from h2k.ir.nodes import Placement, Resource, Stack
from h2k.ir.visit import calls
from h2k.passes.context import PassContext

INFRASTRUCTURE_ROLE = "infrastructure"
TARGET_KEY = "h2k.io/target"
VM_ROLE = "virtual-machine"  # a server kept as a virtual machine on Kubernetes (KubeVirt)
TARGETS = ("openstack", "kubernetes", "kubevirt")
SERVER_POLICIES = ("auto", "container", "openstack", "kubevirt")

# Resource type (or a prefix ending in `::`) -> why it stays on OpenStack. Exact types win over
# prefixes; types the Kubernetes backend translates (security groups, floating IPs, LBaaS) are
# in its role table and never reach this one.
INFRASTRUCTURE: dict[str, str] = {
    "OS::Neutron::": "Neutron networking stays with OpenStack; pods use the cluster network",
    "OS::Neutron::Port": "a port with a fixed address, or one no translated workload uses, stays with OpenStack",
    "OS::Keystone::": "identity objects belong to the cloud, not to the application",
    "OS::Swift::": "object storage stays with OpenStack; workloads reach it through its API",
    "OS::Designate::": "DNS zones and records stay with OpenStack",
    "OS::Glance::": "virtual machine images stay with OpenStack",
    "OS::Barbican::": "secrets kept in Barbican stay there (load balancers refer to its TLS containers)",
    "OS::Trove::": "database instances of OpenStack's database service stay there",
    "OS::Manila::": "shared file systems stay with OpenStack",
    "OS::Magnum::": "container clusters are infrastructure",
    "OS::Zaqar::": "message queues stay with OpenStack",
    "OS::Mistral::": "workflows run in OpenStack's workflow service",
    "OS::Blazar::": "reservations are made in OpenStack",
    "OS::Ironic::": "bare-metal nodes stay with OpenStack",
    "OS::Vitrage::": "root-cause templates stay with OpenStack",
    "OS::Nova::Flavor": "flavors are cloud configuration",
    "OS::Nova::HostAggregate": "host aggregates are cloud configuration",
    "OS::Nova::Quota": "quotas are cloud configuration",
    "OS::Cinder::Quota": "quotas are cloud configuration",
    "OS::Cinder::QoSSpecs": "volume QoS specifications are cloud configuration",
    "OS::Cinder::QoSAssociation": "volume QoS specifications are cloud configuration",
    "OS::Cinder::EncryptedVolumeType": "volume encryption is configured in Cinder",
    "OS::Octavia::Flavor": "load balancer flavors are cloud configuration",
    "OS::Octavia::FlavorProfile": "load balancer flavors are cloud configuration",
    "OS::Octavia::Quota": "quotas are cloud configuration",
    "OS::Aodh::EventAlarm": "event alarms act on OpenStack events",
    "OS::Aodh::CompositeAlarm": "alarms that drive no scaling policy act in OpenStack",
    "OS::Aodh::LBMemberHealthAlarm": "it marks unhealthy load-balancer members in OpenStack",
}
# Retired projects: Heat itself no longer offers these types.
RETIRED = ("OS::Sahara::", "OS::Senlin::", "OS::Monasca::")


def infrastructure_reason(resource_type: str) -> str | None:
    if resource_type in INFRASTRUCTURE:
        return INFRASTRUCTURE[resource_type]
    prefix = resource_type.rsplit("::", 1)[0] + "::"
    return INFRASTRUCTURE.get(prefix)


@dataclass
class _Placement:
    stack: Stack
    ctx: PassContext
    by_name: dict[str, Resource] = field(default_factory=dict)
    # Resource name -> why it stays on OpenStack.
    kept: dict[str, str] = field(default_factory=dict)
    # Resources whose side was chosen explicitly (never moved by propagation).
    chosen: dict[str, str] = field(default_factory=dict)
    # Servers kept as virtual machines by the server policy (a warning: the user may want otherwise).
    servers_kept: set[str] = field(default_factory=set)
    # Servers that become KubeVirt virtual machines.
    on_kubevirt: set[str] = field(default_factory=set)
    # Servers on KubeVirt because `auto` could not make containers of them (fallback: kubevirt): why.
    fallback: dict[str, str] = field(default_factory=dict)
    used_by: dict[str, list[Resource]] | None = None

    def users(self, name: str) -> list[Resource]:
        """The resources that refer to `name` (an index built once: propagation asks often)."""
        if self.used_by is None:
            self.used_by = {}
            for resource in self.stack.resources:
                for target in references(resource) - {resource.name}:
                    self.used_by.setdefault(target, []).append(resource)
        return self.used_by.get(name, [])

    def on_openstack(self, name: str | None) -> bool:
        return name is not None and name in self.kept

    def keep(self, resource: Resource, reason: str) -> bool:
        if resource.name in self.kept or self.chosen.get(resource.name) == "kubernetes":
            return False
        self.kept[resource.name] = reason
        return True


def place(stack: Stack, ctx: PassContext) -> Stack:
    state = _Placement(stack, ctx, {r.name: r for r in stack.resources})
    for resource in stack.resources:
        choice = _choice(resource, ctx)
        if choice == "kubernetes" and resource.role == INFRASTRUCTURE_ROLE:
            ctx.sink.report("H2K303", f"{resource.name} was chosen for Kubernetes, but {resource.type} has no "
                            "Kubernetes counterpart", resource.span, Severity.WARNING)
            choice = "openstack"
        if choice == "kubevirt" and resource.type != "OS::Nova::Server":
            ctx.sink.report("H2K103", f"{TARGET_KEY} kubevirt of {resource.name} is only for OS::Nova::Server; "
                            f"{resource.type} is placed as for kubernetes", resource.span)
            choice = "kubernetes"
        if choice == "kubevirt":
            state.on_kubevirt.add(resource.name)
            choice = "kubernetes"
        if choice is not None:
            state.chosen[resource.name] = choice
            if choice == "openstack":
                state.kept[resource.name] = "chosen for OpenStack"
            continue
        if resource.role == INFRASTRUCTURE_ROLE and resource.type != "OS::Neutron::Port":  # ports: _propagate
            state.kept[resource.name] = infrastructure_reason(resource.type) or "it stays with OpenStack"
        elif resource.type == "OS::Nova::Server" and ctx.servers == "kubevirt":
            state.on_kubevirt.add(resource.name)
        elif resource.type == "OS::Nova::Server":
            reason = _server_reason(resource, ctx)
            if reason is not None and ctx.fallback == "kubevirt":
                state.on_kubevirt.add(resource.name)
                state.fallback[resource.name] = reason
            elif reason is not None:
                state.kept[resource.name] = reason
                state.servers_kept.add(resource.name)
    _propagate(state)
    resources = []
    for resource in stack.resources:
        placement = _placement(resource, state)
        if resource.name in state.servers_kept:
            ctx.sink.report("H2K305", f"server {resource.name} stays on OpenStack as a virtual machine: "
                            f"{state.kept[resource.name]}", resource.span)
            resource = dataclasses.replace(resource, role=INFRASTRUCTURE_ROLE)
        elif resource.name in state.kept:
            ctx.sink.report("H2K303", f"{resource.name} ({resource.type}) stays on OpenStack: "
                            f"{state.kept[resource.name]}", resource.span)
            resource = dataclasses.replace(resource, role=INFRASTRUCTURE_ROLE)
        elif resource.role == INFRASTRUCTURE_ROLE and resource.type == "OS::Neutron::Port":
            resource = dataclasses.replace(resource, role="port")
        elif resource.name in state.on_kubevirt:
            resource = dataclasses.replace(resource, role=VM_ROLE)
        resources.append(dataclasses.replace(resource, placement=placement))
    return dataclasses.replace(stack, resources=tuple(resources))


def _placement(resource: Resource, state: _Placement) -> Placement:
    """The side `resource` landed on and the rule that decided it, from what `place` recorded."""
    ctx, name, kind = state.ctx, resource.name, resource.type
    chosen_by = "targets" if name in ctx.targets else "metadata"
    given = resource.metadata.get(TARGET_KEY) if isinstance(resource.metadata, MapExpr) else None
    requested = ctx.targets.get(name) or _literal(given)
    if name in state.servers_kept:
        return Placement("openstack", "servers", state.kept[name], guess=ctx.servers == "auto")
    if name in state.kept:
        if state.chosen.get(name) == "openstack" and requested != "openstack":
            reason = infrastructure_reason(kind) or "it stays with OpenStack"
            return Placement("openstack", "type", f"{reason}; it was chosen for {requested}, which has no "
                             f"counterpart for {kind}")
        if state.chosen.get(name) == "openstack":
            return Placement("openstack", chosen_by, "chosen for openstack")
        if resource.role == INFRASTRUCTURE_ROLE and kind != "OS::Neutron::Port":
            return Placement("openstack", "type", state.kept[name])
        return Placement("openstack", "attached", state.kept[name])
    if name in state.chosen:
        return Placement("kubernetes", chosen_by, f"chosen for {requested}")
    if kind == "OS::Nova::Server":
        if ctx.servers != "auto":
            return Placement("kubernetes", "servers", f"the server policy is {ctx.servers}")
        if name in state.fallback:
            return Placement("kubernetes", "servers", f"a KubeVirt virtual machine (fallback: kubevirt): "
                             f"{state.fallback[name]}", guess=True)
        if isinstance(resource.metadata, MapExpr) and resource.metadata.get("h2k.io/image") is not None:
            return Placement("kubernetes", "servers", "its container image is known (metadata h2k.io/image)")
        image = resource.properties.get("image")
        if not (isinstance(image, Literal) and image.value in ctx.container_images) and resource.recipe is not None:
            return Placement("kubernetes", "servers", "its boot script becomes an image that h2k understood line by "
                             "line (images/ in the output)")
        return Placement("kubernetes", "servers", "its container image is known (images: in the config file)")
    if kind == "OS::Neutron::Port" and resource.role == INFRASTRUCTURE_ROLE:
        server = port_instance(state.stack, name)
        return Placement("kubernetes", "attached", f"it only connects {server.name if server else 'a workload'}, "
                         "which moves to Kubernetes; the pod gets its address from the cluster network")
    if resource.role:
        return Placement("kubernetes", "type", f"{kind} has a Kubernetes counterpart (role {resource.role})")
    if kind.startswith(RETIRED):
        return Placement("none", "type", "its OpenStack project is retired; Heat no longer offers the type")
    return Placement("none", "type", f"h2k does not translate {kind} yet")


def _choice(resource: Resource, ctx: PassContext) -> str | None:
    """An explicit side for this resource: the config's `targets`, then its metadata."""
    if resource.name in ctx.targets:
        return ctx.targets[resource.name]
    value = resource.metadata.get(TARGET_KEY) if isinstance(resource.metadata, MapExpr) else None
    if value is None:
        return None
    if isinstance(value, Literal) and value.value in TARGETS:
        return str(value.value)
    ctx.sink.report("H2K103", f"metadata {TARGET_KEY} of {resource.name} must be one of {', '.join(TARGETS)}",
                    value.span)
    return None


def _server_reason(server: Resource, ctx: PassContext) -> str | None:
    """Why a server without an explicit choice stays a virtual machine, or None when it moves."""
    if ctx.servers == "openstack":
        return "servers stay virtual machines (--servers openstack)"
    if ctx.servers == "container":
        return None
    metadata = server.metadata
    image_hint = metadata.get("h2k.io/image") if isinstance(metadata, MapExpr) else None
    if isinstance(image_hint, Literal) and isinstance(image_hint.value, str) and image_hint.value:
        return None
    image = server.properties.get("image")
    if isinstance(image, Literal) and image.value in ctx.container_images:
        return None
    recipe = server.recipe
    if recipe is not None and recipe.confident:
        return None  # its boot script becomes an image recipe that h2k understood line by line
    shown = repr(image.value) if isinstance(image, Literal) else "(known only at deploy time)"
    why = (f"its boot script cannot become an image with confidence ({'; '.join(recipe.blockers())}), and "
           if recipe is not None else "it has no boot script to build an image from, and ")
    return (f"{why}no container image is known for its image {shown} (set metadata h2k.io/image, map the image "
            "under images: in the config file, or use --servers container)")


def _propagate(state: _Placement) -> None:
    """What is attached to servers kept on OpenStack stays with them, until nothing changes."""
    changed = True
    while changed:
        changed = False
        for resource in state.stack.resources:
            if resource.name in state.kept or resource.name in state.chosen:
                continue
            reason = _attached_reason(resource, state)
            if reason is not None:
                changed = state.keep(resource, reason) or changed


def _attached_reason(resource: Resource, state: _Placement) -> str | None:
    stack = state.stack
    kind = resource.type
    if kind == "OS::Cinder::VolumeAttachment":
        attached_to = resource_target(resource.properties.get("instance_uuid"))
        return f"it attaches a volume to {attached_to}, which stays on OpenStack" \
            if state.on_openstack(attached_to) else None
    if kind == "OS::Cinder::Volume":
        return _all_users_kept(resource, state, "the servers it is attached to stay on OpenStack",
                               lambda r: r.type in ("OS::Cinder::VolumeAttachment", *INSTANCE_TYPES))
    if resource.role == "software-deployment":
        names = [name for name, _ in deployment_servers(resource)]
        if names and all(state.on_openstack(n) for n in names):
            return f"it runs on {', '.join(n for n in names if n)}, which stays on OpenStack"
        return None
    if resource.role == "software-config":
        return _all_users_kept(resource, state, "the servers and deployments that use it stay on OpenStack",
                               lambda r: r.role == "software-deployment" or r.type in INSTANCE_TYPES)
    if kind == "OS::Neutron::Port":
        server = port_instance(stack, resource.name)
        if server is None:
            return "no translated workload uses it"
        if _fixed_address(resource):
            return "it has a fixed address, which a pod cannot keep"
        return f"it is a port of {server.name}, which stays on OpenStack" if state.on_openstack(server.name) \
            else None
    if resource.role == "floating-ip":
        server = floating_ip_instance(stack, resource)
        if server is None:
            return "it fronts no translated workload"
        return f"it is the address of {server.name}, which stays on OpenStack" \
            if state.on_openstack(server.name) else None
    if resource.role == "floating-ip-association":
        fip = resource_target(resource.properties.get("floatingip_id") or resource.properties.get("floating_ip"))
        return f"it associates {fip}, which stays on OpenStack" if state.on_openstack(fip) else None
    if resource.role == "wait-condition":
        servers = signalling_servers(stack, resource)
        if servers and all(state.on_openstack(s.name) for s in servers):
            return f"{', '.join(s.name for s in servers)} signal it from OpenStack"
        return None
    if resource.role == "wait-handle":
        return _all_users_kept(resource, state, "the wait conditions and servers that use it stay on OpenStack",
                               lambda r: True)
    if resource.role == "network-policy":
        return _all_users_kept(resource, state, "the servers and ports that use it stay on OpenStack",
                               lambda r: r.type in INSTANCE_TYPES or r.type == "OS::Neutron::Port"
                               or r.role == "network-policy")
    if resource.role == "key-pair" and any(
            call.function == "get_attr" and referenced_resource(call) == resource.name
            for user in state.users(resource.name) for call in calls(user.properties)):
        return "Heat generates it and the workload reads its keys"
    if resource.role in ("key-pair", "server-group"):
        return _all_users_kept(resource, state, "the servers that use it stay on OpenStack",
                               lambda r: r.type in INSTANCE_TYPES, by_name=resource.role == "key-pair")
    if resource.role in ("scaling-policy", "alarm"):
        targets = [name for name in references(resource) if name in state.by_name]
        if targets and all(state.on_openstack(n) for n in targets):
            return "what it scales stays on OpenStack"
        return None
    if resource.role == "load-balancer":
        members = _balanced_servers(resource, state)
        if members and all(state.on_openstack(n) for n in members):
            return "all its members stay on OpenStack"
        return None
    if resource.role.startswith("lb-"):
        owners = [name for name in references(resource) if name in state.by_name
                  and state.by_name[name].role.startswith(("lb-", "load-balancer"))]
        if owners and all(state.on_openstack(n) for n in owners):
            return "its load balancer stays on OpenStack"
        return None
    return None


def _all_users_kept(resource: Resource, state: _Placement, reason: str, counts: Callable[[Resource], bool],
                    by_name: bool = False) -> str | None:
    """`reason` when every resource that uses `resource` (of the kinds that count) stays on OpenStack."""
    users = [u for u in state.users(resource.name) if counts(u)]
    given = resource.properties.get("name")
    if by_name and isinstance(given, Literal):  # a key pair is usually given by name: `key_name: my_key`
        users += [s for s in state.stack.resources if s.type in INSTANCE_TYPES and s not in users
                  and _literal(s.properties.get("key_name")) == given.value]
    if users and all(state.on_openstack(u.name) for u in users):
        return reason
    return None


def _literal(expr: Expr | None) -> object:
    return expr.value if isinstance(expr, Literal) else None


def _fixed_address(port: Resource) -> bool:
    fixed = port.properties.get("fixed_ips")
    return isinstance(fixed, ListExpr) and any(isinstance(item, MapExpr) and item.get("ip_address") is not None
                                               for item in fixed.items)


def _balanced_servers(balancer: Resource, state: _Placement) -> list[str]:
    """The servers behind a load balancer's pool members (the `address` of a member names its server)."""
    pools = {r.name for r in state.stack.resources if r.role == "lb-pool" and balancer.name in _chain(r, state)}
    servers = []
    for member in state.stack.resources:
        named = references(member)
        if member.role == "lb-member" and named & pools:
            servers += [n for n in named if n in state.by_name and state.by_name[n].type in INSTANCE_TYPES]
    return servers


def _chain(resource: Resource, state: _Placement, seen: frozenset[str] = frozenset()) -> set[str]:
    """The resources a load-balancer part reaches through its references (listener -> balancer)."""
    found: set[str] = set()
    for name in references(resource) - seen:
        target = state.by_name.get(name)
        if target is not None and (target.role.startswith("lb-") or target.role == "load-balancer"):
            found.add(name)
            found |= _chain(target, state, seen | {resource.name})
    return found
