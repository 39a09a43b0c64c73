"""Find the shell scripts a template carries, each with where its text is written.

Boot scripts reach a server in a few shapes: a server's `user_data`, the `config` of a software
config run by the script hook (or by cloud-init when it has no group), the template of a
`str_replace` around either, or a file read with `get_file`. Reading them from the loaded YAML
nodes (not from evaluated values) keeps each script's own positions, so findings point at the
line in the block scalar or in the file. A `str_replace` template is taken as written: its
placeholders are ordinary shell words, and the text keeps the file's layout. A `list_join` of
pieces, or a value from a parameter, has no text of its own in the file and is not collected.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from h2k.frontends.shell.origin import Origin
from h2k.source.nodes import Node, YMap, YScalar, YSeq
from h2k.span import Span

# Reads a get_file key (relative to the template); the path to report and the text, or None.
FileReader = Callable[[str], "tuple[str, str] | None"]

_SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh"})
_SHEBANG = re.compile(r"#!\s*(\S+)(?:[ \t]+(\S+))?")
# Software config groups whose config is a script run by a shell (no group: cloud-init runs it).
_SCRIPT_GROUPS = frozenset({"script"})
_UNGROUPED = frozenset({None, "Heat::Ungrouped", "ungrouped"})
_GROUPS = {"OS::Heat::ResourceGroup": "resource_def", "OS::Heat::AutoScalingGroup": "resource"}


@dataclass(frozen=True, slots=True)
class ScriptSource:
    """One shell script and where it is written."""

    text: str
    origin: Origin
    resource: str | None  # the resource that carries it; None for a stand-alone file
    role: str  # "user_data", "config" or "file"
    # Where the text's value is written (the scalar, or the get_file call's name): a str_replace
    # around the script is found by it (PassContext.replacements).
    anchor: Span | None = None


def shell_interpreter(text: str) -> str | None:
    """The interpreter a `#!` line names (`bash` for `#!/usr/bin/env bash`), or None without one."""
    if not text.startswith("#!"):
        return None
    match = _SHEBANG.match(text.split("\n", 1)[0])
    if match is None:
        return None
    program = os.path.basename(match.group(1))
    if program == "env" and match.group(2):
        program = os.path.basename(match.group(2))
    return program


def is_shell_script(text: str, *, without_shebang: bool = False) -> bool:
    """True for a `#!` line naming a POSIX-family shell; `without_shebang` decides for text without one."""
    interpreter = shell_interpreter(text)
    if interpreter is None:
        return without_shebang and not text.lstrip().startswith(("#cloud-config", "Content-Type:", "#include"))
    return interpreter in _SHELLS


def confined_reader(template_path: str, root: str | None = None) -> FileReader:
    """A get_file reader with h2k's rules: below the template's directory (or `root`), never a URL."""
    from h2k.frontends.hot.functions.base import FunctionError
    from h2k.passes.evaluate import read_confined

    def read(key: str) -> tuple[str, str] | None:
        try:
            text = read_confined(key, template_path, root)
        except FunctionError:
            return None
        return os.path.normpath(os.path.join(os.path.dirname(template_path), key)), text

    return read


def scripts_in_template(root: Node, source_text: str, read_file: FileReader | None = None) -> list[ScriptSource]:
    """Every shell script of a loaded HOT template, in the order its resources are written.

    `source_text` is the text `root` was loaded from (for the scalars' layout); `read_file` reads
    `get_file` targets (see `confined_reader`); without it scripts in other files are skipped.
    """
    found: list[ScriptSource] = []
    resources = root.get("resources") if isinstance(root, YMap) else None
    if not isinstance(resources, YMap):
        return found
    for key, definition in resources.entries:
        name = str(key.value)
        for resource_type, properties in _definitions(definition):
            for role, value, default in _script_values(resource_type, properties):
                found.extend(ScriptSource(text, origin, name, role, anchor)
                             for text, origin, shell, anchor in _texts(value, source_text, read_file, default)
                             if is_shell_script(text, without_shebang=shell))
    return found


def shell_files(directory: Path) -> list[ScriptSource]:
    """Stand-alone scripts below a directory: `*.sh` files, and files whose `#!` names a shell."""
    found = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if is_shell_script(text, without_shebang=path.suffix == ".sh"):
            found.append(ScriptSource(text, Origin.of_file(str(path)), None, "file"))
    return found


def _definitions(definition: Node | None) -> Iterator[tuple[str, YMap]]:
    """A resource's type and properties, and those of the member a group is made of."""
    while isinstance(definition, YMap):
        kind = definition.get("type")
        properties = definition.get("properties")
        if not (isinstance(kind, YScalar) and isinstance(kind.value, str) and isinstance(properties, YMap)):
            return
        yield kind.value, properties
        member = _GROUPS.get(kind.value)
        definition = properties.get(member) if member else None


def _script_values(resource_type: str, properties: YMap) -> Iterator[tuple[str, Node, bool]]:
    """(role, value, shell without a #! line?) for each property that may hold a script."""
    if resource_type == "OS::Nova::Server":
        value = properties.get("user_data")
        if value is not None:
            yield "user_data", value, False
    elif resource_type == "OS::Heat::SoftwareConfig":
        group = _scalar(properties.get("group"))
        value = properties.get("config")
        if value is not None and (group in _SCRIPT_GROUPS or group in _UNGROUPED):
            yield "config", value, group in _SCRIPT_GROUPS
    elif resource_type == "OS::Heat::SoftwareComponent":
        configs = properties.get("configs")
        for item in configs.items if isinstance(configs, YSeq) else ():
            if isinstance(item, YMap) and _scalar(item.get("tool")) in _SCRIPT_GROUPS:
                value = item.get("config")
                if value is not None:
                    yield "config", value, True


def _texts(value: Node, source_text: str, read_file: FileReader | None,
           shell: bool) -> Iterator[tuple[str, Origin, bool, Span]]:
    """The literal text a value stands for (a string, a str_replace template, a get_file target),
    with whether it is shell even without a `#!` line (a `.sh` file is), and the node it is of."""
    if isinstance(value, YScalar):
        if isinstance(value.value, str):
            yield value.value, Origin.of_scalar(value, source_text), shell, value.span
        return
    if not isinstance(value, YMap) or len(value) != 1:
        return
    function, argument = value.entries[0]
    if function.value == "str_replace" and isinstance(argument, YMap):
        template = argument.get("template")
        if template is not None:
            yield from _texts(template, source_text, read_file, shell)
    elif function.value == "get_file" and isinstance(argument, YScalar) and isinstance(argument.value, str):
        read = read_file(argument.value) if read_file else None
        if read is not None:
            path, text = read
            yield text, Origin.of_file(path), shell or path.endswith(".sh"), function.span


def _scalar(node: Node | None) -> object:
    return node.value if isinstance(node, YScalar) else None
