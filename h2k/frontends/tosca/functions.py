"""TOSCA values as IR expressions: TOSCA's functions become HOT calls the passes already evaluate.

`get_input` is `get_param`, `concat` and `join` are `list_join`, and `token` is folded when its
string is known. `get_property` is resolved here, statically: the referenced property's own value
(translated in turn, relative to its node) takes its place. `get_attribute` becomes the HOT
attribute of the resource the node turned into (a Compute's address is its server's
`first_address`, a BlockStorage's `volume_id` the volume itself). What has no counterpart
(`get_operation_output`, `get_artifact`, `get_nodes_of_type`, other attributes) is reported and
stands as null.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, from_data, is_known, to_data
from h2k.source.nodes import Node, YMap, YScalar, YSeq
from h2k.span import Span

FUNCTIONS = frozenset({"get_input", "get_property", "get_attribute", "get_operation_output", "concat", "join",
                       "token", "get_artifact", "get_nodes_of_type"})
ADDRESS_ATTRIBUTES = frozenset({"private_address", "public_address", "ip_address"})
_MAX_DEPTH = 32  # get_property chains longer than this are cycles


@dataclass(frozen=True, slots=True)
class Scope:
    """What SELF, SOURCE and TARGET name where a value is written."""

    self_name: str
    source: str | None = None
    target: str | None = None


class Topology:
    """What the value translator asks about the node templates (lower/context.py answers)."""

    def raw(self, name: str) -> YMap | None:
        raise NotImplementedError

    def host(self, name: str) -> str | None:
        raise NotImplementedError

    def requirement_target(self, name: str, requirement: str) -> str | None:
        raise NotImplementedError

    def default(self, name: str, capability: str | None, prop: str) -> tuple[bool, Any]:
        """(found, value) of a property's value from the node's type (its default)."""
        raise NotImplementedError

    def attribute(self, name: str, attribute: str, span: Span) -> Expr | None:
        """The HOT expression for a node's attribute, or None when it has none."""
        raise NotImplementedError


