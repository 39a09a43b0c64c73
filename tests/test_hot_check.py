"""`h2k check` on small templates: every case in cases/hot_check.yaml, findings by code and position."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from h2k.api import check

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "hot_check.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_check_findings(case: dict[str, object], tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(str(case["template"]), encoding="utf-8")
    found = [f"{d.code.id} {d.span.line}:{d.span.column}" for d in check([str(template)])]
    assert sorted(found) == sorted(case["expect"])  # type: ignore[arg-type]
