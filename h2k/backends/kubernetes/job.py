"""A server that runs to completion -> a Job (batch/v1) instead of a Deployment.

Some servers exist to do one thing and stop: their boot script ends by powering the machine off
(`shutdown -h now`, `poweroff`, `halt -p`, `init 0`). A Deployment would restart such a pod for
ever; a Job runs it once, to completion. `metadata: {h2k.io/workload: job}` says so explicitly
(and `deployment` keeps a Deployment whatever the script does).
"""

from __future__ import annotations

import re

from h2k.backends.kubernetes.attachments import hint
from h2k.backends.kubernetes.context import BackendContext
from h2k.ir.expr import Literal
from h2k.ir.nodes import Resource

WORKLOAD_KEY = "h2k.io/workload"
_POWER_OFF = re.compile(r"(sudo\s+)?(shutdown\b.*|poweroff\b.*|halt\b.*|init\s+0|systemctl\s+(poweroff|halt)\b.*)")


def completion_reason(resource: Resource, ctx: BackendContext) -> str | None:
    """Why the server runs to completion, or None when it is a long-running service."""
    chosen = hint(resource.metadata, WORKLOAD_KEY)
    if chosen is not None:
        if chosen not in ("job", "deployment"):
            ctx.sink.report("H2K103", f"metadata {WORKLOAD_KEY} of {resource.name} must be job or deployment",
                            resource.span)
            return None
        return f"metadata {WORKLOAD_KEY}: job" if chosen == "job" else None
    script = resource.properties.get("user_data")
    if not (isinstance(script, Literal) and isinstance(script.value, str)):
        return None
    lines = [line.strip() for line in script.value.splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    if commands and _POWER_OFF.fullmatch(commands[-1]):
        return f"its boot script ends with `{commands[-1]}`"
    return None


def job(resource: Resource, pod_spec: dict[str, object], labels: dict[str, str], replicas: int,
        ctx: BackendContext) -> dict[str, object]:
    """The Job: every member runs once (no retry, as a failed boot script is not run again)."""
    spec: dict[str, object] = {}
    if replicas != 1:
        spec["completions"] = replicas
        spec["parallelism"] = replicas
    spec["backoffLimit"] = 0
    deadline = ctx.deadlines.get(resource.name)
    if deadline is not None:
        spec["activeDeadlineSeconds"] = deadline
    spec["template"] = {"metadata": {"labels": labels}, "spec": {**pod_spec, "restartPolicy": "Never"}}
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": ctx.metadata(resource), "spec": spec}
