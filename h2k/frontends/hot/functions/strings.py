"""String functions: str_replace (and its strict forms), list_join, str_split, digest, make_url."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib import parse as urlparse

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
from h2k.ir.expr import Call, Expr, MapExpr

_REPLACE_EXAMPLE = """{name}:
              template: This is var1 template var2
              params:
                var1: a
                var2: string"""


def _replace_args(call: Call, name: str) -> tuple[Expr, Expr]:
    if not isinstance(call.args, MapExpr):
        raise FunctionError(f'Arguments to "{name}" must be a map')
    params, template = call.args.get("params"), call.args.get("template")
    if params is None or template is None:
        raise FunctionError(f'"{name}" syntax should be ' + _REPLACE_EXAMPLE.format(name=name))
    if not (raw_is_map(params) or raw_is_call(params)):
        raise FunctionError(f'"{name}" parameters must be a mapping')
    return params, template


def str_replace(json_values: bool, strict: bool, allow_empty: bool) -> Implementation:
    """Heat's Replace (≤2015-04-30), ReplaceJson, ReplaceJsonStrict and ReplaceJsonVeryStrict."""

    def implementation(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
        name = call.function
        _replace_args(call, name)
        assert isinstance(args, MapExpr)
        template_expr, params_expr = args.get("template"), args.get("params")
        assert template_expr is not None and params_expr is not None
        if not (known(template_expr) and known(params_expr)):
            return None
        template, mapping = data(template_expr), data(params_expr)
        if not isinstance(template, str):
            raise FunctionError(f'"{name}" template must be a string')
        if not is_map(mapping):
            raise FunctionError(f'"{name}" params must be a map')
        try:
            keys = sorted(sorted(mapping), key=len, reverse=True)
        except TypeError as error:
            raise FunctionError(str(error)) from None
        values: dict[str, str] = {}
        for key in keys:
            if not isinstance(key, str):
                raise FunctionError(f'"{name}" param placeholders must be strings')
            values[key] = _replacement(name, key, mapping[key], json_values, allow_empty)
        _bound_replace(template, values, ev)
        unreplaced = set(keys)
        text = _replace([template], keys, values, unreplaced)[0]
        if strict and unreplaced:
            missing = ",".join(sorted(sorted(unreplaced), key=len, reverse=True))
            raise FunctionError(f"The following params were not found in the template: {missing}")
        return result(text, call, ev)

    return implementation


def _replacement(name: str, key: str, value: Any, json_values: bool, allow_empty: bool) -> str:
    empty = FunctionError(f"{name} has an undefined or empty value for param {key}, must be a defined non-empty value")
    if value is None:
        if allow_empty:
            return ""
        raise empty
    if not isinstance(value, str | int | float | bool):
        if not json_values:
            raise FunctionError(f'"{name}" params must be strings or numbers, param {key} is not valid')
        if is_map(value) or is_sequence(value):
            if not allow_empty and len(value) == 0:
                raise empty
            return json_dumps(value)
        raise FunctionError(f'"{name}" params must be strings, numbers, list or map.')
    text = str(value)
    if not allow_empty and not text:
        raise empty
    return text


def replacement_text(value: Any) -> str:
    """The text str_replace puts in place of a placeholder whose (known) value is `value`."""
    try:
        return _replacement("str_replace", "", value, json_values=True, allow_empty=True)
    except FunctionError:
        return str(value)


def replace_placeholders(text: str, values: dict[str, str]) -> str:
    """`text` with each placeholder replaced as str_replace does (longest first, never rescanned)."""
    keys = sorted(sorted(values), key=len, reverse=True)
    return _replace([text], keys, values, set())[0]


def _bound_replace(template: str, values: dict[str, str], ev: Evaluation) -> None:
    """Refuse a replacement whose result would exceed the limit, before building it."""
    bound = len(template) + sum(template.count(key) * len(value) for key, value in values.items())
    if bound > ev.limits.max_string:
        raise LimitError(f"the result could be {bound} characters long, over the limit of {ev.limits.max_string}")


def _replace(strings: list[str], keys: list[str], values: dict[str, str], unreplaced: set[str]) -> list[str]:
    """Split by the longest key first and join with its value: replaced text is never rescanned."""
    if not keys:
        return strings
    key, rest = keys[0], keys[1:]
    joined = []
    for text in strings:
        pieces = text.split(key)
        if len(pieces) > 1:
            unreplaced.discard(key)
        joined.append(values[key].join(_replace(pieces, rest, values, unreplaced)))
    return joined


def list_join_single(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """≤2015-04-30 (and Fn::Join): exactly [delimiter, list of strings]."""
    name, raw = call.function, call.args
    usage = f'Incorrect arguments to "{name}" should be: "{name}" : [ " ", [ "str1", "str2"]]'
    if not raw_is_list(raw) or len(raw.items) != 2:  # type: ignore[union-attr]
        raise FunctionError(usage)
    if not known(args):
        return None
    delimiter, strings = data(args)
    if strings is None:
        strings = []
    if not is_list(strings):
        raise FunctionError(f'"{name}" must operate on a list')
    if not isinstance(delimiter, str):
        raise FunctionError(f'"{name}" delimiter must be a string')
    items = []
    for item in strings:
        if item is None:
            item = ""
        if not isinstance(item, str):
            raise FunctionError(f"Items to join must be strings not {repr(item)[:200]}")
        items.append(item)
    return _joined(delimiter, items, call, ev)


def list_join_multiple(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    """≥2015-10-15: [delimiter, list, list, ...]; maps and lists are joined as JSON."""
    raw = call.args
    if not raw_is_list(raw) or len(raw.items) < 2:  # type: ignore[union-attr]
        raise FunctionError('Incorrect arguments to "list_join" should be: "list_join" : [ " ", [ "str1", "str2"] ...]')
    if not known(args):
        return None
    delimiter, *lists = data(args)
    strings: list[Any] = []
    for part in lists:
        if part:
            if not is_list(part):
                raise FunctionError('"list_join" must operate on a list')
            strings += part
    if not isinstance(delimiter, str):
        raise FunctionError('"list_join" delimiter must be a string')
    items = []
    for item in strings:
        if item is None:
            items.append("")
        elif isinstance(item, str):
            items.append(item)
        elif is_map(item) or is_sequence(item):
            items.append(json_dumps(item))
        else:
            raise FunctionError(f"Items to join must be string, map or list not {repr(item)[:200]}")
    return _joined(delimiter, items, call, ev)


def _joined(delimiter: str, items: list[str], call: Call, ev: Evaluation) -> Expr:
    length = sum(map(len, items)) + len(delimiter) * max(len(items) - 1, 0)
    if length > ev.limits.max_string:
        raise LimitError(f"the result would be {length} characters long, over the limit of {ev.limits.max_string}")
    return result(delimiter.join(items), call, ev)


_SPLIT_EXAMPLE = '"str_split" : [ ",", "apples,pears", <index>]'


def str_split(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    if raw_is_map(call.args) or (not raw_is_list(call.args) and not raw_is_call(call.args)):
        raise FunctionError(f"Incorrect arguments to \"str_split\" should be: {_SPLIT_EXAMPLE}")
    if not known(args):
        return None
    values = data(args)
    if not isinstance(values, list) or len(values) < 2:
        raise FunctionError(f"Incorrect arguments to \"str_split\" should be: {_SPLIT_EXAMPLE}")
    delimiter, text, *rest = values
    if text is None:
        return result(None, call, ev)
    try:
        parts = text.split(delimiter)
    except (AttributeError, TypeError) as error:
        raise FunctionError(str(error)) from None
    if not rest:
        return result(parts, call, ev)
    try:
        index = int(rest[0])
    except (ValueError, TypeError):
        raise FunctionError(f"Incorrect index to \"str_split\" should be: {_SPLIT_EXAMPLE}") from None
    try:
        return result(parts[index], call, ev)
    except IndexError:
        raise FunctionError(f'Incorrect index to "str_split" should be between 0 and {len(parts) - 1}') from None


def digest(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    if not known(args):
        return None
    values = data(args)
    if not (isinstance(values, list) and all(isinstance(v, str) for v in values)):
        raise FunctionError('Argument to function "digest" must be a list of strings')
    if len(values) != 2:
        raise FunctionError('Function "digest" usage: ["<algorithm>", "<value>"]')
    algorithm, value = values
    import hashlib  # here, not at the top: its OpenSSL binding costs ~2 ms of every start-up

    if algorithm.lower() not in hashlib.algorithms_available:
        raise FunctionError(f"Algorithm must be one of {hashlib.algorithms_available}")
    try:
        hashed = hashlib.new(algorithm)
        hashed.update(value.encode("latin-1"))
        return result(hashed.hexdigest(), call, ev)
    except (ValueError, TypeError) as error:
        raise FunctionError(str(error)) from None


_URL_KEYS = ("scheme", "username", "password", "host", "port", "path", "query", "fragment")


def _check_url_args(arguments: dict[str, Any], written: bool) -> None:
    """Heat's checks, including its quirk: nothing after `query` is checked."""
    for key in _URL_KEYS:
        if key not in arguments:
            continue
        value = arguments[key]
        if written and value is _COMPUTED:
            if key == "query":
                return
            continue
        if key == "query":
            if not is_map(value):
                raise FunctionError('The "query" argument to "make_url" must be a map')
            return
        if key == "port":
            port = value
            if not isinstance(port, int):
                try:
                    port = int(port)
                except ValueError:
                    raise FunctionError(f'Invalid URL port "{port}" for make_url called with {arguments}') from None
                except TypeError as error:
                    raise FunctionError(str(error)) from None
            if not 0 < port <= 65535:
                raise FunctionError(f"Invalid URL port {port}, must be in range 1-65535")
        elif not isinstance(value, str):
            raise FunctionError(f'The "{key}" argument to "make_url" must be a string')


_COMPUTED = object()


def make_url(call: Call, args: Expr, ev: Evaluation) -> Expr | None:
    raw = call.args
    if not isinstance(raw, MapExpr):
        if raw_is_call(raw):
            return None
        raise FunctionError('The arguments to "make_url" must be a map')
    invalid = [str(name.value) for name, _ in raw.entries if name.value not in _URL_KEYS]
    if invalid:
        raise FunctionError(f"Invalid arguments to \"make_url\": {', '.join(invalid)}")
    assert isinstance(args, MapExpr)
    written = {str(k.value): (data(v) if known(v) else _COMPUTED) for k, v in args.entries}
    _check_url_args(written, written=True)
    if not known(args):
        return None
    arguments = data(args)
    _check_url_args(arguments, written=False)
    scheme = arguments.get("scheme", "")
    if ":" in scheme:
        raise FunctionError("URL \"scheme\" should not contain ':'")
    try:
        netloc = "".join(_netloc(arguments))
        path = urlparse.quote(arguments.get("path", ""))
        query = urlparse.urlencode(arguments.get("query", {})).replace("%2F", "/")
        fragment = urlparse.quote(arguments.get("fragment", ""))
    except (TypeError, AttributeError) as error:
        raise FunctionError(str(error)) from None
    return result(urlparse.urlunsplit((scheme, netloc, path, query, fragment)), call, ev)


def _netloc(arguments: dict[str, Any]) -> Iterator[str]:
    username = urlparse.quote(arguments.get("username", ""), safe="")
    password = urlparse.quote(arguments.get("password", ""), safe="")
    if username or password:
        yield username
        if password:
            yield ":"
            yield password
        yield "@"
    host = arguments.get("host", "")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    host = urlparse.quote(host, safe=":")
    if ":" in host:
        host = f"[{host}]"
    yield host
    port = arguments.get("port", "")
    if port:
        yield ":"
        yield str(port)
