"""Give every parameter the value the stack is compiled with, converted and checked as Heat does.

The value is, in Heat's order (heat/engine/parameters.py `Parameter.value`, `Parameters`): the
user's value (command line and environment `parameters`, merged by `merge_environments`), else a
`parameter_defaults` entry, else the template default. Conversion follows Heat's parameter types:
a number is parsed as int, then float; a comma_delimited_list is split on commas without trimming;
a boolean accepts only oslo's spellings, trimmed; json is parsed from text.

Checks follow `Parameter.validate`: the definition's constraints and its template default first
(even when a value is given), then the value against every constraint. A finding about a value
points at the parameter and, when the value came from an environment file, at the value there
too. A hidden parameter's value never appears in a message.

>>> from h2k.passes.bind_parameters import convert
>>> convert("comma_delimited_list", "one, two")
['one', ' two']
>>> convert("number", "010")
10
>>> convert("boolean", " Yes ")
True
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from h2k.frontends.hot.environment import Environment, EnvValue, cli_value, merge_environments
from h2k.ir.expr import from_data, to_data
from h2k.ir.nodes import Parameter, Stack
from h2k.passes.context import PassContext

if TYPE_CHECKING:
    from h2k.frontends.hot.constraints import Finding

# h2k.frontends.hot.constraints is imported where it is used: a template without parameters (as
# in `h2k check` of a small file) never needs it, and importing it costs a few ms of start-up.

_CODES = {"conversion": "H2K104", "violation": "H2K113", "unchecked": "H2K116"}


def bind_parameters(stack: Stack, ctx: PassContext) -> Stack:
    declared = {p.name: p.type for p in stack.parameters}
    environment = ctx.environment
    if environment is None:
        environment = merge_environments([], {name: cli_value(name, value) for name, value in ctx.parameters.items()},
                                         declared, ctx.sink)
    # Heat's `_validate_user_parameters`: every user value must name a parameter of this template.
    for name in sorted(set(environment.parameters) - set(declared)):
        given = environment.parameters[name]
        ctx.sink.report("H2K106", f"a value was given for parameter {name!r}, which the template does not declare",
                        given.span if given.from_file else stack.span)
    binder = _Binder(stack.version, environment, ctx)
    return dataclasses.replace(stack, parameters=tuple(binder.bind(p) for p in stack.parameters))


class _Binder:
    def __init__(self, version: str, environment: Environment, ctx: PassContext) -> None:
        self.version = version
        self.environment = environment
        self.sink = ctx.sink
        self.require_values = ctx.require_values
        self.hidden_at_deploy_time = ctx.hidden_at_deploy_time

    def bind(self, parameter: Parameter) -> Parameter:
        if not parameter.type:
            return parameter  # an invalid definition, reported by the front-end
        from h2k.frontends.hot.constraints import Finding, parse_constraints, validate_default, validate_value

        name = parameter.name
        constraints, errors = parse_constraints(parameter.constraints, parameter.type, self.version, name,
                                                parameter.span)
        for error in errors:
            self.sink.report("H2K104", f"parameter {name}: {error.message}", error.span)
        default = to_data(parameter.default) if parameter.default is not None else None
        default_refused = False
        if default is not None:
            problem = validate_default(default, parameter.type, constraints, parameter.hidden)
            if problem is not None:
                default_refused = True
                where = parameter.default.span if parameter.default is not None else parameter.span
                self.sink.report("H2K104", f"parameter {name}: invalid default {self.show(parameter, default)} "
                                 f"({problem})", where)
        origin, what = self.user_value(name)
        if origin is not None:
            raw: object = origin.value
        elif default is not None:
            raw, what = default, "the default"
        else:
            if self.require_values and not (parameter.hidden and self.hidden_at_deploy_time):
                self.sink.report("H2K105", f"parameter {name} has no default and no value was given "
                                 f"(use -P {name}=VALUE)", parameter.span)
            return parameter
        if origin is None and default_refused:
            findings: list[Finding] = []  # the same default, already reported
        else:
            findings = validate_value(raw, parameter.type, constraints, parameter.hidden)
        for finding in findings:
            self.report(parameter, finding, what, raw, origin)
        if any(finding.kind == "conversion" for finding in findings):
            return parameter
        try:
            value = convert(parameter.type, raw)
        except ValueError as error:  # a default Heat refuses to split (already reported)
            if not default_refused:
                self.report(parameter, Finding("conversion", str(error)), what, raw, origin)
            return parameter
        return dataclasses.replace(parameter, value=from_data(value, parameter.span))

    def user_value(self, name: str) -> tuple[EnvValue | None, str]:
        """The user's value, else a `parameter_defaults` entry (Heat ignores null for both)."""
        for source, what in ((self.environment.parameters, "the value given"),
                             (self.environment.parameter_defaults, "the parameter_defaults value")):
            found = source.get(name)
            if found is not None and found.value is not None:
                return found, what
        return None, ""

    def report(self, parameter: Parameter, finding: Finding, what: str, raw: object, origin: EnvValue | None) -> None:
        code = _CODES[finding.kind]
        name = parameter.name
        if finding.kind == "conversion":
            message = f"{what} {self.show(parameter, raw)} is not a valid {parameter.type}: {finding.message}"
        else:
            message = finding.message
        self.sink.report(code, f"parameter {name}: {message}", parameter.span)
        if origin is not None and origin.from_file and finding.kind != "unchecked":
            self.sink.report(code, f"this value of parameter {name}: {message}", origin.span)

    @staticmethod
    def show(parameter: Parameter, value: object) -> str:
        from h2k.frontends.hot.constraints import HIDDEN

        return HIDDEN if parameter.hidden else repr(value)


def convert(kind: str, raw: object) -> object:
    """Heat's conversion of a value to the parameter's type (`Parameter.value`); ValueError when it does not fit."""
    from h2k.frontends.hot.constraints import bool_from_string, parse_json, parse_list, str_to_num

    if kind == "string":
        return raw if isinstance(raw, str) else str(raw)
    if kind == "number":
        try:
            return str_to_num(raw)
        except (ValueError, TypeError):
            raise ValueError("not a number") from None
    if kind == "comma_delimited_list":
        return parse_list(raw)
    if kind == "boolean":
        return bool_from_string(raw)
    if kind == "json":
        return parse_json(raw)
    raise ValueError(f"unknown parameter type {kind}")

