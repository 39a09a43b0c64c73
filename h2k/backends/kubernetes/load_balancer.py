"""Octavia (and Neutron LBaaS v2) load balancers -> Services of type LoadBalancer.

cloud-provider-openstack creates an Octavia load balancer for every such Service, so the chain
load balancer -> listeners -> pools -> members -> health monitor becomes one Service: a port per
listener (to the members' port), the pool's algorithm and the health monitor as the provider's
`loadbalancer.openstack.org/*` annotations, and the pods of the servers the members point at as
its selector (they get the label `lb.h2k.io/<load balancer>: "true"`). An HTTP health monitor also
becomes a readiness probe of those servers' containers. An HTTP listener with L7 policies routes by
host and path, which a Service cannot: it becomes an Ingress instead (ingress.py), and the pools
only it routes to are not behind the Service.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from h2k.backends.kubernetes.adoption import adopted_balancer
from h2k.backends.kubernetes.context import BackendContext
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, Literal, referenced_resource
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.ir.visit import calls

LABEL_PREFIX = "lb.h2k.io/"
ANNOTATION = "loadbalancer.openstack.org/"
_PROTOCOLS = {"UDP": "UDP", "SCTP": "SCTP"}  # HTTP, HTTPS, TERMINATED_HTTPS, PROXY, TCP: TCP
L7_PROTOCOLS = ("HTTP", "TERMINATED_HTTPS")  # the listeners L7 policies apply to

MAPPED = {
    "load balancer": "the Service (`type: LoadBalancer`); `flavor` the `flavor-id` annotation; `vip_subnet`, "
                     "`vip_address`, `provider` are the cloud provider's configuration (H2K402)",
    "listener `protocol`, `protocol_port`": "a Service port (TCP, or UDP/SCTP); `connection_limit` the "
                                            "`connection-limit` annotation",
    "pool `lb_algorithm`": "the `lb-method` annotation",
    "member `address` (`get_attr` of a server), `protocol_port`": "the Service's selector (the server's pods get "
                                                                  "`lb.h2k.io/<load balancer>`) and `targetPort`",
    "health monitor `delay`, `timeout`, `max_retries`, `max_retries_down`": "the `health-monitor-*` annotations; "
        "with `type: HTTP`/`HTTPS` and `url_path` also a readiness probe of the members' containers",
    "listener with L7 policies": "not a port of the Service: an Ingress (see OS::Octavia::L7Policy)",
}


@dataclass
class Chain:
    balancer: Resource
    listeners: list[Resource] = field(default_factory=list)
    pools: dict[str, Resource] = field(default_factory=dict)  # listener name -> its default pool
    all_pools: list[Resource] = field(default_factory=list)  # with the pools of the load balancer itself
    members: dict[str, list[Resource]] = field(default_factory=dict)  # pool name -> members
    monitors: dict[str, Resource] = field(default_factory=dict)  # pool name -> monitor
    policies: dict[str, list[Resource]] = field(default_factory=dict)  # listener name -> its L7 policies
    rules: dict[str, list[Resource]] = field(default_factory=dict)  # L7 policy name -> its rules

    def routed(self) -> list[Resource]:
        """The listeners that route by host and path (HTTP ones with L7 policies): Ingresses."""
        return [listener for listener in self.listeners if self.policies.get(listener.name)
                and _text(listener.properties.get("protocol")) in L7_PROTOCOLS]

    def routed_pools(self) -> set[str]:
        """Pools an Ingress sends requests to: the default pools and redirect pools of routed listeners."""
        names = set()
        for listener in self.routed():
            pool = self.pools.get(listener.name)
            if pool is not None:
                names.add(pool.name)
            names.update(_target(policy, "redirect_pool") for policy in self.policies[listener.name])
        return names & {pool.name for pool in self.all_pools}

    def service_pools(self) -> list[Resource]:
        """Pools behind the Service: all but those only an Ingress routes to."""
        routed = {listener.name for listener in self.routed()}
        served = {pool.name for name, pool in self.pools.items() if name not in routed}
        only_routed = self.routed_pools() - served
        return [pool for pool in self.all_pools if pool.name not in only_routed]


def _target(resource: Resource, key: str) -> str:
    return resource_target(resource.properties.get(key)) or ""


def chains(ctx: BackendContext) -> dict[str, Chain]:
    """Every load balancer with its listeners, pools, members, monitors, L7 policies and rules."""
    found = {r.name: Chain(r) for r in ctx.stack.resources if r.role == "load-balancer"}
    by_name = {r.name: r for r in ctx.stack.resources}
    for resource in ctx.stack.resources:
        if resource.role == "lb-listener" and _target(resource, "loadbalancer") in found:
            found[_target(resource, "loadbalancer")].listeners.append(resource)
    for resource in ctx.stack.resources:
        if resource.role != "lb-pool":
            continue
        listener = by_name.get(_target(resource, "listener"))
        balancer = _target(listener, "loadbalancer") if listener else _target(resource, "loadbalancer")
        if balancer in found:
            found[balancer].all_pools.append(resource)
            if listener is not None:
                found[balancer].pools[listener.name] = resource
    for chain in found.values():  # a listener may name its pool instead (`default_pool`)
        pools = {pool.name: pool for pool in chain.all_pools}
        for listener in chain.listeners:
            if listener.name not in chain.pools and _target(listener, "default_pool") in pools:
                chain.pools[listener.name] = pools[_target(listener, "default_pool")]
    pool_owner = {p.name: chain for chain in found.values() for p in chain.all_pools}
    listener_owner = {li.name: chain for chain in found.values() for li in chain.listeners}
    for resource in ctx.stack.resources:
        owner = pool_owner.get(_target(resource, "pool"))
        if resource.role == "lb-member" and owner is not None:
            owner.members.setdefault(_target(resource, "pool"), []).append(resource)
        elif resource.role == "lb-monitor" and owner is not None:
            owner.monitors[_target(resource, "pool")] = resource
        elif resource.role == "lb-l7-policy" and _target(resource, "listener") in listener_owner:
            listener_owner[_target(resource, "listener")].policies.setdefault(_target(resource, "listener"),
                                                                              []).append(resource)
    policy_owner = {p.name: chain for chain in found.values() for ps in chain.policies.values() for p in ps}
    for resource in ctx.stack.resources:
        if resource.role == "lb-l7-rule" and _target(resource, "l7policy") in policy_owner:
            policy_owner[_target(resource, "l7policy")].rules.setdefault(_target(resource, "l7policy"),
                                                                         []).append(resource)
    return found


def member_server(member: Resource, ctx: BackendContext) -> Resource | None:
    """The server whose address a pool member points at."""
    for call in calls(member.properties.get("address")):
        server = ctx.stack.resource(referenced_resource(call) or "")
        if server is not None and server.role in ("workload", "virtual-machine"):
            return server
    return None


def pod_labels(ctx: BackendContext) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for chain in chains(ctx).values():
        for pool in chain.service_pools():
            for member in chain.members.get(pool.name, []):
                server = member_server(member, ctx)
                if server is not None:
                    labels.setdefault(server.name, {})[f"{LABEL_PREFIX}{chain.balancer.object_name}"] = "true"
    return labels


def readiness_probes(ctx: BackendContext) -> dict[str, dict[str, object]]:
    """Server name -> the readiness probe an HTTP health monitor of its pool makes."""
    probes: dict[str, dict[str, object]] = {}
    for chain in chains(ctx).values():
        for pool, monitor in chain.monitors.items():
            kind, path = _text(monitor.properties.get("type")), _text(monitor.properties.get("url_path")) or "/"
            if kind not in ("HTTP", "HTTPS"):
                continue
            for member in chain.members.get(pool, []):
                server, port = member_server(member, ctx), _int(member.properties.get("protocol_port"))
                if server is None or port is None:
                    continue
                probe: dict[str, object] = {"httpGet": {"path": path, "port": port, "scheme": kind}}
                for key, field_name in (("delay", "periodSeconds"), ("timeout", "timeoutSeconds"),
                                        ("max_retries", "failureThreshold")):
                    value = _int(monitor.properties.get(key))
                    if value:
                        probe[field_name] = value
                probes[server.name] = probe
    return probes


def _text(expr: Expr | None) -> str | None:
    return str(expr.value) if isinstance(expr, Literal) and expr.value is not None else None


def _int(expr: Expr | None) -> int | None:
    if isinstance(expr, Literal) and isinstance(expr.value, int) and not isinstance(expr.value, bool):
        return expr.value
    return None


def emit_load_balancer(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    chain = chains(ctx)[resource.name]
    routed = chain.routed()
    listeners = [listener for listener in chain.listeners if listener not in routed]
    if routed and not listeners:
        for key, _ in resource.properties.entries:
            severity = Severity.INFO if key.value in ("name", "description") else None
            ctx.drop(resource, str(key.value), "octavia-ingress-controller creates the load balancer of an Ingress "
                     "from its own configuration", key.span, severity)
        return []  # its listeners are Ingresses
    annotations: dict[str, str] = {}
    for key, value in resource.properties.entries:
        if key.value == "flavor" and _text(value):
            annotations[f"{ANNOTATION}flavor-id"] = str(_text(value))
        elif key.value in ("name", "description"):
            ctx.drop(resource, str(key.value), "the Service is named after the resource", key.span, Severity.INFO)
        else:
            ctx.drop(resource, str(key.value), "the cloud provider's own configuration decides it", key.span)
    ports = []
    for listener in listeners:
        port = _int(listener.properties.get("protocol_port"))
        if port is None:
            ctx.sink.report("H2K302", f"the port of listener {listener.name} is not known at compile time",
                            listener.span)
            continue
        pool = chain.pools.get(listener.name)
        target = member_port(chain.members.get(pool.name, []) if pool else [], ctx) or port
        protocol = _PROTOCOLS.get(_text(listener.properties.get("protocol")) or "TCP", "TCP")
        ports.append({"name": f"{protocol.lower()}-{port}", "port": port, "targetPort": target, "protocol": protocol})
        limit = _int(listener.properties.get("connection_limit"))
        if limit and limit > 0:
            annotations[f"{ANNOTATION}connection-limit"] = str(limit)
        if pool is not None and _text(pool.properties.get("lb_algorithm")):
            annotations[f"{ANNOTATION}lb-method"] = str(_text(pool.properties.get("lb_algorithm")))
    served = {pool.name for pool in chain.service_pools()}
    for monitor in (m for pool, m in chain.monitors.items() if pool in served):
        annotations[f"{ANNOTATION}enable-health-monitor"] = "true"
        for setting, name in (("delay", "delay"), ("timeout", "timeout"), ("max_retries", "max-retries"),
                              ("max_retries_down", "max-retries-down")):
            number = _int(monitor.properties.get(setting))
            if number is not None:
                annotations[f"{ANNOTATION}health-monitor-{name}"] = str(number)
    if not ports:
        ctx.sink.report("H2K402", f"load balancer {resource.name} has no listener with a known port; no Service is "
                        "written", resource.span)
        return []
    if not any(member_server(m, ctx) for pool in served for m in chain.members.get(pool, [])):
        ctx.sink.report("H2K402", f"the members of load balancer {resource.name} are not servers of this template; the "
                        "Service selects no pods", resource.span)
    adopted_balancer(resource, annotations, ctx)
    metadata = ctx.metadata(resource)
    if annotations:
        metadata["annotations"] = {**metadata["annotations"], **dict(sorted(annotations.items()))}  # type: ignore[dict-item]
    spec = {"type": "LoadBalancer", "selector": {f"{LABEL_PREFIX}{resource.object_name}": "true"}, "ports": ports}
    return [{"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": spec}]


def member_port(members: list[Resource], ctx: BackendContext) -> int | None:
    ports = {p for p in (_int(m.properties.get("protocol_port")) for m in members) if p is not None}
    if len(ports) > 1:
        ctx.sink.report("H2K402", f"pool members listen on several ports ({sorted(ports)}); the Service targets "
                        f"{min(ports)}", members[0].span)
    return min(ports) if ports else None


def owned(resource: Resource, ctx: BackendContext) -> bool:
    """Whether a part belongs to a load balancer of the template; a part that does not is reported."""
    if any(resource.name in {r.name for r in (*c.listeners, *c.all_pools, *c.monitors.values(),
                                              *(m for ms in c.members.values() for m in ms),
                                              *(p for ps in c.policies.values() for p in ps),
                                              *(r for rs in c.rules.values() for r in rs))}
           for c in chains(ctx).values()):
        return True
    ctx.sink.report("H2K301", f"{resource.name} ({resource.type}) belongs to no load balancer of this template; it "
                    "is not translated", resource.span)
    return False


def emit_part(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """Listeners, pools, members and monitors are part of their load balancer's Service."""
    if not owned(resource, ctx):
        return []
    used = _USED[resource.role]
    for key, _ in resource.properties.entries:
        name = str(key.value)
        if name in ("name", "description"):
            ctx.drop(resource, name, "it is part of its load balancer's Service", key.span, Severity.INFO)
        elif name == "subnet":
            ctx.drop(resource, name, "the Service selects the member's pods by label", key.span, Severity.INFO)
        elif name not in used:
            ctx.drop(resource, name, "the Service of a cloud-provider load balancer has no such setting", key.span)
    return []


_USED = {
    "lb-listener": frozenset({"loadbalancer", "protocol", "protocol_port", "connection_limit", "default_pool"}),
    "lb-pool": frozenset({"listener", "loadbalancer", "lb_algorithm", "protocol"}),
    "lb-member": frozenset({"pool", "address", "protocol_port"}),
    "lb-monitor": frozenset({"pool", "type", "delay", "timeout", "max_retries", "max_retries_down", "url_path"}),
}
