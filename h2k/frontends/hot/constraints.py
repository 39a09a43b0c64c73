"""Parameter constraints, parsed and checked as Heat does.

Parsing follows heat/engine/hot/parameters.py (`HOTParamSchema._constraints`,
`_constraint_from_def`, and the 2017-02-24 class that adds `modulo`); the checks and their messages
follow heat/engine/constraints.py. Heat applies the checks to the value as given (a string
parameter's value is not turned into text first, so a YAML number fails `length`), except that
lists and json are parsed first; h2k does the same, using the same Python operations, so that it
fails where Heat fails.

Custom constraints ask an OpenStack service whether a value exists; the ones that only concern the
form of a value are checked here as heat/engine/constraint/common_constraints.py checks them.
"""

from __future__ import annotations

import datetime
import json
import numbers
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, to_data
from h2k.span import Span

# Heat's names for the parameter types in `InvalidSchemaError` messages are the HOT ones.
STRING, NUMBER, LIST, JSON, BOOLEAN = "string", "number", "comma_delimited_list", "json", "boolean"
CONSTRAINT_KEYS = ("description", "length", "range", "modulo", "allowed_values", "allowed_pattern",
                   "custom_constraint")
MODULO_SINCE = "2017-02-24"
HIDDEN = "******"

# Every custom constraint stock Heat registers (setup.cfg `heat.constraints`).
HEAT_CUSTOM_CONSTRAINTS = frozenset({
    "barbican.container", "barbican.secret", "blazar.reservation", "cinder.backup", "cinder.qos_specs",
    "cinder.snapshot", "cinder.volume", "cinder.vtype", "cron_expression", "designate.zone", "dns_domain",
    "dns_name", "expiration", "glance.image", "ip_addr", "ip_or_cidr", "ironic.node", "ironic.portgroup",
    "iso_8601", "json_string", "keystone.domain", "keystone.group", "keystone.project", "keystone.region",
    "keystone.role", "keystone.service", "keystone.user", "mac_addr", "magnum.cluster_template",
    "manila.share_network", "manila.share_snapshot", "manila.share_type", "mistral.workflow", "net_cidr",
    "neutron.address_scope", "neutron.flow_classifier", "neutron.lbaas.listener", "neutron.lbaas.loadbalancer",
    "neutron.lbaas.pool", "neutron.lbaas.provider", "neutron.network", "neutron.port", "neutron.port_pair",
    "neutron.port_pair_group", "neutron.qos_policy", "neutron.router", "neutron.security_group",
    "neutron.segment", "neutron.subnet", "neutron.subnetpool", "neutron.taas.tap_flow",
    "neutron.taas.tap_service", "nova.flavor", "nova.host", "nova.keypair", "nova.network", "nova.server",
    "octavia.availabilityzone", "octavia.availabilityzoneprofile", "octavia.flavor", "octavia.flavorprofile",
    "octavia.l7policy", "octavia.listener", "octavia.loadbalancer", "octavia.pool", "rel_dns_name",
    "test_constr", "timezone", "trove.flavor", "zaqar.queue",
})


class SchemaError(Exception):
    """A constraint definition Heat refuses (its `InvalidSchemaError`), with where it is written."""

    def __init__(self, message: str, span: Span) -> None:
        super().__init__(message)
        self.message = message
        self.span = span


@dataclass(frozen=True, slots=True)
class Finding:
    """The outcome of one check that did not pass.

    `kind` is "conversion" (the value does not convert to the parameter's type), "violation"
    (a constraint fails) or "unchecked" (a custom constraint that needs a cloud to answer).
    """

    kind: str
    message: str


# -- the constraints -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Constraint:
    """One constraint; `check` answers True, False, or None when it cannot tell offline."""

    description: object
    span: Span
    heat_name: ClassVar[str] = ""
    valid_types: ClassVar[frozenset[str]] = frozenset()

    def check(self, value: object, kind: str) -> bool | None:
        raise NotImplementedError

    def error(self, value: object, shown: str) -> str:
        """Heat's message for a failing value; `shown` is how the value may be displayed."""
        raise NotImplementedError

    def failure(self, value: object, shown: str) -> str:
        """The message Heat gives: the constraint's description when it has one."""
        return str(self.description) if self.description else self.error(value, shown)


