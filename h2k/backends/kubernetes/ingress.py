"""Octavia (and LBaaS v2) L7 policies and rules -> an Ingress for octavia-ingress-controller.

An HTTP or TERMINATED_HTTPS listener with L7 policies sends each request to a pool by its host and
path, as an Ingress sends it to a Service. So such a listener becomes an Ingress instead of a port
of its load balancer's Service; each pool it routes to becomes a Service of type NodePort (the
controller sends traffic to node ports) selecting the pods of the pool's members, which get the
label `pool.h2k.io/<service>: "true"`; each REDIRECT_TO_POOL policy whose rules an Ingress can
express becomes a path. A policy with anything an Ingress cannot express (another action, a
header, cookie or file-type rule, an inverted rule, a regular expression) is left out whole: a
policy without one of its rules would take requests Octavia never gives it.

The Ingress is marked for octavia-ingress-controller with the `kubernetes.io/ingress.class:
"openstack"` annotation, not `spec.ingressClassName`: the controller ignores Ingresses without
that annotation, whatever their class. It matches every path as a prefix (STARTS_WITH), as Octavia
does, and ignores `pathType`; h2k still writes `Exact` for EQUAL_TO so that another controller
keeps the meaning.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from h2k.backends.kubernetes.context import BackendContext
from h2k.backends.kubernetes.load_balancer import Chain, chains, emit_part, member_port, member_server, owned
from h2k.diagnostics.codes import Severity
from h2k.frontends.hot.constraints import bool_from_string
from h2k.ir.expr import Expr, ListExpr, Literal
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.passes.names import dns_label
from h2k.span import Span

LABEL_PREFIX = "pool.h2k.io/"
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
CLASS = "openstack"
SOURCE_RANGES = "octavia.ingress.kubernetes.io/whitelist-source-range"
DEFAULT_PORT = 80  # a pool whose members' port is not known

POLICY_MAPPED = {
    "listener": "the Ingress its listener becomes (an HTTP or TERMINATED_HTTPS listener; L7 policies of other "
                "listeners are reported, H2K416)",
    "action": "`REDIRECT_TO_POOL`: a path of the Ingress; `REJECT`, `REDIRECT_TO_URL` and `REDIRECT_PREFIX` have "
              "no Ingress counterpart and leave the policy out (H2K416)",
    "redirect_pool": "the path's backend: the NodePort Service of that pool (a pool of the same load balancer)",
    "position": "the order of the Ingress's paths (ties in template order); a policy that an earlier one matches "
                "completely is never applied by Octavia and left out (a note); a host-specific policy after an "
                "overlapping policy for every host is reported (H2K416): an Ingress prefers the host's rule, Octavia "
                "the first policy",
    "admin_state_up": "a disabled policy is left out, as Octavia ignores it (a note)",
    "redirect_url": "nothing: redirects have no Ingress counterpart (H2K416 on `action`)",
    "name": "nothing: the Ingress is named after the listener (H2K402, a note)",
    "description": "nothing (H2K402, a note)",
}
POLICY_HANDLED = frozenset(POLICY_MAPPED)

RULE_MAPPED = {
    "l7policy": "the path of that policy (its rules must all match, so the Ingress path has the host of its "
                "HOST_NAME rule and the path of its PATH rules)",
    "type": "`HOST_NAME`: the Ingress rule's `host`; `PATH`: the path; `FILE_TYPE`, `HEADER`, `COOKIE` and the "
            "`SSL_*` types have no Ingress counterpart and leave the policy out (H2K416)",
    "compare_type": "`EQUAL_TO` (a host, or a path with `pathType: Exact`), `STARTS_WITH` (a path with `pathType: "
                    "Prefix`); `REGEX`, `ENDS_WITH`, `CONTAINS` leave the policy out (H2K416)",
    "value": "the host (in lower case; a DNS name, not an address) or the path (absolute); other values leave "
             "the policy out (H2K416)",
    "invert": "`false`; an inverted rule leaves the policy out (H2K416)",
    "admin_state_up": "a disabled rule is ignored, as Octavia ignores it (a note)",
    "key": "nothing: only HEADER and COOKIE rules use it (a note)",
}
RULE_HANDLED = frozenset(RULE_MAPPED)

LISTENER_MAPPED = {
    "listener": "an Ingress (networking.k8s.io/v1) named after the listener, annotated `kubernetes.io/ingress.class: "
                "\"openstack\"`, instead of a port of the load balancer's Service; a load balancer with no other "
                "listener gets no Service (its own properties are dropped, H2K402)",
    "listener.default_pool": "the Ingress's `defaultBackend`",
    "listener.protocol_port": "nothing: octavia-ingress-controller listens on 80, or 443 with TLS (H2K402 for another "
                              "port)",
    "listener.default_tls_container_ref": "with `protocol: TERMINATED_HTTPS`, `tls: [{secretName: <ingress>-tls}]`: a "
                                          "Secret the user creates from the certificate in Barbican (H2K417)",
    "listener.sni_container_refs": "nothing: give each certificate a Secret and a `tls` entry with its hosts (H2K417)",
    "listener.allowed_cidrs": "the `octavia.ingress.kubernetes.io/whitelist-source-range` annotation",
    "listener.connection_limit": "nothing: octavia-ingress-controller has no such setting (H2K402)",
    "pool": "a Service of `type: NodePort` named after the pool, selecting the pods of its members' servers (label "
            "`pool.h2k.io/<service>`); port and `targetPort` the members' `protocol_port`",
    "pool.lb_algorithm, pool.session_persistence, pool.protocol": "nothing: octavia-ingress-controller makes HTTP "
        "pools balanced ROUND_ROBIN without persistence (H2K402; a note for ROUND_ROBIN and HTTP)",
}

_ACTIONS = {
    "REJECT": "an Ingress cannot refuse requests (Octavia applies REJECT policies before any other, so the "
              "requests it refused now reach the Ingress's paths)",
    "REDIRECT_TO_URL": "an Ingress does not answer with redirects (Octavia applies redirects before any "
                       "REDIRECT_TO_POOL policy, so the requests it redirected now reach the Ingress's paths)",
    "REDIRECT_PREFIX": "an Ingress does not answer with redirects (Octavia applies redirects before any "
                       "REDIRECT_TO_POOL policy, so the requests it redirected now reach the Ingress's paths)",
}
_HOST = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_BAD_PATH_PARTS = ("//", "/./", "/../", "%2f", "%2F")
_BAD_PATH_ENDS = ("/..", "/.")


@dataclass(frozen=True, slots=True)
class Finding:
    """A diagnostic found while planning, reported by the emitter of the resource it is about."""

    code: str
    message: str
    span: Span
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class Route:
    policy: Resource
    host: str | None
    path: str
    exact: bool
    pool: Resource


@dataclass
class Plan:
    """What one routed listener becomes."""

    listener: Resource
    routes: list[Route]
    default_pool: Resource | None
    name: str = ""


@dataclass(frozen=True, slots=True)
class Backend:
    """The NodePort Service of a pool an Ingress routes to."""

    name: str
    port: int


@dataclass
class Routing:
    plans: dict[str, Plan] = field(default_factory=dict)  # listener name -> plan
    backends: dict[str, Backend] = field(default_factory=dict)  # pool name -> its Service
    findings: dict[str, list[Finding]] = field(default_factory=dict)  # resource name -> findings

    def note(self, resource: Resource, code: str, message: str, span: Span, severity: Severity | None = None) -> None:
        self.findings.setdefault(resource.name, []).append(Finding(code, message, span, severity))


def _text(expr: Expr | None) -> str | None:
    """A string property as Heat reads it (a number is its text); None when not known at compile time."""
    if not isinstance(expr, Literal) or expr.value is None or isinstance(expr.value, bool):
        return None
    return expr.value if isinstance(expr.value, str) else str(expr.value)


def _flag(expr: Expr | None, default: bool) -> bool | None:
    """A Boolean property as Heat reads it; None when it is not known at compile time."""
    if expr is None:
        return default
    if not isinstance(expr, Literal):
        return None
    try:
        return bool_from_string(expr.value)
    except ValueError:
        return None


def _key(resource: Resource, key: str) -> Span:
    return resource.properties.key_span(key) or resource.span


def _value(resource: Resource, key: str) -> Span:
    expr = resource.properties.get(key)
    return expr.span if expr is not None else resource.span


def _position(policy: Resource) -> int | None:
    """The policy's `position`, a number as Heat reads one (`2` or `"2"`); None when not known."""
    text = _text(policy.properties.get("position"))
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


