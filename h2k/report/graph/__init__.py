"""The split graph of a stack (Kubernetes and OpenStack sides, references, wiring) and its renderers.

`h2k graph` prints one; `h2k migrate` draws one per stack in its reports.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from h2k.report.graph.dot import to_dot
from h2k.report.graph.mermaid import to_mermaid
from h2k.report.graph.model import Edge, Graph, Node, build
from h2k.report.graph.svg import to_svg

if TYPE_CHECKING:
    from h2k.api import CompileResult

__all__ = ["RENDERERS", "Edge", "Graph", "Node", "build", "from_result", "to_dot", "to_mermaid", "to_svg"]

RENDERERS: dict[str, Callable[[Graph], str]] = {"mermaid": to_mermaid, "dot": to_dot, "svg": to_svg}


def from_result(result: CompileResult) -> Graph | None:
    """The graph of a compile result, or None when nothing was compiled."""
    import json

    if result.stack is None or "h2k-report.json" not in result.files:
        return None
    return build(result.stack, json.loads(result.files["h2k-report.json"]))
