"""Every input a fuzzer broke h2k with stays fixed: the cases of cases/fuzz_regressions.yaml."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import harness
import pytest
import yaml
from harness import Case, check_case

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "cases" / "fuzz_regressions.yaml").read_text(encoding="utf-8"))


def _param(entry: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=entry["xfail"], strict=True)] if entry.get("xfail") else []
    return pytest.param(entry, id=entry["title"], marks=marks)


@pytest.mark.parametrize("entry", [_param(e) for e in CASES])
def test_fuzz_regression(entry: dict[str, Any]) -> None:
    case = Case(template=entry["template"], files=entry.get("files", {}),
                environments=tuple(entry.get("environments", ())), parameters=tuple(entry.get("parameters", ())))
    assert check_case(case) == []


CLEAN = Case(template="heat_template_version: 2018-08-31\nresources: {}\n")


def test_the_harness_reports_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    """A harness that cannot see a crash would pass every campaign: make one and look for it."""

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("h2k.api.compile", explode)
    problems = check_case(CLEAN)
    assert problems and "RuntimeError: boom" in problems[0]


def test_the_harness_reports_a_hang(monkeypatch: pytest.MonkeyPatch) -> None:
    def hang(*args: object, **kwargs: object) -> None:
        time.sleep(5)

    monkeypatch.setattr("h2k.api.compile", hang)
    monkeypatch.setattr(harness, "CASE_TIMEOUT", 0.2)
    problems = check_case(CLEAN)
    assert problems and problems[0].startswith("compile: exit -1: timeout")
