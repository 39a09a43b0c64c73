"""The `stacks:` of a config file: what `h2k compile --all` (and the h2k-compile hook) regenerates.

Each entry names a template and an output directory, with what a command line would otherwise
give (environment files, parameters, packaging). Paths are relative to the config file, so the
same config works from any working directory; they are kept relative when the config's path is,
so findings and changed files print as short paths.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from h2k.config_files import Locate
from h2k.config_schema import dotted
from h2k.diagnostics.model import DiagnosticSink
from h2k.span import Span


@dataclass(frozen=True)
class StackEntry:
    template: str
    output: str
    span: Span
    environment: tuple[str, ...] = ()
    parameters: dict[str, str] = field(default_factory=dict)
    # Parameter name -> a file whose content is the value (as --parameter-file).
    parameter_files: dict[str, str] = field(default_factory=dict)
    stack_name: str | None = None
    package: str | None = None
    format: str | None = None
    namespace: str | None = None
    infra: str | None = None
    servers: str | None = None
    adopt: tuple[str, ...] = ()


def stack_entries(items: list[dict[str, object]], config_path: str, locate: Locate,
                  sink: DiagnosticSink) -> tuple[StackEntry, ...] | None:
    """The entries (already valid for the schema); None when two would write the same tree (H2K903)."""
    base = os.path.dirname(config_path)
    entries = tuple(_entry(item, base, locate(["stacks", index])) for index, item in enumerate(items))
    clashes = 0
    for index, entry in enumerate(entries):
        for before, earlier in enumerate(entries[:index]):
            if _overlap(entry.output, earlier.output):
                path: list[str | int] = ["stacks", index, "output"]
                written, other = items[index], items[before]  # as the user wrote them
                sink.report("H2K903", f"{dotted(path)}: {written['output']} overlaps the output of "
                            f"{other['template']} ({other['output']}); each stack needs its own directory, since "
                            "a run replaces it as a whole", locate(path))
                clashes += 1
                break
    return None if clashes else entries


def _overlap(one: str, other: str) -> bool:
    a, b = os.path.abspath(one), os.path.abspath(other)
    return a == b or a.startswith(b + os.sep) or b.startswith(a + os.sep)


def _entry(item: dict[str, object], base: str, span: Span) -> StackEntry:
    def path(value: object) -> str:
        return os.path.normpath(os.path.join(base, str(value)))

    def text(key: str) -> str | None:
        value = item.get(key)
        return None if value is None else str(value)

    def paths(key: str) -> tuple[str, ...]:
        value = item.get(key)
        return tuple(path(p) for p in value) if isinstance(value, list) else ()

    def mapping(key: str) -> dict[str, object]:
        value = item.get(key)
        return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}

    return StackEntry(
        template=path(item["template"]), output=path(item["output"]), span=span,
        environment=paths("environment"),
        parameters={name: _parameter(value) for name, value in mapping("parameters").items()},
        parameter_files={name: path(value) for name, value in mapping("parameter_files").items()},
        stack_name=text("stack_name"), package=text("package"), format=text("format"),
        namespace=text("namespace"), infra=text("infra"), servers=text("servers"), adopt=paths("adopt"),
    )


def _parameter(value: object) -> str:
    """A value as it would be written after -P: booleans as Heat spells them, numbers as written.

    >>> _parameter(True), _parameter(10), _parameter("m1.small")
    ('true', '10', 'm1.small')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
