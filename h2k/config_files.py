"""Finding and reading the config file, and pointing at a key inside it.

The config is `h2k.yaml` in a directory (the template's, or the working directory for
`compile --all`), or else the `[tool.h2k]` table of the nearest `pyproject.toml` above it, up to
the repository root (the first directory holding `.git`), so a Python project keeps one file.
`h2k.yaml` wins when both exist, with a note (H2K905) saying which file was ignored.

Each reader returns the plain data the schema validates and a `locate` function from a key path to
a span, so that a schema error points at the offending key. YAML is read with h2k's own loader
(spans for every node). `tomllib` gives no positions, so for TOML the line is found by scanning
the text for table headers and `key =` lines: the key itself when it stands on a line of its own,
otherwise the nearest enclosing key or table (inside an inline table, for instance); the message
always carries the whole key path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.source.limits import Limits
from h2k.source.loader import decode, load_file
from h2k.source.nodes import Node, YMap, YSeq, to_python
from h2k.span import Span

CONFIG_NAME = "h2k.yaml"
PYPROJECT = "pyproject.toml"
TOML_TABLE = ("tool", "h2k")

KeyPath = Sequence[str | int]
Locate = Callable[[KeyPath], Span]


@dataclass(frozen=True)
class ConfigText:
    path: str
    # The configuration as plain data, what the schema sees.
    data: object
    locate: Locate


def find_config(directory: Path, sink: DiagnosticSink | None = None) -> Path | None:
    """`h2k.yaml` in `directory`, else the nearest pyproject.toml with a [tool.h2k] table."""
    beside = directory / CONFIG_NAME
    pyproject = _nearest_pyproject(directory)
    if beside.is_file():
        if pyproject is not None and sink is not None:
            sink.report("H2K905", f"the [tool.h2k] table of {pyproject} is not used: {beside} is, and h2k.yaml "
                        "wins over pyproject.toml", Span.point(str(pyproject)))
        return beside
    return pyproject


def _nearest_pyproject(directory: Path) -> Path | None:
    here = Path(os.path.abspath(directory))
    for folder in (here, *here.parents):
        candidate = folder / PYPROJECT
        if candidate.is_file() and _has_table(candidate):
            return candidate if directory.is_absolute() else Path(os.path.relpath(candidate))
        if (folder / ".git").exists():
            return None
    return None


# A `[tool.h2k...]` header, `h2k = ...` / `h2k.x = ...` under `[tool]`, or a dotted `tool.h2k.x = ...`.
_MENTIONS_H2K = re.compile(r"(?m)^\s*(\[+\s*tool\s*\.\s*h2k\b|h2k\s*[.=]|tool\s*\.\s*h2k\s*[.=])")


def _has_table(path: Path) -> bool:
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if not _MENTIONS_H2K.search(text):  # most pyproject.toml files: no need to parse them
        return False
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return "tool.h2k" in text  # broken, but meant for h2k: reading it reports where
    return isinstance(document.get("tool"), dict) and "h2k" in document["tool"]


def read_config(path: Path, sink: DiagnosticSink) -> ConfigText | None:
    """The file's data and locator; None (with findings) when it cannot be read or parsed."""
    if path.suffix == ".toml":
        return _read_toml(path, sink)
    local = DiagnosticSink()
    source = load_file(str(path), local, Limits())
    sink.extend(local.items)
    if source is None or local.has_at_least(Severity.ERROR):
        return None
    return ConfigText(str(path), {} if source.root is None else to_python(source.root),
                      yaml_locator(source.root, str(path)))


def _read_toml(path: Path, sink: DiagnosticSink) -> ConfigText | None:
    import tomllib

    start = Span.point(str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        sink.report("H2K009", f"cannot read file: {error.strerror or error}", start)
        return None
    text = decode(data, str(path), sink)
    if text is None:
        return None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        span = Span.point(str(path), int(found[1]), int(found[2])) if found else start
        sink.report("H2K903", f"not valid TOML: {str(error).split(' (at line')[0]}", span)
        return None
    table: object = document
    for key in TOML_TABLE:
        table = table.get(key) if isinstance(table, dict) else None
    if table is None:
        sink.report("H2K903", f"{path} has no [{'.'.join(TOML_TABLE)}] table", start)
        return None
    return ConfigText(str(path), table, toml_locator(text, str(path)))


def yaml_locator(root: Node | None, file: str) -> Locate:
    """A key's own span (the key, not its value), an item's span, or the deepest node that exists."""

    def locate(path: KeyPath) -> Span:
        node, span = root, root.span if root is not None else Span.point(file)
        for step in path:
            if isinstance(node, YMap) and step in node:
                key = node.key_node(step)
                assert key is not None
                node, span = node.get(step), key.span
            elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node.items):
                node = node.items[step]
                span = node.span
            else:
                break
        return span

    return locate


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_KEY = re.compile(rf"^(\s*)({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")


def _keys(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, dotted)
    return tuple(part[1:-1] if part[0] in "\"'" else part for part in parts)


def toml_locator(text: str, file: str, table: tuple[str, ...] = TOML_TABLE) -> Locate:
    """Lines of the keys and tables under `table`, found by scanning (see the module's docstring).

    >>> locate = toml_locator('[tool.h2k]\\nnamespace = "x"\\n[[tool.h2k.stacks]]\\n  output = 1\\n', "p")
    >>> locate(["stacks", 0, "output"]), locate(["namespace"]), locate(["images", "a"])
    (Span(file='p', line=4, column=3, ...), Span(file='p', line=2, column=1, ...), Span(file='p', line=1, ...))
    """
    found: list[tuple[tuple[str | int, ...], int, int]] = []
    section: tuple[str | int, ...] = ()
    arrays: dict[tuple[str | int, ...], int] = {}
    in_string = False
    for number, line in enumerate(text.splitlines(), 1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        in_string = quotes % 2 == 1
        header = _HEADER.match(line)
        if header:
            section = _keys(header[2])
            if header[1] == "[[":
                arrays[section] = arrays.get(section, -1) + 1
                section = (*section, arrays[section])
            column = len(line) - len(line.lstrip()) + 1
            if section[:len(table)] == table:
                found.append((section[len(table):], number, column))
            continue
        key = _KEY.match(line)
        if key:
            full = (*section, *_keys(key[2]))
            if full[:len(table)] == table:
                found.append((full[len(table):], number, len(key[1]) + 1))

    def locate(path: KeyPath) -> Span:
        best: tuple[int, int, int] | None = None
        for keys, number, column in found:
            if tuple(path[:len(keys)]) == keys and (best is None or len(keys) > best[0]):
                best = (len(keys), number, column)
        return Span.point(file, best[1], best[2]) if best else Span.point(file)

    return locate
