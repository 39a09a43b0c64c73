"""bind_parameters: every case in cases/bind.yaml, the command-line-only path, and Heat itself.

The last test replays the cases on the real Heat engine when one is available (H2K_HEAT_VENV, see
heat_oracle.py): the parameters Heat refuses must be the ones h2k reports, and the values equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.hot.environment import cli_value, load_environment, merge_environments
from h2k.frontends.hot.lower import lower
from h2k.ir.expr import to_data
from h2k.ir.nodes import Stack
from h2k.passes.bind_parameters import bind_parameters, convert
from h2k.passes.context import PassContext
from h2k.source.loader import load_file

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "bind.yaml").read_text(encoding="utf-8"))


def compile_case(case: dict[str, Any], root: Path) -> tuple[Stack, DiagnosticSink]:
    (root / "t.yaml").write_text(case["template"], encoding="utf-8")
    sink = DiagnosticSink()
    source = load_file(str(root / "t.yaml"), sink)
    assert source is not None
    stack = lower(source, sink, "teststack")
    assert stack is not None
    files = []
    if "environment" in case:
        (root / "e.yaml").write_text(case["environment"], encoding="utf-8")
        loaded = load_environment(str(root / "e.yaml"), sink)
        assert loaded is not None
        files.append(loaded)
    cli = {name: cli_value(name, value) for name, value in case.get("cli", {}).items()}
    environment = merge_environments(files, cli, {p.name: p.type for p in stack.parameters}, sink)
    return bind_parameters(stack, PassContext(sink=sink, environment=environment)), sink


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_bind_case(case: dict[str, Any], tmp_path: Path) -> None:
    stack, sink = compile_case(case, tmp_path)
    found = sorted(f"{d.code.id} {Path(d.span.file).name}:{d.span.line}:{d.span.column}" for d in sink.items)
    assert found == sorted(case["expect"])
    for name, value in case.get("values", {}).items():
        parameter = stack.parameter(name)
        assert parameter is not None
        assert (None if parameter.value is None else to_data(parameter.value)) == value, name
    for secret in case.get("secrets", []):
        assert all(secret not in d.message for d in sink.items), secret


def test_command_line_values_without_an_environment() -> None:
    """The PassContext.parameters path (no environment files) still binds and reports."""
    sink = DiagnosticSink()
    from h2k.source.loader import load_text

    text = "heat_template_version: 2018-08-31\nparameters:\n  n: {type: number}\n"
    root = load_text(text, "t.yaml", sink)
    assert root is not None
    from h2k.source.loader import SourceFile

    stack = lower(SourceFile("t.yaml", text, root), sink, "s")
    assert stack is not None
    bound = bind_parameters(stack, PassContext(sink=sink, parameters={"n": "7", "other": "x"}))
    n = bound.parameter("n")
    assert n is not None and n.value is not None and to_data(n.value) == 7
    assert [(d.code.id, d.span.line) for d in sink.items] == [("H2K106", 1)]


@pytest.mark.parametrize(("kind", "raw", "value"), [
    ("string", 1.0, "1.0"),
    ("string", True, "True"),
    ("number", True, True),
    ("number", " 5 ", 5),
    ("number", "1_000", 1000),
    ("boolean", "\tOFF ", False),
    ("boolean", 1, True),
    ("comma_delimited_list", "", []),
    ("comma_delimited_list", [None, 2], ["None", "2"]),
    ("json", "", ""),
    ("json", {1: "a"}, {"1": "a"}),
    ("json", "null", None),
])
def test_convert(kind: str, raw: object, value: object) -> None:
    assert convert(kind, raw) == value


@pytest.mark.parametrize(("kind", "raw"), [
    ("number", "many"), ("number", [1]), ("boolean", "2"), ("comma_delimited_list", 5),
    ("comma_delimited_list", {"a": 1}), ("json", "{"), ("json", b"bytes"), ("other", "x"),
])
def test_convert_refuses(kind: str, raw: object) -> None:
    with pytest.raises(ValueError):
        convert(kind, raw)


# -- the real Heat ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def heat() -> Iterator[Any]:
    heat_oracle = pytest.importorskip("heat_oracle")
    python = heat_oracle.heat_python()
    if python is None:
        pytest.skip(f"Heat oracle not available: {heat_oracle.heat_unavailable_reason()}")
    oracle = heat_oracle.HeatOracle(python)
    try:
        oracle.start()
        yield oracle
    finally:
        oracle.close()


ORACLE_CASES = [c for c in CASES if c.get("oracle", True)]


@pytest.mark.parametrize("case", ORACLE_CASES, ids=[c["title"] for c in ORACLE_CASES])
def test_bind_case_against_heat(case: dict[str, Any], heat: Any, tmp_path: Path) -> None:
    stack, sink = compile_case(case, tmp_path)
    environment = yaml.safe_load(case["environment"]) if "environment" in case else None
    result = heat.evaluate(case["template"], environment=environment, parameters=case.get("cli"))
    if result["parse_error"] is not None:
        # A constraint definition Heat refuses fails the whole template before any value is read.
        assert result["parse_error"]["type"] == "InvalidSchemaError", result["parse_error"]
        assert any(d.code.id == "H2K104" for d in sink.items)
        return
    errors = {e["where"] for e in result["validation_errors"] if str(e["where"]).startswith("parameters")}
    ours = set()
    for finding in sink.items:
        if finding.severity < Severity.ERROR:
            continue
        owner = next((p.name for p in stack.parameters if p.span.contains(finding.span)), None)
        in_template = finding.span.file.endswith("t.yaml")
        if finding.code.id == "H2K106":
            ours.add("parameters")
        elif in_template:
            ours.add(f"parameters.{owner}" if owner else "parameters")
    assert ours == errors, result["validation_errors"]
    for parameter in stack.parameters:
        heat_value = result["parameters"].get(parameter.name, {})
        if parameter.value is not None and "value" in heat_value and f"parameters.{parameter.name}" not in errors:
            assert to_data(parameter.value) == heat_value["value"], parameter.name
