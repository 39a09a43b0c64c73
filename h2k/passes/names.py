"""Kubernetes names for the objects made from resources: valid, unique, and stable.

Object names must be DNS-1035 labels for some kinds (Services), so every name is made one:
lower case letters, digits and `-`, starting with a letter, at most 63 characters. Heat names
such as `web_server` become `web-server`; collisions get `-2`, `-3`, ... in template order.

>>> dns_label("Web_Server.1")
'web-server-1'
>>> dns_label("9lives")
'r-9lives'
"""

from __future__ import annotations

import dataclasses
import re

from h2k.ir.nodes import Stack
from h2k.passes.classify import MERGED_ROLES
from h2k.passes.context import PassContext

_INVALID = re.compile(r"[^a-z0-9-]+")
_MAX = 63


def dns_label(name: str) -> str:
    label = _INVALID.sub("-", name.lower()).strip("-")
    label = re.sub("-{2,}", "-", label)
    if not label or not label[0].isalpha():
        label = f"r-{label}".rstrip("-")
    return label[:_MAX].rstrip("-")


def assign_names(stack: Stack, ctx: PassContext) -> Stack:
    taken: set[str] = set()
    resources = []
    for resource in stack.resources:
        if not resource.role or resource.role in MERGED_ROLES:
            resources.append(resource)
            continue
        base = dns_label(resource.name)
        name, counter = base, 1
        while name in taken:
            counter += 1
            suffix = f"-{counter}"
            name = base[: _MAX - len(suffix)].rstrip("-") + suffix
        taken.add(name)
        if name != resource.name:
            ctx.sink.report("H2K406", f"resource {resource.name} is named {name} in Kubernetes", resource.span)
        resources.append(dataclasses.replace(resource, object_name=name))
    return dataclasses.replace(stack, resources=tuple(resources))
