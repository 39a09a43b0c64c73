"""Deterministic YAML and JSON text for Kubernetes objects.

Generated manifests are compared byte for byte (golden tests, `--check`, code review), so the
same object always gives the same text, on every machine, and the text reads back as the same
object in every YAML reader Kubernetes tooling uses (YAML 1.1 and 1.2 alike).

The YAML is written here rather than by PyYAML's emitter: libyaml and PyYAML's pure-Python
emitter format some strings differently (so output would depend on how PyYAML was installed),
and the pure-Python one is slow. Manifests are plain data (mappings with string keys, lists,
strings, numbers, booleans, null), which a small emitter covers exactly: strings that could be
read as anything else are double-quoted (JSON's escapes are YAML's), multi-line text is a
literal block, everything else is plain.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["to_json", "to_yaml", "to_yaml_stream"]

# Plain scalars that every YAML reader takes as the same string: a letter or `/` first (so names,
# paths and references stay readable), then characters that never start a comment, flow or block
# structure (`#` only after a space does, `:` only before one); or a Kubernetes quantity or
# duration such as `10Gi`, `500m`, `1.5G`, `30s`, which no YAML reader takes for a number because
# it ends in letters (`0xF` excepted: hexadecimal). Anything else is double-quoted.
_PLAIN = re.compile(r"[A-Za-z/][A-Za-z0-9_./@=+#-]*(?::[A-Za-z0-9_./@=+#-]+)*|[0-9]+(?:\.[0-9]+)?(?![xX])[A-Za-z]+")
# Words YAML 1.1 (Kubernetes' loaders included) reads as booleans or null, in any case.
_RESERVED = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
# Characters a double-quoted scalar must escape beyond what JSON escapes: YAML 1.1 line breaks,
# the byte-order mark, DEL and the C1 controls.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")
_MAX_IMPLICIT_KEY = 1000
_BLOCK_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\r]")


def _string(text: str) -> str:
    if _PLAIN.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        mantissa, _, exponent = text.partition("e")
        if "." not in mantissa:  # YAML 1.1 reads a float only with a dot in it
            mantissa += ".0"
        return f"{mantissa}e{exponent}" if exponent else mantissa
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"cannot represent {type(value).__name__} deterministically")


def _block(text: str, indent: str) -> str | None:
    """A literal block scalar for multi-line text, or None when one cannot hold it exactly."""
    if "\n" not in text or _BLOCK_UNSAFE.search(text):
        return None
    lines = text.split("\n")
    if not lines[0] or lines[0][0] in " \t":
        return None  # the first line decides the indentation: it must start with text
    body = lines[:-1] if text.endswith("\n") else lines
    if any(line != line.rstrip(" \t") for line in body):
        return None  # trailing blanks would not survive every editor and linter
    trailing = len(text) - len(text.rstrip("\n"))
    indicator = "|-" if trailing == 0 else "|" if trailing == 1 else "|+"
    content = text[:-trailing] if trailing else text
    rendered = "\n".join(f"{indent}{line}" if line else "" for line in content.split("\n"))
    # Blank lines kept by `|+` follow the last line of text; the line break ending it is the caller's.
    return f"{indicator}\n{rendered}" + "\n" * (trailing - 1)


def _key(key: object, lead: str, indent: str) -> str:
    """A mapping key up to its colon; readers refuse implicit keys over 1024 characters, so long
    ones are written as explicit `? key` entries."""
    if not isinstance(key, str):
        raise TypeError(f"mapping keys must be strings, not {type(key).__name__}")
    text = _string(key)
    if len(text) <= _MAX_IMPLICIT_KEY:
        return f"{lead}{text}:"
    return f"{lead}? {text}\n{indent}:"


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """Append `value` as the block content that follows a key (or a document start)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            out.append(_key(key, indent, indent))
            _after_key(item, indent, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _item(item, indent, out)
    else:
        raise TypeError("a document must be a mapping or a list")


def _after_key(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, Mapping) and value:
        out.append("\n")
        _emit(value, indent + "  ", out)
    elif isinstance(value, list | tuple) and value:
        out.append("\n")
        _emit(value, indent, out)  # list items at the key's own indentation
    else:
        out.append(f" {_inline(value, indent + '  ')}\n")


def _item(value: Any, indent: str, out: list[str]) -> None:
    if isinstance(value, Mapping) and value:
        first = True
        for key, item in value.items():
            out.append(_key(key, f"{indent}- " if first else f"{indent}  ", f"{indent}  "))
            _after_key(item, indent + "  ", out)
            first = False
    elif isinstance(value, list | tuple) and value:
        out.append(f"{indent}-\n")
        _emit(value, indent + "  ", out)
    else:
        out.append(f"{indent}- {_inline(value, indent + '  ')}\n")


def _inline(value: Any, indent: str) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    if isinstance(value, str):
        block = _block(value, indent)
        if block is not None:
            return block
    return _scalar(value)


def to_yaml(obj: Any) -> str:
    """One YAML document, block style, keys in insertion order, LF endings, final newline."""
    if isinstance(obj, Mapping | list | tuple) and obj:
        out: list[str] = []
        _emit(obj, "", out)
        return "".join(out)
    return _inline(obj, "  ") + "\n"


def to_yaml_stream(objs: Iterable[Any]) -> str:
    """A multi-document stream; every document starts with `---` on its own line."""
    return "".join("---\n" + to_yaml(obj) for obj in objs)


def to_json(obj: Any) -> str:
    """Indented JSON in insertion order; NaN and infinities are refused as JSON has none."""
    return json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
