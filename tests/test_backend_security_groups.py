"""Security groups become NetworkPolicies as described in docs/architecture.md (cases in cases/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from h2k.backends.kubernetes.context import BackendContext
from h2k.backends.kubernetes.emit import emit
from h2k.config import Config
from h2k.diagnostics import DiagnosticSink
from h2k.frontends.hot.lower import lower
from h2k.passes import PassContext, run
from h2k.source import load_text
from h2k.source.loader import SourceFile

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "security_groups.yaml").read_text(encoding="utf-8"))

TEMPLATE = """heat_template_version: 2018-08-31
resources:
  other:
    type: OS::Neutron::SecurityGroup
    properties: {{rules: []}}
  sg:
    type: OS::Neutron::SecurityGroup
    properties:
      rules:
{rules}
"""


def _flow(rule: object) -> str:
    return json.dumps(rule)


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_security_group(case: dict[str, object]) -> None:
    rules = "".join(f"        - {_flow(rule)}\n" for rule in case["rules"]) or "        []\n"  # type: ignore[attr-defined]
    text = TEMPLATE.format(rules=rules)
    sink = DiagnosticSink()
    stack = lower(SourceFile("t.yaml", text, load_text(text, "t.yaml", sink)), sink)
    assert stack is not None
    stack = run(stack, PassContext(sink=sink))
    objects = {item.resource.name: item.object for item in emit(BackendContext(stack, Config(), sink))}
    assert objects["sg"]["spec"] == case["spec"]
    assert sorted(f"{d.code.id} {d.span.line}:{d.span.column}" for d in sink.items) == sorted(case["expect"])
