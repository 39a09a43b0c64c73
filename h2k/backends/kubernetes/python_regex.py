"""Python's regular expression syntax as a tree, and its character classes as code point ranges.

Only what Heat's `allowed_pattern` can mean and Go's RE2 can also say is built: literals, classes
(with `\\d`, `\\s`, `\\w` as Python defines them for text: every script), groups, alternatives,
quantifiers, and `^`/`$`/`\\A`/`\\Z`. Anything else (lookaround, backreferences, word boundaries,
flags, possessive quantifiers, atomic and conditional groups) raises Unsupported with what it is.
The parser runs only on patterns Python compiles, so it never has to explain a syntax error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

Ranges = tuple[tuple[int, int], ...]  # sorted, disjoint, inclusive code point intervals

MAX_CODE = 0x10FFFF
NEWLINE = ord("\n")
# Go's RE2 refuses repetition counts above 1000 (also as products of nested counts).
MAX_REPEAT = 1000
_EVERYTHING: Ranges = ((0, MAX_CODE),)


class Unsupported(Exception):
    """The pattern uses something that has no exact counterpart (the message says what)."""


# -- character sets --------------------------------------------------------------------------------


def _normal(ranges: list[tuple[int, int]]) -> Ranges:
    merged: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if merged and low <= merged[-1][1] + 1:
            if high > merged[-1][1]:
                merged[-1] = (merged[-1][0], high)
        else:
            merged.append((low, high))
    return tuple(merged)


def complement(ranges: Ranges, universe: Ranges = _EVERYTHING) -> Ranges:
    return intersect(_invert(ranges), universe)


def _invert(ranges: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    start = 0
    for low, high in ranges:
        if low > start:
            out.append((start, low - 1))
        start = high + 1
    if start <= MAX_CODE:
        out.append((start, MAX_CODE))
    return tuple(out)


def intersect(left: Ranges, right: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(left) and j < len(right):
        low, high = max(left[i][0], right[j][0]), min(left[i][1], right[j][1])
        if low <= high:
            out.append((low, high))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def _scan(predicate: Callable[[str], bool]) -> Ranges:
    out: list[tuple[int, int]] = []
    start: int | None = None
    for point in range(MAX_CODE + 1):
        if predicate(chr(point)):
            if start is None:
                start = point
        elif start is not None:
            out.append((start, point - 1))
            start = None
    if start is not None:
        out.append((start, MAX_CODE))
    return tuple(out)


@cache
def category(letter: str) -> Ranges:
    """Python's `\\d`, `\\s`, `\\w` (str patterns, no flags) and their complements, as ranges."""
    base = {
        "d": lambda: _scan(str.isdecimal),
        "s": lambda: _scan(str.isspace),
        "w": lambda: _scan(lambda ch: ch.isalnum() or ch == "_"),
    }[letter.lower()]()
    return base if letter.islower() else _invert(base)


# -- the parse tree --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chars:
    ranges: Ranges
    source: str  # as written, for notes


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Alt:
    branches: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Repeat:
    body: Node
    low: int
    high: int | None
    greedy: bool


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: str  # "begin" (^, \A), "end" (\Z), "dollar" ($: the end, or before a final newline)


Node = Chars | Seq | Alt | Repeat | Anchor


