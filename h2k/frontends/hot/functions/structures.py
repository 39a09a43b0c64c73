"""Functions over lists and maps: repeat, map_merge, map_replace, list_concat, filter, contains."""

from __future__ import annotations

import itertools
import math
from typing import Any

from h2k.frontends.hot.functions.base import (
    Evaluation,
    FunctionError,
    Implementation,
    LimitError,
    data,
    is_list,
    is_map,
    is_sequence,
    json_dumps,
    known,
    raw_is_call,
    raw_is_list,
    raw_is_map,
    result,
)
from h2k.ir.expr import Call, Expr, Literal, MapExpr

_MERGE_EXAMPLE = '"map_merge" : [ { "key1": "val1" }, { "key2": "val2" } ]'


def map_merge(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    if not known(args):
        return None
    maps = data(args)
    if not is_sequence(maps):
        raise FunctionError(f"Incorrect arguments to \"map_merge\" should be: {_MERGE_EXAMPLE}")
    merged: dict[Any, Any] = {}
    for item in maps:
        if item is None:
            continue
        if not is_map(item):
            raise FunctionError(f"Incorrect arguments: Items to merge must be maps. {repr(item)[:200]} is type "
                                f"{type(item)} instead of a dict")
        merged.update(item)
    return result(merged, call, ev)


_REPLACE_EXAMPLE = ('"map_replace" : [ { "key1": "val1" }, {"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]')


def map_replace(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    if not known(args):
        return None
    values = data(args)
    usage = FunctionError(f"Incorrect arguments to \"map_replace\" should be: {_REPLACE_EXAMPLE}")
    if not isinstance(values, list) or len(values) != 2:
        raise usage
    source, replacements = (_map_or_empty(v) for v in values)
    if any(k not in ("keys", "values") for k in replacements):
        raise usage
    keys, by_value = _map_or_empty(replacements.get("keys", {})), _map_or_empty(replacements.get("values", {}))
    replaced: dict[Any, Any] = {}
    for key, value in source.items():
        new_key = keys.get(key)
        if new_key is None:
            new_key = key
        elif new_key in source and new_key != key:
            raise FunctionError(f"key replacement {new_key} collides with a key in the input map")
        elif new_key in replaced:
            raise FunctionError(f"key replacement {new_key} collides with a key in the output map")
        try:
            replaced[new_key] = by_value.get(value, value)
        except TypeError:  # an unhashable value (a list or a map) is never replaced
            replaced[new_key] = value
    return result(replaced, call, ev)


def _map_or_empty(value: Any) -> Any:
    if value is None:
        return {}
    if is_map(value):
        return value
    raise FunctionError(f"Incorrect arguments: to \"map_replace\", arguments must be a list of maps. Example:  "
                        f"{_REPLACE_EXAMPLE}")


def list_concat(unique: bool) -> Implementation:
    def implementation(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
        name = call.function
        if not known(args):
            return None
        lists = data(args)
        if not is_list(lists):
            raise FunctionError(f'Incorrect arguments to "{name}" should be: "{name}" : [ [ <value 1>, <value 2> ], '
                                "[ <value 3>, <value 4> ] ]")
        joined: list[Any] = []
        for item in lists:
            if item is None:
                continue
            if not is_list(item):
                raise FunctionError(f"Incorrect arguments: Items to concat must be lists. {json_dumps(lists)} "
                                    f"contains an item that is not a list: {json_dumps(item)}")
            joined.extend(item)
        if unique:
            distinct: list[Any] = []
            for item in joined:
                if item not in distinct:
                    distinct.append(item)
            joined = distinct
        return result(joined, call, ev)

    return implementation


def filter_values(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    if not raw_is_list(raw):
        raise FunctionError('Argument to "filter" must be a list')
    if len(raw.items) != 2:  # type: ignore[union-attr]
        raise FunctionError(f'"filter" expected 2 arguments of the form [values, sequence] but got '
                            f"{len(raw.items)} arguments instead")  # type: ignore[union-attr]
    if not known(args):
        return None
    values, sequence = data(args)
    if not sequence:
        return result(sequence, call, ev)
    if not isinstance(sequence, list):
        raise FunctionError('"filter" only works with lists')
    if not values:
        return result(sequence, call, ev)
    if not isinstance(values, list):
        raise FunctionError('"filter" filters a list of values')
    return result([item for item in sequence if item not in values], call, ev)


def contains(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    example = '"contains" : [ "value1", [ "value1", "value2"]]'
    if not raw_is_list(raw) or not raw.items:  # type: ignore[union-attr]
        raise FunctionError(f'Incorrect arguments to "contains" should be: {example}')
    if len(raw.items) != 2:  # type: ignore[union-attr]
        raise FunctionError('Arguments to "contains" must be of the form: [value1, [value1, value2]]')
    if not known(args):
        return None
    value, sequence = data(args)
    if not is_sequence(sequence):
        raise FunctionError('Second argument to "contains" should be a sequence.')
    try:
        return result(value in sequence, call, ev)
    except TypeError as error:  # e.g. a list looked for in a string
        raise FunctionError(str(error)) from None


_REPEAT_EXAMPLE = """repeat:
              template: This is %var%
              for_each:
                %var%: ['a', 'b', 'c']"""


def repeat(maps: bool, permutations: bool) -> Implementation:
    """Repeat (lists), RepeatWithMap (≥2016-10-14) and RepeatWithNestedLoop (≥2017-09-01)."""

    def implementation(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
        raw = call.args
        if not raw_is_map(raw):
            raise FunctionError('Arguments to "repeat" must be a map')
        assert isinstance(raw, MapExpr)
        raw_for_each = raw.get("for_each")
        if raw_for_each is None or raw.get("template") is None:
            raise FunctionError(f'"repeat" syntax should be {_REPEAT_EXAMPLE}')
        nested = True
        if permutations:
            flag = raw.get("permutations")
            if flag is not None:
                if not (isinstance(flag, Literal) and isinstance(flag.value, bool)):
                    raise FunctionError('"permutations" should be boolean type for repeat function.')
                nested = flag.value
        if not (raw_is_map(raw_for_each) or raw_is_call(raw_for_each)):
            raise FunctionError('The "for_each" argument to "repeat" must contain a map')
        assert isinstance(args, MapExpr)
        for_each_expr, template_expr = args.get("for_each"), args.get("template")
        assert for_each_expr is not None and template_expr is not None
        if not (known(for_each_expr) and known(template_expr)):
            return None
        for_each = data(for_each_expr)
        if not is_map(for_each) or not for_each:
            raise FunctionError("not enough values to unpack (expected 2, got 0)" if is_map(for_each)
                                else 'The "for_each" argument to "repeat" must contain a map')
        keys = list(for_each)
        values: list[Any] = []
        lengths: list[int] = []
        for value in for_each.values():
            if value is None:
                values.append([])
                continue
            _check_loop_value(value, maps and nested)
            values.append(value)
            lengths.append(len(value))
        if not nested and len(set(lengths)) > 1:
            raise FunctionError("For repeat, the length of for_each values should be equal if no nested loop.")
        count = math.prod(len(v) for v in values) if nested else min((len(v) for v in values), default=0)
        if count > ev.limits.max_nodes:
            raise LimitError(f"repeat would make {count} copies, over the limit of {ev.limits.max_nodes}")
        template = data(template_expr)
        combinations = itertools.product(*values) if nested else zip(*values, strict=False)
        try:
            copies = [_substitute(keys, list(items), template) for items in combinations]
        except (TypeError, AttributeError) as error:
            raise FunctionError(str(error)) from None
        return result(copies, call, ev)

    return implementation


def _check_loop_value(value: Any, maps: bool) -> None:
    if maps:
        if not ((is_sequence(value) or is_map(value)) and not isinstance(value, str)):
            raise FunctionError('The values of the "for_each" argument to "repeat" must be lists or maps')
    elif not is_list(value):
        raise FunctionError('The values of the "for_each" argument to "repeat" must be lists')


def _substitute(keys: list[Any], values: list[Any], template: Any) -> Any:
    """Plain substring replacement of every loop variable, in strings and in map keys."""
    if isinstance(template, str):
        for key, value in zip(keys, values, strict=True):
            template = template.replace(key, value)
        return template
    if isinstance(template, list):
        return [_substitute(keys, values, item) for item in template]
    if isinstance(template, dict):
        return {_substitute(keys, values, k): _substitute(keys, values, v) for k, v in template.items()}
    return template
