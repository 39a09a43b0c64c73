"""`h2k explain TEMPLATE` (cases in cases/explain.yaml): role, side and rule, objects, losses."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.api import compile
from h2k.report.explain import explain

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "explain.yaml").read_text(encoding="utf-8"))


def _template(case: dict[str, Any], directory: Path) -> Path:
    template = directory / "shop.yaml"
    template.write_text(case["template"], encoding="utf-8")
    if "config" in case:
        (directory / "h2k.yaml").write_text(yaml.safe_dump(case["config"]), encoding="utf-8")
    return template


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_explain_case(case: dict[str, Any], tmp_path: Path) -> None:
    explained = explain(compile(_template(case, tmp_path)))
    found = {}
    for item in explained["resources"]:  # type: ignore[attr-defined]
        found[item["name"]] = {"role": item["role"], "side": item["side"], "rule": item["rule"],
                               "objects": sorted(item["objects"]),
                               "lost": sorted({d["code"] for d in item["lost"]}),
                               "findings": sorted({d["code"] for d in item["findings"]})}
        if item["guess"]:
            found[item["name"]]["guess"] = True
        if item["status"] == "disabled":
            found[item["name"]]["status"] = "disabled"
    expected = {name: {"lost": [], "findings": [], **fields} for name, fields in case["resources"].items()}
    assert found == expected


def h2k(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "h2k", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_cli_text_and_json(tmp_path: Path) -> None:
    _template(CASES[0], tmp_path)
    text = h2k("explain", "shop.yaml", cwd=tmp_path)
    assert text.returncode == 0
    blocks = text.stdout.split("\n\n")
    assert blocks[0] == "shop.yaml: stack shop, Kubernetes 1.35, 9 resources"
    assert blocks[3].splitlines() == [
        "web (OS::Nova::Server) at shop.yaml:13:3",
        "  role      workload",
        "  side      Kubernetes (the server policy): its container image is known (metadata h2k.io/image)",
        "  became    Deployment/web",
        "  lost      19:7 warning: OS::Nova::Server.properties.key_name of web is not carried over: containers are "
        "not reached over SSH [H2K402]",
    ]
    assert blocks[4].splitlines()[2].startswith("  side      OpenStack (the server policy, a guess: `h2k hint` asks "
                                                "for what decides it): it has no boot script to build an image from, "
                                                    "and no container image is known")
    document = json.loads(h2k("explain", "shop.yaml", "--format", "json", cwd=tmp_path).stdout)
    assert (document["format"], document["version"], document["template"]) == ("h2k-explain", 1, "shop.yaml")
    assert [r["name"] for r in document["resources"]] == list(CASES[0]["resources"])


def test_cli_codes_and_types_are_still_explained(tmp_path: Path) -> None:
    assert h2k("explain", "H2K940", cwd=tmp_path).stdout.startswith("H2K940 unfilled-hint (warning by default)")
    assert h2k("explain", "OS::Neutron::Net", cwd=tmp_path).stdout.startswith("OS::Neutron::Net: stays on OpenStack")
    missing = h2k("explain", "nothing.yaml", cwd=tmp_path)
    assert missing.returncode == 2 and "unknown code 'nothing.yaml'" in missing.stderr
