"""values.schema.json refuses every value Heat refuses: each case of cases/values_schema.yaml, judged
by the real Heat engine, by jsonschema-rs (ECMA-262 patterns, as JSON Schema specifies) and, when
helm-python-sdk loads, by Helm itself (Go's RE2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml

from h2k.backends.kubernetes.helm_schema import DRAFT, ParameterSchema, parameter_schema
from h2k.ir.expr import from_data
from h2k.ir.nodes import Parameter
from h2k.span import Span

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "values_schema.yaml").read_text(encoding="utf-8"))
VERSION = "2021-04-16"
HERE = Span.point("t.yaml")


def schema_of(definition: dict[str, Any]) -> ParameterSchema:
    constraints = definition.get("constraints")
    parameter = Parameter(name="p", type=definition["type"], span=HERE,
                          constraints=from_data(constraints, HERE) if constraints is not None else None)
    return parameter_schema(parameter, VERSION)


def heat_accepts(oracle: Any, definition: dict[str, Any], value: object) -> bool:
    template = {"heat_template_version": VERSION, "parameters": {"p": definition}}
    answer = oracle.evaluate(template, parameters={"p": value})
    assert answer["parse_error"] is None, answer["parse_error"]
    return not any(error["where"].startswith("parameters") for error in answer["validation_errors"])


class HelmJudge:
    """Helm's own check of values against a chart's values.schema.json (a one-file chart per schema)."""

    def __init__(self, directory: Path) -> None:
        self.helm = pytest.importorskip("helm_python")
        self.directory = directory
        self.count = 0

    def accepts(self, schema: dict[str, Any], value: object) -> bool:
        self.count += 1
        chart = self.directory / f"c{self.count}"
        chart.mkdir()
        (chart / "Chart.yaml").write_text("apiVersion: v2\nname: c\nversion: 0.1.0\n", encoding="utf-8")
        (chart / "values.schema.json").write_text(json.dumps(
            {"$schema": DRAFT, "type": "object", "properties": {"p": schema}}), encoding="utf-8")
        with self.helm.Chart.load(chart) as loaded:
            try:
                loaded.validate_schema({"p": value})
            except self.helm.HelmValuesError:
                return False
        return True


@pytest.fixture(scope="module")
def helm_judge(tmp_path_factory: pytest.TempPathFactory) -> HelmJudge | None:
    try:
        return HelmJudge(tmp_path_factory.mktemp("charts"))
    except pytest.skip.Exception:
        return None


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_schema_refuses_what_heat_refuses(case: dict[str, Any], heat_oracle: Any,
                                          helm_judge: HelmJudge | None) -> None:
    definition = case["parameter"]
    found = schema_of(definition)
    for value in case.get("accepted", []) + case.get("approximations", []):
        assert heat_accepts(heat_oracle, definition, value), f"Heat refuses {value!r}"
    for value in case.get("refused", []):
        assert not heat_accepts(heat_oracle, definition, value), f"Heat accepts {value!r}"
    if case.get("exposed", True) is False:
        assert found.schema is None
        if "witness" in case:
            assert not heat_accepts(heat_oracle, definition, case["witness"])
            assert any(repr(case["witness"]) in note.message for note in found.notes)
        return
    assert found.schema is not None, [note.message for note in found.notes]
    schema = {"$schema": DRAFT, **found.schema}
    validator = jsonschema_rs.validator_for(schema)
    verdicts = {"accepted": True, "refused": False, "approximations": False}
    for kind, expected in verdicts.items():
        for value in case.get(kind, []):
            assert validator.is_valid(value) is expected, f"{kind}: the schema {schema} on {value!r}"
            if helm_judge is not None:
                assert helm_judge.accepts(found.schema, value) is expected, f"{kind}: Helm on {value!r}"
            if isinstance(value, str):
                assert found.accepts(value) is expected, f"{kind}: h2k's own check on {value!r}"


def test_every_schema_is_draft_07() -> None:
    from jsonschema import Draft7Validator

    for case in CASES:
        found = schema_of(case["parameter"])
        if found.schema is not None:
            Draft7Validator.check_schema({"$schema": DRAFT, **found.schema})
