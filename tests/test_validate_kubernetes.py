"""Generated objects are checked against the strict Kubernetes schemas bundled by kubernetes-validate."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.validate.kubernetes import (
    SchemaNotFoundError,
    default_version,
    normalize_version,
    supported_versions,
    validate,
    validator_for,
)

DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web"}},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
        "template": {
            "metadata": {"labels": {"app.kubernetes.io/name": "web"}},
            "spec": {
                "containers": [
                    {
                        "name": "web",
                        "image": "nginx:1.27",
                        "imagePullPolicy": "IfNotPresent",
                        "ports": [{"containerPort": 80, "protocol": "TCP"}],
                        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                    }
                ]
            },
        },
    },
}

PVC: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "PersistentVolumeClaim",
    "metadata": {"name": "data"},
    "spec": {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "10Gi"}},
        "storageClassName": "standard",
    },
}

NETWORK_POLICY: dict[str, Any] = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "NetworkPolicy",
    "metadata": {"name": "web-ingress"},
    "spec": {
        "podSelector": {"matchLabels": {"app.kubernetes.io/name": "web"}},
        "policyTypes": ["Ingress"],
        "ingress": [
            {
                "from": [{"ipBlock": {"cidr": "10.0.0.0/8"}}],
                "ports": [{"protocol": "TCP", "port": 8000, "endPort": 8080}],
            }
        ],
    },
}

CONTAINER = ("spec", "template", "spec", "containers", 0)


def _with(base: dict[str, Any], path: tuple[str | int, ...], **changes: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with keys set (value None: removed) in the mapping at ``path``."""
    obj = copy.deepcopy(base)
    target: Any = obj
    for part in path:
        target = target[part]
    for key, value in changes.items():
        if value is None:
            del target[key]
        else:
            target[key] = value
    return obj


@pytest.mark.parametrize("obj", [DEPLOYMENT, PVC, NETWORK_POLICY], ids=lambda obj: obj["kind"])
def test_valid_objects_pass(obj: dict[str, Any]) -> None:
    assert validate(obj, default_version()) == []


INVALID_CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "unknown field",
        _with(DEPLOYMENT, CONTAINER, imagePullPolicyy="Always"),
        [
            "spec.template.spec.containers[0]: Additional properties are not allowed "
            "('imagePullPolicyy' was unexpected)"
        ],
    ),
    (
        "wrong types",
        _with(
            _with(DEPLOYMENT, ("spec",), replicas="two"),
            (*CONTAINER, "ports", 0),
            containerPort="eighty",
        ),
        [
            'spec.replicas: "two" is not of types "null", "integer"',
            'spec.template.spec.containers[0].ports[0].containerPort: "eighty" is not of type "integer"',
        ],
    ),
    (
        "missing container name",
        _with(DEPLOYMENT, CONTAINER, name=None),
        ['spec.template.spec.containers[0]: "name" is a required property'],
    ),
    (
        "unknown top-level field",
        _with(PVC, (), spec2={}),
        ["<root>: Additional properties are not allowed ('spec2' was unexpected)"],
    ),
    (
        "odd key quoted in path",
        _with(DEPLOYMENT, ("metadata", "labels"), **{"app.kubernetes.io/part-of": 3}),
        ['metadata.labels["app.kubernetes.io/part-of"]: 3 is not of types "null", "string"'],
    ),
]


