"""A stable, readable text dump of the IR (`h2k compile --emit ir`), used by golden tests.

Every line that holds a node ends with its position `@line:col`, so a reviewer sees where each
piece came from; values are written as JSON scalars so that `"yes"` and `true` stay distinct.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from pathlib import PurePath

from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Stack
from h2k.ir.recipe import Recipe
from h2k.span import Span


def dump(stack: Stack) -> str:
    _home.set(stack.path)
    lines = [f"stack {stack.name} version={stack.version} {_at(stack.span)}"]
    if stack.description is not None:
        lines.append(f"  description {_scalar(stack.description)}")
    for parameter in stack.parameters:
        flags = " hidden" if parameter.hidden else ""
        lines.append(f"  parameter {parameter.name}: {parameter.type}{flags} {_at(parameter.span)}")
        if parameter.default is not None:
            _expr(lines, "default", parameter.default, 4)
        if parameter.constraints is not None:
            _expr(lines, "constraints", parameter.constraints, 4)
        if parameter.value is not None:
            _expr(lines, "value", parameter.value, 4)
    for condition in stack.conditions:
        _expr(lines, f"condition {condition.name}", condition.expr, 2)
    for resource in stack.resources:
        extra = "".join(f" {k}={v}" for k, v in (("role", resource.role), ("object", resource.object_name),
                                                 ("nested_in", ".".join(resource.nested_in))) if v)
        lines.append(f"  resource {resource.name}: {resource.type}{extra} {_at(resource.span)}")
        if resource.depends_on:
            lines.append(f"    depends_on {', '.join(resource.depends_on)}")
        if resource.replication is not None:
            replication = resource.replication
            lines.append(f"    replicated by {replication.group_type} {_at(replication.span)}")
            for label, value in (("count", replication.count), ("min_size", replication.min_size),
                                 ("max_size", replication.max_size)):
                if value is not None:
                    _expr(lines, label, value, 6)
        for label, value in (("condition", resource.condition), ("metadata", resource.metadata),
                             ("properties", resource.properties), ("deletion_policy", resource.deletion_policy),
                             ("update_policy", resource.update_policy), ("external_id", resource.external_id)):
            if value is not None:
                _expr(lines, label, value, 4)
        if resource.recipe is not None:
            _recipe(lines, resource.recipe)
    for resource in stack.disabled:
        lines.append(f"  disabled resource {resource.name}: {resource.type} {_at(resource.span)}")
    for output in stack.outputs:
        lines.append(f"  output {output.name} {_at(output.span)}")
        _expr(lines, "value", output.value, 4)
        if output.condition is not None:
            _expr(lines, "condition", output.condition, 4)
    return "\n".join(lines) + "\n"


def _recipe(lines: list[str], recipe: Recipe) -> None:
    """What each statement of the boot script became (placeholder values are not shown: some are secrets)."""
    facts = "".join(f" {k}={v}" for k, v in (("family", recipe.family), ("shell", recipe.shell)) if v)
    lines.append(f"    recipe{facts} {_at(recipe.source)}")
    if recipe.unreadable:
        lines.append(f"      unreadable {_scalar(recipe.unreadable)}")
    for step in recipe.steps:
        lines.append(f"      {step.kind} {_at(step.span)} {_scalar(step.note)}")


# The file being dumped: positions in it are shown as line:col, others with their file's name.
_home: ContextVar[str] = ContextVar("home", default="")


def _at(span: Span) -> str:
    """The position; prefixed with the file's name when it is another file (a nested template)."""
    where = "" if span.file == _home.get() else f"{PurePath(span.file).name}:"
    return f"@{where}{span.line}:{span.column}"


def _scalar(value: object) -> str:
    if isinstance(value, bytes):
        return f"bytes({value.hex()})"
    return json.dumps(value, ensure_ascii=False)


def _expr(lines: list[str], label: str, expr: Expr, indent: int) -> None:
    pad = " " * indent
    if isinstance(expr, Literal):
        lines.append(f"{pad}{label} {_scalar(expr.value)} {_at(expr.span)}")
    elif isinstance(expr, ListExpr):
        lines.append(f"{pad}{label} [{len(expr.items)}] {_at(expr.span)}")
        for index, item in enumerate(expr.items):
            _expr(lines, f"- {index}", item, indent + 2)
    elif isinstance(expr, MapExpr):
        lines.append(f"{pad}{label} {{{len(expr.entries)}}} {_at(expr.span)}")
        for key, value in expr.entries:
            _expr(lines, f"{_scalar(key.value)}:", value, indent + 2)
    elif isinstance(expr, Call):
        lines.append(f"{pad}{label} call {expr.function} {_at(expr.span)}")
        _expr(lines, "args", expr.args, indent + 2)
