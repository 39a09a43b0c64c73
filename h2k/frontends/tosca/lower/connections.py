"""ConnectsTo: how a workload learns the address of what it connects to.

A container gets the target's address in its environment as `<TARGET>_HOST` (on Kubernetes, the
DNS name of the target's Service). A component on a server is told it is not passed: its boot
script runs before the target's address could be known to it.
"""

from __future__ import annotations

from h2k.diagnostics.codes import Severity
from h2k.frontends.tosca.lower.context import CONNECTS_TO, Lowering, TemplateNode, derived, get_attr
from h2k.ir.expr import Expr


def connections(low: Lowering, node: TemplateNode, environment: list[tuple[str, Expr]] | None) -> None:
    """ConnectsTo: the target's address as `<TARGET>_HOST` in a container's environment; reported for a
    component on a server, whose boot script cannot know it."""
    for relationship, target in node.template.relationships.items():
        if not derived(relationship, CONNECTS_TO):
            continue
        instance = low.instance_of(str(target.name))
        variable = f"{_env_name(str(target.name))}_HOST"
        if environment is not None and instance is not None:
            environment.append((variable, get_attr(instance, node.span, "first_address")))
            continue
        low.sink.report("H2K709", f"{node.name} connects to {target.name}: on a server the connection is "
                        "not passed to the scripts (use get_attribute in an operation input)", node.span,
                        Severity.INFO)


def _env_name(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name).upper()
