"""A group's rolling-update settings -> the Deployment's rolling update and a PodDisruptionBudget.

Heat replaces a group's members in batches of `max_batch_size`, keeping `min_in_service` members
running, waiting `pause_time` seconds between batches. Kubernetes has the same knobs under other
names: `maxUnavailable` (without surge, as Heat replaces in place), a PodDisruptionBudget with
`minAvailable`, and `minReadySeconds` for the pause (a close, not an exact, counterpart).
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import BackendContext
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, Literal, MapExpr
from h2k.ir.nodes import Resource


def _int(expr: Expr | None) -> int | None:
    if isinstance(expr, Literal) and isinstance(expr.value, int) and not isinstance(expr.value, bool):
        return expr.value
    return None


def rolling_update(resource: Resource, ctx: BackendContext) -> tuple[dict[str, object], int | None, int | None]:
    """(the Deployment's strategy, minReadySeconds, the PDB's minAvailable) from the group's settings."""
    settings = resource.replication.rolling_update if resource.replication else None
    if not isinstance(settings, MapExpr):
        return {}, None, None
    batch, keep, pause = (_int(settings.get(k)) for k in ("max_batch_size", "min_in_service", "pause_time"))
    strategy: dict[str, object] = {}
    if batch:
        strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": batch, "maxSurge": 0}}
    if pause:
        ctx.sink.report("H2K402", f"pause_time {pause} of {resource.name} becomes minReadySeconds: Kubernetes waits "
                        "that long after each new pod is ready, not between batches", settings.span, Severity.INFO)
    return strategy, pause or None, keep or None


def budget(resource: Resource, min_available: int, selector: dict[str, str],
           ctx: BackendContext) -> dict[str, object]:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ctx.metadata(resource),
            "spec": {"minAvailable": min_available, "selector": {"matchLabels": dict(selector)}}}
