"""The split graph of one stack: its resources on each side, who refers to whom, and the wiring.

The graph is built from the compiled stack (the references are in the IR) and the per-stack
report (what each resource became, and the wiring), so that every renderer draws the same facts
the report states. It is plain data, so a worker process can build it and hand it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from h2k.ir.links import references
from h2k.ir.nodes import Stack

# Where each report status puts a resource. Switched-off and disabled resources have nothing on
# either side; neither do the ones without a counterpart or not translated (they need a person).
SIDES: dict[str, str] = {
    "translated": "kubernetes",
    "merged": "kubernetes",
    "openstack": "openstack",
    "no-counterpart": "none",
    "not-translated": "none",
    "switched-off": "none",
    "disabled": "none",
}
SIDE_ORDER = ("kubernetes", "openstack", "none")
SIDE_TITLES = {"kubernetes": "Kubernetes", "openstack": "OpenStack", "none": "Not carried over"}
STATUS_TEXT = {
    "translated": "translated",
    "merged": "merged into other objects",
    "openstack": "stays on OpenStack",
    "no-counterpart": "no Kubernetes counterpart",
    "not-translated": "not translated",
    "switched-off": "switched off",
    "disabled": "disabled by a condition",
}


@dataclass(frozen=True, slots=True)
class Node:
    name: str
    type: str
    status: str
    # What the resource became: its objects, or the status in words.
    became: str

    @property
    def side(self) -> str:
        return SIDES.get(self.status, "none")


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    # "reference": the source's definition names the target (get_resource, get_attr, depends_on);
    # "wiring": a value of the source (on OpenStack) reaches the target through `h2k bind`.
    kind: str
    label: str | None = None


@dataclass(frozen=True)
class Graph:
    stack: str
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({node.name: i for i, node in enumerate(self.nodes)})

    def index(self, name: str) -> int:
        return self._index[name]

    def on(self, side: str) -> list[Node]:
        return [node for node in self.nodes if node.side == side]

    def to_json(self) -> dict[str, object]:
        return {"nodes": [{"name": n.name, "type": n.type, "status": n.status, "side": n.side, "became": n.became}
                          for n in self.nodes],
                "edges": [{"from": e.source, "to": e.target, "kind": e.kind, "label": e.label} for e in self.edges]}

    @classmethod
    def from_json(cls, stack: str, data: Mapping[str, Any]) -> Graph:
        return cls(stack, tuple(Node(n["name"], n["type"], n["status"], n["became"]) for n in data["nodes"]),
                   tuple(Edge(e["from"], e["to"], e["kind"], e.get("label")) for e in data["edges"]))


def build(stack: Stack, report: Mapping[str, Any]) -> Graph:
    """The graph of a compiled stack, from its IR and its report (h2k-report.json)."""
    nodes = []
    for entry in report["resources"]:
        became = ", ".join(entry["objects"]) or STATUS_TEXT.get(entry["status"], entry["status"])
        nodes.append(Node(entry["name"], entry["type"], entry["status"], became))
    names = {node.name for node in nodes}
    edges: dict[tuple[str, str, str, str | None], Edge] = {}
    for resource in (*stack.resources, *stack.disabled):
        if resource.name not in names:
            continue
        for target in sorted(references(resource)):
            if target in names and target != resource.name:
                edges.setdefault((resource.name, target, "reference", None), Edge(resource.name, target, "reference"))
    for wire in report.get("wiring") or []:
        for consumer in wire["consumers"]:
            source, target, key = wire["resource"], consumer["resource"], wire["key"]
            if source in names and target in names:
                edges.setdefault((source, target, "wiring", key), Edge(source, target, "wiring", key))
    order = {node.name: i for i, node in enumerate(nodes)}
    ranked = sorted(edges.values(), key=lambda e: (e.kind != "reference", order[e.source], order[e.target],
                                                   e.label or ""))
    return Graph(stack.name, tuple(nodes), tuple(ranked))
