"""Diagnostics for CI: SARIF 2.1.0 for code scanning, GitHub workflow commands for annotations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from jsonschema import FormatChecker, validators

from h2k import __version__
from h2k.diagnostics import CODES, Diagnostic, DiagnosticSink
from h2k.diagnostics.render import FORMATS
from h2k.diagnostics.render.github import escape_data, escape_property
from h2k.diagnostics.render.github import render as github
from h2k.diagnostics.render.sarif import render as sarif
from h2k.span import Span

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = Path(os.environ.get("H2K_SCHEMAS", ROOT.parent / "shared" / "schemas"))
SARIF_SCHEMA = SCHEMAS / "sarif" / "sarif-schema-2.1.0.json"

# (code, message, file relative to the base, line, column, end line, end column)
FINDINGS = [
    ("H2K103", "invalid keyword 'propertes' inside resource a", "stacks/app.yaml", 3, 16, 3, 25),
    ("H2K404", "rule of web_sg: protocol icmp cannot be expressed", "stacks/app.yaml", 38, 11, 38, 11),
    ("H2K303", "net stays on OpenStack: 50% of it, a,b: c", "stacks/other dir/net.yaml", 1, 1, 2, 5),
]

# What GitHub's toolkit escapes: in data %, CR and LF; in properties also : and ,.
ESCAPES = [
    ("escape_data", "100% done", "100%25 done"),
    ("escape_data", "line\r\nnext", "line%0D%0Anext"),
    ("escape_data", "a: b, c", "a: b, c"),
    ("escape_property", "a: b, c", "a%3A b%2C c"),
    ("escape_property", "50%\n", "50%25%0A"),
]

LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _diagnostics(base: Path) -> list[Diagnostic]:
    sink = DiagnosticSink()
    for code, message, file, line, column, end_line, end_column in FINDINGS:
        sink.report(code, message, Span(str(base / file), line, column, end_line, end_column))
    return sink.sorted()


def _sarif_validator() -> Any:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = validators.validator_for(schema)  # draft-04
    cls.check_schema(schema)
    return cls(schema, format_checker=FormatChecker())


@pytest.mark.skipif(not SARIF_SCHEMA.is_file(), reason=f"SARIF schema not found at {SARIF_SCHEMA}")
def test_sarif_validates_against_the_2_1_0_schema(tmp_path: Path) -> None:
    document = json.loads(sarif(_diagnostics(tmp_path), tmp_path))
    validator = _sarif_validator()
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    broken = {**document, "version": "2.0.0"}
    assert list(validator.iter_errors(broken))  # the schema does check


def test_sarif_run_rules_and_results(tmp_path: Path) -> None:
    document = json.loads(sarif(_diagnostics(tmp_path), tmp_path))
    [run] = document["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("h2k", __version__)
    assert driver["informationUri"].startswith("https://")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.as_uri() + "/"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted({f[0] for f in FINDINGS})
    for rule in rules:
        found = CODES[rule["id"]]
        assert rule["name"] == found.slug
        assert rule["shortDescription"]["text"] == found.summary
        assert rule["help"]["markdown"] == found.doc and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] == LEVELS[found.severity.label]
    by_message = {r["message"]["text"]: r for r in run["results"]}
    for code, message, file, line, column, end_line, end_column in FINDINGS:
        result = by_message[message]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == code
        assert result["level"] == LEVELS[CODES[code].severity.label]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert unquote(location["artifactLocation"]["uri"]) == file
        region = location["region"]
        assert (region["startLine"], region["startColumn"]) == (line, column)
        empty = (end_line, end_column) == (line, column)
        assert ("endLine" not in region) if empty else ((region["endLine"], region["endColumn"]) == (end_line,
                                                                                                       end_column))
    assert by_message[FINDINGS[2][1]]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "stacks/other%20dir/net.yaml"


def test_sarif_file_outside_the_working_directory_is_an_absolute_uri(tmp_path: Path) -> None:
    sink = DiagnosticSink()
    sink.report("H2K009", "cannot read file", Span.point("/elsewhere/x.yaml"))
    document = json.loads(sarif(sink.sorted(), tmp_path))
    location = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "file:///elsewhere/x.yaml"}


def test_sarif_without_findings_is_one_empty_run(tmp_path: Path) -> None:
    document = json.loads(sarif([], tmp_path))
    assert document["version"] == "2.1.0"
    assert [(r["results"], r["tool"]["driver"]["rules"]) for r in document["runs"]] == [([], [])]


@pytest.mark.parametrize(("function", "text", "expected"), ESCAPES)
def test_github_escaping(function: str, text: str, expected: str) -> None:
    assert {"escape_data": escape_data, "escape_property": escape_property}[function](text) == expected


def test_github_workflow_commands(tmp_path: Path) -> None:
    lines = github(_diagnostics(tmp_path), tmp_path).splitlines()
    assert lines == [
        "::error file=stacks/app.yaml,line=3,col=16,title=H2K103::invalid keyword 'propertes' inside resource a",
        "::warning file=stacks/app.yaml,line=38,col=11,title=H2K404::rule of web_sg: protocol icmp cannot be "
        "expressed",
        "::notice file=stacks/other dir/net.yaml,line=1,col=1,title=H2K303::net stays on OpenStack: 50%25 of it, "
        "a,b: c",
    ]


def test_github_message_stays_on_one_line(tmp_path: Path) -> None:
    sink = DiagnosticSink()
    sink.report("H2K104", "bad value\n  for x", Span.point(str(tmp_path / "a,b:c.yaml"), 2, 3))
    assert github(sink.sorted(), tmp_path) == (
        "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=H2K104::bad value%0A  for x\n")


def test_every_format_is_offered_by_the_command_line() -> None:
    from h2k.cli import _FORMATS

    assert _FORMATS == FORMATS


BAD = "heat_template_version: 2018-08-31\nresources:\n  a: {type: X, propertes: {}}\n"


@pytest.mark.parametrize(("command", "stream"), [
    (["check", "--format"], "stdout"),
    (["compile", "--stdout", "--diagnostics-format"], "stderr"),
])
def test_command_line_formats(command: list[str], stream: str, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    outputs = {}
    for fmt in ("sarif", "github"):
        args = [*command[:1], "bad.yaml", *command[1:], fmt]
        result = subprocess.run([sys.executable, "-m", "h2k", *args], capture_output=True, text=True, cwd=tmp_path,
                                timeout=120)
        assert result.returncode == 1, result.stderr
        outputs[fmt] = getattr(result, stream)
    # compile also finds that type X is not translated (H2K301); check does not look that far.
    document = json.loads(outputs["sarif"])
    [result] = [r for r in document["runs"][0]["results"] if r["ruleId"] == "H2K103"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bad.yaml"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 3
    assert ("::error file=bad.yaml,line=3,col=16,title=H2K103::invalid keyword 'propertes' inside resource a"
            in outputs["github"].splitlines())


def test_diagnostics_output_file_is_written_even_when_clean(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text("heat_template_version: 2018-08-31\nresources: {}\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "h2k", "compile", "good.yaml", "--stdout", "--diagnostics-format",
                             "sarif", "--diagnostics-output", "h2k.sarif"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert json.loads((tmp_path / "h2k.sarif").read_text(encoding="utf-8"))["runs"][0]["results"] == []