@dataclass(frozen=True, slots=True)
class Range(Constraint):
    min: object = None
    max: object = None
    heat_name: ClassVar[str] = "Range"
    valid_types: ClassVar[frozenset[str]] = frozenset({NUMBER})

    def check(self, value: object, kind: str) -> bool | None:
        return _within(str_to_num(value), self.min, self.max)

    def error(self, value: object, shown: str) -> str:
        return f"{shown} is out of range (min: {self.min}, max: {self.max})"


@dataclass(frozen=True, slots=True)
class Length(Constraint):
    min: object = None
    max: object = None
    heat_name: ClassVar[str] = "Length"
    valid_types: ClassVar[frozenset[str]] = frozenset({STRING, LIST, JSON})

    def check(self, value: object, kind: str) -> bool | None:
        return _within(len(value), self.min, self.max)  # type: ignore[arg-type]

    def error(self, value: object, shown: str) -> str:
        return f"length ({len(value)}) is out of range (min: {self.min}, max: {self.max})"  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Modulo(Constraint):
    step: object = None
    offset: object = None
    heat_name: ClassVar[str] = "Modulo"
    valid_types: ClassVar[frozenset[str]] = frozenset({NUMBER})

    def check(self, value: object, kind: str) -> bool | None:
        return bool(str_to_num(value) % self.step == self.offset)  # type: ignore[operator]

    def error(self, value: object, shown: str) -> str:
        return f"{shown} is not a multiple of {self.step} with an offset of {self.offset}"


@dataclass(frozen=True, slots=True)
class AllowedValues(Constraint):
    allowed: tuple[object, ...] = ()
    heat_name: ClassVar[str] = "AllowedValues"
    valid_types: ClassVar[frozenset[str]] = frozenset({STRING, NUMBER, BOOLEAN, LIST})

    def check(self, value: object, kind: str) -> bool | None:
        if isinstance(value, list):
            # Every element must be allowed, compared as written (no conversion for lists).
            return all(item in self.allowed for item in value)
        allowed = tuple(to_schema_type(kind, item) for item in self.allowed)
        return to_schema_type(kind, value) in allowed

    def error(self, value: object, shown: str) -> str:
        listed = ", ".join(json.dumps(item) for item in self.allowed)
        return f"{shown} is not an allowed value [{listed}]"


@dataclass(frozen=True, slots=True)
class AllowedPattern(Constraint):
    pattern: str = ""
    heat_name: ClassVar[str] = "AllowedPattern"
    valid_types: ClassVar[frozenset[str]] = frozenset({STRING})

    def check(self, value: object, kind: str) -> bool | None:
        # `re.match` anchors at the start only; Heat also requires the match to reach the end.
        match = re.match(self.pattern, value)  # type: ignore[call-overload]
        return match is not None and match.end() == len(value)  # type: ignore[arg-type]

    def error(self, value: object, shown: str) -> str:
        return f'"{shown}" does not match pattern "{self.pattern}"'


@dataclass(frozen=True, slots=True)
class CustomConstraint(Constraint):
    name: object = None
    heat_name: ClassVar[str] = "CustomConstraint"
    valid_types: ClassVar[frozenset[str]] = frozenset({STRING, NUMBER, BOOLEAN, LIST})

    @property
    def known(self) -> bool:
        return isinstance(self.name, str) and self.name in HEAT_CUSTOM_CONSTRAINTS

    def check(self, value: object, kind: str) -> bool | None:
        if not self.known:
            return False  # Heat: "constraint not found" fails every value
        checker = _FORM_CHECKS.get(str(self.name))
        return None if checker is None else checker(value).valid

    def error(self, value: object, shown: str) -> str:
        if not self.known:
            return f'"{shown}" does not validate {self.name} (constraint not found)'
        checker = _FORM_CHECKS.get(str(self.name))
        reason = checker(value).reason if checker is not None else None
        if reason is None or shown != str(value):  # the reason repeats the value: not for hidden ones
            return f"Error validating value '{shown}'"
        return f"Error validating value '{shown}': {reason}"


