"""Topology inputs as HOT parameters, their types and constraints in Heat's forms.

HOT parameters are what h2k binds values to (`-P`), what Helm values and their JSON schema are
made from, so TOSCA inputs become exactly that: numbers for integer, float and port types,
`json` for lists and maps, strings for the rest (sizes, times, versions), and every TOSCA
constraint written as the HOT constraint that accepts the same values. A constraint HOT cannot
express is reported and left out.
"""

from __future__ import annotations

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.expr import Expr, Literal, from_data
from h2k.ir.nodes import Parameter
from h2k.source.nodes import Node, YMap, YScalar, YSeq, to_python

TYPES = {"string": "string", "integer": "number", "float": "number", "boolean": "boolean",
         "timestamp": "string", "version": "string", "PortDef": "number", "tosca.datatypes.network.PortDef": "number",
         "list": "json", "map": "json", "range": "json", "scalar-unit.size": "string",
         "scalar-unit.time": "string", "scalar-unit.frequency": "string", "scalar-unit.bitrate": "string"}


def parameter(key: YScalar, raw: Node, sink: DiagnosticSink) -> Parameter | None:
    name = str(key.value)
    if not isinstance(raw, YMap):
        sink.report("H2K713", f"input {name} must be a mapping", raw.span)
        return None
    kind = raw.get("type")
    tosca_type = str(kind.value) if isinstance(kind, YScalar) else "string"
    hot_type = TYPES.get(tosca_type)
    if hot_type is None:
        # A data type of the template: its values are structured data.
        hot_type = "json"
        sink.report("H2K713", f"input {name} has type {tosca_type}, which becomes a json parameter (its "
                    "properties are not checked)", kind.span if kind is not None else key.span, Severity.INFO)
    default = raw.get("default")
    description = raw.get("description")
    value: Expr | None = from_data(to_python(default), default.span) if default is not None else None
    required = raw.get("required")
    if value is None and isinstance(required, YScalar) and required.value is False:
        # An optional input without a default is empty; a HOT parameter needs a value of its type.
        empty = {"string": "", "json": [] if tosca_type == "list" else {}}.get(hot_type)
        if empty is not None:
            value = from_data(empty, required.span)
    return Parameter(
        name=name, type=hot_type, span=key.span.through(raw.span),
        default=value,
        description=str(description.value) if isinstance(description, YScalar) and description.value else None,
        constraints=_constraints(name, raw.get("constraints"), hot_type, sink),
    )


def _constraints(name: str, node: Node | None, hot_type: str, sink: DiagnosticSink) -> Expr | None:
    if not isinstance(node, YSeq):
        return None
    found: list[object] = []
    for item in node.items:
        if not isinstance(item, YMap) or len(item) != 1:
            sink.report("H2K713", f"a constraint of input {name} must be a mapping with one operator", item.span)
            continue
        operator_key, operand_node = item.entries[0]
        mapped = _constraint(str(operator_key.value), to_python(operand_node), hot_type)
        if mapped is None:
            sink.report("H2K713", f"constraint {operator_key.value!r} of input {name} has no HOT counterpart; it is "
                        "not checked", operator_key.span)
            continue
        found.append(mapped)
    return from_data(found, node.span) if found else None


def _constraint(operator: str, operand: object, hot_type: str) -> dict[str, object] | None:
    """The HOT form of one TOSCA constraint; ±1 for strict bounds, which are on integers in practice."""
    number = isinstance(operand, int | float) and not isinstance(operand, bool)
    if operator == "equal":
        return {"allowed_values": [operand]}
    if operator == "valid_values" and isinstance(operand, list):
        return {"allowed_values": operand}
    if operator == "pattern" and isinstance(operand, str):
        return {"allowed_pattern": operand}
    if hot_type == "number" and number:
        assert isinstance(operand, int | float)
        strict = 1 if isinstance(operand, int) else 0
        bounds = {"greater_than": {"min": operand + strict}, "greater_or_equal": {"min": operand},
                  "less_than": {"max": operand - strict}, "less_or_equal": {"max": operand}}.get(operator)
        if bounds is not None and (strict or operator.endswith("equal")):
            return {"range": bounds}
        return None
    if operator == "in_range" and isinstance(operand, list) and len(operand) == 2 and hot_type == "number":
        low, high = operand
        return {"range": {**({"min": low} if low != "UNBOUNDED" else {}), **({"max": high} if high != "UNBOUNDED"
                                                                             else {})}}
    if hot_type in ("string", "json"):
        if operator == "length" and isinstance(operand, int):
            return {"length": {"min": operand, "max": operand}}
        if operator == "min_length" and isinstance(operand, int):
            return {"length": {"min": operand}}
        if operator == "max_length" and isinstance(operand, int):
            return {"length": {"max": operand}}
    return None


def literal_value(parameter: Parameter, given: dict[str, object]) -> object:
    """The value an input has for static choices made while lowering (a flavor): given, else its default."""
    value = given[parameter.name] if parameter.name in given else \
        parameter.default.value if isinstance(parameter.default, Literal) else None
    if parameter.type == "number" and isinstance(value, str):
        for convert in (int, float):
            try:
                return convert(value)
            except ValueError:
                continue
    return value
