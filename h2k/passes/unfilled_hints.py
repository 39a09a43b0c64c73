"""Placeholders that `h2k hint` wrote and nobody filled: each is reported (H2K940), then dropped.

Dropping them here, before classification and placement, means no later pass or backend can read
one as a value: a server whose `h2k.io/image` is still a placeholder is placed and translated as a
server without one, and a placeholder can never end up in a manifest.
"""

from __future__ import annotations

import dataclasses

from h2k.hint.placeholder import is_placeholder
from h2k.ir.expr import Expr, Literal, MapExpr
from h2k.ir.nodes import Resource, Stack
from h2k.passes.context import PassContext

# Groups whose member definition (with its metadata) is still inside their properties: `h2k check`
# does not expand groups, and a compile leaves a group whose member is not known at compile time.
_MEMBER_KEYS = {"OS::Heat::ResourceGroup": "resource_def", "OS::Heat::AutoScalingGroup": "resource"}


def unfilled_hints(stack: Stack, ctx: PassContext) -> Stack:
    resources = []
    for resource in stack.resources:
        metadata = _checked(resource, resource.metadata, ctx)
        member_key = _MEMBER_KEYS.get(resource.type)
        definition = resource.properties.get(member_key) if member_key else None
        if isinstance(definition, MapExpr):
            _checked(resource, definition.get("metadata"), ctx)  # reported; the group is not translated as is
        if metadata is not resource.metadata:
            resource = dataclasses.replace(resource, metadata=metadata)
        resources.append(resource)
    return dataclasses.replace(stack, resources=tuple(resources))


def _checked(resource: Resource, metadata: Expr | None, ctx: PassContext) -> Expr | None:
    """`metadata` without its placeholders, each reported; the same object when it has none."""
    if not isinstance(metadata, MapExpr):
        return metadata
    kept: list[tuple[Literal, Expr]] = []
    for key, value in metadata.entries:
        name, text = key.value, value.value if isinstance(value, Literal) else None
        if isinstance(name, str) and isinstance(text, str) and is_placeholder(name, text):
            ctx.sink.report("H2K940", f"metadata {name} of {resource.name} is still the placeholder {text} that "
                            "h2k hint wrote; replace it with the value, or delete it (until then h2k reads it as "
                            "absent)", value.span)
        else:
            kept.append((key, value))
    return metadata if len(kept) == len(metadata.entries) else dataclasses.replace(metadata, entries=tuple(kept))