def _within(value: object, low: object, high: object) -> bool:
    if low is not None and value < low:  # type: ignore[operator]
        return False
    return not (high is not None and value > high)  # type: ignore[operator]


# -- conversions Heat uses while checking ----------------------------------------------------------


def str_to_num(value: object) -> object:
    """Heat's `Schema.str_to_num`: numbers as they are, else int(), else float() (which may raise)."""
    if isinstance(value, numbers.Number):
        return value
    try:
        return int(value)  # type: ignore[call-overload]
    except ValueError:
        return float(value)  # type: ignore[arg-type]


_TRUE = ("1", "t", "true", "on", "y", "yes")
_FALSE = ("0", "f", "false", "off", "n", "no")


def bool_from_string(value: object) -> bool:
    """oslo's strict `bool_from_string`: booleans as they are, else the trimmed, lower-cased text."""
    if isinstance(value, bool):
        return value
    text = (value if isinstance(value, str) else str(value)).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError("use one of true/false, yes/no, on/off, 1/0, t/f, y/n")


def to_schema_type(kind: str, value: object) -> object:
    """Heat's `Schema.to_schema_type` for parameter types (used by `allowed_values`)."""
    try:
        if kind == NUMBER:
            return str_to_num(value)
        if kind == STRING:
            return str(value)
        if kind == BOOLEAN:
            return bool_from_string(str(value))
    except ValueError:
        raise ValueError(f'Value "{value}" is invalid for data type "{kind}".') from None
    return value


# -- parsing ---------------------------------------------------------------------------------------


def parse_constraints(constraints: Expr | object, kind: str, version: str, name: str,
                      span: Span) -> tuple[list[Constraint], list[SchemaError]]:
    """The constraints of parameter `name` of type `kind`, and what Heat refuses in them.

    `constraints` is the parameter's `constraints` expression (for spans) or its plain data.
    Heat checks the whole definition first (any error fails the template), then that each
    constraint suits the type (`Schema.validate`); both are reported here.
    """
    if constraints is None or (isinstance(constraints, Literal) and constraints.value is None):
        return [], []
    if isinstance(constraints, Literal | ListExpr | MapExpr | Call):
        where, data = constraints.span, to_data(constraints)
    else:
        where, data = span, constraints
    if not isinstance(data, list):
        return [], [SchemaError(f"Invalid parameter constraints for parameter {name}, expected a list", where)]
    spans = [item.span for item in constraints.items] if isinstance(constraints, ListExpr) else [where] * len(data)
    parsed: list[Constraint] = []
    errors: list[SchemaError] = []
    for item, item_span in zip(data, spans, strict=True):
        try:
            parsed.append(_constraint(item, version, item_span))
        except SchemaError as error:
            errors.append(error)
        except (ValueError, TypeError, OverflowError, re.error) as error:  # raised by Heat's own conversions
            errors.append(SchemaError(str(error), item_span))
    if errors:
        return [], errors
    for constraint in parsed:
        if kind not in constraint.valid_types:
            return [], [SchemaError(f"{constraint.heat_name} constraint invalid for {kind}", constraint.span)]
    return parsed, []