def valid_host(host: str) -> bool:
    """A host an Ingress rule accepts: a DNS-1123 subdomain, not an IP address."""
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        return len(host) <= 253 and _HOST.fullmatch(host) is not None


def valid_path(path: str) -> bool:
    """A path the API server accepts for `pathType` Exact and Prefix."""
    return (path.startswith("/") and not any(part in path for part in _BAD_PATH_PARTS)
            and not path.endswith(_BAD_PATH_ENDS))


def routing(ctx: BackendContext) -> Routing:
    """Every routed listener's plan and the findings on the way; pure, so each emitter may call it."""
    found = Routing()
    every = chains(ctx)
    for chain in every.values():
        routed = chain.routed()
        for listener in chain.listeners:
            if listener in routed:
                found.plans[listener.name] = _plan(listener, chain, found)
                continue
            for policy in chain.policies.get(listener.name, []):
                found.note(policy, "H2K416", f"L7 policy {policy.name} belongs to listener {listener.name}, which is "
                           "not an HTTP or TERMINATED_HTTPS listener; the policy is left out",
                           _key(policy, "listener"))
    used = {route.pool.name for plan in found.plans.values() for route in plan.routes}
    used |= {plan.default_pool.name for plan in found.plans.values() if plan.default_pool is not None}
    taken = {r.object_name for r in ctx.stack.resources if r.object_name}
    for resource in ctx.stack.resources:  # names in template order, unique among all objects
        if resource.name in found.plans or resource.name in used:
            base = name = dns_label(resource.name)
            counter = 1
            while name in taken:
                counter += 1
                name = f"{base[:60].rstrip('-')}-{counter}"
            taken.add(name)
            if resource.name in found.plans:
                found.plans[resource.name].name = name
            else:
                members = [m for c in every.values() for m in c.members.get(resource.name, [])]
                ports = [p for p in (_int(m.properties.get("protocol_port")) for m in members) if p is not None]
                found.backends[resource.name] = Backend(name, min(ports) if ports else DEFAULT_PORT)
    return found


