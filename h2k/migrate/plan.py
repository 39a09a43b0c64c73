"""What `h2k migrate` will compile: one entry per stack, whatever the source was.

The three kinds of source (a directory of templates, a manifest, exports of live stacks) are all
turned into this one shape before anything is compiled, so the runner and the reports never need
to know where a stack came from. Everything here is plain data, picklable for worker processes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from h2k.api import CompileOptions

# A stack's directory under OUT/stacks/: one path component, safe on every file system.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


UNUSABLE = "H2K930"


class SourceError(Exception):
    """The source cannot be used at all (the run exits 2 and writes nothing); one line per problem."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(f"{problem} [{UNUSABLE}]" for problem in problems))


@dataclass(frozen=True)
class StackSpec:
    name: str
    template: str
    options: CompileOptions
    # "directory", "manifest" or "export": how the stack was found.
    origin: str
    # Paths as the reports show them: relative to the source's base directory.
    shown_template: str
    shown_environment: tuple[str, ...] = ()
    shown_adopt: tuple[str, ...] = ()
    # Parameter name -> file whose content is the value; read by the worker, so a missing file fails
    # only its stack.
    parameter_files: tuple[tuple[str, str], ...] = ()
    # Problems found while recognising the stack (code, message, file): the stack fails with them.
    problems: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A file under the source that is not compiled as a stack of its own, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Plan:
    # "directory", "manifest" or "export" (a directory that is one live stack's export).
    kind: str
    source: str
    base: str
    stacks: tuple[StackSpec, ...]
    skipped: tuple[Skipped, ...] = field(default_factory=tuple)


def safe_name(text: str) -> str:
    """A stack's directory name from a path or a stack name.

    >>> safe_name("software-config/example templates/app")
    'software-config-example-templates-app'
    >>> safe_name("../.hidden")
    'hidden'
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text.replace("/", "-")).strip("-._")
    name = re.sub(r"-{2,}", "-", name)
    return name or "stack"


def unique_names(names: list[str]) -> list[str]:
    """The names, the second and later of a clash suffixed -2, -3... in the order given.

    Names differing only in case clash too: they would share a directory on some file systems.

    >>> unique_names(["a", "b", "A", "a-2"])
    ['a', 'b', 'A-3', 'a-2']
    """
    taken = {name.lower() for name in names}
    seen: set[str] = set()
    result = []
    for name in names:
        if name.lower() in seen:
            number = 2
            while f"{name}-{number}".lower() in taken:
                number += 1
            name = f"{name}-{number}"
            taken.add(name.lower())
        seen.add(name.lower())
        result.append(name)
    return result
