"""What every pass receives besides the stack: the user's inputs and the diagnostic sink."""

from __future__ import annotations

from dataclasses import dataclass, field

from h2k.diagnostics.model import DiagnosticSink


@dataclass
class PassContext:
    sink: DiagnosticSink
    # Parameter values given by the user (-P name=value), as text, as Heat receives them.
    parameters: dict[str, str] = field(default_factory=dict)
    # get_file reads only below this directory (default: the template's own directory).
    files_root: str | None = None
