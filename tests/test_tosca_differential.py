"""TOSCA compiled directly against TOSCA through heat-translator's HOT: the same Kubernetes workloads?

For each of the 80 TOSCA -> HOT pairs of heat-translator's own tests (the corpus's `_h2k_pairs.json`),
the TOSCA input is compiled by h2k, and so is heat-translator's expected HOT output (both with
`--servers container`, so that every server is a workload to compare rather than a virtual machine
left on OpenStack). The workload objects of the two compiles are summarised (kind, containers'
images, requests and limits, ports, mounted claims and their sizes, replicas, Services' types and
ports) and compared. Every pair that differs is listed, with the difference and why, in
tests/cases/tosca_differential.yaml; the test fails on a difference that is not listed, and on a
listed one that disappeared or changed (then the table is out of date).

Run with H2K_TOSCA_DIFF_WRITE=FILE to append the current differences to FILE as table entries (with
reasons to fill in).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.api import CompileOptions, compile
from h2k.backends.kubernetes.server import UNMAPPED_IMAGE

REPO_ROOT = Path(__file__).resolve().parent.parent
TABLE = Path(__file__).parent / "cases" / "tosca_differential.yaml"
CORPUS = Path(os.environ.get("H2K_CORPUS") or REPO_ROOT.parent / "shared" / "corpus") / "openstack+heat-translator"
DATA = CORPUS / "samples" / "tests" / "data"

pytestmark = pytest.mark.skipif(not (CORPUS / "_h2k_pairs.json").is_file(),
                                reason=f"heat-translator corpus not found at {CORPUS}; set H2K_CORPUS")

WORKLOADS = ("Deployment", "StatefulSet", "Job", "VirtualMachine")


def runs() -> list[tuple[str, str, dict[str, Any], str | None]]:
    """(id, TOSCA path, parameters, expected HOT path or None when the translation must fail), per run."""
    pairs = json.loads((CORPUS / "_h2k_pairs.json").read_text(encoding="utf-8"))
    found = []
    for pair in pairs:
        name = pair["test"].split(".")[-1]
        mode = pair["hot_mode"]
        params = pair["params"] or {}
        if mode.startswith("separate runs"):
            for index, hot in enumerate(pair["hot"]):
                found.append((f"{name}[{index + 1}]", pair["tosca"], params.get(f"params{index + 1}", {}), hot))
        elif mode.startswith("none"):
            found.append((name, pair["tosca"], params, None))
        else:
            # Alternatives differ in resource order only; multi-file outputs have their main file first.
            found.append((name, pair["tosca"], params, pair["hot"][0]))
    return found


def summary(result: Any) -> dict[str, Any]:
    """What is compared: the workloads and their claims and Services, by object name; or, when nothing was
    translated, the errors (a compile whose only errors are, say, scripts missing from the corpus still
    translates the rest)."""
    if result.stack is None or (result.failed() and not result.objects):
        return {"fails": sorted({d.code.id for d in result.diagnostics if d.severity.label == "error"})}
    claims = {item.name: item.object["spec"]["resources"]["requests"]["storage"]
              for item in result.objects if item.kind == "PersistentVolumeClaim"}
    found: dict[str, Any] = {}
    for item in result.objects:
        spec = item.object.get("spec", {})
        if item.kind in WORKLOADS:
            pod = spec.get("template", {}).get("spec", {})
            containers = pod.get("containers", [])
            mounted = [v["persistentVolumeClaim"]["claimName"] for v in pod.get("volumes", [])
                       if "persistentVolumeClaim" in v]
            mounts = sorted(f"{claim}={claims.get(claim)}" for claim in mounted)
            mounts += sorted(f"{t['metadata']['name']}={t['spec']['resources']['requests']['storage']}"
                             for t in spec.get("volumeClaimTemplates", []))
            found[f"{item.kind}/{item.name}"] = {
                "images": sorted(_image(c["image"]) for c in containers),
                "resources": [c.get("resources", {}) for c in containers],
                "ports": sorted(p["containerPort"] for c in containers for p in c.get("ports", [])),
                "volumes": mounts, "replicas": spec.get("replicas", 1 if item.kind != "Job" else None)}
        elif item.kind == "Service":
            found[f"Service/{item.name}"] = {"type": spec.get("type", "ClusterIP"),
                                             "ports": sorted(p["port"] for p in spec.get("ports", []))}
        elif item.kind == "PersistentVolumeClaim":
            found[f"PersistentVolumeClaim/{item.name}"] = claims[item.name]
    return found


def _image(image: str) -> str:
    """A placeholder for an unmapped Glance image is the same outcome whatever the Glance name: h2k names it
    from the os capability (`ubuntu-14.04`), heat-translator from its own image catalogue
    (`ubuntu-software-config-os-init`); either way the user maps it under `images:`."""
    if image.startswith(UNMAPPED_IMAGE + "/"):
        return "<unmapped Glance image>"
    # An image built from a boot script is tagged with a digest of the build: compared as what it is.
    return "<image built from the boot script>" if image.startswith("localhost/h2k/") else image


def differences(tosca: dict[str, Any], hot: dict[str, Any]) -> list[str]:
    lines = []
    for key in sorted(set(tosca) | set(hot)):
        if key not in hot:
            lines.append(f"only from TOSCA: {key} {json.dumps(tosca[key], sort_keys=True)}")
        elif key not in tosca:
            lines.append(f"only from HOT: {key} {json.dumps(hot[key], sort_keys=True)}")
        elif tosca[key] != hot[key]:
            lines.append(f"{key}: TOSCA {json.dumps(tosca[key], sort_keys=True)} != HOT "
                         f"{json.dumps(hot[key], sort_keys=True)}")
    return lines


def compare(run_id: str, tosca: str, params: dict[str, Any], hot: str | None) -> tuple[list[str], float]:
    started = time.perf_counter()
    direct = compile(CORPUS / tosca, CompileOptions(parameters={k: str(v) for k, v in params.items()},
                                                    files_root=str(DATA), servers="container"))
    elapsed = time.perf_counter() - started
    if hot is None:
        # heat-translator refuses these; h2k must refuse them too, with coded errors.
        return ([] if direct.failed() and direct.diagnostics else [f"TOSCA compiles: {summary(direct)}"]), elapsed
    through_hot = compile(CORPUS / hot, CompileOptions(files_root=str(DATA), servers="container"))
    return differences(summary(direct), summary(through_hot)), elapsed


def load_table() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(TABLE.read_text(encoding="utf-8")) or {}
    return {entry["run"]: entry for entry in data["differences"]}


RUNS = runs() if (CORPUS / "_h2k_pairs.json").is_file() else []


def test_eighty_pairs(record_property: pytest.RecordProperty) -> None:
    """80 pairs, one of which is run twice (with and without its input); the agreeing runs are reported."""
    assert len(json.loads((CORPUS / "_h2k_pairs.json").read_text(encoding="utf-8"))) == 80
    assert len(RUNS) == 81
    record_property("agreeing_runs", len(RUNS) - len(load_table()))


@pytest.mark.parametrize(("run_id", "tosca", "params", "hot"), RUNS, ids=[r[0] for r in RUNS])
def test_pair(run_id: str, tosca: str, params: dict[str, Any], hot: str | None,
              record_property: pytest.RecordProperty) -> None:
    found, elapsed = compare(run_id, tosca, params, hot)
    record_property("h2k_seconds", round(elapsed, 4))
    listed = load_table().get(run_id)
    if os.environ.get("H2K_TOSCA_DIFF_WRITE") and found:
        with open(os.environ["H2K_TOSCA_DIFF_WRITE"], "a", encoding="utf-8") as out:
            out.write(yaml.safe_dump([{"run": run_id, "category": "?", "reason": "?", "diff": found}],
                                     sort_keys=False, width=200))
    if listed is None:
        assert found == [], f"{run_id}: an unlisted difference between TOSCA and heat-translator's HOT:\n" + \
            "\n".join(found)
    else:
        assert found, f"{run_id}: the listed difference ({listed['category']}) disappeared: remove it from {TABLE}"
        assert found == listed["diff"], f"{run_id}: the difference changed:\n" + "\n".join(found)
        assert listed["reason"] and listed["reason"] != "?"


def test_table_lists_only_known_runs() -> None:
    known = {r[0] for r in RUNS}
    assert set(load_table()) <= known
    categories = {entry["category"] for entry in load_table().values()}
    assert "?" not in categories


def test_heat_translator_still_writes_the_expected_hot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       record_property: pytest.RecordProperty) -> None:
    """The oracle is current: heat-translator (its Python API; the CLI logs to /dev/log and /tmp) translating
    each TOSCA input now gives HOT that h2k compiles to the same workloads as the corpus's expected HOT.
    Also times both translators on the same inputs (recorded, not asserted)."""
    pytest.importorskip("translator.hot.tosca_translator")
    import contextlib
    import io
    import logging

    from toscaparser.tosca_template import ToscaTemplate
    from translator.hot.tosca_translator import TOSCATranslator

    monkeypatch.chdir(tmp_path)  # heat-translator may write nested templates to the working directory
    logging.disable(logging.CRITICAL)
    mismatches, translated, timing = [], 0, {"h2k": 0.0, "heat-translator": 0.0}
    try:
        for run_id, tosca, params, hot in RUNS:
            if hot is None or not (CORPUS / tosca).is_file():
                continue
            started = time.perf_counter()
            try:
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    template = ToscaTemplate(str(CORPUS / tosca), parsed_params=params)
                    files = TOSCATranslator(template, params).translate_to_yaml_files_dict("main.yaml")
            except Exception:  # its own refusals (a URL import, an import relative to its repository)
                continue
            timing["heat-translator"] += time.perf_counter() - started
            translated += 1
            out = tmp_path / run_id
            out.mkdir()
            for name, text in files.items():
                (out / name).write_text(text, encoding="utf-8")
            live = summary(compile(out / "main.yaml", CompileOptions(files_root=str(out), servers="container")))
            expected = summary(compile(CORPUS / hot, CompileOptions(files_root=str(DATA), servers="container")))
            if live != expected:
                mismatches.append(f"{run_id}: " + "; ".join(differences(live, expected)))
            started = time.perf_counter()
            compile(CORPUS / tosca, CompileOptions(parameters={k: str(v) for k, v in params.items()},
                                                   files_root=str(DATA)))
            timing["h2k"] += time.perf_counter() - started
    finally:
        logging.disable(logging.NOTSET)
    record_property("seconds", {k: round(v, 3) for k, v in timing.items()})
    assert translated >= 70 and mismatches == [], "\n".join(mismatches)
