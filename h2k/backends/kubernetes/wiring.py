"""Values the workload takes from the infrastructure -> keys of one ConfigMap, filled after OpenStack runs.

When a container's environment uses an attribute of a resource that stays on OpenStack
(`{get_attr: [db_net, name]}`, `{get_resource: bucket}`), the value exists only once the residual
Heat stack is created. The variable reads a key of the ConfigMap `<stack>-infrastructure`
(a Secret of that name for sensitive attributes such as a generated private key); the residual
stack has an output of the same name, and `h2k bind` copies the outputs into the ConfigMap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from h2k.backends.kubernetes.context import MANAGED_BY, SOURCE_ANNOTATION, BackendContext
from h2k.backends.kubernetes.secret import DEPLOY_TIME, KEYS_ANNOTATION
from h2k.ir.expr import Call, Expr, ListExpr, Literal, referenced_resource
from h2k.ir.nodes import Resource

# Attributes whose value must not sit in a ConfigMap.
SENSITIVE_ATTRIBUTES = frozenset({"private_key", "payload", "decrypted_payload", "password", "secret"})
_KEY_CHARS = re.compile(r"[^-._a-zA-Z0-9]+")


@dataclass(frozen=True, slots=True)
class Wire:
    """One value crossing from OpenStack to Kubernetes."""

    key: str  # the ConfigMap (or Secret) key, and the residual stack's output name
    call: Call  # what the residual stack outputs
    source: Resource  # the resource staying on OpenStack
    consumer: Resource  # the workload that reads it
    variable: str  # the environment variable it becomes
    sensitive: bool
    object_name: str  # the ConfigMap (or Secret) holding the key

    @property
    def attribute(self) -> str:
        args = self.call.args
        if self.call.function == "get_resource":
            return "(its ID)"
        parts = [str(item.value) for item in args.items[1:] if isinstance(item, Literal)] \
            if isinstance(args, ListExpr) else []
        return ".".join(parts)


def infrastructure_value(expr: Expr, ctx: BackendContext) -> Resource | None:
    """The resource staying on OpenStack that a whole `get_attr` / `get_resource` names."""
    if not (isinstance(expr, Call) and expr.function in ("get_attr", "get_resource")):
        return None
    target = ctx.stack.resource(referenced_resource(expr) or "")
    return target if target is not None and target.role == "infrastructure" else None


def wire(name: str, expr: Call, source: Resource, consumer: Resource, ctx: BackendContext) -> dict[str, object]:
    """`valueFrom` reading the key that stands for `expr`; the wire is recorded for the stack and report."""
    key = _key(expr, source)
    sensitive = _attribute_names(expr) & SENSITIVE_ATTRIBUTES != set()
    if key not in {w.key for w in ctx.wires}:
        ctx.sink.report("H2K426", f"{name} of {consumer.name} is {_shown(expr)} of {source.name}, which stays on "
                        f"OpenStack: it reads key {key} of {'Secret' if sensitive else 'ConfigMap'} "
                        f"{wiring_name(ctx)}, which `h2k bind` fills from the residual stack's outputs", expr.span)
    ctx.wires.append(Wire(key, expr, source, consumer, name, sensitive, wiring_name(ctx)))
    ref = "secretKeyRef" if sensitive else "configMapKeyRef"
    return {ref: {"name": wiring_name(ctx), "key": key}}


def wiring_name(ctx: BackendContext) -> str:
    return f"{ctx.part_of}-infrastructure"[:253]


def wiring_objects(ctx: BackendContext) -> list[dict[str, object]]:
    """The ConfigMap (and Secret) whose keys `h2k bind` fills; values empty until then."""
    objects: list[dict[str, object]] = []
    for sensitive in (False, True):
        keys = sorted({w.key for w in ctx.wires if w.sensitive == sensitive})
        if not keys:
            continue
        metadata: dict[str, object] = {"name": wiring_name(ctx)}
        if ctx.namespace:
            metadata["namespace"] = ctx.namespace
        metadata["labels"] = {**MANAGED_BY, "app.kubernetes.io/part-of": ctx.part_of}
        metadata["annotations"] = {
            SOURCE_ANNOTATION: f"{ctx.source_of_stack()}#outputs-of-openstack/infra.yaml",
            DEPLOY_TIME: "outputs of the residual Heat stack (openstack/infra.yaml), set by h2k bind",
            KEYS_ANNOTATION: ",".join(keys)}
        if sensitive:
            objects.append({"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque"})
        else:
            objects.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata,
                            "data": dict.fromkeys(keys, "")})
    return objects


def _attribute_names(expr: Call) -> set[str]:
    args = expr.args
    if expr.function != "get_attr" or not isinstance(args, ListExpr):
        return set()
    return {str(item.value) for item in args.items[1:] if isinstance(item, Literal)}


def _key(expr: Call, source: Resource) -> str:
    """A ConfigMap key, which is also a valid Heat output name: `<resource>_<attribute path>`."""
    if expr.function == "get_resource":
        text = f"{source.name}_id"
    else:
        args = expr.args
        parts = [str(item.value) if isinstance(item, Literal) else "value" for item in args.items[1:]] \
            if isinstance(args, ListExpr) else []
        text = "_".join([source.name, *parts])
    return _KEY_CHARS.sub("_", text)[:253]


def _shown(expr: Call) -> str:
    attributes = _attribute_names(expr)
    return "the ID" if expr.function == "get_resource" else f"attribute {'.'.join(sorted(attributes)) or '?'}"
