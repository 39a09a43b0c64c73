"""Files h2k ships or writes that have a public schema validate against it (schemas in ../shared)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(os.environ.get("H2K_SCHEMAS", ROOT.parent / "shared" / "schemas"))

pytestmark = pytest.mark.skipif(not SCHEMAS.is_dir(), reason=f"shared schemas not found at {SCHEMAS}")


def _validator(name: str) -> Draft7Validator:
    schema = json.loads((SCHEMAS / "schemastore" / name).read_text(encoding="utf-8"))
    registry: Registry = Registry()
    for other in (SCHEMAS / "schemastore").glob("*.json"):
        contents = json.loads(other.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT7)
        registry = registry.with_resource(other.name, resource)
        if "$id" in contents:
            registry = registry.with_resource(contents["$id"], resource)
    return Draft7Validator(schema, registry=registry)


def _errors(validator: Draft7Validator, document: object) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def test_pre_commit_hooks_file() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert _errors(_validator("pre-commit-hooks.json"), hooks) == []


def test_kustomization_of_every_golden_sample() -> None:
    found = sorted((ROOT / "golden").rglob("kustomization.yaml"))
    assert found
    validator = _validator("kustomization.json")
    for path in found:
        assert _errors(validator, yaml.safe_load(path.read_text(encoding="utf-8"))) == [], path


def test_helm_chart_file_of_every_sample() -> None:
    from test_golden import SAMPLE_TEMPLATES

    from h2k.api import CompileOptions, compile

    validator = _validator("chart.json")
    for sample in SAMPLE_TEMPLATES:
        files = compile(sample, CompileOptions(package="helm")).files
        chart = yaml.safe_load(files["kubernetes/Chart.yaml"])
        assert _errors(validator, chart) == [], sample
        assert _errors(validator, {**chart, "apiVersion": "v9"}) != []  # the schema does check
