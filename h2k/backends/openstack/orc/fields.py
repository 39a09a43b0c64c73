"""Writing `spec.resource` field by field from a resource's properties, so emitters stay declarative.

Each method reads one Heat property (or the first present of its names: Heat keeps hidden older
names such as `network_id` beside `network`), converts it as Heat would, checks it against k-orc,
and sets one k-orc field; what cannot be carried over is reported by the reader.
"""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.state import Member, State
from h2k.ir.expr import Expr
from h2k.ir.nodes import Resource


class Fields:
    def __init__(self, member: Member, s: State) -> None:
        self.member = member
        self.resource: Resource = member.resource
        self.s = s
        self.out: dict[str, Any] = {}

    def pick(self, *keys: str) -> tuple[str, Expr | None]:
        """The first of a property's names that is set, and its value."""
        for key in keys:
            value = self.resource.properties.get(key)
            if not values.absent(value):
                return key, value
        return keys[0], None

    def set(self, field: str, value: object) -> None:
        if value is not None:
            self.out[field] = value

    def string(self, field: str, *keys: str, limit: int = 255, name: bool = False) -> str | None:
        key, expr = self.pick(*keys)
        found = values.string(expr, key, self.resource, self.s, limit=limit, name=name)
        self.set(field, found)
        return found

    def name(self, field: str = "name", limit: int = 255) -> None:
        """Heat's `name` (else Heat's own name for the resource; k-orc uses the object's name instead)."""
        self.string(field, "name", limit=limit, name=True)

    def integer(self, field: str, *keys: str, minimum: int | None = None, maximum: int | None = None) -> int | None:
        key, expr = self.pick(*keys)
        found = values.integer(expr, key, self.resource, self.s, minimum=minimum, maximum=maximum)
        self.set(field, found)
        return found

    def boolean(self, field: str, *keys: str) -> bool | None:
        key, expr = self.pick(*keys)
        found = values.boolean(expr, key, self.resource, self.s)
        self.set(field, found)
        return found

    def strings(self, field: str, *keys: str, limit: int = 255, max_items: int = 64) -> None:
        key, expr = self.pick(*keys)
        self.set(field, values.strings(expr, key, self.resource, self.s, limit=limit, max_items=max_items))

    def choice(self, field: str, key: str, allowed: dict[str, str]) -> None:
        self.set(field, values.choice(self.resource.properties.get(key), key, self.resource, self.s, allowed))

    def ref(self, field: str, kind: str, *keys: str) -> str | None:
        key, expr = self.pick(*keys)
        found = self.s.ref(self.resource, expr, kind, key)
        self.set(field, found)
        return found

    def refs(self, field: str, kind: str, *keys: str) -> None:
        key, expr = self.pick(*keys)
        found = self.s.refs(self.resource, expr, kind, key)
        self.set(field, found or None)

    def required(self, field: str, why: str) -> bool:
        """False (and the resource kept by Heat) when a field k-orc requires could not be written."""
        if field in self.out:
            return True
        self.s.keep(self.resource, why)
        return False