def _int(expr: Expr | None) -> int | None:
    value = expr.value if isinstance(expr, Literal) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _plan(listener: Resource, chain: Chain, found: Routing) -> Plan:
    pools = {pool.name: pool for pool in chain.all_pools}
    order = {policy.name: index for index, policy in enumerate(chain.policies[listener.name])}
    policies = sorted(chain.policies[listener.name],
                      key=lambda p: (_position(p) if _position(p) is not None else 1 << 31, order[p.name]))
    routes = []
    for policy in policies:
        if policy.properties.get("position") is not None and _position(policy) is None:
            found.note(policy, "H2K416", f"the position of L7 policy {policy.name} is not known at compile time; "
                       "the Ingress keeps it in template order", _value(policy, "position"))
        route = _route(policy, chain.rules.get(policy.name, []), pools, found)
        if route is not None:
            routes.append(route)
    return Plan(listener, _by_precedence(routes, found), chain.pools.get(listener.name))


def _route(policy: Resource, rules: list[Resource], pools: dict[str, Resource], found: Routing) -> Route | None:
    """The Ingress path of one policy, or None (with the reason noted) when it has none."""
    enabled = _flag(policy.properties.get("admin_state_up"), True)
    if enabled is False:
        found.note(policy, "H2K416", f"L7 policy {policy.name} is disabled; Octavia ignores it, so the Ingress has "
                   "no path for it", _key(policy, "admin_state_up"), Severity.INFO)
        return None
    if enabled is None:
        found.note(policy, "H2K416", f"whether L7 policy {policy.name} is enabled is not known at compile time; the "
                   "Ingress applies it", _value(policy, "admin_state_up"))
    action = _text(policy.properties.get("action"))
    if action != "REDIRECT_TO_POOL":
        reason = _ACTIONS.get(action, f"the action {action} has no Ingress counterpart") if action else \
            "its action is not known at compile time"
        found.note(policy, "H2K416", f"L7 policy {policy.name} is left out: {reason}", _key(policy, "action"))
        return None
    pool = pools.get(resource_target(policy.properties.get("redirect_pool")) or "")
    if pool is None:
        found.note(policy, "H2K416", f"the redirect pool of L7 policy {policy.name} is not a pool of its load "
                   "balancer in this template; the policy is left out", _value(policy, "redirect_pool"))
        return None
    matches = []
    usable = True
    for rule in rules:
        rule_enabled = _flag(rule.properties.get("admin_state_up"), True)
        if rule_enabled is False:
            found.note(rule, "H2K416", f"L7 rule {rule.name} is disabled; Octavia ignores it, and so does the Ingress",
                       _key(rule, "admin_state_up"), Severity.INFO)
            continue
        if rule_enabled is None:
            found.note(rule, "H2K416", f"whether L7 rule {rule.name} is enabled is not known at compile time; the "
                       "Ingress applies it", _value(rule, "admin_state_up"))
        match = _match(rule, policy, found)
        usable = usable and match is not None
        if match is not None:
            matches.append(match)
    if not usable:
        return None
    if not matches:
        found.note(policy, "H2K416", f"L7 policy {policy.name} has no enabled rule; Octavia never applies it, so the "
                   "Ingress has no path for it", policy.span, Severity.INFO)
        return None
    return _combine(policy, pool, matches, found)


