"""Hidden parameters -> Secrets whose value the user supplies at deploy time, read through `secretKeyRef`.

A `hidden: true` parameter is a password or a key. Where its value reaches a container's
environment, the variable reads a Secret of its own (`<stack>-<parameter>`, key `value`) instead,
and that Secret carries no value, like a RandomString's: with Kustomize it is generated from a
git-ignored file, otherwise the user creates it. The template's default, if any, is not copied.
A hidden parameter needs no value at compile time for this; elsewhere (a boot script, metadata)
its value stays out of every file (H2K410).
"""

from __future__ import annotations

from h2k.backends.kubernetes.context import MANAGED_BY, SOURCE_ANNOTATION, BackendContext
from h2k.backends.kubernetes.secret import DEPLOY_TIME, KEY
from h2k.ir.expr import Call, Expr, Literal
from h2k.ir.nodes import Parameter
from h2k.passes.names import dns_label


def hidden_parameter(expr: Expr, ctx: BackendContext) -> Parameter | None:
    """The hidden parameter a value is: its unresolved `get_param`, or a string equal to its value."""
    if isinstance(expr, Call) and expr.function == "get_param" and isinstance(expr.args, Literal):
        found = ctx.stack.parameter(str(expr.args.value))
        return found if found is not None and found.hidden else None
    if isinstance(expr, Literal) and isinstance(expr.value, str) and expr.value:
        from h2k.output.secrets import secret_values

        return secret_values(ctx.stack).get(expr.value)
    return None


def secret_reference(parameter: Parameter, ctx: BackendContext) -> dict[str, object]:
    """`valueFrom` for an environment variable, and the note that says where the value comes from."""
    name = secret_name(parameter, ctx)
    if parameter.name not in ctx.hidden_used:
        ctx.hidden_used.add(parameter.name)
        ctx.sink.report("H2K425", f"hidden parameter {parameter.name} is read from Secret {name} (key {KEY}), "
                        "whose value is supplied at deploy time", parameter.span)
    return {"secretKeyRef": {"name": name, "key": KEY}}


def secret_name(parameter: Parameter, ctx: BackendContext) -> str:
    return f"{ctx.part_of}-{dns_label(parameter.name)}"[:253].rstrip("-")


def parameter_secrets(ctx: BackendContext) -> list[dict[str, object]]:
    """One Secret without a value per hidden parameter that an environment variable reads."""
    secrets: list[dict[str, object]] = []
    for parameter in ctx.stack.parameters:
        if parameter.name not in ctx.hidden_used:
            continue
        need = f"the value of hidden parameter {parameter.name}"
        if parameter.description:
            need += f" ({parameter.description.strip()})"
        metadata: dict[str, object] = {"name": secret_name(parameter, ctx)}
        if ctx.namespace:
            metadata["namespace"] = ctx.namespace
        metadata["labels"] = {**MANAGED_BY, "app.kubernetes.io/part-of": ctx.part_of}
        metadata["annotations"] = {SOURCE_ANNOTATION: f"{ctx.source_of_stack()}#parameters/{parameter.name}",
                                   DEPLOY_TIME: need}
        secrets.append({"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque"})
    return secrets
