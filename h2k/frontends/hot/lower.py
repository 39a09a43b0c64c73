"""Lower a HOT template's nodes into the IR, checking its structure as Heat does.

Findings are reported with the position of the offending key; a structurally broken part is
left out of the IR (and reported), so later stages see only what Heat would accept.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable
from pathlib import PurePath
from typing import TypeVar

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.hot.versions import ALL_FUNCTIONS, PARAMETER_TYPES, VERSIONS, HotVersion
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr
from h2k.ir.nodes import Condition, Output, Parameter, Resource, Stack
from h2k.source.loader import SourceFile
from h2k.source.nodes import Node, YMap, YScalar, YSeq
from h2k.span import Span

T = TypeVar("T")

# Where a value sits decides which one-key maps are function calls.
_DATA, _NORMAL, _CONDITION = 0, 1, 2

_VERSION_KEYS = ("heat_template_version", "HeatTemplateFormatVersion", "AWSTemplateFormatVersion")


def lower(source: SourceFile, sink: DiagnosticSink, stack_name: str | None = None) -> Stack | None:
    """The template's Stack, or None when its version or top level is unusable."""
    root = source.root
    if isinstance(root, YScalar) and root.value is None:
        root = YMap((), root.span)  # an empty document, as Heat reads it
    if not isinstance(root, YMap):
        sink.report("H2K008", "a template must be a mapping at the top level", root.span)
        return None
    version = _version(root, source.path, sink)
    if version is None:
        return None
    return _Lowering(version, sink).stack(root, source.path, stack_name or PurePath(source.path).stem)


def _is_text(node: Node | None) -> bool:
    return isinstance(node, YScalar) and isinstance(node.value, str)


def _version(root: YMap, path: str, sink: DiagnosticSink) -> HotVersion | None:
    present = [k for k in _VERSION_KEYS if _is_text(root.get(k))]
    if len(present) > 1:
        sink.report("H2K101", f"ambiguous versions ({', '.join(present)})", root.span)
        return None
    node = root.get("heat_template_version")
    if not present:
        span = node.span if node is not None else Span.point(path)
        sink.report("H2K101", "template version was not provided (heat_template_version must be a string "
                    "such as 2018-08-31 or rocky)", span)
        return None
    assert isinstance(node, YScalar)
    version = VERSIONS.get(str(node.value))
    if version is None:
        known = ", ".join(k for k in VERSIONS if k[0].isdigit())
        sink.report("H2K101", f'"heat_template_version: {node.value!s}" should be one of: {known} '
                    "(or a release name from newton on)", node.span)
    return version


