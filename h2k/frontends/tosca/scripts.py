"""Lifecycle scripts of the components hosted on a Compute: one boot script, in lifecycle order.

A Compute's hosted components (software, web servers, applications, databases) have no resource
of their own; their `Standard` interface scripts (`create`, `configure`, `start`, in that order,
component by component, a component after those it requires) are what the server must run. They
become the server's `user_data`: one shell script that exports the template's inputs at the top,
then runs each operation's script with the operation's inputs exported before it (a script that
may `exit` runs in a subshell, so that it ends only itself). Values known only at deploy time stay
calls inside the script's text.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.tosca.functions import concat
from h2k.ir.expr import Expr, Literal
from h2k.span import Span

LIFECYCLE = ("create", "configure", "start")
_EXIT = re.compile(r"^\s*exit\b", re.MULTILINE)
_SHELL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NOT_SHELL = {".yaml": "Ansible", ".yml": "Ansible", ".ansible": "Ansible", ".pp": "Puppet", ".py": "Python",
              ".rb": "Ruby", ".ps1": "PowerShell", ".bat": "Windows batch", ".zip": "an archive",
              ".tar": "an archive", ".gz": "an archive"}


@dataclass(frozen=True, slots=True)
class Operation:
    component: str
    name: str
    implementation: str
    inputs: tuple[tuple[str, Expr], ...]
    span: Span


class ScriptBuilder:
    def __init__(self, directory: Path, base: Path, sink: DiagnosticSink, max_bytes: int) -> None:
        self.directory = directory
        self.base = base.resolve()
        self.sink = sink
        self.max_bytes = max_bytes

    def user_data(self, server: str, inputs: list[tuple[str, Expr]], operations: list[Operation],
                  span: Span) -> Expr | None:
        """The boot script (text, or a `str_replace` of text and values), or None when no operation has a script."""
        bodies = [(op, body) for op in operations if (body := self.read(op)) is not None]
        if not bodies:
            return None
        pieces: list[Expr] = [Literal(value=f"#!/bin/sh\n# The lifecycle operations of the TOSCA components hosted "
                                            f"on {server}, in order.\n", span=span)]
        for name, value in inputs:
            pieces += _export(name, value, span, self.sink)
        for op, body in bodies:
            # Operations run one after the other in one shell; one that may `exit` runs in a subshell, so that
            # it ends only itself.
            isolated = _EXIT.search(body) is not None
            pieces.append(Literal(value=f"\n# {op.component}: Standard.{op.name} ({op.implementation})\n"
                                        f"{'(' + chr(10) if isolated else ''}", span=op.span))
            for name, value in op.inputs:
                pieces += _export(name, value, op.span, self.sink)
            pieces.append(Literal(value=body if body.endswith("\n") else body + "\n", span=op.span))
            if isolated:
                pieces.append(Literal(value=")\n", span=op.span))
        return concat(pieces, span)

    def read(self, op: Operation) -> str | None:
        suffix = Path(op.implementation).suffix.lower()
        if "://" in op.implementation:
            self.sink.report("H2K711", f"{op.component} {op.name}: the script {op.implementation!r} is a URL; h2k "
                             "does not download it, the operation is left out", op.span)
            return None
        if suffix in _NOT_SHELL:
            self.sink.report("H2K711", f"{op.component} {op.name}: {op.implementation!r} is {_NOT_SHELL[suffix]}, "
                             "not a shell script; the operation is left out of the boot script", op.span)
            return None
        path = (self.directory / op.implementation).resolve()
        if not path.is_relative_to(self.base):
            self.sink.report("H2K711", f"{op.component} {op.name}: {op.implementation!r} is outside the template's "
                             "directory (see --files-root); it is not read", op.span)
            return None
        try:
            if path.stat().st_size > self.max_bytes:
                self.sink.report("H2K711", f"{op.component} {op.name}: {op.implementation!r} is larger than "
                                 f"{self.max_bytes} bytes; it is not read", op.span)
                return None
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            self.sink.report("H2K711", f"{op.component} {op.name}: the script {op.implementation!r} cannot be read "
                             f"({reason}); the operation is left out", op.span)
            return None


def _export(name: str, value: Expr, span: Span, sink: DiagnosticSink) -> list[Expr]:
    if not _SHELL_NAME.fullmatch(name):
        sink.report("H2K711", f"input {name!r} is not a shell variable name; the scripts do not get it", span)
        return []
    if isinstance(value, Literal):
        shown = "" if value.value is None else str(value.value).lower() if isinstance(value.value, bool) \
            else str(value.value)
        return [Literal(value=f"export {name}={shlex.quote(shown)}\n", span=span)]
    # Known later: quoted as it is (a value holding a single quote breaks the line).
    return [Literal(value=f"export {name}='", span=span), value, Literal(value="'\n", span=span)]
