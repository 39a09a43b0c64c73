"""A layered layout of the split graph, computed by h2k so the SVG needs no script and no tool.

Each side (Kubernetes, OpenStack, not carried over) is a horizontal band. A resource's column is
its depth in the reference graph (a resource sits left of what it refers to, as in Mermaid's and
Graphviz's left-to-right layouts), the same column in every band, so arrows read left to right
across bands too. Rows inside a band are ordered by a few barycenter sweeps to untangle edges.
Everything is integer arithmetic on sorted data: the same graph always gives the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from h2k.report.graph.model import SIDE_ORDER, Graph

CHAR_WIDTH = 7  # a monospace glyph at 12px, rounded up
MAX_CHARS = 36  # longer text is cut with an ellipsis (the full text is in the node's title)
NODE_HEIGHT = 58
COLUMN_GAP = 72
ROW_GAP = 20
BAND_PAD = 14
BAND_HEADER = 26
BAND_GAP = 16
MARGIN = 12
LOOP = 36  # how far an edge between two nodes of one column bulges to the right


@dataclass(frozen=True, slots=True)
class Box:
    x: int
    y: int
    width: int
    height: int

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


@dataclass(frozen=True, slots=True)
class Route:
    """The line of every edge of one kind from one resource to another (their labels joined)."""

    kind: str
    source: str
    target: str
    labels: tuple[str, ...]
    # An SVG path, and where its label goes.
    path: str
    label_at: tuple[int, int]


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    node_width: int
    bands: tuple[tuple[str, Box], ...]
    nodes: dict[str, Box]
    routes: tuple[Route, ...]


def node_width(graph: Graph) -> int:
    longest = max((len(text) for n in graph.nodes for text in (n.name, n.type, n.became)), default=10)
    return max(150, min(longest, MAX_CHARS) * CHAR_WIDTH + 2 * BAND_PAD)


def ranks(graph: Graph) -> dict[str, int]:
    """Longest path from the resources nothing refers to, along references; a cycle's rest stays at 0."""
    names = [n.name for n in graph.nodes]
    successors: dict[str, list[str]] = {name: [] for name in names}
    incoming = dict.fromkeys(names, 0)
    for edge in graph.edges:
        if edge.kind == "reference":
            successors[edge.source].append(edge.target)
            incoming[edge.target] += 1
    rank = dict.fromkeys(names, 0)
    ready = [name for name in names if incoming[name] == 0]
    while ready:
        name = ready.pop(0)
        for target in successors[name]:
            rank[target] = max(rank[target], rank[name] + 1)
            incoming[target] -= 1
            if incoming[target] == 0:
                ready.append(target)
    return rank


def _order(graph: Graph, rank: dict[str, int]) -> dict[tuple[str, int], list[str]]:
    """The nodes of each (side, column) cell, top to bottom."""
    cells: dict[tuple[str, int], list[str]] = {}
    for node in graph.nodes:
        cells.setdefault((node.side, rank[node.name]), []).append(node.name)
    neighbours: dict[str, list[str]] = {n.name: [] for n in graph.nodes}
    for edge in graph.edges:
        neighbours[edge.source].append(edge.target)
        neighbours[edge.target].append(edge.source)
    sides = {side: i for i, side in enumerate(SIDE_ORDER)}
    side_of = {n.name: n.side for n in graph.nodes}
    row = {name: i for names in cells.values() for i, name in enumerate(names)}

    def slot(name: str) -> int:
        return sides[side_of[name]] * 10_000 + row[name] * 2

    columns = sorted({column for _, column in cells})
    for sweep in (columns[1:], columns[-2::-1], columns[1:], columns[-2::-1]):
        for column in sweep:
            for side in SIDE_ORDER:
                cell = cells.get((side, column))
                if not cell or len(cell) < 2:
                    continue
                keys = {}
                for position, name in enumerate(cell):
                    near = [slot(other) for other in neighbours[name] if rank[other] != column]
                    # Twice the mean, in integers; a node without neighbours keeps its place.
                    keys[name] = (sum(near) * 2 // len(near) if near else position * 4 + sides[side] * 20_000,
                                  position)
                cell.sort(key=lambda name: keys[name])
                row.update({name: i for i, name in enumerate(cell)})
    return cells


