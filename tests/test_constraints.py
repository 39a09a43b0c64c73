"""Parameter constraints: every case in cases/constraints.yaml, plus what the table cannot say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.frontends.hot.constraints import (
    HEAT_CUSTOM_CONSTRAINTS,
    HIDDEN,
    Finding,
    parse_constraints,
    validate_default,
    validate_value,
)
from h2k.ir.expr import ListExpr, Literal, MapExpr
from h2k.span import Span

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "constraints.yaml").read_text(encoding="utf-8"))
HERE = Span.point("t.yaml")


def expected(check: dict[str, Any]) -> tuple[str, str] | None:
    if check.get("ok"):
        return None
    for kind in ("violation", "conversion", "unchecked"):
        if kind in check:
            return kind, "" if check[kind] is True else check[kind]
    raise AssertionError(f"no expectation in {check}")


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_constraint_case(case: dict[str, Any]) -> None:
    kind = case["type"]
    constraints, errors = parse_constraints(case["constraints"], kind, str(case.get("version", "2021-04-16")), "p",
                                            HERE)
    assert [error.message for error in errors] == case["schema"]
    for check in case.get("values", []):
        findings = validate_value(check["value"], kind, constraints, hidden=False)
        want = expected(check)
        if want is None:
            assert findings == [], check
            continue
        assert findings, check
        first = findings[0]
        assert first.kind == want[0], check
        if want[0] == "conversion":
            assert first.message.startswith(want[1]), (first.message, check)
        elif want[0] == "violation":
            assert first.message == want[1], check
    if "default" in case:
        assert validate_default(case["default"]["value"], kind, constraints, hidden=False) == case["default"]["error"]


def test_hidden_values_never_appear() -> None:
    constraints, _ = parse_constraints([{"allowed_values": ["a"]}, {"allowed_pattern": "x+"}], "string", "2021-04-16",
                                       "p", HERE)
    [finding] = validate_value("hunter2", "string", constraints, hidden=True)
    assert "hunter2" not in finding.message and HIDDEN in finding.message
    custom, _ = parse_constraints([{"custom_constraint": "dns_name"}], "string", "2021-04-16", "p", HERE)
    [finding] = validate_value("Secret.Name", "string", custom, hidden=True)
    assert "Secret" not in finding.message and HIDDEN in finding.message
    ranged, _ = parse_constraints([{"length": {"max": 1}}], "string", "2021-04-16", "p", HERE)
    assert "12345" not in (validate_default(12345, "string", ranged, hidden=True) or "")


def test_spans_come_from_the_expression() -> None:
    item = MapExpr(entries=((Literal(value="length", span=HERE),
                             MapExpr(entries=((Literal(value="max", span=HERE), Literal(value=2, span=HERE)),),
                                     span=HERE)),),
                   span=Span("t.yaml", 7, 9, 7, 30))
    _, errors = parse_constraints(ListExpr(items=(item,), span=Span("t.yaml", 6, 1, 8, 1)), "number", "2021-04-16",
                                  "p", HERE)
    assert [(e.message, e.span.line) for e in errors] == [("Length constraint invalid for number", 7)]


def test_no_constraints() -> None:
    assert parse_constraints(None, "string", "2021-04-16", "p", HERE) == ([], [])
    assert validate_value("x", "string", [], hidden=False) == []


def test_unchecked_constraints_do_not_stop_the_checks() -> None:
    constraints, _ = parse_constraints([{"custom_constraint": "glance.image"}, {"length": {"max": 1}}], "string",
                                       "2021-04-16", "p", HERE)
    assert [f.kind for f in validate_value("abc", "string", constraints, hidden=False)] == ["unchecked", "violation"]
    assert Finding("unchecked", "x").kind == "unchecked"


def test_the_stock_constraint_names() -> None:
    assert {"nova.flavor", "ip_addr", "net_cidr", "cron_expression", "timezone"} <= HEAT_CUSTOM_CONSTRAINTS
