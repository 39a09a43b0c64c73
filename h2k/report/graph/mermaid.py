"""The split graph as a Mermaid flowchart, for Markdown on GitHub and GitLab.

Only the oldest, most widely rendered syntax is used: `flowchart LR`, `subgraph id["title"]`,
nodes `id["label"]` with generated ids (a resource name can never collide with a keyword such
as `end`), `-->` and `-.->|"label"|` edges, `classDef` and `class`. Every label is double-quoted,
with `"`, `#`, `<`, `>`, `&` and backticks written as Mermaid entity codes.

>>> label('say "hi" <now> #1')
'"say #quot;hi#quot; #lt;now#gt; #35;1"'
"""

from __future__ import annotations

from h2k.report.graph.model import SIDE_ORDER, SIDE_TITLES, Graph
from h2k.report.graph.svg import COLOURS
from h2k.report.graph.text import clean

_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
CLASSES = {"kubernetes": "onKubernetes", "openstack": "onOpenStack", "none": "notCarried"}


def label(text: str) -> str:
    return '"' + "".join(_ENTITIES.get(char, char) for char in clean(text)) + '"'


def to_mermaid(graph: Graph) -> str:
    ids = {node.name: f"n{i + 1}" for i, node in enumerate(graph.nodes)}
    lines = ["flowchart LR"]
    if not graph.nodes:
        lines.append(f"  empty[{label('no resources')}]")
    for side in SIDE_ORDER:
        nodes = graph.on(side)
        if not nodes:
            continue
        lines.append(f"  subgraph side_{side}[{label(SIDE_TITLES[side])}]")
        lines += [f"    {ids[node.name]}[{label(f'{node.name} ({node.type})')}]" for node in nodes]
        lines.append("  end")
    for edge in graph.edges:
        source, target = ids[edge.source], ids[edge.target]
        if edge.kind == "wiring":
            lines.append(f"  {source} -.->|{label(edge.label or '')}| {target}")
        else:
            lines.append(f"  {source} --> {target}")
    for side in SIDE_ORDER:
        members = [ids[node.name] for node in graph.on(side)]
        if members:
            fill, stroke, _ = COLOURS[side]
            lines.append(f"  classDef {CLASSES[side]} fill:{fill},stroke:{stroke},color:#111111")
            lines.append(f"  class {','.join(members)} {CLASSES[side]}")
    untranslated = [ids[n.name] for n in graph.nodes if n.status == "not-translated"]
    if untranslated:
        lines.append("  classDef untranslated stroke-dasharray:5 3")
        lines.append(f"  class {','.join(untranslated)} untranslated")
    return "\n".join(lines) + "\n"
