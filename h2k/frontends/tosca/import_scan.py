"""An imported file's own `imports`, read without loading the whole file into h2k's nodes.

The imports check follows every imported file, and many templates import the same large type
files (the ETSI NFV types are 2,000 lines) whose only interest there is their `imports`. A file
that cannot spell the key is not parsed at all; the others are scanned from libyaml's events,
building nodes, with their positions, for the top-level `imports` only. Whatever could make h2k's
loader read the file otherwise (anchors, tags, merge or complex keys, duplicates, JSON, several
documents, the limits) sends the file to the loader, so the answer is always the loader's.
"""

from __future__ import annotations

import os
from typing import Any

import yaml
from yaml import events

from h2k.diagnostics.model import DiagnosticSink
from h2k.source.limits import Limits
from h2k.source.loader import load_text
from h2k.source.nodes import Node, YMap, YScalar, YSeq
from h2k.span import Span

_STR = "tag:yaml.org,2002:str"
_QUOTED = ("'", '"')
_RESOLVER = yaml.resolver.Resolver()


class _Unsure(Exception):
    """The scan cannot promise the loader's answer: the loader reads the file instead."""


def imports_of(path: str, limits: Limits) -> Node | None:
    """The top-level `imports` node of the file at `path` as h2k's loader reads it; None when the file
    has none or the loader would not read it (unreadable, too large, invalid)."""
    try:
        if os.stat(path).st_size > limits.max_bytes:
            return None
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError:
        return None
    if len(data) > limits.max_bytes:
        return None
    if b"imports" not in data and b"\\" not in data:
        return None  # only the word itself or an escape in a quoted key can spell `imports`
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    try:
        return _Scan(path, limits).imports(text.removeprefix("\ufeff"))
    except (_Unsure, yaml.YAMLError):
        root = load_text(text, path, DiagnosticSink(), limits)
        return root.get("imports") if isinstance(root, YMap) else None


class _Frame:
    """An open collection: its start mark, and for the `imports` subtree the nodes read so far."""

    __slots__ = ("is_map", "items", "keys", "start")

    def __init__(self, is_map: bool, start: Any, keep: bool) -> None:
        self.is_map = is_map
        self.start = start
        self.items: list[Node] | None = [] if keep else None
        self.keys = 0  # for a mapping, how many keys and values have arrived


class _Scan:
    def __init__(self, path: str, limits: Limits) -> None:
        self.path = path
        self.limits = limits

    def imports(self, text: str) -> Node | None:
        if text.lstrip().startswith("{"):
            raise _Unsure  # the loader reads JSON as JSON
        stack: list[_Frame] = []
        found: Node | None = None
        keeping = False  # inside the top-level `imports` value
        nodes = documents = 0
        loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
        try:
            while loader.check_event():
                event: Any = loader.get_event()  # libyaml's events carry their fields untyped
                kind = type(event)
                if kind is events.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _Unsure
                    continue
                if kind is events.AliasEvent:
                    raise _Unsure
                if kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                    frame = stack.pop()
                    if frame.items is None:
                        node: Node | None = None
                    else:
                        span = self.span(frame.start, event.end_mark)
                        node = self.mapping(frame.items, span) if frame.is_map else YSeq(tuple(frame.items), span)
                else:
                    if kind is not events.ScalarEvent and kind is not events.MappingStartEvent and \
                            kind is not events.SequenceStartEvent:
                        continue
                    if event.tag is not None or event.anchor is not None:
                        raise _Unsure
                    nodes += 1
                    if nodes > self.limits.max_nodes:
                        raise _Unsure
                    parent = stack[-1] if stack else None
                    is_key = parent is not None and parent.is_map and parent.keys % 2 == 0
                    if kind is not events.ScalarEvent:
                        if is_key or len(stack) >= self.limits.max_depth:
                            raise _Unsure
                        if parent is None and kind is not events.MappingStartEvent:
                            return None  # a top level that is not a mapping has no `imports`
                        stack.append(_Frame(kind is events.MappingStartEvent, event.start_mark, keeping))
                        continue
                    if is_key and event.value == "<<" and event.style not in _QUOTED:
                        raise _Unsure  # a merge key
                    if parent is None:
                        return None
                    if is_key and len(stack) == 1:
                        keeping = event.value == "imports" and self.resolves_to_str(event)
                        if keeping and found is not None:
                            raise _Unsure  # `imports` twice
                    node = self.scalar(event) if keeping else None
                # a complete node: add it to its parent
                if not stack:
                    continue
                parent = stack[-1]
                if parent.items is not None and node is not None:
                    parent.items.append(node)
                if parent.is_map:
                    parent.keys += 1
                if len(stack) == 1 and parent.keys % 2 == 0 and keeping:
                    found, keeping = node, False
        finally:
            loader.dispose()
        return found

    def span(self, start: Any, end: Any) -> Span:
        return Span(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    @staticmethod
    def resolves_to_str(event: Any) -> bool:
        return event.style in _QUOTED or _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit) == _STR

    def scalar(self, event: Any) -> YScalar:
        if not self.resolves_to_str(event):
            raise _Unsure  # an import names a file: anything else is for the loader to build
        return YScalar(event.value, self.span(event.start_mark, event.end_mark), event.style in _QUOTED)

    @staticmethod
    def mapping(items: list[Node], span: Span) -> YMap:
        entries: list[tuple[YScalar, Node]] = []
        for position in range(0, len(items), 2):
            key = items[position]
            assert isinstance(key, YScalar)  # complex keys were refused
            entries.append((key, items[position + 1]))
        if len({key.value for key, _ in entries}) != len(entries):
            raise _Unsure  # duplicate keys: the loader's rule
        return YMap(tuple(entries), span)
