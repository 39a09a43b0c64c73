"""One renderer per output format, each a single `render(diagnostics) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from h2k.diagnostics.model import Diagnostic

Renderer = Callable[[list[Diagnostic]], str]
FORMATS = ("text", "json", "sarif", "github")


def renderer(name: str) -> Renderer:
    """The renderer for a `--format` value, imported only when asked for."""
    if name == "json":
        from h2k.diagnostics.render.json import render
    elif name == "sarif":
        from h2k.diagnostics.render.sarif import render
    elif name == "github":
        from h2k.diagnostics.render.github import render
    else:
        from h2k.diagnostics.render.text import render
    return render
