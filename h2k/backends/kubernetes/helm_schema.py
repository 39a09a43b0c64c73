"""values.schema.json: what Helm lets a user give, from the Heat types and constraints of the parameters.

Helm checks values against the chart's schema (JSON Schema draft 07) before it renders anything,
so the schema is where Heat's constraints live once the chart leaves h2k. The rule: a value Heat
refuses, the schema refuses too. Where a constraint has no exact counterpart the schema refuses
more than Heat (and says so), and where it cannot refuse at least as much (a custom constraint,
a pattern RE2 cannot express) the parameter does not become a value at all.

Heat's rules, and their schema form, for a string parameter:
- `length: {min, max}`: `len(value)` in code points, integer bounds, inclusive -> `minLength` and
  `maxLength`, which count code points too.
- `allowed_values`: compared with `str(item)` of each listed item -> `enum` of those strings.
- `allowed_pattern`: see helm_pattern.py.
- `custom_constraint`: asks an OpenStack service; nothing in a schema can.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from h2k.backends.kubernetes.helm_pattern import translate
from h2k.frontends.hot.constraints import (
    AllowedPattern,
    AllowedValues,
    CustomConstraint,
    Length,
    parse_constraints,
)
from h2k.ir.nodes import Parameter
from h2k.span import Span

DRAFT = "http://json-schema.org/draft-07/schema#"
# Characters a rendered manifest cannot carry: Go's YAML reader refuses DEL, the C1 controls and
# U+FFFE/U+FFFF in a quoted string, and folds U+0085 into a space. Heat accepts them; the chart cannot.
UNSAFE_TEXT = "[\\x7F-\\x9F\ufffe\uffff]"
_UNSAFE = re.compile(UNSAFE_TEXT)


@dataclass(frozen=True, slots=True)
class Note:
    """Something the schema of a parameter cannot say as Heat does (a finding, at the constraint)."""

    code: str
    message: str
    span: Span


@dataclass(frozen=True, slots=True)
class ParameterSchema:
    """The schema of one parameter; None when no schema refuses everything Heat refuses."""

    schema: dict[str, object] | None
    notes: list[Note] = field(default_factory=list)

    def accepts(self, value: str) -> bool:
        """Whether the schema accepts `value` (checked here as Helm's RE2 would)."""
        schema = self.schema
        if schema is None or _UNSAFE.search(value):
            return False
        if "enum" in schema and value not in schema["enum"]:  # type: ignore[operator]
            return False
        if len(value) < schema.get("minLength", 0) or len(value) > schema.get("maxLength", math.inf):  # type: ignore[operator]
            return False
        patterns = [schema.get("pattern")] + [part["pattern"] for part in schema.get("allOf", [])]  # type: ignore[attr-defined]
        return all(re.fullmatch(str(p)[1:-1], value) is not None for p in patterns if p is not None)


def parameter_schema(parameter: Parameter, version: str) -> ParameterSchema:
    """The schema of a string parameter as Heat checks it."""
    constraints, errors = parse_constraints(parameter.constraints, parameter.type, version, parameter.name,
                                            parameter.span)
    if errors:
        return ParameterSchema(None)  # Heat refuses the template itself (reported by the front-end)
    schema: dict[str, object] = {"type": "string"}
    if parameter.label:
        schema["title"] = parameter.label
    if parameter.description:
        schema["description"] = parameter.description
    notes: list[Note] = []
    patterns: list[str] = []
    exposable = True
    for constraint in constraints:
        if isinstance(constraint, Length):
            _length(schema, constraint)
        elif isinstance(constraint, AllowedValues):
            _allowed(schema, constraint)
        elif isinstance(constraint, AllowedPattern):
            translation = translate(constraint.pattern)
            if translation.pattern is None:
                exposable = False
                notes.append(Note("H2K421", f"parameter {parameter.name}: allowed_pattern {constraint.pattern!r} has "
                                  f"no JSON Schema form that refuses what Heat refuses: {translation.note}; the "
                                  "parameter stays compiled into the chart", constraint.span))
            else:
                patterns.append(translation.pattern)
                if not translation.exact:
                    notes.append(Note("H2K421", f"parameter {parameter.name}: allowed_pattern {constraint.pattern!r} "
                                      f"becomes {translation.pattern!r}, which refuses more than Heat: "
                                      f"{translation.note}", constraint.span))
        elif isinstance(constraint, CustomConstraint):
            exposable = False
            notes.append(Note("H2K422", f"parameter {parameter.name}: custom_constraint {constraint.name} asks an "
                              "OpenStack service, which values.schema.json cannot do; the parameter stays compiled "
                              "into the chart", constraint.span))
        else:
            exposable = False  # range and modulo do not apply to strings: Heat refuses the template
    if len(patterns) == 1:
        schema["pattern"] = patterns[0]
    elif patterns:
        schema["allOf"] = [{"pattern": pattern} for pattern in patterns]
    schema["not"] = {"pattern": UNSAFE_TEXT}
    return ParameterSchema(schema if exposable else None, notes)


def _length(schema: dict[str, object], constraint: Length) -> None:
    """Bounds are integers (Heat refuses others); several length constraints intersect."""
    if constraint.min is not None:
        low = max(0, int(constraint.min))  # type: ignore[call-overload]
        schema["minLength"] = max(low, int(schema.get("minLength", 0)))  # type: ignore[call-overload]
    if constraint.max is not None:
        high = max(0, int(constraint.max))  # type: ignore[call-overload]
        if "maxLength" in schema:
            high = min(high, int(schema["maxLength"]))  # type: ignore[call-overload]
        schema["maxLength"] = high


def _allowed(schema: dict[str, object], constraint: AllowedValues) -> None:
    allowed = list(dict.fromkeys(str(item) for item in constraint.allowed))
    if "enum" in schema:
        allowed = [item for item in schema["enum"] if item in allowed]  # type: ignore[attr-defined]
    schema["enum"] = allowed


def values_schema(parameters: dict[str, object],
                  supplied: dict[str, dict[str, tuple[list[str], str]]]) -> dict[str, object]:
    """The whole schema: `parameters` (the exposed ones) and a section per kind of object written
    without its values (`secrets`, `configMaps`: object name -> key -> text)."""
    properties: dict[str, object] = {
        "parameters": _section("Parameters of the Heat template that may change at deploy time.", parameters,
                               required=True)}
    for section, objects in supplied.items():
        entries: dict[str, object] = {
            name: _section(need, {key: {"type": "string", "minLength": 1} for key in keys}, required=False)
            for name, (keys, need) in objects.items()}
        # Not required here but in the templates (`required`): `helm lint` passes, installing does not.
        properties[section] = _section(f"Values of the {section} h2k writes without them, by name and key; "
                                       "give them at install time.", entries, required=False)
    return {
        "$schema": DRAFT,
        "title": "Values of the chart",
        "type": "object",
        "additionalProperties": False,
        "required": list(properties),
        "properties": properties,
    }


def _section(description: str, properties: dict[str, object], required: bool) -> dict[str, object]:
    section: dict[str, object] = {"description": description, "type": "object", "additionalProperties": False}
    if properties:
        if required:
            section["required"] = list(properties)
        section["properties"] = properties
    return section
