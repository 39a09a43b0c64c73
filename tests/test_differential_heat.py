"""h2k evaluates templates as the real Heat engine does (differential tests; Heat runs in its own venv).

Two sets of cases: every HOT template and embedded HOT snippet of the corpus, and the function
cases in cases/heat_functions.yaml. For each, h2k and Heat must both accept it with the same
resolved values (properties, metadata, outputs, enabled and disabled resources), or both refuse
it. Heat's findings that come from resource plugins (per-type property schemas, services) are out
of h2k's scope (see differential.PLUGIN_ERRORS). Deliberate differences are listed below, each
with its reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from differential import CORPUS, Case, compare, corpus_cases

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "heat_functions.yaml").read_text(encoding="utf-8"))

# Case name -> why h2k deliberately differs from Heat there.
KNOWN_DIFFERENCES: dict[str, str] = {}

PARAMETERS: dict[str, Any] = {
    "name": {"type": "string", "default": "web"},
    "env": {"type": "string", "default": "prod"},
    "js": {"type": "json", "default": {"a": [1, 2], "b": "x"}},
    "cdl": {"type": "comma_delimited_list", "default": "a,b,c"},
    "cdl_spaced": {"type": "comma_delimited_list", "default": "one, two"},
    "num": {"type": "number", "default": "010"},
    "flag": {"type": "boolean", "default": "yes"},
}
CONDITIONS = {"is_prod": {"equals": [{"get_param": "env"}, "prod"]}, "not_prod": {"not": "is_prod"}}


def function_case(spec: dict[str, Any]) -> Case:
    version = str(spec.get("version", "2021-04-16"))
    template: dict[str, Any] = {"heat_template_version": version, "parameters": PARAMETERS}
    if version >= "2016-10-14":
        template["conditions"] = CONDITIONS
    template["resources"] = {
        "other": {"type": "OS::Heat::None"},
        "r": {"type": "OS::Heat::None", "properties": {"v": spec["value"]}},
    }
    template["outputs"] = {"o": {"value": spec["value"]}}
    return Case(name=spec["title"], text=yaml.safe_dump(template, sort_keys=False),
                path=str(Path(__file__).parent / "cases" / "template.yaml"))


@pytest.mark.parametrize("spec", CASES, ids=[c["title"] for c in CASES])
def test_function_agrees_with_heat(spec: dict[str, Any], heat_oracle: Any) -> None:
    case = function_case(spec)
    assert compare(case, heat_oracle) == []


CORPUS_CASES = list(corpus_cases()) if CORPUS.is_dir() else []


@pytest.mark.skipif(not CORPUS_CASES, reason=f"template corpus not found at {CORPUS}")
@pytest.mark.parametrize("case", CORPUS_CASES, ids=[c.name for c in CORPUS_CASES])
def test_corpus_agrees_with_heat(case: Case, heat_oracle: Any) -> None:
    if case.name in KNOWN_DIFFERENCES:
        pytest.xfail(KNOWN_DIFFERENCES[case.name])
    assert compare(case, heat_oracle) == []


def test_case_counts() -> None:
    """The differential sets are not empty (a missing corpus would otherwise pass silently in CI)."""
    assert len(CASES) >= 90
    if CORPUS.is_dir():
        assert len(CORPUS_CASES) >= 700
