"""WaitCondition / SwiftSignal -> the rollout deadline of the servers that signal them.

In Heat a wait condition holds the stack until a booting server signals it (a `curl` in its boot
script, given the handle's URL), and fails the stack after `timeout` seconds. Pods have no signal:
a pod is ready when its readiness probe passes, and a Deployment whose pods do not become ready
within `progressDeadlineSeconds` is reported as failed. So the timeout becomes the deadline of the
servers whose properties use the handle, and the wait condition itself has no object (H2K414).
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.diagnostics.codes import Severity
from h2k.ir import links
from h2k.ir.expr import Literal
from h2k.ir.nodes import Resource

MAPPED = {
    "handle": "the servers whose properties use the handle (its `curl_cli`, `endpoint`, `token` or URL) are "
              "the ones that signal",
    "timeout": "`progressDeadlineSeconds` of those servers' Deployments",
    "count": "nothing: a Deployment waits for all its replicas; counts other than 1 H2K402",
}
HANDLED = frozenset(MAPPED)
HANDLE_MAPPED = {"signal_transport": "nothing: no signal is sent"}


def index_deadlines(ctx: BackendContext) -> dict[str, int]:
    """Server name -> the longest timeout of the wait conditions it signals."""
    deadlines: dict[str, int] = {}
    for wait in ctx.stack.resources:
        if wait.role != "wait-condition":
            continue
        timeout = wait.properties.get("timeout")
        seconds = _seconds(timeout.value) if isinstance(timeout, Literal) else None
        for server in signalling_servers(wait, ctx):
            if seconds is not None:
                deadlines[server.name] = max(deadlines.get(server.name, 0), seconds)
    return deadlines


def _seconds(value: object) -> int | None:
    """Heat's timeout is a number; a template may give it as a numeric string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def signalling_servers(wait: Resource, ctx: BackendContext) -> list[Resource]:
    return [server for server in links.signalling_servers(ctx.stack, wait) if server.role == "workload"]


def emit_wait_condition(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    report_unhandled(resource, HANDLED, {}, ctx)
    servers = signalling_servers(resource, ctx)
    count = resource.properties.get("count")
    if isinstance(count, Literal) and count.value not in (1, None):
        ctx.drop(resource, "count", "a Deployment is ready when all its replicas are; there is no signal count",
                 count.span, Severity.INFO)
    machines = [s.name for s in links.signalling_servers(ctx.stack, resource) if s.role == "virtual-machine"]
    if not servers and machines:
        ctx.sink.report("H2K414", f"wait condition {resource.name} is signalled by {', '.join(machines)}, virtual "
                        "machines on KubeVirt, whose signal has no Heat to reach; nothing waits for it",
                        resource.span, Severity.WARNING)
        return []
    if not servers:
        ctx.sink.report("H2K414", f"wait condition {resource.name} is signalled by no translated server; nothing "
                        "waits for it", resource.span, Severity.WARNING)
        return []
    names = ", ".join(server.name for server in servers)
    ctx.sink.report("H2K414", f"wait condition {resource.name} has no object: {names} report readiness through "
                    "probes, not a signal, and its timeout is their rollout deadline", resource.span)
    return []


def emit_handle(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    report_unhandled(resource, frozenset(HANDLE_MAPPED), {}, ctx)
    return []
