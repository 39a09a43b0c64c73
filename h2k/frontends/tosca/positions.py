"""Positions for tosca-parser's findings, which carry none: found again in h2k's own YAML nodes.

tosca-parser names what it complains about in quotes (`Template "server" contains unknown field
"flavour"`). The quoted words are looked up in the loaded template, the most specific first (the
last one named), inside the subtree of an earlier one when it is there too; a finding that names
nothing findable points at the template's version line or its first line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from h2k.source.nodes import Node, YMap, YScalar, YSeq
from h2k.span import Span

_DOUBLE = re.compile(r"\"([^\"]{1,200})\"")
_SINGLE = re.compile(r"'([^']{1,200})'")


class Positions:
    def __init__(self, root: Node, path: str) -> None:
        self.root = root
        self.path = path

    def fallback(self) -> Span:
        if isinstance(self.root, YMap):
            key = self.root.key_node("tosca_definitions_version")
            if key is not None:
                return key.span
        return Span.point(self.path)

    def of_message(self, message: str) -> Span:
        """Where the words a message quotes are written."""
        words = _DOUBLE.findall(message) or _SINGLE.findall(message)
        for position, word in reversed(list(enumerate(words))):
            for outer in reversed(words[:position]):
                scope = self.subtree(outer)
                if scope is not None:
                    found = self.find(word, scope)
                    if found is not None:
                        return found
            found = self.find(word, self.root)
            if found is not None:
                return found
        return self.fallback()

    def subtree(self, word: str) -> Node | None:
        for key, value in _entries(self.root):
            if key.value == word:
                return value
        return None

    def find(self, word: str, node: Node) -> Span | None:
        """The first key, then the first scalar, equal to `word` (keys name things, values use them)."""
        for key, _ in _entries(node):
            if str(key.value) == word:
                return key.span
        for scalar in _scalars(node):
            if isinstance(scalar.value, str | int | float) and str(scalar.value) == word:
                return scalar.span
        return None

    def node(self, *path: object) -> Node | None:
        """The node at a path of keys and indexes from the root."""
        return node_at(self.root, *path)

    def span(self, *path: object) -> Span:
        """The span of the deepest node of `path` that exists (a key's span for a mapping entry)."""
        current: Node = self.root
        best = current.span
        for step in path:
            if isinstance(current, YMap) and step in current:
                key = current.key_node(step)
                best = key.span if key is not None else best
                value = current.get(step)
                assert value is not None
                current = value
            elif isinstance(current, YSeq) and isinstance(step, int) and 0 <= step < len(current.items):
                current = current.items[step]
                best = current.span
            else:
                break
        return best if best.line >= 1 else self.fallback()


def _entries(node: Node) -> Iterator[tuple[YScalar, Node]]:
    """Every mapping entry below `node`, depth first in document order."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, YMap):
            yield from current.entries
            stack.extend(reversed([value for _, value in current.entries]))
        elif isinstance(current, YSeq):
            stack.extend(reversed(current.items))


def _scalars(node: Node) -> Iterator[YScalar]:
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, YScalar):
            yield current
        elif isinstance(current, YMap):
            stack.extend(reversed([value for _, value in current.entries]))
        elif isinstance(current, YSeq):
            stack.extend(reversed(current.items))


def node_at(node: Node | None, *steps: object) -> Node | None:
    """The node at keys (and list indexes) below `node`, if all are there."""
    current = node
    for step in steps:
        if isinstance(current, YMap):
            current = current.get(step)
        elif isinstance(current, YSeq) and isinstance(step, int) and 0 <= step < len(current.items):
            current = current.items[step]
        else:
            return None
    return current
