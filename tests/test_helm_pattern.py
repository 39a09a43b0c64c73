"""Heat's allowed_pattern as a JSON Schema pattern, checked against Python's own `re` (which Heat uses).

Heat accepts a value when `re.match(pattern, value)` ends at the end of the value. For generated
patterns, on every short text: an exact translation accepts exactly those values, a narrowed one a
subset of them, and a refused translation's witness is a value Heat refuses although a match of
the whole value exists.
"""

from __future__ import annotations

import itertools
import re
import sys

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from h2k.backends.kubernetes.helm_pattern import translate
from h2k.backends.kubernetes.python_regex import category

TEXTS = ["".join(letters) for size in range(5) for letters in itertools.product("ab\n", repeat=size)]
TEXTS += ["1", "a1", "é", "\u0661", "a b"]  # U+0661: ARABIC-INDIC DIGIT ONE


def heat_accepts(pattern: str, value: str) -> bool:
    found = re.match(pattern, value)
    return found is not None and found.end() == len(value)


atoms = st.sampled_from(["a", "b", "[ab]", ".", "\\n", "[^a]", "\\d", "\\w", "\\s", "x"])
patterns = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda pair: f"(?:{pair[0]}|{pair[1]})"),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "{2}", "{1,2}", "{,2}", "*?", "??"])).map(
            lambda pair: f"(?:{pair[0]}){pair[1]}"),
        st.tuples(st.sampled_from(["", "^"]), inner, st.sampled_from(["", "$", "\\Z"])).map("".join),
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(patterns)
def test_translation_agrees_with_python(pattern: str) -> None:
    translation = translate(pattern)
    if translation.pattern is not None:
        jsonschema_rs.validator_for({"type": "string", "pattern": translation.pattern})  # ECMA-262 reads it
        body = re.compile(translation.pattern[1:-1])
        for text in TEXTS:
            accepted = body.fullmatch(text) is not None
            if translation.exact:
                assert accepted == heat_accepts(pattern, text), (translation, text)
            else:
                assert not accepted or heat_accepts(pattern, text), (translation, text)
    elif translation.note and translation.note.startswith("Heat refuses "):
        witness = eval(translation.note.removeprefix("Heat refuses ").split(", where")[0])  # a repr()
        assert not heat_accepts(pattern, witness)
        assert re.fullmatch(pattern, witness) is not None


@pytest.mark.parametrize(("pattern", "expected"), [
    ("[a-zA-Z][a-zA-Z0-9]*", "^(?:[A-Za-z][0-9A-Za-z]*)$"),
    ("^[a-z]+$", "^(?:[a-z]+)$"),
    ("ab|a", "^(?:ab|a)$"),
    (".*", "^(?:[^\\n]*)$"),
    ("x{,3}", "^(?:x{0,3})$"),
    ("a\\.b/c", "^(?:a\\.b\\/c)$"),
    ("[]a-]", "^(?:[\\-\\]a])$"),
    ("\\x7f\\t", "^(?:\\x7F\\t)$"),
    ("(?P<n>a)(?#comment)b", "^(?:ab)$"),
])
def test_written_forms(pattern: str, expected: str) -> None:
    assert translate(pattern).pattern == expected


@pytest.mark.parametrize(("pattern", "reason"), [
    ("(?=a)a", "lookaround"),
    ("(?<!a)b", "lookaround"),
    ("(a)\\1", "backreference"),
    ("(?P<x>a)(?P=x)", "backreference"),
    ("\\ba", "word boundary"),
    ("(?i)a", "flags"),
    ("a{1001}", "at most 1000"),
    ("(?:a{40}){40}", "1000 copies"),
    ("a$b", "anchors"),
    ("b^a", "anchors"),
    ("(?:a*)*", "can match nothing"),
    ("(", "Python cannot compile it"),
    ("a|ab", "Heat refuses 'ab'"),
])
def test_what_has_no_form(pattern: str, reason: str) -> None:
    translation = translate(pattern)
    assert translation.pattern is None and translation.note is not None and reason in translation.note


@pytest.mark.skipif(sys.version_info < (3, 11), reason="possessive quantifiers and atomic groups are 3.11")
def test_possessive_and_atomic() -> None:
    assert translate("a*+").pattern is None
    assert translate("(?>a)").pattern is None


@pytest.mark.parametrize("letter", ["d", "s", "w"])
def test_classes_are_pythons(letter: str) -> None:
    expected = re.compile(f"\\{letter}")
    ranges = category(letter)
    inside = {point for low, high in ranges for point in range(low, high + 1)}
    assert inside == {point for point in range(sys.maxunicode + 1) if expected.match(chr(point))}
    assert category(letter.upper()) == tuple(
        (low, high) for low, high in _gaps(ranges))


def _gaps(ranges: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    out, start = [], 0
    for low, high in ranges:
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= sys.maxunicode:
        out.append((start, sys.maxunicode))
    return out
