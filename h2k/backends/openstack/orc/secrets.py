"""Secrets that k-orc objects read: a server's user data (key `value`), a user's password (key `password`).

Text known at compile time that holds no hidden value is written into the Secret (`stringData`):
it is in the template already. Text that holds a hidden parameter's value, a generated random
string or a value only known at deploy time is not: the Secret is written without data and says
what it must hold (annotation `h2k.io/values`), and k-orc waits until the key is there.
"""

from __future__ import annotations

from typing import Any

from h2k.backends.kubernetes.secret import DEPLOY_TIME
from h2k.backends.openstack.orc.context import metadata
from h2k.backends.openstack.orc.state import State
from h2k.ir.expr import Expr, Literal, is_known, referenced_resource
from h2k.ir.nodes import Resource
from h2k.ir.visit import calls
from h2k.output.secrets import secret_values

RANDOM_STRING = "OS::Heat::RandomString"


def withheld(expr: Expr, s: State) -> str | None:
    """Why the text of `expr` must not be written to a file, or None when it may be."""
    for call in calls(expr):
        if call.function == "get_param" and isinstance(call.args, Literal):
            parameter = s.stack.parameter(str(call.args.value))
            if parameter is not None and parameter.hidden:
                return f"it holds hidden parameter {parameter.name}"
        target = s.stack.resource(referenced_resource(call) or "")
        if target is not None and target.type == RANDOM_STRING:
            return f"it holds the random string {target.name} that Heat generates"
    if not is_known(expr):
        return "it is only known at deploy time"
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        hidden = next((p for value, p in secret_values(s.stack).items() if value in expr.value), None)
        if hidden is not None:
            return f"it holds the value of hidden parameter {hidden.name}"
    return None


def secret(s: State, resource: Resource, owner: str, purpose: str, key: str, expr: Expr,
           text: str | None, what: str) -> str:
    """Write the Secret an object reads `key` from; its name. `text` is the value when it may be written."""
    name = s.names.suffixed("Secret", owner, purpose)
    meta = metadata(s.stack, s.ctx, resource, name)
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "Secret", "metadata": meta, "type": "Opaque"}
    reason = withheld(expr, s) or (None if text is not None else "it is only known at deploy time")
    if text is not None and reason is None:
        obj["stringData"] = {key: text}
        s.report("H2K508", f"{what} of {resource.name} is written to Secret {name} (key {key})", expr.span)
    else:
        annotations = meta["annotations"]
        assert isinstance(annotations, dict)
        annotations[DEPLOY_TIME] = f"{key}: {what} of {resource.name}"
        s.report("H2K509", f"{what} of {resource.name} is not written: {reason}; create Secret {name} with key "
                 f"{key} before k-orc creates {resource.name}", expr.span)
    s.add(resource, obj)
    return name