class Parser:
    """Python's `re` syntax for str patterns without flags; anything RE2 lacks is Unsupported.

    Called only on patterns Python compiles, so syntax errors need not be diagnosed here.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def parse(self) -> Node:
        node = self.alternation()
        if self.pos != len(self.text):
            raise Unsupported(f"unexpected {self.text[self.pos]!r}")
        return node

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def take(self) -> str:
        char = self.text[self.pos]
        self.pos += 1
        return char

    def alternation(self) -> Node:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence())
        return branches[0] if len(branches) == 1 else Alt(tuple(branches))

    def sequence(self) -> Node:
        items: list[Node] = []
        while self.pos < len(self.text) and self.peek() not in "|)":
            atom = self.atom()
            if atom is not None:
                items.append(self.quantified(atom))
            elif self.peek() and self.peek() in "*+?{":
                raise Unsupported("it quantifies a comment group")
        return items[0] if len(items) == 1 else Seq(tuple(items))

    def quantified(self, atom: Node) -> Node:
        char = self.peek()
        if char in ("*", "+", "?"):
            self.pos += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{":
            bounds = self.braces()
            if bounds is None:
                return atom  # not a repetition: the brace is a literal, read as the next atom
            low, high = bounds
        else:
            return atom
        greedy = True
        if self.peek() == "?":
            self.pos += 1
            greedy = False
        elif self.peek() == "+":
            raise Unsupported("it uses a possessive quantifier, which Go's regular expressions (Helm's) lack")
        for count in (low, high):
            if count is not None and count > MAX_REPEAT:
                raise Unsupported(f"it repeats {count} times; Go's regular expressions (Helm's) allow at most "
                                  f"{MAX_REPEAT}")
        return Repeat(atom, low, high, greedy)

    def braces(self) -> tuple[int, int | None] | None:
        """`{m}`, `{m,}`, `{,n}`, `{m,n}` as Python reads them; None when the brace is a literal."""
        found = re.compile(r"\{([0-9]*)(?:(,)([0-9]*))?\}").match(self.text, self.pos)
        if found is None or found.group(0) == "{}":
            return None
        low_text, comma, high_text = found.group(1), found.group(2), found.group(3)
        self.pos = found.end()
        low = int(low_text) if low_text else 0
        if comma is None:
            return low, low
        return low, int(high_text) if high_text else None

    def atom(self) -> Node | None:
        char = self.take()
        if char == "(":
            return self.group()
        if char == "[":
            return self.char_class()
        if char == ".":
            return Chars(complement(((NEWLINE, NEWLINE),)), ".")
        if char == "^":
            return Anchor("begin")
        if char == "$":
            return Anchor("dollar")
        if char == "\\":
            return self.escape()
        return Chars(((ord(char), ord(char)),), char)

    def group(self) -> Node | None:
        if self.peek() != "?":
            return self.group_body()
        ahead = self.text[self.pos:self.pos + 3]
        if ahead.startswith("?:"):
            self.pos += 2
            return self.group_body()
        if ahead == "?P<":
            end = self.text.index(">", self.pos)
            self.pos = end + 1
            return self.group_body()
        if ahead.startswith("?#"):
            self.pos = self.text.index(")", self.pos) + 1
            return None
        if ahead.startswith(("?=", "?!", "?<")):
            raise Unsupported("it uses a lookaround assertion, which Go's regular expressions (Helm's) lack")
        if ahead == "?P=":
            raise Unsupported("it uses a backreference, which Go's regular expressions (Helm's) lack")
        if ahead.startswith("?>"):
            raise Unsupported("it uses an atomic group, which Go's regular expressions (Helm's) lack")
        if ahead.startswith("?("):
            raise Unsupported("it uses a conditional group, which Go's regular expressions (Helm's) lack")
        raise Unsupported("it sets flags inside the pattern")

    def group_body(self) -> Node:
        node = self.alternation()
        if self.peek() != ")":
            raise Unsupported("a group is not closed")
        self.pos += 1
        return node

    def escape(self) -> Node:
        char = self.take()
        if char in "dDsSwW":
            return Chars(category(char), "\\" + char)
        if char in "AZ":
            return Anchor("begin" if char == "A" else "end")
        if char in "bB":
            raise Unsupported("it uses a word boundary (\\b or \\B), whose meaning differs between Python and "
                              "Go's regular expressions (Helm's)")
        if char in "0123456789":
            return self.single(self.number_escape(char), "\\" + char)
        return self.single(self.common_escape(char), "\\" + char)

    def number_escape(self, first: str) -> int:
        """Outside a class: `\\0`, `\\0nn` and three octal digits are characters, the rest group references."""
        if first == "0":
            digits = first
            while len(digits) < 3 and self.peek() and self.peek() in "01234567":
                digits += self.take()
            return int(digits, 8)
        following = self.text[self.pos:self.pos + 2]
        if first in "01234567" and len(following) == 2 and all(c in "01234567" for c in following):
            self.pos += 2
            return int(first + following, 8)
        raise Unsupported("it uses a backreference, which Go's regular expressions (Helm's) lack")

    def common_escape(self, char: str) -> int:
        """Escapes that mean one character both inside and outside classes."""
        simple = {"a": 7, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11}
        if char in simple:
            return simple[char]
        if char in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[char]
            digits = self.text[self.pos:self.pos + width]
            self.pos += width
            return int(digits, 16)
        if char == "N":
            end = self.text.index("}", self.pos)
            name = self.text[self.pos + 1:end]
            self.pos = end + 1
            return ord(unicodedata.lookup(name))
        return ord(char)  # an escaped punctuation or other non-letter: itself

    @staticmethod
    def single(point: int, source: str) -> Chars:
        return Chars(((point, point),), source)

    def char_class(self) -> Chars:
        start = self.pos - 1
        negate = self.peek() == "^"
        if negate:
            self.pos += 1
        parts: list[tuple[int, int]] = []
        first = True
        while True:
            char = self.peek()
            if char == "]" and not first:
                self.pos += 1
                break
            low = self.class_item()
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.pos += 1
                high = self.class_item()
                assert isinstance(low, int) and isinstance(high, int)  # Python refuses `[\d-z]`
                parts.append((low, high))
            elif isinstance(low, int):
                parts.append((low, low))
            else:
                parts.extend(low)
            first = False
        ranges = _normal(parts)
        return Chars(_invert(ranges) if negate else ranges, self.text[start:self.pos])

    def class_item(self) -> int | Ranges:
        char = self.take()
        if char != "\\":
            return ord(char)
        char = self.take()
        if char in "dDsSwW":
            return category(char)
        if char == "b":
            return 8
        if char in "01234567":
            digits = char
            while len(digits) < 3 and self.peek() and self.peek() in "01234567":
                digits += self.take()
            return int(digits, 8)
        return self.common_escape(char)
