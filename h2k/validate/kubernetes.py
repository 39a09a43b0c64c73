"""Validation of generated Kubernetes objects against the API server's own schemas.

The schemas are the strict (``additionalProperties: false``) JSON Schema conversions of the
Kubernetes OpenAPI documents that ship as data inside the ``kubernetes-validate`` package,
one directory per minor version. Only the data is used: the package's own API re-reads and
re-parses the 1.8 MB definitions file on every call, which is far too slow for checking
every object a compile emits. Here the definitions are parsed once per version and each
validator is built once per (version, apiVersion, kind).

The validators are jsonschema-rs ones: checking objects is most of what the back end costs, and
the Rust implementation of the same Draft 2020-12 semantics is about a hundred times faster than
the pure-Python ``jsonschema`` on these schemas. It is imported inside the functions that need it,
so importing this module (for example by the CLI just to print ``--help``) stays cheap.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema_rs import Registry, Validator

__all__ = [
    "SchemaNotFoundError",
    "default_version",
    "normalize_version",
    "supported_versions",
    "validate",
    "validator_for",
]

# Every per-kind schema refers to its types as "/api/_definitions.json#/$defs/...", resolved
# against its own "$id" under https://kubernetes.io/api/.
_DEFINITIONS_ID = "https://kubernetes.io/api/_definitions.json"
_STRICT_DIR = re.compile(r"v(\d+)\.(\d+)\.0-local-strict")
_VERSION_TEXT = re.compile(r"v?(\d+)\.(\d+)(?:\.\d+)?")
# Both end up in a file name, so anything else cannot name a bundled schema.
_KIND = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_API_VERSION = re.compile(r"(?:([a-z0-9][a-z0-9.-]*)/)?(v[0-9a-z]+)")
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")


class SchemaNotFoundError(LookupError):
    """No bundled schema describes this apiVersion and kind for the requested version."""


def _schema_root() -> Path:
    """The package's data directory, found without importing the package (its import is slow)."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None:
        raise RuntimeError("the kubernetes-validate package is not installed; it provides the schemas")
    if spec.submodule_search_locations:
        package_dir = Path(next(iter(spec.submodule_search_locations)))
    elif spec.origin:
        package_dir = Path(spec.origin).parent
    else:
        raise RuntimeError("cannot locate the data files of the kubernetes-validate package")
    return package_dir / "kubernetes-json-schema"


@functools.cache
def _version_dirs() -> dict[str, Path]:
    """Minor version ("1.30") to its strict schema directory, oldest first."""
    found: list[tuple[tuple[int, int], Path]] = []
    for entry in _schema_root().iterdir():
        match = _STRICT_DIR.fullmatch(entry.name)
        if match and entry.is_dir():
            found.append(((int(match[1]), int(match[2])), entry))
    found.sort()
    return {f"{major}.{minor}": path for (major, minor), path in found}


def supported_versions() -> list[str]:
    """Kubernetes minor versions with bundled strict schemas, oldest first (numeric order)."""
    return list(_version_dirs())


# What to check against when the user names no version. Fixed, not "the newest bundled", so
# the output does not change when kubernetes-validate is upgraded; pyproject.toml requires a
# kubernetes-validate that bundles it. Raise it deliberately, regenerating golden/.
DEFAULT_VERSION = "1.35"


def default_version() -> str:
    """The version used when the user names none (DEFAULT_VERSION)."""
    return DEFAULT_VERSION


def normalize_version(text: str) -> str:
    """Reduce "1.30", "v1.30" or "1.30.2" to the "1.30" that names a bundled schema set.

    Patch releases never change the API, so only the minor version matters. Unknown or
    malformed versions raise ``ValueError`` listing what is available.
    """
    supported = _version_dirs()
    match = _VERSION_TEXT.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"invalid Kubernetes version {text!r}: expected MAJOR.MINOR such as "
            f"{default_version()!r}; supported: {', '.join(supported)}"
        )
    version = f"{int(match[1])}.{int(match[2])}"
    if version not in supported:
        raise ValueError(
            f"unsupported Kubernetes version {text!r}: schemas are bundled for {', '.join(supported)}"
        )
    return version


@functools.cache
def _registry(version: str) -> Registry:
    """The shared definitions of one version, parsed once: every kind's schema refers into them."""
    from jsonschema_rs import Registry

    path = _version_dirs()[version] / "_definitions.json"
    with path.open(encoding="utf-8") as handle:
        definitions = json.load(handle)
    return Registry([(_DEFINITIONS_ID, definitions)])


def _schema_file(api_version: str, kind: str) -> tuple[str, str, str] | None:
    """(file name, group, version) the package uses for a kind, or None if it cannot name one.

    The package names files "<kind>-<first label of the group>-<version>.json", core kinds
    "<kind>-<version>.json"; the group is kept to check the file really describes it.
    """
    api_match = _API_VERSION.fullmatch(api_version)
    if api_match is None or _KIND.fullmatch(kind) is None:
        return None
    group, group_version = api_match[1] or "", api_match[2]
    prefix = f"{group.split('.', 1)[0]}-" if group else ""
    return f"{kind.lower()}-{prefix}{group_version}.json", group, group_version


@functools.cache
def _build_validator(version: str, api_version: str, kind: str) -> Validator | None:
    """One validator per key, or None when no bundled schema describes the kind."""
    named = _schema_file(api_version, kind)
    if named is None:
        return None
    file_name, group, group_version = named
    try:
        with (_version_dirs()[version] / file_name).open(encoding="utf-8") as handle:
            schema = json.load(handle)
    except FileNotFoundError:
        return None
    # File names keep only the group's first label, so "apps.example.com/v1" would otherwise
    # be checked as "apps/v1".
    wanted = {"group": group, "version": group_version, "kind": kind}
    if wanted not in schema.get("x-kubernetes-group-version-kind", []):
        return None

    from jsonschema_rs import Draft202012Validator

    return Draft202012Validator(schema, registry=_registry(version))


def validator_for(version: str, api_version: str, kind: str) -> Validator:
    """The cached validator for a kind, so repeated objects of a kind skip schema loading.

    Raises ``ValueError`` for an unsupported version and ``SchemaNotFoundError`` when the
    version has no schema for this apiVersion and kind.
    """
    normalized = normalize_version(version)
    validator = _build_validator(normalized, api_version, kind)
    if validator is None:
        raise SchemaNotFoundError(
            f"no schema for apiVersion {api_version!r} kind {kind!r} in Kubernetes {normalized}"
        )
    return validator


def _format_path(path: Iterable[Any]) -> str:
    """A readable location such as ``spec.template.spec.containers[0]``; ``<root>`` for the object."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{json.dumps(part)}]"
    return text or "<root>"


def validate(obj: dict[str, Any], version: str) -> list[str]:
    """Every schema violation of ``obj`` as sorted "<path>: <message>" lines; empty if valid.

    All errors are reported, not only the first, so one run shows everything to fix. An
    object whose apiVersion and kind have no bundled schema yields a single error rather
    than an exception: generated output may legitimately contain custom resources.
    """
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return ["<root>: apiVersion and kind must both be strings to select a schema"]
    try:
        validator = validator_for(version, api_version, kind)
    except SchemaNotFoundError as error:
        return [f"<root>: {error}"]
    errors = validator.iter_errors(obj)
    return sorted(f"{_format_path(error.instance_path)}: {error.message}" for error in errors)
