"""YAML nodes with spans.

Nodes are immutable, so an alias can share its anchor's node instead of copying it: memory stays
proportional to the text, and the loader bounds the expanded size separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from h2k.span import Span

ScalarValue = str | int | float | bool | None | bytes


class YScalar(NamedTuple):
    """A scalar (a named tuple: the most numerous node, and the cheapest immutable record)."""

    value: ScalarValue
    span: Span
    # True when the scalar was quoted: `"yes"` is the string, `yes` is the boolean.
    quoted: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class YSeq:
    items: tuple[Node, ...]
    span: Span


@dataclass(frozen=True, slots=True, eq=False)
class YMap:
    """A mapping; `entries` keeps source order with duplicates already resolved (last wins)."""

    entries: tuple[tuple[YScalar, Node], ...]
    span: Span
    _index: dict[object, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for position, (key, _value) in enumerate(self.entries):
            self._index[key.value] = position

    def get(self, key: object) -> Node | None:
        position = self._index.get(key)
        return None if position is None else self.entries[position][1]

    def key_node(self, key: object) -> YScalar | None:
        position = self._index.get(key)
        return None if position is None else self.entries[position][0]

    def keys(self) -> list[object]:
        return [key.value for key, _ in self.entries]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self.entries)


Node = YScalar | YSeq | YMap


def to_python(node: Node) -> object:
    """Plain Python data, as Heat's own loader would return it."""
    if isinstance(node, YScalar):
        return node.value
    if isinstance(node, YSeq):
        return [to_python(item) for item in node.items]
    return {key.value: to_python(value) for key, value in node.entries}
