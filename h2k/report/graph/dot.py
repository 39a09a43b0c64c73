r"""The split graph in Graphviz's DOT language (`h2k graph --format dot | dot -Tpng`).

Each side is a cluster; every id and label is a double-quoted DOT string.

>>> quote('say "hi"', 'C:\\temp')
'"say \\"hi\\"\\nC:\\\\temp"'
"""

from __future__ import annotations

from h2k.report.graph.model import SIDE_ORDER, SIDE_TITLES, Graph
from h2k.report.graph.svg import COLOURS, REFERENCE_COLOUR, WIRING_COLOUR
from h2k.report.graph.text import clean


def quote(*lines: str) -> str:
    """One DOT string; several lines are joined with DOT's `\\n`."""
    return '"' + "\\n".join(clean(line).replace("\\", "\\\\").replace('"', '\\"') for line in lines) + '"'


def to_dot(graph: Graph) -> str:
    ids = {node.name: f"n{i + 1}" for i, node in enumerate(graph.nodes)}
    lines = [
        f"digraph {quote(graph.stack)} {{",
        "  graph [rankdir=LR, fontname=\"Helvetica\", labeljust=l];",
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=11];",
        f"  edge [color={quote(REFERENCE_COLOUR)}];",
    ]
    for side in SIDE_ORDER:
        nodes = graph.on(side)
        if not nodes:
            continue
        fill, stroke, ink = COLOURS[side]
        lines.append(f"  subgraph cluster_{side} {{")
        lines.append(f"    label={quote(SIDE_TITLES[side])}; style=\"rounded,filled\"; fillcolor={quote(fill)}; "
                     f"color={quote(stroke)}; fontcolor={quote(ink)};")
        for node in nodes:
            dashed = ", style=\"rounded,filled,dashed\"" if node.status == "not-translated" else ""
            text = quote(node.name, node.type, node.became)
            lines.append(f"    {ids[node.name]} [label={text}, color={quote(stroke)}{dashed}];")
        lines.append("  }")
    for edge in graph.edges:
        source, target = ids[edge.source], ids[edge.target]
        if edge.kind == "wiring":
            lines.append(f"  {source} -> {target} [style=dashed, color={quote(WIRING_COLOUR)}, "
                         f"fontcolor={quote(WIRING_COLOUR)}, label={quote(edge.label or '')}];")
        else:
            lines.append(f"  {source} -> {target};")
    lines.append("}")
    return "\n".join(lines) + "\n"
