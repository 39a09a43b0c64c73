"""What each statement of a boot script becomes (cases in cases/boot_scripts.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.shell.origin import Origin
from h2k.ir.expr import Call, ListExpr, Literal
from h2k.ir.recipe import Recipe
from h2k.passes.immutability.cloud_config import analyse_cloud_config, from_yaml
from h2k.passes.immutability.shell import analyse_shell
from h2k.source.loader import load_text
from h2k.span import Span

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "boot_scripts.yaml").read_text(encoding="utf-8"))


def recipe_of(case: dict[str, Any]) -> Recipe:
    """The recipe of a case's script, positions counted in the script itself."""
    text = case["script"]
    placeholders = case.get("placeholders", {})
    origin = Origin("script")
    if case.get("cloud_config"):
        root = load_text(text, "script", DiagnosticSink())
        assert root is not None
        result = analyse_cloud_config(from_yaml(root, origin), placeholders)
        steps, family, unreadable = result.steps, result.family, ""
    else:
        shell = analyse_shell(text, origin, placeholders)
        steps, family, unreadable = shell.steps, shell.family, shell.unreadable
    return Recipe(server="s", source=Span.point("script"), steps=tuple(steps), family=family,
                  placeholders=placeholders, unreadable=unreadable,
                  deploy_time={k: _deploy_time_value() for k, v in placeholders.items() if v is None})


def _deploy_time_value() -> Call:
    """What the evaluate pass leaves for a value only known at deploy time (an attribute)."""
    where = Span.point("script")
    return Call(function="get_attr", args=ListExpr(items=(Literal(value="handle", span=where),
                                                          Literal(value="curl_cli", span=where)), span=where),
                span=where)


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_boot_script_case(case: dict[str, Any]) -> None:
    recipe = recipe_of(case)
    assert not recipe.unreadable
    assert [f"{step.span.line} {step.kind}" for step in recipe.steps] == case["steps"]
    if "process" in case:
        assert [list(p.command) for p in recipe.processes] == [case["process"]]
    if "family" in case:
        assert recipe.family == case["family"]
    if "at_start" in case:  # image steps that run when the container starts too
        assert [s.span.line for s in recipe.steps if s.at_start] == case["at_start"]
    if "confident" in case:
        assert recipe.confident is case["confident"], recipe.blockers()


def test_every_step_points_into_the_template() -> None:
    """A script in a block scalar: each step's span is the statement's line and column in the YAML file."""
    template = "user_data: |\n  #!/bin/sh\n  apt-get install -y nginx\n  sysctl -w a.b=1\n"
    origin = Origin("t.yaml", 2, 3, 2)
    steps = analyse_shell(template.split("|\n", 1)[1].replace("\n  ", "\n").removeprefix("  "), origin, {}).steps
    assert [(s.kind, s.span.line, s.span.column) for s in steps] == [("image", 3, 3), ("vm-only", 4, 3)]


def test_a_script_that_does_not_parse_is_unreadable_with_a_finding_at_its_line() -> None:
    result = analyse_shell("#!/bin/sh\necho ok\nif true; then\n", Origin("t.yaml", 10, 5, 4), {})
    assert result.unreadable and result.steps == []
    assert [(f.code.id, f.span.line) for f in result.findings] == [("H2K601", 12)]