def _match(rule: Resource, policy: Resource, found: Routing) -> tuple[str, str, bool] | None:
    """(`host` or `path`, the value, exact?) of one rule; None (noted) when an Ingress cannot express it."""
    left_out = f"; L7 policy {policy.name} is left out"
    kind, compare = _text(rule.properties.get("type")), _text(rule.properties.get("compare_type"))
    if kind not in ("HOST_NAME", "PATH"):
        what = f"{kind} rules" if kind else "a rule whose type is not known at compile time"
        found.note(rule, "H2K416", f"an Ingress matches hosts and paths, not {what} ({rule.name}){left_out}",
                   _key(rule, "type"))
        return None
    usable = True
    invert = _flag(rule.properties.get("invert"), False)
    if invert is not False:
        what = "an inverted rule" if invert else "a rule that may be inverted (not known at compile time)"
        found.note(rule, "H2K416", f"an Ingress has no counterpart for {what} ({rule.name}){left_out}",
                   _key(rule, "invert"))
        usable = False
    allowed = ("EQUAL_TO",) if kind == "HOST_NAME" else ("EQUAL_TO", "STARTS_WITH")
    if compare not in allowed:
        what = "exact hosts" if kind == "HOST_NAME" else "exact paths and path prefixes"
        found.note(rule, "H2K416", f"an Ingress matches {what}, not {compare or 'an unknown comparison'} "
                   f"({rule.name}){left_out}", _key(rule, "compare_type"))
        usable = False
    value = _text(rule.properties.get("value"))
    if not usable:
        return None
    if value is None:
        found.note(rule, "H2K416", f"the value of L7 rule {rule.name} is not known at compile time{left_out}",
                   _value(rule, "value"))
        return None
    if kind == "HOST_NAME" and not valid_host(value.lower()):
        found.note(rule, "H2K416", f"{value!r} is not a host name an Ingress accepts (a DNS name, not an address "
                   f"or a port){left_out}", _value(rule, "value"))
        return None
    if kind == "PATH" and not valid_path(value):
        found.note(rule, "H2K416", f"{value!r} is not a path an Ingress accepts (absolute, without `//`, `/./`, "
                   f"`/../` or an encoded `/`){left_out}", _value(rule, "value"))
        return None
    return ("host", value.lower(), True) if kind == "HOST_NAME" else ("path", value, compare == "EQUAL_TO")


