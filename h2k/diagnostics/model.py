"""Diagnostics and the sink that collects them.

Library code never prints: every stage reports into a sink, and the CLI decides how to render
and which exit code follows.
"""

from __future__ import annotations

from dataclasses import dataclass

from h2k.diagnostics.codes import Code, Severity, code
from h2k.span import Span


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: Code
    severity: Severity
    message: str
    span: Span

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.span.file, self.span.line, self.span.column, self.code.id, self.message)


class DiagnosticSink:
    """Collects findings in the order they are reported; `sorted()` gives the stable order."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def report(self, key: str, message: str, span: Span, severity: Severity | None = None) -> Diagnostic:
        found = code(key)
        diagnostic = Diagnostic(found, severity or found.severity, message, span)
        self.items.append(diagnostic)
        return diagnostic

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def sorted(self) -> list[Diagnostic]:
        unique = {(d.sort_key(), d.severity): d for d in self.items}
        return [unique[k] for k in sorted(unique)]

    def has_at_least(self, severity: Severity) -> bool:
        return any(d.severity >= severity for d in self.items)

    @property
    def unreadable(self) -> bool:
        """True when some input could not be read at all (the run exits 2)."""
        return any(d.code.category == "io" for d in self.items)

    def __len__(self) -> int:
        return len(self.items)
