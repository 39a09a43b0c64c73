"""Load a template into span-carrying nodes with Heat's YAML behaviour, never raising on bad input.

Heat parses a body that starts with `{` as JSON, and anything else with PyYAML's safe loader:
YAML 1.1 scalars (`yes` is a boolean, `0644` is 420), timestamps kept as strings, duplicate keys
silently resolved to the last one. h2k reads the same way, from libyaml's event stream, building
nodes iteratively: the nesting depth and the size that aliases expand to are counted as events
arrive, so a hostile document is refused early, in bounded time and memory.
"""

from __future__ import annotations

import gc
import json
import os
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml
from yaml import events

from h2k.diagnostics.model import DiagnosticSink
from h2k.source.limits import DEFAULT_LIMITS, Limits
from h2k.source.nodes import Node, ScalarValue, YMap, YScalar, YSeq
from h2k.span import Span

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BINARY = "tag:yaml.org,2002:binary"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
_SEQ_TAGS = frozenset({None, "!", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:omap", "tag:yaml.org,2002:pairs"})
_MAP_TAGS = frozenset({None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:set"})

_QUOTED = ("'", '"')
# The tag a plain scalar resolves to depends only on its text; templates repeat the same words.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAG_CACHE = 50_000
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str
    text: str
    root: Node


class _Refused(Exception):
    """Raised inside the builder to stop at the first fatal finding (already reported)."""


def load_file(path: str, sink: DiagnosticSink, limits: Limits = DEFAULT_LIMITS) -> SourceFile | None:
    """Read and load one file; findings go to `sink`; None when nothing usable was read."""
    start = Span.point(path)
    try:
        size = os.stat(path).st_size
        if size > limits.max_bytes:
            sink.report("H2K001", f"file is {size} bytes, over the limit of {limits.max_bytes} bytes "
                        "(raise it with --max-file-size)", start)
            return None
        with open(path, "rb") as handle:
            data = handle.read(limits.max_bytes + 1)
    except OSError as error:
        sink.report("H2K009", f"cannot read file: {error.strerror or error}", start)
        return None
    if len(data) > limits.max_bytes:  # the file grew after stat
        sink.report("H2K001", f"file is over the limit of {limits.max_bytes} bytes", start)
        return None
    text = decode(data, path, sink)
    if text is None:
        return None
    root = load_text(text, path, sink, limits)
    return None if root is None else SourceFile(path, text, root)


def decode(data: bytes, path: str, sink: DiagnosticSink) -> str | None:
    """UTF-8 with an optional byte-order mark; an invalid byte is reported where it is."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[line_start:error.start].decode("utf-8", "replace")) + 1
        sink.report("H2K002", f"invalid UTF-8: byte 0x{data[error.start]:02x} cannot be decoded",
                    Span(path, line, column, line, column + 1))
        return None


def load_text(text: str, path: str, sink: DiagnosticSink, limits: Limits = DEFAULT_LIMITS) -> Node | None:
    """Load one document from `text`; `path` names it in spans. None when refused (and reported)."""
    text = text.removeprefix("\ufeff")
    json_value: Any = _NOT_JSON
    if text.lstrip().startswith("{"):
        try:
            json_value = json.loads(text)
        except (ValueError, RecursionError):
            json_value = _NOT_JSON  # Heat falls back to YAML, and so do we (which bounds the depth)
    builder = _Builder(path, sink, limits, json_mode=json_value is not _NOT_JSON)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the loader allocates many small objects; collection cycles only cost time here
    try:
        return builder.build(text)
    except _Refused:
        return None
    except yaml.MarkedYAMLError as error:
        message = _yaml_message(error, text)
        too_deep = "maximum nesting depth" in message
        if json_value is not _NOT_JSON and not too_deep:
            # Valid JSON that libyaml cannot read (rare escapes): keep Heat's value, lose positions.
            return _from_python(json_value, Span.point(path))
        sink.report("H2K006" if too_deep else "H2K003", message, _error_span(path, error))
        return None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        sink.report("H2K003", f"{error.reason}: character 0x{error.character:02x}",
                    Span(path, line, column, line, column + 1))
        return None
    except yaml.YAMLError as error:
        sink.report("H2K003", str(error), Span.point(path))
        return None
    finally:
        if gc_was_enabled:
            gc.enable()


_NOT_JSON = object()


def _yaml_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = error.problem or "invalid YAML"
    mark = error.problem_mark
    if mark is not None and 0 <= mark.index < len(text) and text[mark.index] == "\t":
        problem += " (a tab character: YAML indentation must use spaces)"
    if error.context:
        where = ""
        if error.context_mark is not None and error.problem_mark is not None and \
                error.context_mark.line != error.problem_mark.line:
            where = f" started at line {error.context_mark.line + 1}"
        return f"{error.context}{where}: {problem}"
    return problem


def _error_span(path: str, error: yaml.MarkedYAMLError) -> Span:
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return Span.point(path)
    return Span(path, mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2)


def _from_python(value: Any, span: Span) -> Node:
    if isinstance(value, dict):
        return YMap(tuple((YScalar(k, span), _from_python(v, span)) for k, v in value.items()), span)
    if isinstance(value, list):
        return YSeq(tuple(_from_python(v, span) for v in value), span)
    return YScalar(value, span)


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = ("anchor", "is_map", "items", "size", "start")

    def __init__(self, is_map: bool, start: Any, anchor: str | None) -> None:
        self.is_map = is_map
        self.start = start
        self.anchor = anchor
        self.items: list[Node] = []
        self.size = 1


class _Builder:
    def __init__(self, path: str, sink: DiagnosticSink, limits: Limits, json_mode: bool) -> None:
        self.path = path
        self.sink = sink
        self.limits = limits
        self.json_mode = json_mode
        self.anchors: dict[str, tuple[Node, int]] = {}
        self.expanded = 0

    def span(self, start: Any, end: Any) -> Span:
        return Span(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)

    def build(self, text: str) -> Node | None:
        stack: list[_Frame] = []
        root: Node | None = None
        documents = 0
        loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
        try:
            while loader.check_event():
                event: Any = loader.get_event()  # libyaml's events carry their fields untyped
                node: Node
                kind = type(event)
                if kind is events.ScalarEvent:
                    node, size = self.scalar(event), 1
                elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
                    is_map = kind is events.MappingStartEvent
                    tags = _MAP_TAGS if is_map else _SEQ_TAGS
                    if event.tag not in tags:
                        self.refuse("H2K007", f"unsupported tag {event.tag!r}", event)
                    if len(stack) >= self.limits.max_depth:
                        self.refuse("H2K006", f"nesting deeper than {self.limits.max_depth} levels "
                                    "(raise it with --max-yaml-depth)", event)
                    stack.append(_Frame(is_map, event.start_mark, event.anchor))
                    self.count(1, event)
                    continue
                elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
                    frame = stack.pop()
                    span = self.span(frame.start, event.end_mark)
                    node = self.mapping(frame.items, span) if frame.is_map else YSeq(tuple(frame.items), span)
                    size = frame.size
                    if frame.anchor is not None:
                        self.anchors[frame.anchor] = (node, size)
                    self.attach(stack, node, size)
                    if not stack:
                        root = node
                    continue
                elif kind is events.AliasEvent:
                    target = self.anchors.get(event.anchor)
                    if target is None:
                        self.refuse("H2K003", f"found undefined alias {event.anchor!r}", event)
                    node, size = target
                    self.count(size, event)
                    self.attach(stack, node, size)
                    if not stack:
                        root = node
                    continue
                elif kind is events.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        self.refuse("H2K010", "a second YAML document; a template holds exactly one", event)
                    continue
                else:
                    continue
                # a scalar
                self.expanded += 1
                if self.expanded > self.limits.max_nodes:
                    self.count(0, event)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (node, 1)
                if stack:
                    frame = stack[-1]
                    frame.items.append(node)
                    frame.size += 1
                else:
                    root = node
        finally:
            loader.dispose()
        # An empty document is null, as in PyYAML (Heat then reads it as an empty template).
        return root if root is not None else YScalar(None, Span.point(self.path))

    def count(self, size: int, event: Any) -> None:
        self.expanded += size
        if self.expanded > self.limits.max_nodes:
            self.refuse("H2K005", f"aliases expand this document beyond {self.limits.max_nodes} nodes "
                        "(raise it with --max-yaml-nodes)", event)

    def refuse(self, key: str, message: str, event: Any) -> NoReturn:
        self.sink.report(key, message, self.span(event.start_mark, event.end_mark))
        raise _Refused

    @staticmethod
    def attach(stack: list[_Frame], node: Node, size: int) -> None:
        if stack:
            frame = stack[-1]
            frame.items.append(node)
            frame.size += size

    def scalar(self, event: Any) -> YScalar:
        start, end = event.start_mark, event.end_mark
        span = Span(self.path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)
        quoted = event.style in _QUOTED
        tag = event.tag
        value = event.value
        if self.json_mode:
            return YScalar(value if quoted else json.loads(value), span, quoted)
        if tag is None or tag == "!":
            if quoted:
                return YScalar(value, span, quoted)  # a quoted scalar is a string
            tag = _PLAIN_TAGS.get(value)
            if tag is None:
                tag = _RESOLVER.resolve(yaml.ScalarNode, value, event.implicit)
                if len(_PLAIN_TAGS) < _PLAIN_TAG_CACHE:
                    _PLAIN_TAGS[value] = tag
            if tag == _STR:
                return YScalar(value, span, quoted)
        return YScalar(self.construct(tag, event), span, quoted)

    def construct(self, tag: str, event: Any) -> ScalarValue:
        value = event.value
        if tag in (_STR, _TIMESTAMP, _MERGE, _VALUE):
            # Heat's loader keeps timestamps as strings, so `heat_template_version: 2016-10-14` is text.
            return "<<" if tag == _MERGE else value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return _CONSTRUCTOR.bool_values[value.lower()]
        node = yaml.ScalarNode(tag, value, event.start_mark, event.end_mark)
        if tag in (_INT, _FLOAT):
            try:
                return (_CONSTRUCTOR.construct_yaml_int if tag == _INT else _CONSTRUCTOR.construct_yaml_float)(node)
            except ValueError:
                # YAML 1.1 resolves `0b_` or `0x_` as a number with no digits; PyYAML, and so Heat, fail on it.
                self.refuse("H2K003", f"{value!r} is read as a number but has no digits", event)
        if tag == _BINARY:
            try:
                return _CONSTRUCTOR.construct_yaml_binary(node)
            except yaml.constructor.ConstructorError as error:
                self.refuse("H2K003", str(error.problem), event)
        self.refuse("H2K007", f"unsupported tag {tag!r}", event)

    def mapping(self, items: list[Node], span: Span) -> YMap:
        """Pair keys with values: `<<` merges first, then explicit keys, the last of equal keys winning."""
        explicit: dict[object, tuple[YScalar, Node]] = {}
        merged: dict[object, tuple[YScalar, Node]] = {}
        for position in range(0, len(items), 2):
            key, value = items[position], items[position + 1]
            if not isinstance(key, YScalar):
                self.sink.report("H2K003", "a mapping key must be a scalar", key.span)
                raise _Refused
            if key.value == "<<" and not key.quoted and not self.json_mode:
                self.merge(value, merged)
                continue
            try:
                hash(key.value)
            except TypeError:
                self.sink.report("H2K003", "a mapping key must be hashable", key.span)
                raise _Refused from None
            previous = explicit.get(key.value)
            if previous is not None:
                self.sink.report("H2K004", f"duplicate key {key.value!r} (first at line {previous[0].span.line}); "
                                 "the last value wins, as in Heat", key.span)
            # Assigning keeps the first key's position with the last value, as a Python dict does in Heat.
            explicit[key.value] = (key, value)
        if merged:
            for name in explicit:
                merged.pop(name, None)
            merged.update(explicit)
            explicit = merged
        return YMap(tuple(explicit.values()), span)

    def merge(self, value: Node, into: dict[object, tuple[YScalar, Node]]) -> None:
        sources = value.items if isinstance(value, YSeq) else (value,)
        # In a list of merged maps the first one has the highest priority.
        for source in sources:
            if not isinstance(source, YMap):
                self.sink.report("H2K003", "a merge key `<<` needs a mapping or a list of mappings", source.span)
                raise _Refused
            for key, item in source.entries:
                into.setdefault(key.value, (key, item))
