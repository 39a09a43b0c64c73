"""The residual Heat stack of every corpus template is a template Heat and h2k both accept.

Each HOT template of the corpus (with its `_env.yaml`) is compiled with a value for every
parameter that has no default; where resources stay on OpenStack, `openstack/infra.yaml` is
written out with the files beside it and
- loaded by h2k's own front-end without an error, and
- validated by the real Heat engine with `infra-env.yaml`: every error Heat reports for it must
  be one it also reports for the source template with the same values (the cut adds none).
With `--infra orc` the residual stack holds only what k-orc has no kind for, and takes what it
uses of the k-orc objects as parameters; it must pass the same checks.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.api import CompileOptions, check, compile
from h2k.diagnostics.codes import Severity

CORPUS = Path(os.environ.get("H2K_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus"))
HEAT_TEMPLATES = CORPUS / "openstack+heat-templates"
PLACEHOLDERS = {"number": "1", "boolean": "true", "json": "{}", "comma_delimited_list": "a"}


def corpus_templates() -> list[Path]:
    index_file = HEAT_TEMPLATES / "_h2k_index.json"
    if not index_file.is_file():
        return []
    index = json.loads(index_file.read_text(encoding="utf-8"))
    return sorted(HEAT_TEMPLATES / e["path"] for e in index["files"]
                  if e["role"] == "hot" and e["path"].startswith("hot/"))


def placeholder_values(template: Path) -> dict[str, str]:
    """A value for every parameter without a default (the corpus's templates expect the user's)."""
    try:
        document = yaml.safe_load(template.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return {}
    declared = document.get("parameters") if isinstance(document, dict) else None
    return {str(name): PLACEHOLDERS.get(str(spec.get("type")), "x")
            for name, spec in (declared or {}).items() if isinstance(spec, dict) and "default" not in spec}


def stand_in(parameter: str) -> str:
    """A value of the right form for a parameter standing for a k-orc object's or a workload's value."""
    if parameter.endswith(("address", "_ip", "addresses")):
        return "192.0.2.10"
    return "5f0e3c7a-1a2b-4c3d-8e9f-0a1b2c3d4e5f"


def environment_of(template: Path) -> list[str]:
    env = template.with_name(template.name.replace(".yaml", "_env.yaml"))
    return [str(env)] if env != template and env.is_file() else []


def _errors(answer: dict[str, Any]) -> set[str]:
    found = [answer["parse_error"]] if answer["parse_error"] else []
    found += answer["validation_errors"]
    # Heat names the failing resource's path; the same error of the same resource is the same error.
    return {re.sub(r"\s+", " ", f"{e.get('type')}: {e.get('message')}") for e in found}


@pytest.mark.parametrize("infra", ["heat", "orc"])
@pytest.mark.parametrize("template", corpus_templates(), ids=lambda p: str(p.relative_to(HEAT_TEMPLATES)))
def test_residual_stack_is_accepted_by_heat_and_h2k(template: Path, infra: str, tmp_path: Path,
                                                    heat_oracle: Any) -> None:
    values = placeholder_values(template)
    result = compile(template, CompileOptions(parameters=values, environment_files=environment_of(template),
                                              files_root=str(HEAT_TEMPLATES), infra=infra))
    if "openstack/infra.yaml" not in result.files:
        pytest.skip("nothing stays on OpenStack")
    for name, content in result.files.items():
        if name.startswith("openstack/"):
            target = tmp_path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    infra = tmp_path / "openstack" / "infra.yaml"
    ours = [str(d) for d in check([str(infra)]) if d.severity >= Severity.ERROR]
    assert ours == [], ours

    files = {name.removeprefix("openstack/"): content.decode("utf-8", "replace")
             for name, content in result.files.items()
             if name.startswith("openstack/") and name not in ("openstack/infra.yaml", "openstack/infra-env.yaml")}
    infra_values = yaml.safe_load(result.files["openstack/infra-env.yaml"])["parameters"]
    declared = yaml.safe_load(result.files["openstack/infra.yaml"]).get("parameters") or {}
    # Hidden values are never in infra-env.yaml: the user gives them, as here.
    given = {name: value for name, value in values.items() if name in declared and name not in infra_values}
    # Hidden defaults are not copied into the residual stack: the user gives the value, as here.
    source_parameters = (yaml.safe_load(template.read_text(encoding="utf-8")) or {}).get("parameters") or {}
    given.update({name: str(source_parameters[name]["default"]) for name, spec in declared.items()
                  if isinstance(spec, dict) and spec.get("hidden") and name not in given
                  and isinstance(source_parameters.get(name), dict) and "default" in source_parameters[name]})
    # Values of k-orc objects or moved workloads (h2k_* parameters) are the user's to give.
    given.update({name: stand_in(name) for name in declared if name.startswith("h2k_")})
    residual = heat_oracle.evaluate(infra.read_text(encoding="utf-8"), files=files,
                                    environment=result.files["openstack/infra-env.yaml"].decode(), parameters=given)
    source_files = {str(p.relative_to(template.parent)): p.read_text(encoding="utf-8", errors="replace")
                    for p in template.parent.rglob("*") if p.is_file() and p.stat().st_size < 512_000}
    env_text = Path(environment_of(template)[0]).read_text(encoding="utf-8") if environment_of(template) else None
    source = heat_oracle.evaluate(template.read_text(encoding="utf-8"), files=source_files, environment=env_text,
                                  parameters=values)
    added = _errors(residual) - _errors(source)
    assert not added, f"errors Heat reports only for the residual stack: {sorted(added)}"


def test_hidden_defaults_never_reach_the_residual_stack(tmp_path: Path) -> None:
    """A hidden default is left out of infra.yaml (H2K524); the same word elsewhere in the user's own
    text (a description) is not a leak, while the value itself is never copied."""
    template = tmp_path / "t.yaml"
    template.write_text(
        "heat_template_version: 2018-08-31\n"
        "parameters:\n"
        "  db_password: {type: string, hidden: true, default: admin, description: the admin password}\n"
        "resources:\n"
        "  vm:\n"
        "    type: OS::Nova::Server\n"
        "    properties: {image: legacy, flavor: m1.small, admin_pass: {get_param: db_password}}\n",
        encoding="utf-8")
    result = compile(template, CompileOptions())
    assert "H2K410" not in {d.code.id for d in result.diagnostics}
    assert "H2K524" in {d.code.id for d in result.diagnostics}
    infra = yaml.safe_load(result.files["openstack/infra.yaml"])
    assert infra["parameters"]["db_password"] == {"type": "string", "hidden": True,
                                                  "description": "the admin password"}
    assert infra["resources"]["vm"]["properties"]["admin_pass"] == {"get_param": "db_password"}
