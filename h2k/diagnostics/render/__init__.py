"""One renderer per output format, each a single `render(diagnostics) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from h2k.diagnostics.model import Diagnostic

Renderer = Callable[[list[Diagnostic]], str]


def renderer(name: str) -> Renderer:
    """The renderer for a `--format` value, imported only when asked for."""
    if name == "json":
        from h2k.diagnostics.render.json import render
    else:
        from h2k.diagnostics.render.text import render
    return render
