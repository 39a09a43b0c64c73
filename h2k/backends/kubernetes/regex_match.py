"""Does "some match covers the value" mean "Python's first match covers the value" for a pattern?

Heat accepts a value when `re.match` finds a match ending at the end of the value; a JSON Schema
pattern `^(?:p)$` accepts it when any match does. Both are regular: the first is what a Pike
machine computes when it keeps its threads in Python's order of preference (a thread that reaches
the end cuts every thread after it), the second is an ordinary subset construction. Walking the
two automata together finds a value the second accepts and the first refuses, if there is one.
A thread list is a state; `$` at the end of a pattern also matches before a final newline, which
is a match that counts only if that newline ends the value.
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque

from h2k.backends.kubernetes.python_regex import (
    MAX_CODE,
    MAX_REPEAT,
    NEWLINE,
    Alt,
    Anchor,
    Chars,
    Node,
    Ranges,
    Repeat,
    Seq,
    Unsupported,
)

_MAX_PROGRAM = 4000
_MAX_STATES = 20000


# -- parts that can match nothing ------------------------------------------------------------------


def _nullable(node: Node) -> bool:
    if isinstance(node, Chars):
        return False
    if isinstance(node, Anchor):
        return True
    if isinstance(node, Seq):
        return all(_nullable(item) for item in node.items)
    if isinstance(node, Alt):
        return any(_nullable(branch) for branch in node.branches)
    return node.low == 0 or _nullable(node.body)


# -- the automata ----------------------------------------------------------------------------------

# Instructions: ("char", set index), ("split", preferred, other), ("jmp", target), ("match",),
# ("dollar",) and ("endz",); the last two stand at the end of the pattern only.
Op = tuple[object, ...]


class _Program:
    def __init__(self) -> None:
        self.ops: list[Op] = []
        self.sets: list[Ranges] = []

    def add(self, *op: object) -> int:
        if len(self.ops) >= _MAX_PROGRAM:
            raise Unsupported("it is too large to compare with Heat's matching")
        self.ops.append(op)
        return len(self.ops) - 1

    def compile(self, node: Node, initial: bool, final: bool, scale: int = 1) -> None:
        if isinstance(node, Chars):
            self.sets.append(node.ranges)
            self.add("char", len(self.sets) - 1)
        elif isinstance(node, Anchor):
            if node.kind == "begin":
                if not initial:
                    raise Unsupported("it anchors (^ or \\A) somewhere else than at its start")
            elif not final:
                raise Unsupported("it anchors ($ or \\Z) somewhere else than at its end")
            else:
                self.add("dollar" if node.kind == "dollar" else "endz")
        elif isinstance(node, Seq):
            for index, item in enumerate(node.items):
                self.compile(item, initial and index == 0, final and index == len(node.items) - 1, scale)
        elif isinstance(node, Alt):
            jumps = []
            for index, branch in enumerate(node.branches):
                if index < len(node.branches) - 1:
                    split = self.add("split", 0, 0)
                    self.compile(branch, initial, final, scale)
                    jumps.append(self.add("jmp", 0))
                    self.ops[split] = ("split", split + 1, len(self.ops))
                else:
                    self.compile(branch, initial, final, scale)
            for jump in jumps:
                self.ops[jump] = ("jmp", len(self.ops))
        else:
            self.repeat(node, scale)

    def repeat(self, node: Repeat, scale: int) -> None:
        count = node.high if node.high is not None else max(node.low, 1)
        if scale * count > MAX_REPEAT:
            raise Unsupported(f"its nested repetitions exceed {MAX_REPEAT} copies, which Go's regular expressions "
                              "(Helm's) refuse")
        inner = scale * max(count, 1)
        if _nullable(node.body) and not (node.high == node.low or node.high == 1):
            raise Unsupported("it repeats a part that can match nothing, whose preference order is not compared")
        for _ in range(node.low):
            self.compile(node.body, False, False, inner)
        if node.high is None:
            loop = self.add("split", 0, 0)
            self.compile(node.body, False, False, inner)
            self.add("jmp", loop)
            body, out = loop + 1, len(self.ops)
            self.ops[loop] = ("split", body, out) if node.greedy else ("split", out, body)
            return
        splits = []
        for _ in range(node.high - node.low):
            splits.append(self.add("split", 0, 0))
            self.compile(node.body, False, False, inner)
        out = len(self.ops)
        for split in splits:
            self.ops[split] = ("split", split + 1, out) if node.greedy else ("split", out, split + 1)


def _closure(ops: list[Op], starts: list[int], seen: set[int]) -> list[object]:
    """The threads reached from `starts` without reading, in Python's order of preference."""
    found: list[object] = []
    stack = list(reversed(starts))
    while stack:
        pc = stack.pop()
        if pc in seen:
            continue
        seen.add(pc)
        op = ops[pc]
        if op[0] == "split":
            stack.append(op[2])  # type: ignore[arg-type]
            stack.append(op[1])  # type: ignore[arg-type]
        elif op[0] == "jmp":
            stack.append(op[1])  # type: ignore[arg-type]
        elif op[0] == "char":
            found.append(pc)
        else:
            found.append({"match": "M", "dollar": "D", "endz": "Z"}[str(op[0])])
    return found


