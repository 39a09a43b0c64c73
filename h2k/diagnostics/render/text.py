"""`path:line:col: severity: message [H2Knnn]`, the line editors and CI logs understand."""

from __future__ import annotations

from h2k.diagnostics.model import Diagnostic


def render(diagnostics: list[Diagnostic]) -> str:
    return "".join(
        f"{d.span.file}:{d.span.line}:{d.span.column}: {d.severity.label}: {d.message} [{d.code.id}]\n"
        for d in diagnostics
    )
