"""Small templates compiled end to end through the API (cases in cases/compile.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.api import compile
from h2k.diagnostics.codes import Severity

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "compile.yaml").read_text(encoding="utf-8"))
ABSENT = "absent"


def lookup(document: Any, path: str) -> Any:
    for step in path.split("."):
        if isinstance(document, list):
            if not step.isdigit() or int(step) >= len(document):
                return ABSENT
            document = document[int(step)]
        elif isinstance(document, dict):
            if step not in document:
                return ABSENT
            document = document[step]
        else:
            return ABSENT
    return document


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_compile_case(case: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "t.yaml").write_text(case["template"], encoding="utf-8")
    if "config" in case:
        (tmp_path / "h2k.yaml").write_text(yaml.safe_dump(case["config"]), encoding="utf-8")
    result = compile(tmp_path / "t.yaml")
    objects = {f"{item.kind}/{item.name}": item.object for item in result.objects}
    for where, expected in case["values"].items():
        name, _, path = where.partition(":")
        assert name in objects, f"{name} not emitted; emitted: {sorted(objects)}"
        assert lookup(objects[name], path) == expected, where
    found = sorted(f"{d.code.id} {d.span.line}:{d.span.column}" for d in result.diagnostics
                   if d.severity >= Severity.WARNING)
    assert found == sorted(case["expect"])
    for text in case.get("never_written", []):  # e.g. a hidden parameter's value
        assert [name for name, content in result.files.items() if text.encode() in content] == []