@pytest.mark.parametrize(
    ("obj", "expected"), [c[1:] for c in INVALID_CASES], ids=[c[0] for c in INVALID_CASES]
)
def test_invalid_objects_report_every_error(obj: dict[str, Any], expected: list[str]) -> None:
    assert validate(obj, default_version()) == expected


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        ("example.com/v1", "Widget"),  # custom resource
        ("apps/v1", "Widget"),
        ("apps.example.com/v1", "Deployment"),  # file name matches, group does not
        ("v1", "../_definitions"),
    ],
)
def test_kind_without_schema_is_one_error(api_version: str, kind: str) -> None:
    errors = validate({"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}}, default_version())
    assert len(errors) == 1
    assert "no schema" in errors[0]
    with pytest.raises(SchemaNotFoundError):
        validator_for(default_version(), api_version, kind)


def test_missing_kind_is_one_error() -> None:
    assert validate({"apiVersion": "v1"}, default_version()) == [
        "<root>: apiVersion and kind must both be strings to select a schema"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.30", "1.30"), ("v1.30", "1.30"), ("1.30.2", "1.30"), ("v1.25.0", "1.25"), (" 1.37 ", "1.37")],
)
def test_normalize_version_accepts(text: str, expected: str) -> None:
    assert normalize_version(text) == expected


@pytest.mark.parametrize("text", ["1.24", "1.38", "abc", "", "1", "2.30", "1.30.x"])
def test_normalize_version_rejects_with_supported_list(text: str) -> None:
    with pytest.raises(ValueError, match=r"supported.*1\.25.*1\.37"):
        normalize_version(text)


def test_unsupported_version_raises_from_validate() -> None:
    with pytest.raises(ValueError, match=r"1\.24"):
        validate(DEPLOYMENT, "1.24")


def test_supported_versions_are_numerically_sorted() -> None:
    versions = supported_versions()
    assert "1.25" in versions
    keys = [tuple(int(part) for part in v.split(".")) for v in versions]
    assert keys == sorted(keys)
    assert len(set(versions)) == len(versions)
    assert default_version() in versions  # the pinned kubernetes-validate bundles the default


def test_validators_are_cached_per_key() -> None:
    first = validator_for("1.30", "apps/v1", "Deployment")
    assert validator_for("v1.30.5", "apps/v1", "Deployment") is first
    assert validator_for("1.31", "apps/v1", "Deployment") is not first
    assert validator_for("1.30", "v1", "PersistentVolumeClaim") is not first


def test_oldest_version_validates_too() -> None:
    assert validate(DEPLOYMENT, supported_versions()[0]) == []



def _golden_objects() -> list[dict[str, Any]]:
    golden = Path(__file__).parent.parent / "golden"
    objects = []
    for path in sorted(golden.glob("**/kubernetes/*.yaml")):
        objects += [o for o in yaml.safe_load_all(path.read_text(encoding="utf-8")) if o]
    return [o for o in objects if o.get("kind") != "Kustomization" and _core(o)]


def _core(obj: dict[str, Any]) -> bool:
    """A kind of Kubernetes itself (KubeVirt, CDI and k-orc objects are checked against their CRDs)."""
    group = str(obj.get("apiVersion", "")).rpartition("/")[0]
    return "." not in group or group.endswith(".k8s.io")


@functools.cache
def _reference_registry(version: str) -> Any:
    from referencing import Registry, Resource

    from h2k.validate import kubernetes

    directory = kubernetes._version_dirs()[version]
    definitions = json.loads((directory / "_definitions.json").read_text(encoding="utf-8"))
    return Registry().with_resource(kubernetes._DEFINITIONS_ID, Resource.from_contents(definitions))


def _reference_errors(obj: dict[str, Any], version: str) -> list[str]:
    """The same check done by the pure-Python jsonschema library, as a second opinion."""
    from jsonschema import Draft202012Validator

    from h2k.validate import kubernetes

    directory = kubernetes._version_dirs()[version]
    registry = _reference_registry(version)
    named = kubernetes._schema_file(obj["apiVersion"], obj["kind"])
    assert named is not None
    schema = json.loads((directory / named[0]).read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, registry=registry)
    return sorted(kubernetes._format_path(error.absolute_path) for error in validator.iter_errors(obj))


def test_fast_validator_agrees_with_jsonschema() -> None:
    """Every golden object and every invalid case gets the same error locations from both libraries."""
    version = default_version()
    cases = _golden_objects() + [obj for _, obj, _ in INVALID_CASES]
    assert len(cases) > 20
    for obj in cases:
        ours = sorted(line.split(": ", 1)[0] for line in validate(obj, version))
        assert ours == _reference_errors(obj, version), obj["metadata"].get("name")