def _constraint(item: object, version: str, span: Span) -> Constraint:
    """Heat's `_constraint_from_def`: the first kind present wins, in Heat's order."""
    if not isinstance(item, dict):
        raise SchemaError("Invalid parameter constraints, expected a mapping", span)
    for key in item:
        if key not in CONSTRAINT_KEYS:
            raise SchemaError(f"Invalid key '{key}' for parameter constraints", span)
    description = item.get("description")
    if version >= MODULO_SINCE and "modulo" in item:
        step, offset = _numbers(item["modulo"], ("step", "offset"), "modulo constraint", span)
        return _modulo(step, offset, description, span)
    if "range" in item:
        low, high = _numbers(item["range"], ("min", "max"), "range constraint", span)
        if low is None and high is None:
            raise SchemaError("A range constraint must have a min value and/or a max value specified.", span)
        return Range(description, span, low, high)
    if "length" in item:
        low, high = _numbers(item["length"], ("min", "max"), "length constraint", span)
        if low is None and high is None:
            raise SchemaError("A length constraint must have a min value and/or a max value specified.", span)
        if not all(isinstance(bound, int | None) for bound in (low, high)):
            raise SchemaError("min/max length must be integral", span)
        return Length(description, span, low, high)
    if "allowed_values" in item:
        allowed = item["allowed_values"]
        if not isinstance(allowed, Sequence) or isinstance(allowed, str):
            raise SchemaError("AllowedValues must be a list", span)
        return AllowedValues(description, span, tuple(allowed))
    if "allowed_pattern" in item:
        pattern = item["allowed_pattern"]
        if not isinstance(pattern, str):
            raise SchemaError("AllowedPattern must be a string", span)
        re.compile(pattern)
        return AllowedPattern(description, span, pattern)
    if "custom_constraint" in item:
        return CustomConstraint(description, span, item["custom_constraint"])
    raise SchemaError("No constraint expressed" + (" (modulo needs heat_template_version 2017-02-24 or later)"
                                                   if "modulo" in item else ""), span)


def _numbers(definition: object, keys: tuple[str, str], what: str, span: Span) -> tuple[object, object]:
    """Heat's `_check_dict` and `Schema.get_num` for a {min, max} or {step, offset} mapping."""
    if not isinstance(definition, dict):
        raise SchemaError(f"Invalid {what}, expected a mapping", span)
    for key in definition:
        if key not in keys:
            raise SchemaError(f"Invalid key '{key}' for {what}", span)
    first, second = (definition.get(key) for key in keys)
    return (None if first is None else str_to_num(first)), (None if second is None else str_to_num(second))


def _modulo(step: object, offset: object, description: object, span: Span) -> Modulo:
    if step is None or offset is None:
        raise SchemaError("A modulo constraint must have a step value and an offset value specified.", span)
    for number in (step, offset):
        if int(number) != number:  # type: ignore[call-overload]
            raise SchemaError("step/offset must be integer", span)
    whole_step, whole_offset = int(step), int(offset)  # type: ignore[call-overload]
    if whole_step == 0:
        raise SchemaError("step cannot be 0.", span)
    if abs(whole_offset) >= abs(whole_step):
        raise SchemaError("offset must be smaller (by absolute value) than step.", span)
    if whole_step * whole_offset < 0:
        raise SchemaError("step and offset must be both positive or both negative.", span)
    return Modulo(description, span, step, offset)


# -- checking --------------------------------------------------------------------------------------


def validate_default(default: object, kind: str, constraints: Sequence[Constraint], hidden: bool) -> str | None:
    """Heat's `Schema._validate_default`: the template default against every non-custom constraint.

    Lists are split on commas first (so a default that is neither text nor a list is refused even
    without constraints). Returns what is wrong, or None.
    """
    value = default
    if kind == LIST and not isinstance(default, list):
        if not isinstance(default, str):
            return "Default must be a comma-delimited list string"
        value = default.split(",")
    elif kind == LIST:
        value = [str(item) for item in default]  # type: ignore[attr-defined]
    for constraint in constraints:
        if isinstance(constraint, CustomConstraint):
            continue
        problem = _run(constraint, value, kind, hidden)
        if problem is not None and problem.kind == "violation":
            return problem.message
    return None


def validate_value(value: object, kind: str, constraints: Sequence[Constraint], hidden: bool) -> list[Finding]:
    """Heat's `Parameter._validate` for a value (given or default): convert, then check.

    Stops at the first failing constraint, as Heat does; custom constraints that cannot be checked
    offline are listed as "unchecked".
    """
    try:
        checked = _checked_form(kind, value)
    except ValueError as error:
        return [Finding("conversion", str(error))]
    findings: list[Finding] = []
    for constraint in constraints:
        problem = _run(constraint, checked, kind, hidden)
        if problem is not None:
            findings.append(problem)
            if problem.kind == "violation":
                break
    return findings