def _combine(policy: Resource, pool: Resource, matches: list[tuple[str, str, bool]], found: Routing) -> Route | None:
    """The rules of a policy all have to match: one host at most, and paths that one request can have."""
    hosts = sorted({value for kind, value, _ in matches if kind == "host"})
    exact = sorted({value for kind, value, is_exact in matches if kind == "path" and is_exact})
    prefixes = sorted({value for kind, value, is_exact in matches if kind == "path" and not is_exact}, key=len)
    path = exact[0] if exact else prefixes[-1] if prefixes else "/"
    if len(hosts) > 1 or len(exact) > 1 or any(not path.startswith(prefix) for prefix in prefixes):
        found.note(policy, "H2K416", f"no request matches every rule of L7 policy {policy.name} (different hosts "
                   "or paths); Octavia never applies it, so the Ingress has no path for it", policy.span,
                   Severity.INFO)
        return None
    return Route(policy, hosts[0] if hosts else None, path, bool(exact), pool)


def _covers(first: Route, later: Route) -> bool:
    """Every request `later` matches, `first` matches too."""
    if first.host is not None and first.host != later.host:
        return False
    same = later.path == first.path and later.exact == first.exact
    return same or (not first.exact and later.path.startswith(first.path))


def _overlap(first: Route, later: Route) -> bool:
    if first.host is not None and later.host is not None and first.host != later.host:
        return False
    if first.exact and later.exact:
        return first.path == later.path
    if first.exact:
        return first.path.startswith(later.path)
    return later.path.startswith(first.path) or first.path.startswith(later.path)


def _by_precedence(routes: list[Route], found: Routing) -> list[Route]:
    """Octavia applies the first policy that matches; an Ingress the most specific rule and path.

    A policy an earlier one covers is never applied and is left out; for the same host the longer
    path is also the more specific, so what remains can only differ where an earlier policy for every
    host overlaps a later one for a given host: an Ingress prefers the later one, which is reported.
    """
    kept: list[Route] = []
    for route in routes:
        earlier = next((k for k in kept if _covers(k, route)), None)
        if earlier is not None:
            found.note(route.policy, "H2K416", f"L7 policy {route.policy.name} is never applied: {earlier.policy.name} "
                       "comes first and matches every request it matches; the Ingress has no path for it",
                       _key(route.policy, "position"), Severity.INFO)
            continue
        clash = next((k for k in kept if k.pool.name != route.pool.name and k.host is None and route.host is not None
                      and _overlap(k, route)), None)
        if clash is not None:
            found.note(route.policy, "H2K416", f"L7 policy {route.policy.name} (host {route.host}) comes after "
                       f"{clash.policy.name} (every host), which also matches some of its requests: Octavia sends them "
                       f"to pool {clash.pool.name}, an Ingress to pool {route.pool.name}",
                       _key(route.policy, "position"))
        kept.append(route)
    return kept


def routed_pods(ctx: BackendContext) -> dict[str, dict[str, str]]:
    """Server name -> the labels that make the NodePort Services of its pools select its pods."""
    backends = routing(ctx).backends
    labels: dict[str, dict[str, str]] = {}
    for chain in chains(ctx).values():
        for pool in chain.all_pools:
            if pool.name not in backends:
                continue
            for member in chain.members.get(pool.name, []):
                server = member_server(member, ctx)
                if server is not None:
                    labels.setdefault(server.name, {})[f"{LABEL_PREFIX}{backends[pool.name].name}"] = "true"
    return labels


def _report(resource: Resource, found: Routing, ctx: BackendContext) -> None:
    for finding in found.findings.get(resource.name, []):
        ctx.sink.report(finding.code, finding.message, finding.span, finding.severity)


def _account(resource: Resource, handled: frozenset[str], reason: str, ctx: BackendContext,
             notes: Callable[[str], str | None] = lambda _: None) -> None:
    """Every property not `handled` is dropped: with a note when `notes` gives one, else a warning."""
    for key, _ in resource.properties.entries:
        name = str(key.value)
        if name in handled:
            continue
        note = notes(name)
        if note is not None:
            ctx.drop(resource, name, note, key.span, Severity.INFO)
        else:
            ctx.drop(resource, name, reason, key.span)


