"""Templates made of several files (nested stacks, registries, groups, get_file): cases/stacks.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from test_compile_cases import lookup

from h2k.api import CompileOptions, compile
from h2k.diagnostics.codes import Severity

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "stacks.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_stack_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "project"
    for name, content in case["files"].items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    environment = [str(root / "env.yaml")] if "env.yaml" in case["files"] else []
    result = compile(root / "main.yaml", CompileOptions(environment_files=environment))
    objects = {f"{item.kind}/{item.name}": item.object for item in result.objects}
    if "kinds" in case:
        assert sorted(objects) == sorted(case["kinds"])
    for where, expected in case["values"].items():
        name, _, path = where.partition(":")
        assert name in objects, f"{name} not emitted; emitted: {sorted(objects)}"
        assert lookup(objects[name], path) == expected, where
    found = sorted(f"{d.code.id} {Path(d.span.file).relative_to(root).as_posix()}:{d.span.line}:{d.span.column}"
                   for d in result.diagnostics if d.severity >= Severity.WARNING)
    assert found == sorted(case["expect"])
