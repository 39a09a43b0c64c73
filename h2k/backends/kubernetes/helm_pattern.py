"""Heat's `allowed_pattern` as a JSON Schema `pattern` that refuses every value Heat refuses.

Heat accepts a value when `re.match(pattern, value)` matches and the match ends at the end of the
value: the *first* match Python's backtracking engine finds must cover the whole value. A JSON
Schema `pattern` is searched instead, and Helm searches it with Go's RE2, which has no lookaround
or backreferences, so the only translation is `^(?:p)$`: "some match covers the value". The two
differ where an earlier alternative or a greedy choice ends the preferred match early (`a|ab`
refuses "ab" in Heat, because the match stops after "a").

So the pattern is parsed (python_regex.py: the part of Python's syntax that RE2 and ECMA-262
share), and two automata are compared (regex_match.py): one for "some match covers the value", one
that follows the preference order of Python's engine. When they agree the anchored pattern is
exact; when they do not, there is no pattern (and the witness says why). The pattern is written
back with explicit character classes, so it means the same in Python, RE2 and ECMA-262; a class
too large to write out (`\\w` of every script) is narrowed to its ASCII part, which refuses more
than Heat, never less.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from h2k.backends.kubernetes.python_regex import (
    MAX_CODE,
    Alt,
    Anchor,
    Chars,
    Node,
    Parser,
    Ranges,
    Seq,
    Unsupported,
    complement,
    intersect,
)
from h2k.backends.kubernetes.regex_match import refused_full_match

# Values are UTF-8 text in Helm: lone surrogates cannot occur, so classes never mention them.
_TEXT: Ranges = ((0, 0xD7FF), (0xE000, MAX_CODE))
_ASCII: Ranges = ((0, 0x7F),)
# Larger classes are narrowed to ASCII rather than written out range by range.
_MAX_CLASS_RANGES = 24
# Characters that must be escaped outside a class (ECMA-262's SyntaxCharacter) and inside one.
_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_CLASS_SYNTAX = frozenset("\\]-[^")
_CONTROL_ESCAPES = {0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r"}


@dataclass(frozen=True, slots=True)
class Translation:
    """The JSON Schema pattern for a Heat pattern, or None and the reason.

    `exact`: the pattern accepts exactly what Heat accepts. Otherwise `note` says how it differs:
    it refuses some values Heat accepts (narrowed classes), or there is no pattern at all.
    """

    pattern: str | None
    exact: bool
    note: str | None = None


def translate(heat_pattern: str) -> Translation:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # FutureWarnings about possible set syntax such as `[[`
            re.compile(heat_pattern)
    except (re.error, OverflowError, RecursionError) as error:
        return Translation(None, False, f"Python cannot compile it ({error})")
    try:
        tree = Parser(heat_pattern).parse()
        witness = refused_full_match(tree)
    except Unsupported as error:
        return Translation(None, False, str(error))
    if witness is not None:
        return Translation(None, False, f"Heat refuses {_show(witness)}, where Python's re.match stops before the "
                           "end, yet a match of the whole value exists, and a JSON Schema pattern cannot tell the two "
                           "apart")
    narrowed: list[str] = []
    body = _emit(tree, narrowed)
    pattern = f"^(?:{body})$"
    if narrowed:
        shown = ", ".join(sorted(set(narrowed)))
        return Translation(pattern, False, f"{shown} also match characters of other scripts in Heat; the schema "
                           "accepts only their ASCII ones")
    return Translation(pattern, True)


def _show(text: str) -> str:
    return repr(text)


# -- writing the pattern ---------------------------------------------------------------------------


def _emit(node: Node, narrowed: list[str]) -> str:
    if isinstance(node, Chars):
        return _class(node, narrowed)
    if isinstance(node, Anchor):
        return ""  # at the start or the end only: the anchored form says the same
    if isinstance(node, Seq):
        return "".join(_grouped(item, narrowed) if isinstance(item, Alt) else _emit(item, narrowed)
                       for item in node.items)
    if isinstance(node, Alt):
        return "|".join(_emit(branch, narrowed) for branch in node.branches)
    body = _emit(node.body, narrowed)
    if not _single(node.body, body):
        body = f"(?:{body})"
    if (node.low, node.high) == (0, None):
        return body + "*"
    if (node.low, node.high) == (1, None):
        return body + "+"
    if (node.low, node.high) == (0, 1):
        return body + "?"
    if node.high is None:
        return f"{body}{{{node.low},}}"
    if node.high == node.low:
        return f"{body}{{{node.low}}}"
    return f"{body}{{{node.low},{node.high}}}"


def _grouped(node: Node, narrowed: list[str]) -> str:
    return f"(?:{_emit(node, narrowed)})"


def _single(node: Node, text: str) -> bool:
    """True when `text` is one atom that a quantifier may follow directly."""
    return isinstance(node, Chars) and (text.startswith("[") or len(text) == 1 or
                                        (len(text) in (2, 4) and text.startswith("\\")))


def _class(node: Chars, narrowed: list[str]) -> str:
    ranges = intersect(node.ranges, _TEXT)
    outside = complement(ranges, _TEXT)
    negated_allowed = True
    if min(len(ranges), len(outside)) > _MAX_CLASS_RANGES:
        narrowed.append(node.source)
        ranges = intersect(ranges, _ASCII)
        outside = complement(ranges, _TEXT)
        negated_allowed = False  # written positively: a negated ASCII class would let other scripts in
    if len(ranges) == 1 and ranges[0][0] == ranges[0][1]:
        return _literal(ranges[0][0])
    if negated_allowed and len(outside) < len(ranges):
        return "[^" + "".join(_range(low, high) for low, high in outside) + "]"
    if not ranges:
        return "[^" + _range(0, 0xD7FF) + _range(0xE000, MAX_CODE) + "]"
    return "[" + "".join(_range(low, high) for low, high in ranges) + "]"


def _range(low: int, high: int) -> str:
    if low == high:
        return _class_char(low)
    if high == low + 1:
        return _class_char(low) + _class_char(high)
    return f"{_class_char(low)}-{_class_char(high)}"


def _literal(point: int) -> str:
    char = chr(point)
    if char in _SYNTAX:
        return "\\" + char
    return _plain(point)


def _class_char(point: int) -> str:
    char = chr(point)
    if char in _CLASS_SYNTAX:
        return "\\" + char
    return _plain(point)


def _plain(point: int) -> str:
    """A character as Python, RE2 and ECMA-262 all read it: controls escaped, the rest as it is."""
    if point in _CONTROL_ESCAPES:
        return _CONTROL_ESCAPES[point]
    if point < 0x20 or 0x7F <= point <= 0x9F:
        return f"\\x{point:02X}"
    return chr(point)
