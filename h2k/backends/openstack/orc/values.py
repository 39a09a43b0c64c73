"""Property values as Heat converts them, checked against what k-orc accepts.

Heat converts a property to its schema type before using it (`"5"` is an integer 5, `"True"` a
boolean, `8080` a string "8080"), so these readers do the same, then check k-orc's limits. A value
only known at deploy time is H2K504, a value k-orc refuses H2K510; both give None, and the
field is left out. `null` and, for strings, the empty string mean "not set", as in Heat.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from h2k.ir.expr import Expr, ListExpr, Literal, MapExpr, is_known, to_data
from h2k.ir.nodes import Resource
from h2k.validate.orc import FORMATS

if TYPE_CHECKING:
    from h2k.backends.openstack.orc.state import State

NAME_PATTERN = re.compile(r"[^,]+")  # k-orc's OpenStackName


def absent(expr: Expr | None) -> bool:
    return expr is None or (isinstance(expr, Literal) and expr.value is None)


def known(expr: Expr, where: str, resource: Resource, s: State) -> bool:
    if is_known(expr):
        return True
    s.deploy_time(resource, where, expr.span)
    return False


def string(expr: Expr | None, where: str, resource: Resource, s: State, *, limit: int = 255,
           name: bool = False) -> str | None:
    """A string (numbers and booleans as Heat writes them); `name` applies k-orc's name rule (no comma)."""
    if absent(expr):
        return None
    assert expr is not None
    if not known(expr, where, resource, s):
        return None
    if not isinstance(expr, Literal) or isinstance(expr.value, float):
        s.invalid(resource, where, "it must be a string", expr.span)
        return None
    text = str(expr.value)
    if text == "":
        return None
    if len(text) > limit:
        s.invalid(resource, where, f"k-orc accepts at most {limit} characters, not {len(text)}", expr.span)
        return None
    if name and NAME_PATTERN.fullmatch(text) is None:
        s.invalid(resource, where, "k-orc names cannot contain a comma", expr.span)
        return None
    return text


def integer(expr: Expr | None, where: str, resource: Resource, s: State, *, minimum: int | None = None,
            maximum: int | None = None) -> int | None:
    if absent(expr):
        return None
    assert expr is not None
    if not known(expr, where, resource, s):
        return None
    value = expr.value if isinstance(expr, Literal) else None
    try:
        number = int(value)  # type: ignore[arg-type]  # Heat's own conversion: int("5"), int(5.0)
    except (TypeError, ValueError):
        s.invalid(resource, where, "it must be an integer", expr.span)
        return None
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        bounds = f"from {minimum}" if minimum is not None else ""
        bounds += f" up to {maximum}" if maximum is not None else ""
        s.invalid(resource, where, f"k-orc accepts {bounds.strip()}, not {number}", expr.span)
        return None
    return number


def boolean(expr: Expr | None, where: str, resource: Resource, s: State) -> bool | None:
    """Heat's Boolean: a boolean, or the text true/false in any case."""
    if absent(expr):
        return None
    assert expr is not None
    if not known(expr, where, resource, s):
        return None
    value = expr.value if isinstance(expr, Literal) else None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    s.invalid(resource, where, "it must be a boolean", expr.span)
    return None


def items(expr: Expr | None, where: str, resource: Resource, s: State) -> list[Expr] | None:
    """The items of a list whose shape is known (its items may still be computed)."""
    if absent(expr):
        return None
    assert expr is not None
    if isinstance(expr, ListExpr):
        return list(expr.items)
    if not known(expr, where, resource, s):
        return None
    s.invalid(resource, where, "it must be a list", expr.span)
    return None


def entries(expr: Expr | None, where: str, resource: Resource, s: State) -> MapExpr | None:
    """A map whose keys are known (its values may still be computed)."""
    if absent(expr):
        return None
    assert expr is not None
    if isinstance(expr, MapExpr):
        return expr
    if not known(expr, where, resource, s):
        return None
    s.invalid(resource, where, "it must be a map", expr.span)
    return None


def maps(found: list[Expr], where: str, resource: Resource, s: State) -> Iterator[tuple[int, str, MapExpr]]:
    """The items of a list property that are maps, with their index and name (`where[i]`); the
    others are reported as `entries` reports them."""
    for index, item in enumerate(found):
        shown = f"{where}[{index}]"
        entry = entries(item, shown, resource, s)
        if entry is not None:
            yield index, shown, entry


def strings(expr: Expr | None, where: str, resource: Resource, s: State, *, limit: int = 255,
            max_items: int = 64) -> list[str] | None:
    """A list of strings without repeats (k-orc's lists of tags and names are sets)."""
    found = items(expr, where, resource, s)
    if found is None:
        return None
    values: list[str] = []
    for index, item in enumerate(found):
        text = string(item, f"{where}[{index}]", resource, s, limit=limit)
        if text is not None and text not in values:
            values.append(text)
    if len(values) > max_items:
        s.invalid(resource, where, f"k-orc accepts at most {max_items} items; the first {max_items} are kept",
                  expr.span if expr is not None else resource.span)
        values = values[:max_items]
    return values or None


def pairs(expr: Expr | None, where: str, resource: Resource, s: State, key_name: str, *,
          max_items: int = 64, key_pattern: re.Pattern[str] | None = None,
          empty_values: bool = True) -> list[dict[str, str]] | None:
    """A map as k-orc's lists of `{<key_name>, value}`, values as Heat sends them (JSON for non-strings)."""
    found = entries(expr, where, resource, s)
    if found is None:
        return None
    result: list[dict[str, str]] = []
    for key, value in found.entries:
        shown = f"{where}.{key.value!s}"
        if absent(value) or not known(value, shown, resource, s):
            continue
        data = to_data(value)
        text = data if isinstance(data, str) else json.dumps(data)
        name = str(key.value)
        if not name or len(name) > 255 or (key_pattern is not None and key_pattern.fullmatch(name) is None):
            s.invalid(resource, shown, "k-orc does not accept this key", key.span)
        elif not text and not empty_values:
            s.invalid(resource, shown, "k-orc does not accept an empty value here", value.span)
        elif len(text) > 255:
            s.invalid(resource, shown, f"k-orc accepts values of at most 255 characters, not {len(text)}", value.span)
        else:
            result.append({key_name: name, "value": text})
    if len(result) > max_items:
        s.invalid(resource, where, f"k-orc accepts at most {max_items} entries; the first {max_items} are kept",
                  found.span)
        result = result[:max_items]
    return result or None


def cidr(expr: Expr | None, where: str, resource: Resource, s: State) -> str | None:
    """A network in CIDR notation, as the API server checks `format: cidr` (an address without a
    prefix length is a single host, as Neutron reads it)."""
    text = string(expr, where, resource, s, limit=49)
    if text is None:
        return None
    if "/" not in text:
        with contextlib.suppress(ValueError):
            text = f"{text}/{ipaddress.ip_address(text).max_prefixlen}"
    if not FORMATS["cidr"](text):
        assert expr is not None
        s.invalid(resource, where, f"{text!r} is not a network in CIDR notation", expr.span)
        return None
    return text


def choice(expr: Expr | None, where: str, resource: Resource, s: State, allowed: dict[str, str]) -> str | None:
    """A value k-orc knows under another spelling (`allowed`: Heat's value -> k-orc's)."""
    text = string(expr, where, resource, s)
    if text is None:
        return None
    if text in allowed:
        return allowed[text]
    assert expr is not None
    s.invalid(resource, where, f"k-orc accepts {', '.join(sorted(set(allowed.values())))}, not {text!r}", expr.span)
    return None