def _checked_form(kind: str, value: object) -> object:
    """The form Heat checks constraints on: raw for string, number and boolean, parsed otherwise."""
    if kind == NUMBER:
        try:
            str_to_num(value)
        except (ValueError, TypeError):
            raise ValueError("not a number") from None
        return value
    if kind == BOOLEAN:
        bool_from_string(value)
        return value
    if kind == LIST:
        return parse_list(value)
    if kind == JSON:
        return parse_json(value)
    return value


def parse_list(value: object) -> list[str]:
    """Heat's `CommaDelimitedListParam.parse`: a list keeps its items as text; text is split."""
    if isinstance(value, list):
        return [str(item) for item in value]
    if not isinstance(value, str):
        raise ValueError(f"Value must be a comma-delimited list string, not a {type(value).__name__}")
    return value.split(",") if value else []


def parse_json(value: object) -> object:
    """Heat's `JsonParam.parse`: text is parsed (empty text stays), anything else round-trips."""
    try:
        text = value if isinstance(value, str) else json.dumps(value)
        return json.loads(text) if text else value
    except (ValueError, TypeError) as error:
        raise ValueError(f"Value must be valid JSON: {_json_reason(error)}") from None


def _json_reason(error: Exception) -> str:
    return error.msg if isinstance(error, json.JSONDecodeError) else type(error).__name__


def _run(constraint: Constraint, value: object, kind: str, hidden: bool) -> Finding | None:
    shown = HIDDEN if hidden else _text(value, constraint)
    try:
        verdict = constraint.check(value, kind)
    except (ValueError, TypeError, AttributeError) as error:
        # Heat's own check fails the same way (a Python error on this value).
        detail = str(error) if not hidden else type(error).__name__
        return Finding("violation", f"{constraint.heat_name} cannot check this value: {detail}")
    if verdict is None:
        return Finding("unchecked", f"custom constraint {constraint.name} needs an OpenStack cloud to check "  # type: ignore[attr-defined]
                       "the value; h2k cannot check it")
    if verdict:
        return None
    return Finding("violation", constraint.failure(value, shown))


def _text(value: object, constraint: Constraint) -> str:
    """How Heat formats the value in its messages: JSON for allowed_values, `%s` elsewhere."""
    if isinstance(constraint, AllowedValues):
        return json.dumps(value)
    return str(value)


# -- custom constraints that only concern the form of a value --------------------------------------


@dataclass(frozen=True, slots=True)
class _Verdict:
    valid: bool | None
    reason: str | None = None


def _ip_address(value: object) -> _Verdict:
    """`ip_addr` (neutron-lib `validate_ip_address`): canonical dotted IPv4, or IPv6."""
    if not isinstance(value, str):
        return _Verdict(False, "Invalid IP address")
    return _Verdict(_is_ip(value), "Invalid IP address")


def _is_ip(text: str) -> bool:
    import ipaddress  # only for the form checks of custom constraints

    if re.search(r"\s", text) or "%" in text:
        return False
    if ":" not in text:
        if text.count(".") != 3:
            return False
        try:
            return str(ipaddress.IPv4Address(text)) == text
        except ValueError:
            return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _is_subnet(text: str) -> bool:
    """neutron-lib `validate_subnet`: an address with a prefix; IPv4 written canonically."""
    import ipaddress  # only for the form checks of custom constraints
    if re.search(r"\s", text) or "/" not in text or "%" in text:
        return False
    address, _, prefix = text.partition("/")
    if not prefix.isdigit() or not prefix.isascii():
        return False
    try:
        if ":" in address:
            ipaddress.IPv6Interface(text)
            return True
        return str(ipaddress.IPv4Interface(text)) == text
    except ValueError:
        return False


def _net_cidr(value: object) -> _Verdict:
    if not isinstance(value, str):
        return _Verdict(False, f"'{value}' is not a valid IP subnet")
    return _Verdict(_is_subnet(value), f"'{value}' is not a valid IP subnet")


def _ip_or_cidr(value: object) -> _Verdict:
    if not isinstance(value, str):
        return _Verdict(False, f"{value} is not a valid IP or CIDR")
    if "/" in value:
        return _Verdict(_is_subnet(value), f"'{value}' is not a valid IP subnet")
    return _Verdict(_is_ip(value), f"'{value}' is not a valid IP address")