def emit_policy(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    if not owned(resource, ctx):
        return []
    _report(resource, routing(ctx), ctx)
    for key in ("name", "description"):
        span = resource.properties.key_span(key)
        if span is not None:
            ctx.drop(resource, key, "an Ingress path has no name", span, Severity.INFO)
    _account(resource, POLICY_HANDLED, "an Ingress path has no such setting", ctx)
    return []


def emit_rule(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    if not owned(resource, ctx):
        return []
    _report(resource, routing(ctx), ctx)
    kind = _text(resource.properties.get("type"))
    span = resource.properties.key_span("key")
    if span is not None and kind in ("HOST_NAME", "PATH"):
        ctx.drop(resource, "key", f"Octavia ignores it in {kind} rules", span, Severity.INFO)
    _account(resource, RULE_HANDLED, "an Ingress rule has no such setting", ctx)
    return []


_LISTENER_HANDLED = frozenset({"loadbalancer", "protocol", "protocol_port", "default_pool", "allowed_cidrs",
                               "default_tls_container_ref", "sni_container_refs"})
_POOL_HANDLED = frozenset({"listener", "loadbalancer"})


def emit_listener(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """A listener with L7 policies is an Ingress; any other is a port of its load balancer's Service."""
    found = routing(ctx)
    plan = found.plans.get(resource.name)
    if plan is None:
        return emit_part(resource, ctx)
    _report(resource, found, ctx)
    _account(resource, _LISTENER_HANDLED, "octavia-ingress-controller has no such setting", ctx,
             lambda name: "the Ingress is named after the resource" if name in ("name", "description") else None)
    tls = _text(resource.properties.get("protocol")) == "TERMINATED_HTTPS"
    port = _int(resource.properties.get("protocol_port"))
    if port != (443 if tls else 80):
        shown = port if port is not None else "a port not known at compile time"
        ctx.drop(resource, "protocol_port", f"the load balancer of octavia-ingress-controller listens on "
                 f"{443 if tls else 80}, not {shown}", _key(resource, "protocol_port"))
    if not plan.routes and plan.default_pool is None:
        ctx.sink.report("H2K416", f"no L7 policy of listener {resource.name} can be an Ingress path and it has no "
                        "default pool; no Ingress is written", resource.span)
        return []
    spec: dict[str, object] = {}
    if plan.default_pool is not None:
        spec["defaultBackend"] = _backend(found.backends[plan.default_pool.name])
    if tls:
        spec["tls"] = [{"secretName": _tls_secret(resource, plan, ctx)}]
    elif resource.properties.get("sni_container_refs") is not None or \
            resource.properties.get("default_tls_container_ref") is not None:
        for key in ("default_tls_container_ref", "sni_container_refs"):
            if resource.properties.get(key) is not None:
                ctx.drop(resource, key, "the listener does not terminate TLS", _key(resource, key))
    rules: dict[str | None, list[dict[str, object]]] = {}
    for route in plan.routes:
        rules.setdefault(route.host, []).append({
            "path": route.path, "pathType": "Exact" if route.exact else "Prefix",
            "backend": _backend(found.backends[route.pool.name])})
    if rules:
        spec["rules"] = [{**({"host": host} if host is not None else {}), "http": {"paths": paths}}
                         for host, paths in rules.items()]
    annotations = {CLASS_ANNOTATION: CLASS}
    ranges = _source_ranges(resource, ctx)
    if ranges:
        annotations[SOURCE_RANGES] = ranges
    _renamed(resource, plan.name, ctx)
    metadata = ctx.metadata(resource, plan.name)
    metadata["annotations"] = {**metadata["annotations"], **dict(sorted(annotations.items()))}  # type: ignore[dict-item]
    return [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": metadata, "spec": spec}]


def _renamed(resource: Resource, name: str, ctx: BackendContext) -> None:
    if name != resource.name:
        ctx.sink.report("H2K406", f"resource {resource.name} is named {name} in Kubernetes", resource.span)


def _backend(backend: Backend) -> dict[str, object]:
    return {"service": {"name": backend.name, "port": {"number": backend.port}}}


def _tls_secret(listener: Resource, plan: Plan, ctx: BackendContext) -> str:
    """The Secret the Ingress terminates TLS with: the user creates it from the Barbican certificate."""
    secret = f"{plan.name}-tls"
    expr = listener.properties.get("default_tls_container_ref")
    target, text = resource_target(expr), _text(expr)
    source = (f"the Barbican container {target} of this template" if target else
              f"Barbican container {text}" if text else "the listener's Barbican container")
    ctx.sink.report("H2K417", f"listener {listener.name} terminates TLS: its Ingress names Secret {secret} (type "
                    f"kubernetes.io/tls, keys tls.crt and tls.key), which h2k does not write; create it from the "
                    f"certificate and key of {source}", _key(listener, "default_tls_container_ref"
                                                              if expr is not None else "protocol"))
    if listener.properties.get("sni_container_refs") is not None:
        ctx.sink.report("H2K417", f"the SNI certificates of listener {listener.name} are not carried over: give each "
                        "a Secret and a `tls` entry of the Ingress with its hosts",
                        _key(listener, "sni_container_refs"))
    return secret


def _source_ranges(listener: Resource, ctx: BackendContext) -> str | None:
    expr = listener.properties.get("allowed_cidrs")
    if expr is None:
        return None
    cidrs = [item.value for item in expr.items if isinstance(item, Literal)] if isinstance(expr, ListExpr) else []
    if not isinstance(expr, ListExpr) or len(cidrs) != len(expr.items) or \
            not all(isinstance(c, str) for c in cidrs):
        ctx.drop(listener, "allowed_cidrs", "its value is not known at compile time; the Ingress admits every "
                 "address", expr.span)
        return None
    return ",".join(str(c) for c in cidrs) or None


def emit_pool(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    """A pool an Ingress routes to is a NodePort Service; a pool of the Service is part of it."""
    chain = next((c for c in chains(ctx).values() if resource in c.all_pools), None)
    if chain is None or resource.name not in chain.routed_pools():
        return emit_part(resource, ctx)
    backend = routing(ctx).backends.get(resource.name)
    if resource in chain.service_pools():
        emit_part(resource, ctx)  # its settings are the load balancer Service's
    elif backend is None:
        ctx.sink.report("H2K416", f"no Ingress path routes to pool {resource.name} (its L7 policies are left out); its "
                        "members get no traffic", resource.span)
    else:
        _account(resource, _POOL_HANDLED, "octavia-ingress-controller makes plain HTTP pools balanced ROUND_ROBIN "
                 "without persistence", ctx, lambda name: _pool_note(resource, name))
    if backend is None:
        return []
    members = chain.members.get(resource.name, [])
    if member_port(members, ctx) is None:
        ctx.sink.report("H2K302", f"the port of the members of pool {resource.name} is not known at compile time; "
                        f"its Service targets port {DEFAULT_PORT}", resource.span)
    if not any(member_server(m, ctx) for m in members):
        ctx.sink.report("H2K402", f"the members of pool {resource.name} are not servers of this template; its Service "
                        "selects no pods", resource.span)
    _renamed(resource, backend.name, ctx)
    port = {"name": "http", "port": backend.port, "targetPort": backend.port, "protocol": "TCP"}
    spec = {"type": "NodePort", "selector": {f"{LABEL_PREFIX}{backend.name}": "true"}, "ports": [port]}
    return [{"apiVersion": "v1", "kind": "Service", "metadata": ctx.metadata(resource, backend.name), "spec": spec}]


def _pool_note(pool: Resource, name: str) -> str | None:
    """A pool setting the controller's own equals: nothing is lost, so a note."""
    if name in ("name", "description"):
        return "the Service is named after the resource"
    value = _text(pool.properties.get(name))
    if (name, value) == ("lb_algorithm", "ROUND_ROBIN"):
        return "octavia-ingress-controller balances its pools ROUND_ROBIN too"
    if (name, value) == ("protocol", "HTTP"):
        return "octavia-ingress-controller's pools are HTTP pools too"
    return None