class _Lowering:
    def __init__(self, version: HotVersion, sink: DiagnosticSink) -> None:
        self.version = version
        self.sink = sink

    def stack(self, root: YMap, path: str, name: str) -> Stack:
        for key, _ in root.entries:
            if key.value not in self.version.sections:
                hint = ""
                if key.value == "conditions":
                    hint = " (conditions need heat_template_version 2016-10-14 or later)"
                self.sink.report("H2K102", f"the template section is invalid: {key.value!s}{hint}", key.span)
        parameters = self.section(root, "parameters", self.parameter)
        self.parameter_groups(root.get("parameter_groups"), {p.name for p in parameters})
        description = root.get("description")
        return Stack(
            path=path,
            name=name,
            version=self.version.date,
            span=root.span,
            description=description.value if isinstance(description, YScalar) and
            isinstance(description.value, str) else None,
            parameters=tuple(parameters),
            resources=tuple(self.section(root, "resources", self.resource)),
            outputs=tuple(self.section(root, "outputs", self.output)),
            conditions=tuple(self.section(root, "conditions", self.condition)),
        )

    def section(self, root: YMap, name: str, lower_one: Callable[[YScalar, Node], T | None]) -> list[T]:
        node = root.get(name)
        if node is None or (isinstance(node, YScalar) and node.value is None):
            return []
        if not isinstance(node, YMap):
            self.sink.report("H2K102", f"the {name} section must be a mapping", node.span)
            return []
        lowered: list[T] = []
        for key, value in node.entries:
            if not isinstance(key.value, str):
                self.sink.report("H2K102", f"{name} names must be strings, not {key.value!r}", key.span)
                continue
            item = lower_one(key, value)
            if item is not None:
                lowered.append(item)
        return lowered

    # -- sections --------------------------------------------------------------------------------

    def parameter_groups(self, node: Node | None, declared: set[str]) -> None:
        """Only a user-interface ordering, but Heat refuses malformed groups."""
        if node is None or (isinstance(node, YScalar) and not node.value):
            return
        if not isinstance(node, YSeq):
            self.sink.report("H2K104", "parameter_groups: The parameter_groups should be a list.", node.span)
            return
        grouped: set[object] = set()
        for group in node.items:
            members = group.get("parameters") if isinstance(group, YMap) else None
            if members is None:
                self.sink.report("H2K104", "parameter_groups: The parameters must be provided for each parameter "
                                 "group.", group.span)
                continue
            if not isinstance(members, YSeq):
                self.sink.report("H2K104", "parameter_groups: The parameters of parameter group should be a list.",
                                 members.span)
                continue
            for member in members.items:
                name = member.value if isinstance(member, YScalar) else None
                if name in grouped:
                    self.sink.report("H2K104", f"parameter_groups: The {name!s} parameter must be assigned to one "
                                     "parameter group only.", member.span)
                grouped.add(name)
                if name not in declared:
                    self.sink.report("H2K104", f"parameter_groups: The grouped parameter {name!s} does not reference a "
                                     "valid parameter.", member.span)

    def definition(self, node: Node, code: str, what: str, allowed: frozenset[str],
                   invalid: Callable[[object], str]) -> YMap | None:
        """A parameter, resource or output definition: a mapping whose keys the version allows."""
        if not isinstance(node, YMap):
            self.sink.report(code, f"{what} must be a mapping", node.span)
            return None
        for k, _ in node.entries:
            if k.value not in allowed:
                self.sink.report(code, invalid(k.value), k.span)
        return node

    def parameter(self, key: YScalar, raw: Node) -> Parameter | None:
        name = str(key.value)
        node = self.definition(raw, "H2K104", f"parameter {name}", self.version.parameter_keys,
                               lambda k: f"invalid key {k!r} for parameter ({name})")
        if node is None:
            return None
        kind = node.get("type")
        valid = isinstance(kind, YScalar) and kind.value in PARAMETER_TYPES
        if not valid:
            span = kind.span if kind is not None else key.span
            found = "missing" if kind is None else repr(kind.value) if isinstance(kind, YScalar) else "not a string"
            self.sink.report("H2K104", f"parameter {name}: type {found}; it must be one of "
                             f"{', '.join(sorted(PARAMETER_TYPES))}", span)
        hidden = node.get("hidden")
        # A parameter with an invalid type stays declared (references to it are not errors too),
        # with an empty type, which bind_parameters leaves without a value.
        return Parameter(
            name=name,
            type=str(kind.value) if valid and isinstance(kind, YScalar) else "",
            span=key.span.through(raw.span),
            default=self.data(node.get("default")),
            description=self.text(node.get("description")),
            label=self.text(node.get("label")),
            hidden=isinstance(hidden, YScalar) and bool(hidden.value),  # Heat hides on any truthy value
            constraints=self.data(node.get("constraints")),
        )

    def resource(self, key: YScalar, raw: Node) -> Resource | None:
        name = str(key.value)
        node = self.definition(raw, "H2K103", f"resource {name}", self.version.resource_keys,
                               lambda k: f"invalid keyword {k!r} inside resource {name}")
        if node is None:
            return None
        kind = node.get("type")
        if kind is None:
            self.sink.report("H2K103", f'resource {name} is missing "type"', key.span)
            return None
        if not isinstance(kind, YScalar) or not isinstance(kind.value, str) or not kind.value:
            self.sink.report("H2K103", f'the "type" of resource {name} must be a non-empty string', kind.span)
            return None
        properties = self.expr(node.get("properties"))
        if properties is None:
            properties = MapExpr(entries=(), span=key.span)
        elif not isinstance(properties, MapExpr):
            self.sink.report("H2K103", f"the properties of resource {name} must be a mapping", properties.span)
            properties = MapExpr(entries=(), span=properties.span)
        metadata = self.expr(node.get("metadata"))
        if metadata is not None and not isinstance(metadata, MapExpr | Call):
            self.sink.report("H2K103", f"the metadata of resource {name} must be a mapping", metadata.span)
            metadata = None
        return Resource(
            name=name,
            type=kind.value,
            span=key.span.through(raw.span),
            properties=properties,
            metadata=metadata,
            depends_on=self.depends_on(name, node.get("depends_on")),
            deletion_policy=self.expr(node.get("deletion_policy")),
            update_policy=self.expr(node.get("update_policy")),
            condition=self.condition_expr(self.allowed(node, "condition", self.version.resource_keys)),
            external_id=self.expr(self.allowed(node, "external_id", self.version.resource_keys)),
            description=self.text(node.get("description")),
        )

    def depends_on(self, name: str, node: Node | None) -> tuple[str, ...]:
        if node is None or (isinstance(node, YScalar) and node.value is None):
            return ()
        items = node.items if isinstance(node, YSeq) else (node,)
        names = []
        for item in items:
            if isinstance(item, YScalar) and isinstance(item.value, str):
                names.append(item.value)
            else:
                self.sink.report("H2K103", f"depends_on of resource {name} must name resources", item.span)
        return tuple(names)

    def output(self, key: YScalar, raw: Node) -> Output | None:
        name = str(key.value)
        if not isinstance(raw, YMap):
            self.sink.report("H2K110", f"output {name} must be a mapping", raw.span)
            return None
        node = raw
        for k, _ in node.entries:
            if k.value not in self.version.output_keys:
                # Heat ignores unknown output keys (a `Description:` is lost without a word).
                self.sink.report("H2K110", f'"{k.value!s}" is not a valid keyword inside output {name}; Heat '
                                 "ignores it", k.span, Severity.WARNING)
        value = self.expr(node.get("value"))
        if value is None:
            self.sink.report("H2K110", f"output {name} must contain a value key", key.span)
            return None
        return Output(name=name, value=value, span=key.span.through(raw.span),
                      description=self.text(node.get("description")),
                      condition=self.condition_expr(self.allowed(node, "condition", self.version.output_keys)))

    def condition(self, key: YScalar, node: Node) -> Condition | None:
        expr = self.condition_expr(node)
        assert expr is not None
        return Condition(name=str(key.value), expr=expr, span=key.span.through(node.span))

    # -- values ----------------------------------------------------------------------------------

    @staticmethod
    def allowed(node: YMap, key: str, keys: frozenset[str]) -> Node | None:
        """A key's value, if this version has the key at all (an unknown key is reported, not used)."""
        return node.get(key) if key in keys else None

    @staticmethod
    def text(node: Node | None) -> str | None:
        if isinstance(node, YScalar) and node.value is not None:
            return str(node.value)
        return None

    def data(self, node: Node | None) -> Expr | None:
        """Plain data, where Heat parses no functions (parameter defaults and constraints)."""
        return None if node is None else self.to_expr(node, _DATA)

    def expr(self, node: Node | None) -> Expr | None:
        return None if node is None else self.to_expr(node, _NORMAL)

    def condition_expr(self, node: Node | None) -> Expr | None:
        """A condition: parsed with the condition functions, where every other function is invalid."""
        return None if node is None else self.to_expr(node, _CONDITION)

    def to_expr(self, node: Node, context: int) -> Expr:
        if isinstance(node, YScalar):
            return Literal(value=node.value, span=node.span)
        if isinstance(node, YSeq):
            return ListExpr(items=tuple(self.to_expr(i, context) for i in node.items), span=node.span)
        if context != _DATA and len(node.entries) == 1:
            key, value = node.entries[0]
            name = key.value
            if isinstance(name, str):
                known = self.version.recognised_in_conditions if context == _CONDITION else self.version.recognised
                if name in known:
                    return Call(function=name, args=self.call_args(name, value, context), span=key.span)
                self.check_typo(key)
        return MapExpr(entries=tuple((Literal(value=k.value, span=k.span), self.to_expr(v, context))
                                     for k, v in node.entries), span=node.span)

    def call_args(self, name: str, value: Node, context: int) -> Expr:
        """The first argument of `if` is a condition; everything else keeps its context."""
        if name == "if" and context == _NORMAL and isinstance(value, YSeq) and value.items:
            first, *rest = value.items
            items = (self.to_expr(first, _CONDITION), *(self.to_expr(i, context) for i in rest))
            return ListExpr(items=items, span=value.span)
        return self.to_expr(value, context)

    def check_typo(self, key: YScalar) -> None:
        name = str(key.value)
        if name in ALL_FUNCTIONS:
            self.sink.report("H2K109", f"{name} is not a function in HOT version {self.version.date}; Heat "
                             "reads this mapping as plain data", key.span)
            return
        close = _near_function(name, self.version.functions)
        if close is not None:
            self.sink.report("H2K109", f"{name!r} looks like the function {close!r}; Heat reads this mapping "
                             "as plain data", key.span)


@functools.lru_cache(maxsize=4096)
def _near_function(name: str, functions: frozenset[str]) -> str | None:
    """The function a one-key mapping's key is probably a misspelling of (cached: keys repeat)."""
    if not (name.startswith(("get_", "str_", "list_", "map_", "Fn::")) or len(name) > 5):
        return None
    close = difflib.get_close_matches(name, sorted(functions), n=1, cutoff=0.85)
    return close[0] if close and close[0] != name else None