class Values:
    def __init__(self, topology: Topology, sink: DiagnosticSink) -> None:
        self.topology = topology
        self.sink = sink
        self.resolving: list[tuple[str, str]] = []

    def expr(self, node: Node, scope: Scope) -> Expr:
        if isinstance(node, YScalar):
            return Literal(value=node.value, span=node.span)
        if isinstance(node, YSeq):
            return ListExpr(items=tuple(self.expr(item, scope) for item in node.items), span=node.span)
        if len(node.entries) == 1:
            key, value = node.entries[0]
            if key.value in FUNCTIONS:
                return self.call(str(key.value), value, key.span, scope)
        return MapExpr(entries=tuple((Literal(value=k.value, span=k.span), self.expr(v, scope))
                                     for k, v in node.entries), span=node.span)

    def call(self, name: str, args: Node, span: Span, scope: Scope) -> Expr:
        handler: Callable[[list[Node], Span, Scope], Expr] | None = {
            "get_input": self.get_input, "get_property": self.get_property, "get_attribute": self.get_attribute,
            "concat": self.concat, "join": self.join, "token": self.token}.get(name)
        items: list[Node] = list(args.items) if isinstance(args, YSeq) else [args]
        if handler is None:
            self.sink.report("H2K707", f"{name} has no counterpart in the Kubernetes output; the value is left "
                             "empty", span)
            return Literal(value=None, span=span)
        return handler(items, span, scope)

    # -- functions ---------------------------------------------------------------------------------

    def get_input(self, items: list[Node], span: Span, scope: Scope) -> Expr:
        first = items[0] if len(items) == 1 else None
        if not isinstance(first, YScalar) or not isinstance(first.value, str):
            self.sink.report("H2K707", "get_input takes the name of one input", span)
            return Literal(value=None, span=span)
        return Call(function="get_param", args=Literal(value=first.value, span=first.span), span=span)

    def concat(self, items: list[Node], span: Span, scope: Scope) -> Expr:
        parts = ListExpr(items=tuple(self.expr(item, scope) for item in items), span=span)
        return _join("", parts, span)

    def join(self, items: list[Node], span: Span, scope: Scope) -> Expr:
        if not items or not isinstance(items[0], YSeq) or len(items) > 2:
            self.sink.report("H2K707", "join takes a list and an optional delimiter", span)
            return Literal(value=None, span=span)
        delimiter = items[1] if len(items) == 2 else None
        text = delimiter.value if isinstance(delimiter, YScalar) else ""
        parts = self.expr(items[0], scope)
        assert isinstance(parts, ListExpr)
        return _join(str(text) if text is not None else "", parts, span)

    def token(self, items: list[Node], span: Span, scope: Scope) -> Expr:
        values = [self.expr(item, scope) for item in items]
        if len(values) == 3 and all(isinstance(v, Literal) for v in values[1:]):
            string, chars, index = values
            assert isinstance(chars, Literal) and isinstance(index, Literal)
            if isinstance(string, Literal) and isinstance(string.value, str) and isinstance(chars.value, str) \
                    and chars.value and isinstance(index.value, int):
                pieces = re.split(f"[{re.escape(chars.value)}]", string.value)
                if 0 <= index.value < len(pieces):
                    return Literal(value=pieces[index.value], span=span)
                self.sink.report("H2K707", f"token: index {index.value} is out of range", span)
                return Literal(value=None, span=span)
            if isinstance(chars.value, str) and len(chars.value) == 1 and isinstance(index.value, int):
                # One separator is HOT's str_split, evaluated once the string is known.
                return Call(function="str_split", args=ListExpr(items=(chars, string, index), span=span), span=span)
        self.sink.report("H2K707", "token needs a string, separator characters and an index known at compile time",
                         span)
        return Literal(value=None, span=span)

    def entity(self, item: Node, scope: Scope, span: Span, function: str) -> str | None:
        word = item.value if isinstance(item, YScalar) else None
        found: str | None
        if word == "SELF":
            found = scope.self_name
        elif word == "SOURCE":
            found = scope.source
        elif word == "TARGET":
            found = scope.target
        elif word == "HOST":
            found = self.topology.host(scope.self_name)
        else:
            found = word if isinstance(word, str) and self.topology.raw(word) is not None else None
        if found is None:
            self.sink.report("H2K707", f"{function}: {word!r} names no node template here", item.span)
        return found

    def get_property(self, items: list[Node], span: Span, scope: Scope) -> Expr:
        if len(items) < 2:
            self.sink.report("H2K707", "get_property takes a node and a property name", span)
            return Literal(value=None, span=span)
        name = self.entity(items[0], scope, span, "get_property")
        if name is None:
            return Literal(value=None, span=span)
        words: list[object] = [i.value if isinstance(i, YScalar) else None for i in items[1:]]
        found = self.lookup(name, words, span, items[0] is not None and _word(items[0]) == "HOST")
        if found is None:
            shown = ".".join(str(w) for w in words)
            self.sink.report("H2K707", f"get_property: {name} has no property {shown}", span)
            return Literal(value=None, span=span)
        return found

    def lookup(self, name: str, words: list[object], span: Span, climb: bool) -> Expr | None:
        """A property of `name` (a capability's or a requirement target's when the first word names one);
        with HOST, up the host chain until a node has it."""
        current: str | None = name
        while current is not None:
            value = self.property_of(current, words, span)
            if value is not None or not climb:
                return value
            current = self.topology.host(current)
        return None

    def property_of(self, name: str, words: list[object], span: Span) -> Expr | None:
        raw = self.topology.raw(name)
        if raw is None:
            return None
        first = words[0]
        if len(words) >= 2 and isinstance(first, str):
            target = self.topology.requirement_target(name, first)
            if target is not None:
                value = self.capability_property(target, None, str(words[1]), span) or \
                    self.own_property(target, str(words[1]), span)
                return _index(value, words[2:], span, self.sink) if value is not None else None
            if _capabilities(raw, first) is not None or self.topology.default(name, first, str(words[1]))[0]:
                value = self.capability_property(name, first, str(words[1]), span)
                return _index(value, words[2:], span, self.sink) if value is not None else None
        value = self.own_property(name, str(first), span)
        return _index(value, words[1:], span, self.sink) if value is not None else None

    def own_property(self, name: str, prop: str, span: Span) -> Expr | None:
        raw = self.topology.raw(name)
        properties = raw.get("properties") if raw is not None else None
        node = properties.get(prop) if isinstance(properties, YMap) else None
        if node is not None:
            return self.nested(name, prop, node)
        found, value = self.topology.default(name, None, prop)
        return _plain(value, span, self.sink) if found else None

    def capability_property(self, name: str, capability: str | None, prop: str, span: Span) -> Expr | None:
        """A capability property as written; with no capability named, the first capability that has it."""
        raw = self.topology.raw(name)
        capabilities = raw.get("capabilities") if raw is not None else None
        for key, value in capabilities.entries if isinstance(capabilities, YMap) else ():
            if capability is not None and key.value != capability:
                continue
            properties = value.get("properties") if isinstance(value, YMap) else None
            node = properties.get(prop) if isinstance(properties, YMap) else None
            if node is not None:
                return self.nested(name, f"{key.value!s}.{prop}", node)
        found, default = self.topology.default(name, capability, prop)
        return _plain(default, span, self.sink) if found else None

    def nested(self, name: str, prop: str, node: Node) -> Expr | None:
        if (name, prop) in self.resolving or len(self.resolving) > _MAX_DEPTH:
            self.sink.report("H2K707", f"get_property: {name}.{prop} refers back to itself", node.span)
            return Literal(value=None, span=node.span)
        self.resolving.append((name, prop))
        try:
            return self.expr(node, Scope(self_name=name))
        finally:
            self.resolving.pop()

    def get_attribute(self, items: list[Node], span: Span, scope: Scope) -> Expr:
        if len(items) < 2:
            self.sink.report("H2K708", "get_attribute takes a node and an attribute name", span)
            return Literal(value=None, span=span)
        name = self.entity(items[0], scope, span, "get_attribute")
        if name is None:
            return Literal(value=None, span=span)
        words = [_word(i) for i in items[1:]]
        attribute = words[0]
        if len(words) >= 2 and isinstance(attribute, str):
            target = self.topology.requirement_target(name, attribute)
            raw = self.topology.raw(name)
            if target is not None:
                name, words = target, words[1:]
            elif raw is not None and (_capabilities(raw, attribute) is not None or
                                      self.topology.default(name, attribute, str(words[1]))[0]):
                words = words[1:]
            attribute = words[0]
        found = self.topology.attribute(name, str(attribute), span)
        if found is not None:
            return found
        # TOSCA reads a property as an attribute of the same name.
        value = self.property_of(name, list(words), span)
        if value is not None:
            return value
        self.sink.report("H2K708", f"get_attribute: attribute {attribute!s} of {name} has no counterpart in the "
                         "output; the value is left empty", span)
        return Literal(value=None, span=span)