_HEX = "[0-9A-F]"
# netaddr's EUI-48 formats: six groups of 1-2 hex digits, three of 1-4, two of 5-6, or 11-12 bare digits.
_MAC_FORMATS = tuple(re.compile(pattern, re.IGNORECASE) for pattern in (
    "^" + ":".join([f"({_HEX}{{1,2}})"] * 6) + "$",
    "^" + "-".join([f"({_HEX}{{1,2}})"] * 6) + "$",
    "^" + ":".join([f"({_HEX}{{1,4}})"] * 3) + "$",
    "^" + "-".join([f"({_HEX}{{1,4}})"] * 3) + "$",
    "^" + r"\.".join([f"({_HEX}{{1,4}})"] * 3) + "$",
    "^" + "-".join([f"({_HEX}{{5,6}})"] * 2) + "$",
    "^" + ":".join([f"({_HEX}{{5,6}})"] * 2) + "$",
    f"^({_HEX}{{12}})$",
    f"^({_HEX}{{11}})$",
))


def _mac_address(value: object) -> _Verdict:
    """`mac_addr` (netaddr `valid_mac`)."""
    valid = isinstance(value, str) and any(pattern.search(value) for pattern in _MAC_FORMATS)
    return _Verdict(valid, "Invalid MAC address.")


_FQDN_MAX = 255
_LABEL = re.compile("[a-z0-9-]{1,63}$")


def _dns_problem(value: Any) -> str | None:
    """Heat's `validate_dns_format` (labels are lower-case only, as in Heat).

    Like Heat it uses string methods on the value, so anything but text fails with a Python error.
    """
    if not value:
        return None
    trimmed = value[:-1] if value.endswith(".") else value
    if len(trimmed) > _FQDN_MAX:
        return f"'{trimmed}' exceeds the {_FQDN_MAX} character FQDN limit"
    labels = trimmed.split(".")
    for label in labels:
        if not label:
            return "Encountered an empty component."
        if label.startswith("-") or label.endswith("-"):
            return f"Name '{label}' must not start or end with a hyphen."
        if not _LABEL.match(label):
            return (f"Name '{label}' must be 1-63 characters long, each of which can only be alphanumeric or "
                    "a hyphen.")
    if value.endswith(".") and len(labels) > 1 and re.match("^[0-9]+$", labels[-1]):
        return f"TLD '{labels[-1]}' must not be all numeric."
    return None


def _dns_name(value: Any) -> _Verdict:
    problem = _dns_problem(value)
    if problem is None:
        return _Verdict(True)
    return _Verdict(False, f"'{value}' not in valid format. Reason: {problem}")


def _relative_dns_name(value: Any) -> _Verdict:
    if not value:
        return _Verdict(True)
    if value.endswith("."):
        return _Verdict(False, f"'{value}' is a FQDN. It should be a relative domain name.")
    if len(value) > _FQDN_MAX - 3:
        return _Verdict(False, f"'{value}' contains '{len(value)}' characters. Adding a domain name will cause it "
                        f"to exceed the maximum length of a FQDN of '{_FQDN_MAX}'.")
    return _dns_name(value)


def _dns_domain(value: Any) -> _Verdict:
    if not value:
        return _Verdict(True)
    verdict = _dns_name(value)
    if not verdict.valid:
        return verdict
    if not value.endswith("."):
        return _Verdict(False, f"'{value}' must end with '.'.")
    return _Verdict(True)


# The grammar of the `iso8601` package Heat parses dates with (via oslo `parse_isotime`).
_ISO8601 = re.compile(
    r"(?P<year>[0-9]{4})"
    r"(((-(?P<monthdash>[0-9]{1,2}))|(?P<month>[0-9]{2})(?!$))"
    r"(((-(?P<daydash>[0-9]{1,2}))|(?P<day>[0-9]{2}))"
    r"(((?P<separator>[ T])(?P<hour>[0-9]{2})(:{0,1}(?P<minute>[0-9]{2})){0,1}"
    r"(:{0,1}(?P<second>[0-9]{1,2})([.,](?P<second_fraction>[0-9]+)){0,1}){0,1}"
    r"(?P<timezone>Z|((?P<tz_sign>[-+])(?P<tz_hour>[0-9]{2}):{0,1}(?P<tz_minute>[0-9]{2}){0,1})){0,1}){0,1})){0,1}"
    r"){0,1}$")


