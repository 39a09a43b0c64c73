"""Who is attached to whom: the links between resources that decide where they land.

A floating IP is on a server through a port, an association or the server's `networks`; a
volume attachment joins a volume to a server; a deployment runs on servers; a wait condition is
signalled by the servers that use its handle. Both the placement pass (a server kept on OpenStack
keeps what is attached to it) and the backends (a Service in front of a server's pods) follow
these links, so they are read in one place, by resource type, whatever the resource becomes.
"""

from __future__ import annotations

from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, referenced_resource
from h2k.ir.nodes import Resource, Stack
from h2k.ir.visit import calls

INSTANCE_TYPES = frozenset({"OS::Nova::Server", "OS::Zun::Container"})
# Attributes of a server or a Zun container that are (or contain) its address.
ADDRESS_ATTRIBUTES = frozenset({"first_address", "addresses", "networks", "accessIPv4", "accessIPv6"})


def resource_target(expr: Expr | None) -> str | None:
    """The resource a `{get_resource: name}` names."""
    return referenced_resource(expr) if isinstance(expr, Call) and expr.function == "get_resource" else None


def references(resource: Resource) -> set[str]:
    """Every resource a resource's properties and metadata name (get_resource, get_attr), and depends_on."""
    found = {name for expr in (resource.properties, resource.metadata) for call in calls(expr)
             if (name := referenced_resource(call))}
    return found | set(resource.depends_on)


def address_owner(expr: Expr | None, stack: Stack) -> Resource | None:
    """The server or container whose address or port `{get_attr: [s, addresses, ...]}` is."""
    if not (isinstance(expr, Call) and expr.function == "get_attr" and isinstance(expr.args, ListExpr)
            and len(expr.args.items) > 1 and isinstance(expr.args.items[1], Literal)
            and expr.args.items[1].value in ADDRESS_ATTRIBUTES):
        return None
    target = stack.resource(referenced_resource(expr) or "")
    return target if target is not None and target.type in INSTANCE_TYPES else None


def _instance_with_network(stack: Stack, key: str, target: str) -> Resource | None:
    """The server with a `networks` entry whose `key` (`port`, `floating_ip`) is `target`."""
    return _network_index(stack.resources, key).get(target)


# Asked for every port and floating IP; scanning every server each time made large stacks
# quadratic. The index is kept for the last few resource tuples, by identity (held, so that the
# id is not reused while the index lives).
_NETWORK_INDEXES: dict[tuple[int, str], tuple[tuple[Resource, ...], dict[str | None, Resource]]] = {}


def _network_index(resources: tuple[Resource, ...], key: str) -> dict[str | None, Resource]:
    """`key` target of a `networks` entry -> the first server (in stack order) that has it."""
    cached = _NETWORK_INDEXES.get((id(resources), key))
    if cached is None or cached[0] is not resources:
        if len(_NETWORK_INDEXES) >= 8:
            _NETWORK_INDEXES.clear()
        index: dict[str | None, Resource] = {}
        for server in resources:
            networks = server.properties.get("networks") if server.type in INSTANCE_TYPES else None
            for entry in networks.items if isinstance(networks, ListExpr) else ():
                if isinstance(entry, MapExpr):
                    index.setdefault(resource_target(entry.get(key)), server)
        cached = _NETWORK_INDEXES[(id(resources), key)] = (resources, index)
    return cached[1]


def port_instance(stack: Stack, port: str) -> Resource | None:
    return _instance_with_network(stack, "port", port)


def floating_ip_instance(stack: Stack, fip: Resource) -> Resource | None:
    """The server (or container) a floating IP is on, if the template says."""
    owner = address_owner(fip.properties.get("port_id"), stack)
    if owner is not None:
        return owner
    port = resource_target(fip.properties.get("port_id"))
    if port:
        return port_instance(stack, port)
    for association in stack.resources:
        if "FloatingIPAssociation" not in association.type:
            continue
        target = association.properties.get("floatingip_id") or association.properties.get("floating_ip")
        if resource_target(target) != fip.name:
            continue
        server = stack.resource(resource_target(association.properties.get("server_id")) or "")
        if server is not None and server.type in INSTANCE_TYPES:
            return server
        owner = address_owner(association.properties.get("port_id"), stack)
        if owner is not None:
            return owner
        port = resource_target(association.properties.get("port_id"))
        if port:
            return port_instance(stack, port)
    return _instance_with_network(stack, "floating_ip", fip.name)


def deployment_servers(deployment: Resource) -> list[tuple[str | None, Expr]]:
    """The servers a software deployment (or deployment group) names, with where each is named."""
    found: list[tuple[str | None, Expr]] = []
    single = deployment.properties.get("server")
    if single is not None:
        found.append((_named(single), single))
    many = deployment.properties.get("servers")
    if isinstance(many, MapExpr):
        found += [(_named(value), value) for _, value in many.entries]
    elif many is not None:
        found.append((_named(many), many))
    return found


def _named(expr: Expr) -> str | None:
    return referenced_resource(expr) if isinstance(expr, Call) else None


def signalling_servers(stack: Stack, wait: Resource) -> list[Resource]:
    """The servers whose properties use a wait condition's handle (they send its signal)."""
    handle = resource_target(wait.properties.get("handle"))
    if handle is None:
        return []
    return [server for server in stack.resources if server.type in INSTANCE_TYPES
            and any(referenced_resource(call) == handle for call in calls(server.properties))]


def reads_only_infrastructure(expr: Expr, stack: Stack) -> bool:
    """Whether a value reads resources, all of which stay on OpenStack (the residual stack can output it)."""
    names = {referenced_resource(call) for call in calls(expr)}
    found = [stack.resource(name) for name in names if name]
    return bool(found) and all(r is not None and r.role == "infrastructure" for r in found)