def _word(node: Node) -> object:
    return node.value if isinstance(node, YScalar) else None


def _capabilities(raw: YMap, name: str) -> Node | None:
    capabilities = raw.get("capabilities")
    return capabilities.get(name) if isinstance(capabilities, YMap) else None


def _join(delimiter: str, parts: ListExpr, span: Span) -> Expr:
    pieces: list[Expr] = []
    for position, part in enumerate(parts.items):
        if position and delimiter:
            pieces.append(Literal(value=delimiter, span=span))
        pieces.append(part)
    return concat(pieces, span)


def concat(pieces: list[Expr], span: Span) -> Expr:
    """Text made of pieces: folded when all are known, else HOT's `str_replace` over a template of the known
    text with a token per unknown piece (which, unlike `list_join`, also takes numbers, as TOSCA's concat does)."""
    template: list[str] = []
    params: list[tuple[Literal, Expr]] = []
    for piece in pieces:
        if isinstance(piece, Literal):
            value = piece.value
            template.append("" if value is None else str(value).lower() if isinstance(value, bool) else str(value))
        else:
            token = f"%h2k-value-{len(params)}%"
            template.append(token)
            params.append((Literal(value=token, span=piece.span), piece))
    text = "".join(template)
    if not params:
        return Literal(value=text, span=span)
    arguments = MapExpr(entries=((Literal(value="template", span=span), Literal(value=text, span=span)),
                                 (Literal(value="params", span=span), MapExpr(entries=tuple(params), span=span))),
                        span=span)
    return Call(function="str_replace", args=arguments, span=span)


def _plain(value: Any, span: Span, sink: DiagnosticSink) -> Expr:
    """A value tosca-parser computed (a type's default); its unevaluated functions have no position left."""
    if type(value).__module__.startswith("toscaparser"):
        sink.report("H2K707", f"a default value computed by a function ({type(value).__name__}) is left empty",
                    span)
        return Literal(value=None, span=span)
    try:
        return from_data(value, span)
    except TypeError:
        return Literal(value=str(value), span=span)


def _index(value: Expr, path: list[object], span: Span, sink: DiagnosticSink) -> Expr:
    """Nested keys and indexes into a property's value, applied when the value is data."""
    for step in path:
        if isinstance(value, MapExpr) and value.get(step) is not None:
            found = value.get(step)
            assert found is not None
            value = found
        elif isinstance(value, ListExpr) and isinstance(step, int) and 0 <= step < len(value.items):
            value = value.items[step]
        elif isinstance(value, Call) or not is_known(value):
            value = _deep_index(value, step)
        else:
            sink.report("H2K707", f"get_property: {step!r} is not in {to_data(value)!r}", span)
            return Literal(value=None, span=span)
    return value


def _deep_index(value: Expr, step: object) -> Expr:
    """An index into a value only known later: yaql picks it once the value is known."""
    span = value.span
    data = MapExpr(entries=((Literal(value="v", span=span), value),), span=span)
    key = repr(step) if isinstance(step, int) else "'" + str(step).replace("'", "\\'") + "'"
    expression = Literal(value=f"$.v[{key}]", span=span)
    return Call(function="yaql", args=MapExpr(entries=((Literal(value="expression", span=span), expression),
                                                        (Literal(value="data", span=span), data)), span=span),
                span=span)