def _iso_8601(value: object) -> _Verdict:
    if not isinstance(value, str):
        return _Verdict(False)
    match = _ISO8601.match(value)
    if match is None:
        return _Verdict(False)
    found = {key: text for key, text in match.groupdict().items() if text is not None}
    try:
        offset = None
        if "tz_sign" in found:
            sign = -1 if found["tz_sign"] == "-" else 1
            offset = datetime.timezone(sign * datetime.timedelta(hours=int(found["tz_hour"]),
                                                                 minutes=int(found.get("tz_minute", 0))))
        datetime.datetime(
            int(found["year"]), int(found.get("month", found.get("monthdash", 1))),
            int(found.get("day", found.get("daydash", 1))), int(found.get("hour", 0)), int(found.get("minute", 0)),
            int(found.get("second", 0)), int(Decimal(f"0.{found.get('second_fraction', 0)}") * Decimal(1000000)),
            tzinfo=offset)
    except ValueError:
        return _Verdict(False)
    return _Verdict(True)


def _json_string(value: Any) -> _Verdict:
    if not value:
        return _Verdict(True)
    try:
        json.loads(value)  # anything but text or bytes fails with a TypeError, in Heat too
    except json.JSONDecodeError as error:
        return _Verdict(False, f"JSON string {value!s} is invalid: {error}")
    return _Verdict(True)


_CRON_ALIASES = frozenset({"@midnight", "@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@annually"})
_CRON_RANGES = ((0, 59), (0, 23), (1, 31), (1, 12), (0, 6))
_CRON_NAMES = (None, None, None,
               ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
               ("sun", "mon", "tue", "wed", "thu", "fri", "sat"))


def _cron_expression(value: object) -> _Verdict:
    """`cron_expression` (croniter): only the plain five-field form is judged, the rest left unchecked."""
    if not value:
        return _Verdict(True)
    if not isinstance(value, str):
        return _Verdict(False, "Invalid CRON expression")
    if value.lower() in _CRON_ALIASES:
        return _Verdict(True)
    fields = re.findall(r"\S+", value, re.ASCII)
    if len(fields) not in (5, 6, 7):
        return _Verdict(False, "Invalid CRON expression: Exactly 5, 6 or 7 columns has to be specified for "
                        "iterator expression.")
    if len(fields) != 5:
        return _Verdict(None)
    for index, text in enumerate(fields):
        low, high = _CRON_RANGES[index]
        if text.isdigit() and index < 4 and not low <= int(text) <= high:
            return _Verdict(False, f"Invalid CRON expression: [{value}] is not acceptable, out of range")
        if not _simple_cron_field(text.lower(), low, high, _CRON_NAMES[index]):
            return _Verdict(None)
    return _Verdict(True)


def _simple_cron_field(text: str, low: int, high: int, names: tuple[str, ...] | None) -> bool:
    def number(part: str) -> int | None:
        if part.isdigit() and part.isascii():
            return int(part)
        if names is not None and part in names:
            return names.index(part) + (1 if low == 1 else 0)
        return None

    for item in text.split(","):
        body, _, step = item.partition("/")
        if step and not (step.isdigit() and step.isascii() and int(step) >= 1):
            return False
        if body == "*":
            continue
        first, dash, last = body.partition("-")
        start, end = number(first), number(last) if dash else number(first)
        if start is None or end is None or not low <= start <= end <= high:
            return False
        if step and not dash:
            return False
    return True


_FORM_CHECKS: dict[str, Callable[[object], _Verdict]] = {
    "ip_addr": _ip_address,
    "ip_or_cidr": _ip_or_cidr,
    "net_cidr": _net_cidr,
    "mac_addr": _mac_address,
    "dns_name": _dns_name,
    "rel_dns_name": _relative_dns_name,
    "dns_domain": _dns_domain,
    "iso_8601": _iso_8601,
    "json_string": _json_string,
    "cron_expression": _cron_expression,
}
