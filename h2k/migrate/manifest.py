"""A manifest: the stacks to migrate, listed in a YAML file (schema: manifest.schema.json).

A manifest says what a directory cannot: parameters, several environment files, adoption files,
per-stack choices (servers, infra, packaging), a stack name. Paths are relative to the manifest,
so it works from any working directory. Errors in the manifest itself make the source unusable
(the run exits 2 before compiling anything); a file it names that is missing fails only its stack.
"""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from h2k.api import CompileOptions
from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.migrate.export import export_stack
from h2k.migrate.plan import Plan, SourceError, StackSpec, safe_name
from h2k.source.limits import Limits
from h2k.source.loader import load_file
from h2k.source.nodes import Node, YMap, YSeq, to_python
from h2k.span import Span

# Keys whose values are lists (defaults come first) or maps (a stack's entries win).
_LISTS = ("environment", "adopt")
_MAPS = ("parameters", "parameter_files")


@cache
def schema() -> dict[str, Any]:
    text = resources.files("h2k.migrate").joinpath("manifest.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def read_manifest(path: Path, overrides: dict[str, Any], limits: Limits) -> Plan:
    sink = DiagnosticSink()
    source = load_file(str(path), sink, limits)
    if source is None or sink.has_at_least(Severity.ERROR):
        problems = [f"{d.span}: {d.message} ({d.code.id})" for d in sink.sorted() if d.severity >= Severity.ERROR]
        raise SourceError(*(problems or [f"{path}: cannot be read"]))
    data = to_python(source.root)
    if not isinstance(data, dict) or "stacks" not in data:
        raise SourceError(f"{path}: neither a directory nor a manifest (a YAML mapping with `stacks:`); to "
                          "compile one template, use `h2k compile`")
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema()).iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        raise SourceError(*(f"{_locate(source.root, list(e.absolute_path))}: {_where(list(e.absolute_path))}: "
                            f"{e.message}" for e in errors))
    base = path.parent
    defaults = data.get("defaults") or {}
    specs = [_stack(entry, defaults, base, overrides) for entry in data["stacks"]]
    seen: dict[str, int] = {}
    for index, spec in enumerate(specs):
        if spec.name.lower() in seen:
            span = _locate(source.root, ["stacks", index])
            raise SourceError(f"{span}: stacks[{index}]: the name {spec.name!r} is already used by "
                              f"stacks[{seen[spec.name.lower()]}]; give one of them another `name:`")
        seen[spec.name.lower()] = index
    return Plan("manifest", str(path), str(base), tuple(sorted(specs, key=lambda s: s.name.lower())))


def _stack(entry: dict[str, Any], defaults: dict[str, Any], base: Path, overrides: dict[str, Any]) -> StackSpec:
    merged: dict[str, Any] = {**defaults, **entry}
    for key in _LISTS:
        merged[key] = [*defaults.get(key, []), *entry.get(key, [])]
    for key in _MAPS:
        merged[key] = {**defaults.get(key, {}), **entry.get(key, {})}

    def local(value: str) -> Path:
        return Path(os.path.normpath(base / value))

    def shown(value: str) -> str:
        return os.path.relpath(local(value), base).replace(os.sep, "/")

    options: dict[str, Any] = {key: merged[key] for key in ("servers", "infra", "package", "format", "namespace",
                                                            "stack_name") if key in merged}
    if "kube_version" in merged:
        options["kube_version"] = _kube_version(str(merged["kube_version"]))
    options.update(overrides)
    if "export" in entry:
        spec = export_stack(local(entry["export"]), base, {})
        exported = spec.options
        options["environment_files"] = [*exported.environment_files, *(str(local(e)) for e in merged["environment"])]
        options["adopt"] = [*exported.adopt, *(local(a) for a in merged["adopt"])]
        options.setdefault("stack_name", exported.stack_name)
        template, shown_template = spec.template, spec.shown_template
        environment_shown = (*spec.shown_environment, *(shown(e) for e in merged["environment"]))
        adopt_shown = (*spec.shown_adopt, *(shown(a) for a in merged["adopt"]))
        default_name, problems, root = spec.name, spec.problems, Path(template).parent
    else:
        options["environment_files"] = [str(local(e)) for e in merged["environment"]]
        options["adopt"] = [local(a) for a in merged["adopt"]]
        template, shown_template = str(local(entry["template"])), shown(entry["template"])
        environment_shown = tuple(shown(e) for e in merged["environment"])
        adopt_shown = tuple(shown(a) for a in merged["adopt"])
        default_name = safe_name(Path(entry["template"]).name.rsplit(".", 1)[0])
        problems, root = (), base
    options["parameters"] = {name: _parameter(value) for name, value in merged["parameters"].items()}
    options["files_root"] = str(local(merged["files_root"])) if "files_root" in merged else str(root)
    if "config" in merged:
        options["config"] = local(merged["config"])
    parameter_files = tuple((name, str(local(file))) for name, file in merged["parameter_files"].items())
    return StackSpec(entry.get("name") or default_name, template, CompileOptions(**options),
                     "export" if "export" in entry else "manifest", shown_template, environment_shown, adopt_shown,
                     parameter_files, problems)


def _kube_version(text: str) -> str:
    from h2k.validate.kubernetes import normalize_version

    try:
        return normalize_version(text)
    except ValueError as error:
        raise SourceError(f"kube_version: {error}") from None


def _parameter(value: object) -> str:
    """A manifest value as it would be written after -P.

    >>> _parameter(True), _parameter(8080), _parameter(["a", 1]), _parameter("m1.small")
    ('true', '8080', 'a,1', 'm1.small')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_parameter(item) for item in value)
    return str(value)


def _where(path: list[str | int]) -> str:
    """`stacks[0].parameters.size`, as a user names a key.

    >>> _where(["stacks", 0, "template"]), _where([])
    ('stacks[0].template', '(top level)')
    """
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text or "(top level)"


def _locate(root: Node, path: list[str | int]) -> Span:
    """The span of the node at `path`, or of the deepest node on the way that exists."""
    node = root
    for part in path:
        found: Node | None = None
        if isinstance(node, YMap):
            found = node.get(part)
        elif isinstance(node, YSeq) and isinstance(part, int) and 0 <= part < len(node.items):
            found = node.items[part]
        if found is None:
            break
        node = found
    return node.span