def _cut(items: list[object]) -> tuple[object, ...]:
    """A finished match outranks every thread after it (Python never tries them)."""
    for index, item in enumerate(items):
        if item in ("M", "R"):
            items = items[:index + 1]
            break
    if items and items[0] == "R":
        return ("R",)
    return tuple(items)


def refused_full_match(tree: Node) -> str | None:
    """A value some match of the pattern covers but Heat refuses, or None when there is none."""
    program = _Program()
    program.compile(tree, True, True)
    program.add("match")
    ops = program.ops
    sets = list(program.sets)
    if any(op[0] == "dollar" for op in ops):
        sets.append(((NEWLINE, NEWLINE),))
    atoms = _atoms(sets)
    newline_atom = next((index for index, (_, chars) in enumerate(atoms)
                         if any(low <= NEWLINE <= high for low, high in chars)), None)

    reads = {pc: int(op[1]) for pc, op in enumerate(ops) if op[0] == "char"}  # type: ignore[call-overload]

    def full_start() -> tuple[frozenset[int], bool]:
        items = _closure(ops, [0], set())
        return frozenset(i for i in items if isinstance(i, int)), any(isinstance(i, str) for i in items)

    def full_step(state: frozenset[int], atom: int) -> tuple[frozenset[int], bool]:
        member = atoms[atom][0]
        starts = [pc + 1 for pc in sorted(state) if member[reads[pc]]]
        items = _closure(ops, starts, set())
        return frozenset(i for i in items if isinstance(i, int)), any(isinstance(i, str) for i in items)

    def heat_step(state: tuple[object, ...], atom: int) -> tuple[object, ...]:
        member = atoms[atom][0]
        items: list[object] = []
        seen: set[int] = set()
        for item in state:
            if isinstance(item, int):
                if member[reads[item]]:
                    items.extend(_closure(ops, [item + 1], seen))
            elif item in ("M", "R"):
                items.append("R")
                break
            elif item == "D" and atom == newline_atom:
                items.append("E")  # `$` matched before this newline; it counts if the value ends here
        return _cut(items)

    def heat_accepts(state: tuple[object, ...]) -> bool:
        for item in state:
            if not isinstance(item, int):
                return item in ("M", "D", "Z")
        return False

    start_set, start_accepts = full_start()
    start = ((start_set, start_accepts), _cut(_closure(ops, [0], set())))
    parents: dict[object, tuple[object, int] | None] = {start: None}
    queue = deque([start])
    while queue:
        pair = queue.popleft()
        (full_state, full_accepts), heat_state = pair
        if full_accepts and not heat_accepts(heat_state):
            return _witness(pair, parents, atoms)
        if not full_state:
            continue
        for atom in range(len(atoms)):
            following = (full_step(full_state, atom), heat_step(heat_state, atom))
            if following not in parents:
                if len(parents) >= _MAX_STATES:
                    raise Unsupported("it is too complex to compare with Heat's matching")
                parents[following] = (pair, atom)
                queue.append(following)
    return None


def _atoms(sets: list[Ranges]) -> list[tuple[tuple[bool, ...], Ranges]]:
    """The alphabet cut into classes of characters that every set treats alike (none: left out)."""
    bounds = {0, MAX_CODE + 1}
    for ranges in sets:
        for low, high in ranges:
            bounds.update((low, high + 1))
    edges = sorted(bounds)
    starts = [[low for low, _ in ranges] for ranges in sets]
    groups: dict[tuple[bool, ...], list[tuple[int, int]]] = {}
    for low, end in itertools.pairwise(edges):
        signature = tuple(_contains(ranges, lows, low) for ranges, lows in zip(sets, starts, strict=True))
        if any(signature):
            groups.setdefault(signature, []).append((low, end - 1))
    return [(signature, tuple(chars)) for signature, chars in groups.items()]


def _contains(ranges: Ranges, lows: list[int], point: int) -> bool:
    index = bisect.bisect_right(lows, point) - 1
    return index >= 0 and ranges[index][1] >= point


def _witness(pair: object, parents: dict[object, tuple[object, int] | None],
             atoms: list[tuple[tuple[bool, ...], Ranges]]) -> str:
    letters: list[str] = []
    step = parents[pair]
    while step is not None:
        previous, atom = step
        letters.append(_representative(atoms[atom][1]))
        step = parents[previous]
    return "".join(reversed(letters))


def _representative(chars: Ranges) -> str:
    """A readable character of the class: printable ASCII if there is one."""
    for low, high in chars:
        for point in range(max(low, 0x21), min(high, 0x7E) + 1):
            return chr(point)
    return chr(chars[0][0])