def layout(graph: Graph) -> Layout:
    width = node_width(graph)
    rank = ranks(graph)
    cells = _order(graph, rank)
    columns = max(rank.values(), default=0) + 1
    inner = columns * width + (columns - 1) * COLUMN_GAP + LOOP
    band_width = inner + 2 * BAND_PAD
    boxes: dict[str, Box] = {}
    bands = []
    # Horizontal lines no box crosses (rows are aligned across columns): long edges run along them.
    channels: list[int] = []
    y = MARGIN
    for side in SIDE_ORDER:
        rows = max((len(names) for (s, _), names in cells.items() if s == side), default=0)
        if not rows:
            continue
        height = BAND_HEADER + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP + BAND_PAD
        bands.append((side, Box(MARGIN, y, band_width, height)))
        for (s, column), names in cells.items():
            if s != side:
                continue
            for row, name in enumerate(names):
                boxes[name] = Box(MARGIN + BAND_PAD + column * (width + COLUMN_GAP),
                                  y + BAND_HEADER + row * (NODE_HEIGHT + ROW_GAP), width, NODE_HEIGHT)
        channels += [y + BAND_HEADER + row * (NODE_HEIGHT + ROW_GAP) - ROW_GAP // 2 for row in range(1, rows)]
        channels += [y + height - BAND_PAD // 2, y + height + BAND_GAP // 2]
        y += height + BAND_GAP
    groups: dict[tuple[str, str, str], list[str]] = {}
    for edge in graph.edges:
        groups.setdefault((edge.kind, edge.source, edge.target), []).append(edge.label or "")
    routes = tuple(_route(kind, source, target, tuple(label for label in labels if label), boxes[source],
                          boxes[target], channels, i)
                   for i, ((kind, source, target), labels) in enumerate(groups.items()))
    total_height = y - BAND_GAP + MARGIN if bands else 2 * MARGIN
    return Layout(band_width + 2 * MARGIN, total_height, width, tuple(bands), boxes, routes)


def _route(kind: str, source: str, target: str, labels: tuple[str, ...], a: Box, b: Box, channels: list[int],
           index: int) -> Route:
    """A curve between neighbouring columns; a longer edge runs along the free gaps, never under a box.

    Edges sharing a gap are shifted a few pixels apart so that each can be followed.
    """
    shift = (index % 5 - 2) * 3
    ya, yb = a.middle, b.middle
    if b.x == a.x:  # same column: leave and enter on the right, bulging into the gap
        x = a.x + a.width
        c1, c2 = (x + LOOP + shift, ya), (x + LOOP + shift, yb)
        return _curve(kind, source, target, labels, (x, ya), c1, c2, (x, yb))
    forward = b.x > a.x
    x1, x2 = (a.x + a.width, b.x) if forward else (a.x, b.x + b.width)
    if abs(x2 - x1) <= COLUMN_GAP:
        bend = (x2 - x1) // 2
        return _curve(kind, source, target, labels, (x1, ya), (x1 + bend, ya), (x2 - bend, yb), (x2, yb))
    half = COLUMN_GAP // 2 if forward else -(COLUMN_GAP // 2)
    out, into = x1 + half + shift, x2 - half + shift
    channel = min(channels, key=lambda c: (abs(c - ya) + abs(c - yb), abs(c - ya), c)) + shift
    points = [(x1, ya), (out, ya), (out, channel), (into, channel), (into, yb), (x2, yb)]
    return Route(kind, source, target, labels, _rounded(points), ((out + into) // 2, channel))


def _curve(kind: str, source: str, target: str, labels: tuple[str, ...], p0: tuple[int, int],
           c1: tuple[int, int], c2: tuple[int, int], p1: tuple[int, int]) -> Route:
    middle = ((p0[0] + 3 * c1[0] + 3 * c2[0] + p1[0]) // 8, (p0[1] + 3 * c1[1] + 3 * c2[1] + p1[1]) // 8)
    path = f"M{p0[0]},{p0[1]} C{c1[0]},{c1[1]} {c2[0]},{c2[1]} {p1[0]},{p1[1]}"
    return Route(kind, source, target, labels, path, middle)


def _rounded(points: list[tuple[int, int]], radius: int = 6) -> str:
    """An orthogonal polyline with rounded corners."""
    kept: list[tuple[int, int]] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2 and (kept[-2][0] == kept[-1][0] == point[0] or kept[-2][1] == kept[-1][1] == point[1]):
            kept[-1] = point  # collinear: extend the segment
            continue
        kept.append(point)
    parts = [f"M{kept[0][0]},{kept[0][1]}"]
    for before, corner, after in zip(kept, kept[1:], kept[2:], strict=False):
        r = min(radius, _length(before, corner) // 2, _length(corner, after) // 2)
        enter = (corner[0] - r * _sign(corner[0] - before[0]), corner[1] - r * _sign(corner[1] - before[1]))
        leave = (corner[0] + r * _sign(after[0] - corner[0]), corner[1] + r * _sign(after[1] - corner[1]))
        parts.append(f"L{enter[0]},{enter[1]} Q{corner[0]},{corner[1]} {leave[0]},{leave[1]}")
    parts.append(f"L{kept[-1][0]},{kept[-1][1]}")
    return " ".join(parts)


def _length(p: tuple[int, int], q: tuple[int, int]) -> int:
    return abs(p[0] - q[0]) + abs(p[1] - q[1])


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)
