"""The CloudFormation functions of HOT 2013-05-23 (removed from 2014-10-16 on)."""

from __future__ import annotations

import contextlib
import json
import re

from h2k.frontends.hot.functions.base import (
    Absent,
    Evaluation,
    FunctionError,
    data,
    is_list,
    is_map,
    known,
    raw_is_list,
    raw_is_map,
    raw_is_string,
    result,
)
from h2k.frontends.hot.functions.params import get_param
from h2k.frontends.hot.functions.strings import list_join_single, str_replace
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr


def ref(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """A resource's reference when the name is a resource of the stack, else a parameter."""
    if isinstance(args, Literal) and isinstance(args.value, str) and ev.is_resource(args.value):  # type: ignore[attr-defined]
        return None
    return get_param(call, args, ev)


def select(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    if not isinstance(raw, ListExpr) or len(raw.items) != 2:
        raise FunctionError('Arguments to "Fn::Select" must be of the form [index, collection]')
    if not known(args):
        return None
    index, collection = data(args)
    if collection == "":
        return result("", call, ev)
    if isinstance(collection, str):
        try:
            collection = json.loads(collection)
        except ValueError as error:
            raise FunctionError(f'"Fn::Select": {error}') from None
    if is_map(collection):
        if not isinstance(index, str):
            raise FunctionError('Index to "Fn::Select" must be a string')
        return result(collection.get(index, ""), call, ev)
    with contextlib.suppress(ValueError, TypeError):
        index = int(index)
    if is_list(collection):
        if not isinstance(index, int):
            raise FunctionError('Index to "Fn::Select" must be an integer')
        try:
            return result(collection[index], call, ev)
        except IndexError:
            return result("", call, ev)
    if collection is None:
        return result("", call, ev)
    raise FunctionError("Arguments to Fn::Select not fully resolved")


def split(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    example = '"Fn::Split" : [ ",", "str1,str2"]]'
    if raw_is_string(raw) or raw_is_map(raw) or not isinstance(raw, ListExpr) or len(raw.items) != 2:
        raise FunctionError(f'Incorrect arguments to "Fn::Split" should be: {example}')
    delimiter = raw.items[0]
    if not (isinstance(delimiter, Literal) and isinstance(delimiter.value, str)):
        raise FunctionError("Delimiter for Fn::Split must be string")
    if not known(args):
        return None
    text = data(args)[1]
    if not isinstance(text, str):
        raise FunctionError(f"String to split must be string; got {type(text)}")
    return result(text.split(delimiter.value), call, ev)


_replace = str_replace(json_values=False, strict=False, allow_empty=True)


def replace(call: Call, args: Expr, ev: Evaluation) -> Expr | Absent | None:
    """[{key: value}, template], evaluated as (pre-2015-10-15) str_replace."""
    raw = call.args
    example = '{"Fn::Replace": [ {"$var1": "foo", "%var2%": "bar"}, "$var1 is %var2%"]}'
    if raw_is_string(raw) or raw_is_map(raw) or not isinstance(raw, ListExpr) or len(raw.items) != 2:
        raise FunctionError(f'Incorrect arguments to "Fn::Replace" should be: {example}')
    assert isinstance(args, ListExpr)

    def as_map(mapping: Expr, template: Expr) -> MapExpr:
        return MapExpr(entries=((Literal(value="params", span=call.span), mapping),
                                (Literal(value="template", span=call.span), template)), span=call.span)

    written = Call(function="Fn::Replace", args=as_map(*raw.items), span=call.span)
    return _replace(written, as_map(*args.items), ev)


def base64(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """Heat performs no conversion: it accepts user data in plain text."""
    if not known(args):
        return None
    value = data(args)
    if not isinstance(value, str):
        raise FunctionError('"Fn::Base64" argument must be a string')
    return result(value, call, ev)


def member_list_to_map(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """AWS-style `.member.N.<name>=<value>` strings into {key: value}, grouped by N."""
    raw = call.args
    if not raw_is_list(raw) or len(raw.items) != 3:  # type: ignore[union-attr]
        raise FunctionError('Wrong Arguments try: "{\'Fn::MemberListToMap\': [\'Name\', \'Value\', '
                            '[\'.member.0.Name=key\', \'.member.0.Value=door\']]}"')
    assert isinstance(raw, ListExpr)
    for position, what in ((0, "Key"), (1, "Value")):
        item = raw.items[position]
        if not (isinstance(item, Literal) and isinstance(item.value, str)):
            raise FunctionError(f"Fn::MemberListToMap {what} Name must be a string")
    if not known(args):
        return None
    key_name, value_name, members = data(args)
    if not isinstance(members, str | list | dict):
        raise FunctionError("Member list must be a list")
    pairs: dict[str, str] = {}
    for member in members:
        if not isinstance(member, str):
            raise FunctionError("Member list items must be strings")
        name, _, value = member.partition("=")
        pairs[name] = value
    grouped: dict[int, dict[str, str]] = {}
    for name, value in pairs.items():
        match = _MEMBER.match(name)
        if match:
            grouped.setdefault(int(match.group(1)), {})[match.group(2)] = value
    mapping = {group[key_name]: group[value_name] for _, group in sorted(grouped.items())
               if key_name in group and value_name in group}
    return result(mapping, call, ev)


_MEMBER = re.compile(r"\.member\.([0-9]+)\.(.*)")


def deploy_time(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """Fn::GetAZs and Fn::ResourceFacade depend on the cloud and the parent stack."""
    return None


def fn_join(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    return list_join_single(call, args, ev)
