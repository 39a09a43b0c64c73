"""Recognising what `h2k migrate SOURCE` was given, and finding its stacks.

- A file is a manifest (manifest.py).
- A directory holding `template.json` is the export of one live stack (export.py).
- Any other directory is walked: every HOT template under it is a stack, with `<name>_env.yaml`
  or `<name>.env.yaml` beside it as its environment, and every export directory below it is a
  stack too. A template that another file under the directory uses as a provider template
  (a resource type that is a file, a `resource_registry` entry, a `get_file`) is part of that
  stack, not a stack of its own. Hidden directories and h2k's own output trees are not walked,
  so an output directory inside the source is never read back as input.

Stacks are sorted by name: the reports list them in that order, whatever order they finish in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from h2k.api import CompileOptions
from h2k.diagnostics.model import DiagnosticSink
from h2k.migrate.export import EXPORT_TEMPLATE, export_stack
from h2k.migrate.plan import Plan, Skipped, SourceError, StackSpec, safe_name, unique_names
from h2k.output.tree import MARKER
from h2k.source.detect import Kind, detect
from h2k.source.limits import Limits
from h2k.source.loader import load_file
from h2k.source.nodes import YMap, to_python

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".hot", ".template", ".json")
# A file with one of these suffixes that cannot be read is still taken for a (broken) template: it
# is reported with its findings rather than silently left out.
YAML_SUFFIXES = (".yaml", ".yml", ".hot", ".template")
ENVIRONMENT_SUFFIXES = ("_env", ".env")


def recognise(source: str, overrides: dict[str, Any], limits: Limits) -> Plan:
    """The plan for SOURCE; `overrides` are the command line's options (they win). Raises SourceError."""
    path = Path(source)
    if path.is_file():
        from h2k.migrate.manifest import read_manifest

        return read_manifest(path, overrides, limits)
    if not path.is_dir():
        raise SourceError(f"{source}: no such file or directory")
    if (path / EXPORT_TEMPLATE).is_file():
        spec = export_stack(path, path, overrides)
        return Plan("export", source, str(path), (spec,))
    return _directory(path, overrides, limits)


def _walk(root: Path) -> Iterator[tuple[Path, list[str], bool]]:
    """(directory, file names, is an export) below root, in sorted order, skipping what is not input."""
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and not os.path.isfile(os.path.join(directory, d, MARKER)))
        here = Path(directory)
        if EXPORT_TEMPLATE in filenames and here != root:
            dirnames[:] = []
            yield here, [], True
            continue
        yield here, sorted(filenames), False


def _directory(root: Path, overrides: dict[str, Any], limits: Limits) -> Plan:
    templates: dict[Path, object] = {}  # path -> its data (None when unreadable)
    environments: dict[Path, object] = {}
    exports: list[Path] = []
    skipped: list[Skipped] = []
    for directory, names, is_export in _walk(root):
        if is_export:
            exports.append(directory)
            continue
        for name in names:
            file = directory / name
            if not name.endswith(TEMPLATE_SUFFIXES):
                continue
            loaded = load_file(str(file), DiagnosticSink(), limits)
            if loaded is None:
                if name.endswith(YAML_SUFFIXES):
                    templates[file] = None
                continue
            kind = detect(loaded.root)
            if kind is Kind.HOT and isinstance(loaded.root, YMap) and len(loaded.root.keys()):
                templates[file] = to_python(loaded.root)
            elif kind is Kind.ENVIRONMENT:
                environments[file] = to_python(loaded.root)
            elif kind is Kind.CFN:
                skipped.append(Skipped(_shown(file, root), "a CloudFormation-format template: not translated "
                                       "(H2K012)"))
            elif kind is Kind.TOSCA:
                skipped.append(Skipped(_shown(file, root), "a TOSCA template: not a Heat stack; compile it with "
                                       "`h2k compile`"))
    used_by = _provider_templates({**templates, **environments})
    paired: set[Path] = set()
    found: list[tuple[str, Path, list[Path]]] = []
    for file in sorted(templates):
        if file in used_by:
            skipped.append(Skipped(_shown(file, root), f"a provider template of {_shown(used_by[file], root)}; "
                                   "compiled as part of it"))
            continue
        own = [env for env in _environment_names(file) if env in environments]
        paired.update(own)
        relative = file.relative_to(root).with_suffix("").as_posix()
        found.append((safe_name(relative), file, own))
    for file in sorted(set(environments) - paired):
        skipped.append(Skipped(_shown(file, root), "an environment file beside no template of the same name "
                               "(<name>_env.yaml or <name>.env.yaml); give it in a manifest"))
    specs = [_spec(name, file, own, root, overrides) for name, file, own in found]
    specs += [export_stack(directory, root, overrides) for directory in exports]
    if not specs:
        raise SourceError(f"{root}: no Heat template (HOT) and no stack export found under it")
    specs.sort(key=lambda spec: (spec.name.lower(), spec.shown_template))
    names = unique_names([spec.name for spec in specs])
    specs = [spec if spec.name == name else replace(spec, name=name) for spec, name in zip(specs, names, strict=True)]
    specs.sort(key=lambda spec: spec.name.lower())
    return Plan("directory", str(root), str(root), tuple(specs),
                tuple(sorted(skipped, key=lambda s: s.path)))


def _environment_names(template: Path) -> list[Path]:
    stem = template.name.rsplit(".", 1)[0]
    return [template.with_name(f"{stem}{infix}{suffix}") for infix in ENVIRONMENT_SUFFIXES
            for suffix in (".yaml", ".yml")]


def _spec(name: str, template: Path, environments: list[Path], root: Path, overrides: dict[str, Any]) -> StackSpec:
    options = CompileOptions(environment_files=[str(e) for e in environments], files_root=str(root))
    for key, value in overrides.items():
        setattr(options, key, value)
    return StackSpec(name, str(template), options, "directory", _shown(template, root),
                     tuple(_shown(e, root) for e in environments))


def _shown(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:  # another drive
        return path.as_posix()


def _provider_templates(files: dict[Path, object]) -> dict[Path, Path]:
    """Template path -> the first file (in sorted order) that uses it as a provider template or reads it."""
    used: dict[Path, Path] = {}
    for file in sorted(files):
        for target in sorted(set(_references(files[file]))):
            resolved = Path(os.path.normpath(file.parent / target))
            if resolved != file:
                used.setdefault(resolved, file)
    return used


def _references(data: object) -> Iterator[str]:
    """Local files a template or environment names: provider types, registry entries, get_file."""
    if not isinstance(data, dict):
        return
    resources = data.get("resources")
    if isinstance(resources, dict):
        for definition in resources.values():
            kind = definition.get("type") if isinstance(definition, dict) else None
            if isinstance(kind, str) and _is_file(kind):
                yield _local(kind)
    registry = data.get("resource_registry")
    if isinstance(registry, dict):
        yield from _registry_files(registry)
    yield from _get_files(data)


def _registry_files(registry: dict[object, object]) -> Iterator[str]:
    for key, value in registry.items():
        if isinstance(value, str) and _is_file(value):
            yield _local(value)
        elif key == "resources" and isinstance(value, dict):
            for overrides in value.values():
                if isinstance(overrides, dict):
                    yield from _registry_files(overrides)


def _get_files(data: object) -> Iterator[str]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if len(item) == 1 and isinstance(item.get("get_file"), str):
                yield _local(item["get_file"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _is_file(text: str) -> bool:
    return "::" not in text and not text.startswith(("http://", "https://")) and not text.endswith("*")


def _local(text: str) -> str:
    return text.removeprefix("file://")
