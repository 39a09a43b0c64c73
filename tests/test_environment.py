"""Environment files: every case in cases/environment.yaml, plus the API's smaller promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.hot.environment import (
    Environment,
    EnvironmentFile,
    Registry,
    RegistryMatch,
    cli_value,
    load_environment,
    merge_environments,
)

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "environment.yaml").read_text(encoding="utf-8"))


def build(case: dict[str, Any], root: Path) -> tuple[Environment, DiagnosticSink]:
    for name, text in case.get("files", {}).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sink = DiagnosticSink()
    files: list[EnvironmentFile] = []
    for name in case.get("env", []):
        loaded = load_environment(str(root / name), sink)
        if loaded is not None:
            files.append(loaded)
    cli = {name: cli_value(name, value) for name, value in case.get("cli", {}).items()}
    return merge_environments(files, cli, case.get("declared", {}), sink), sink


def outcome(match: RegistryMatch | None, root: Path) -> dict[str, Any]:
    if match is None:
        return {"becomes": None}
    if match.template is not None:
        return {"template": Path(match.template).relative_to(root.resolve()).as_posix()}
    if match.url is not None:
        return {"url": match.url}
    return {"becomes": match.type_name}


def check_lookups(registry: Registry, lookups: list[dict[str, Any]], exists: set[str] | None, root: Path) -> None:
    for lookup in lookups:
        match = registry.resolve(lookup["type"], lookup.get("resource"),
                                 exists=None if exists is None else exists.__contains__)
        expected = {k: v for k, v in lookup.items() if k not in ("type", "resource")}
        assert outcome(match, root) == expected, lookup


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_environment_case(case: dict[str, Any], tmp_path: Path) -> None:
    environment, sink = build(case, tmp_path)
    for section in ("parameters", "parameter_defaults"):
        merged = getattr(environment, section)
        for name, value in case.get(section, {}).items():
            assert name in merged and merged[name].value == value, (section, name)
    for name in case.get("absent", []):
        assert name not in environment.parameters
    for name, where in case.get("sources", {}).items():
        span = environment.parameters[name].span
        assert f"{Path(span.file).name}:{span.line}" == where
    exists = set(case["exists"]) if "exists" in case else None
    check_lookups(environment.registry, case.get("lookups", []), exists, tmp_path)
    if "child" in case:
        child = case["child"]
        used = environment.registry.resolve(child["used"]["type"], child["used"].get("resource"))
        nested = environment.child(child["resource"], used)
        assert nested.parameters == {}
        assert nested.parameter_defaults == environment.parameter_defaults
        check_lookups(nested.registry, child["lookups"], exists, tmp_path)
    # Last: some findings (an alias loop) only arise when a type is looked up.
    found = sorted(f"{d.code.id} {Path(d.span.file).name}:{d.span.line}:{d.span.column}" for d in sink.items)
    assert found == sorted(case["expect"])


def test_a_match_says_which_entries_decided_it(tmp_path: Path) -> None:
    (tmp_path / "e.yaml").write_text("resource_registry:\n  My::A: My::B\n  My::B: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("heat_template_version: 2018-08-31\n", encoding="utf-8")
    sink = DiagnosticSink()
    loaded = load_environment(str(tmp_path / "e.yaml"), sink)
    assert loaded is not None
    match = merge_environments([loaded], {}, {}, sink).registry.resolve("My::A")
    assert match is not None and match.is_template
    assert match.type_name == "My::B"  # Heat names the nested stack's type by the key that mapped it
    assert [span.line for span in match.via] == [2, 3]
    assert match.span.line == 2 and match.path == ("My::B",)
    assert match.template == str((tmp_path / "b.yaml").resolve())


def test_merged_values_remember_every_contribution(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("parameter_merge_strategies: {default: merge}\nparameters: {s: a}\n",
                                     encoding="utf-8")
    (tmp_path / "b.yaml").write_text("parameters: {s: b}\n", encoding="utf-8")
    sink = DiagnosticSink()
    files = [f for f in (load_environment(str(tmp_path / n), sink) for n in ("a.yaml", "b.yaml")) if f is not None]
    merged = merge_environments(files, {}, {"s": "string"}, sink).parameters["s"]
    assert merged.value == "ab" and merged.from_file
    assert [Path(span.file).name for span in merged.merged_from] == ["a.yaml", "b.yaml"]


def test_command_line_values_name_the_flag() -> None:
    value = cli_value("flavor", "m1.small")
    assert not value.from_file and value.span.file == "<command line: -P flavor>"


def test_an_unreadable_file_is_reported_by_the_loader(tmp_path: Path) -> None:
    sink = DiagnosticSink()
    assert load_environment(str(tmp_path / "missing.yaml"), sink) is None
    assert [d.code.id for d in sink.items] == ["H2K009"]


def test_an_empty_environment_has_an_empty_registry() -> None:
    assert Environment().registry.resolve("OS::Nova::Server") is None
    assert Environment().registry.entries() == []
