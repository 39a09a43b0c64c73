"""The split graph as SVG, drawn from h2k's own layout: no script, no font, no external reference.

The same markup is a standalone file (`h2k graph --format svg`) and inline in the HTML report,
where several graphs share one page: every id carries a prefix. Colour is never the only cue:
each band is titled, the status of a resource is written in its box, and a resource that is not
translated has a dashed border. The root is an image with a title and a description for screen
readers; each box has a title (a tooltip) with its full text.
"""

from __future__ import annotations

import re
from html import escape

from h2k.report.graph.layout import CHAR_WIDTH, MARGIN, Box, Layout, layout
from h2k.report.graph.model import SIDE_TITLES, Graph, Node
from h2k.report.graph.text import clean, shorten

# Band fill, band and box border, band title: each pair of text and fill passes WCAG AA.
COLOURS = {
    "kubernetes": ("#eaf1fd", "#326ce5", "#1c4aa6"),
    "openstack": ("#fdeeed", "#c8202f", "#9c1622"),
    "none": ("#f1f1f1", "#6b6b6b", "#3b3b3b"),
}
REFERENCE_COLOUR = "#4a4a4a"
WIRING_COLOUR = "#8a4b00"
LEGEND_HEIGHT = 44
LEGEND_WIDTH = 340


def _text(value: str) -> str:
    return escape(clean(value), quote=True)


def _id(prefix: str) -> str:
    """An XML name from a prefix the caller chose (a stack name, say); distinct prefixes stay distinct.

    >>> _id("stack-a.b"), _id("stack-a_b"), _id("1st")
    ('stack-a_2eb', 'stack-a_5fb', 'g-1st')
    """
    safe = re.sub(r"[^A-Za-z0-9-]", lambda m: "".join(f"_{b:02x}" for b in m.group().encode()), prefix)
    return safe if safe[:1].isalpha() else f"g-{safe}"


def to_svg(graph: Graph, id_prefix: str = "h2k", standalone: bool = True) -> str:
    placed = layout(graph)
    prefix = _id(id_prefix)
    width, height = max(placed.width, LEGEND_WIDTH), placed.height + LEGEND_HEIGHT
    counts = {side: len(graph.on(side)) for side in SIDE_TITLES}
    references = sum(1 for e in graph.edges if e.kind == "reference")
    wiring = len(graph.edges) - references
    summary = (f"{len(graph.nodes)} resources: {counts['kubernetes']} on Kubernetes, {counts['openstack']} on "
               f"OpenStack, {counts['none']} not carried over; {references} references, {wiring} wired values.")
    title = f"Stack {graph.stack}: what goes to Kubernetes and what stays on OpenStack"
    out = []
    if standalone:
        out.append('<?xml version="1.0" encoding="UTF-8"?>')
    out += [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{prefix}-title {prefix}-desc" '
        f'class="h2k-graph" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace">',
        f'<title id="{prefix}-title">{_text(title)}</title>',
        f'<desc id="{prefix}-desc">{_text(summary)}</desc>',
        "<defs>",
        *(f'<marker id="{prefix}-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
          f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
          for kind, colour in (("reference", REFERENCE_COLOUR), ("wiring", WIRING_COLOUR))),
        "</defs>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for side, box in placed.bands:
        fill, stroke, ink = COLOURS[side]
        out.append(f'<g class="band band-{side}"><rect x="{box.x}" y="{box.y}" width="{box.width}" '
                   f'height="{box.height}" rx="6" fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
                   f'<text x="{box.x + 10}" y="{box.y + 18}" font-size="13" font-weight="bold" fill="{ink}">'
                   f"{_text(SIDE_TITLES[side])}</text></g>")
    for route in placed.routes:
        colour = REFERENCE_COLOUR if route.kind == "reference" else WIRING_COLOUR
        dash = ' stroke-dasharray="6 4"' if route.kind == "wiring" else ""
        what = (f"{route.source} refers to {route.target}" if route.kind == "reference" else
                f"{', '.join(route.labels)}: from {route.source}, read by {route.target}")
        out.append(f'<g class="edge edge-{route.kind}"><title>{_text(what)}</title><path d="{route.path}" '
                   f'fill="none" stroke="{colour}" stroke-width="1.4"{dash} marker-end="url(#{prefix}-{route.kind})"/>'
                   "</g>")
    for route in placed.routes:  # labels above every line
        if route.kind == "wiring" and route.labels:
            label = shorten(clean(", ".join(route.labels)), 30)
            width = len(label) * 6 + 8
            x, y = route.label_at
            out.append(f'<g class="edge-label"><rect x="{x - width // 2}" y="{y - 8}" width="{width}" height="16" '
                       f'rx="3" fill="#ffffff" stroke="{WIRING_COLOUR}" stroke-width="0.8"/>'
                       f'<text x="{x}" y="{y + 4}" font-size="10" text-anchor="middle" fill="{WIRING_COLOUR}">'
                       f"{_text(label)}</text></g>")
    for node in graph.nodes:
        out.append(_node(node, placed.nodes[node.name], placed))
    out.append(_legend(placed, prefix))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _node(node: Node, box: Box, placed: Layout) -> str:
    _, stroke, _ = COLOURS[node.side]
    limit = max(8, (placed.node_width - 16) // CHAR_WIDTH)
    dash = ' stroke-dasharray="5 3"' if node.status == "not-translated" else ""
    x = box.x + 8
    lines = [(node.name, 12, "bold", "#111111"), (node.type, 11, "normal", "#333333"),
             (node.became, 11, "normal", "#4d4d4d")]
    texts = "".join(f'<text x="{x}" y="{box.y + 18 + i * 16}" font-size="{size}" font-weight="{weight}" '
                    f'fill="{ink}">{_text(shorten(clean(value), limit))}</text>'
                    for i, (value, size, weight, ink) in enumerate(lines))
    title = f"{node.name} ({node.type}): {node.became}"
    return (f'<g class="node status-{node.status}"><title>{_text(title)}</title>'
            f'<rect x="{box.x}" y="{box.y}" width="{box.width}" height="{box.height}" rx="4" fill="#ffffff" '
            f'stroke="{stroke}" stroke-width="1.5"{dash}/>{texts}</g>')


def _legend(placed: Layout, prefix: str) -> str:
    x, y = MARGIN, placed.height + 8
    rows = ((REFERENCE_COLOUR, "", "reference", "refers to (get_resource, get_attr, depends_on)"),
            (WIRING_COLOUR, ' stroke-dasharray="6 4"', "wiring", "a value wired by h2k bind (its key)"))
    parts = [f'<path d="M{x},{y + i * 18} L{x + 34},{y + i * 18}" stroke="{colour}" stroke-width="1.4"{dash} '
             f'marker-end="url(#{prefix}-{kind})"/><text x="{x + 42}" y="{y + i * 18 + 4}">{_text(words)}</text>'
             for i, (colour, dash, kind, words) in enumerate(rows)]
    return f'<g class="legend" font-size="11" fill="#222222">{"".join(parts)}</g>'
