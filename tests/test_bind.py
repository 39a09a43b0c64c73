"""Wiring and adoption end to end: compile, `h2k bind` with recorded stack outputs, recompile, check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from h2k.api import CompileOptions, compile

TEMPLATE = """\
heat_template_version: 2018-08-31
resources:
  bucket: {type: OS::Swift::Container, properties: {name: uploads}}
  deploy_key: {type: OS::Nova::KeyPair, properties: {name: deploy, save_private_key: true}}
  app:
    type: OS::Zun::Container
    properties:
      image: registry.example.com/app:1
      environment:
        BUCKET_URL: {get_attr: [bucket, WebsiteURL]}
        BUCKET: {get_resource: bucket}
        KEY: {get_attr: [deploy_key, private_key]}
"""
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n"
VALUES = {"bucket_WebsiteURL": "https://swift.example.com/v1/AUTH_p/uploads", "bucket_id": "uploads",
          "deploy_key_private_key": KEY}
# The three shapes the OpenStack client prints outputs in, and a plain map.
SHAPES = {
    "output-show-all": {k: {"output_key": k, "output_value": v, "description": "d"} for k, v in VALUES.items()},
    "stack-show": {"outputs": [{"output_key": k, "output_value": v} for k, v in VALUES.items()]},
    "output-list": [{"output_key": k, "output_value": v} for k, v in VALUES.items()],
    "plain": VALUES,
}


def h2k(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "h2k", *args], capture_output=True, text=True, check=False)


@pytest.fixture()
def template(tmp_path: Path) -> Path:
    path = tmp_path / "app.yaml"
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_bind_fills_the_keys_kustomize_reads_and_a_recompile_keeps_them(template: Path, tmp_path: Path,
                                                                         shape: str) -> None:
    out = tmp_path / "out"
    assert h2k("compile", str(template), "-o", str(out)).returncode == 0
    report = json.loads((out / "h2k-report.json").read_text(encoding="utf-8"))
    assert {w["key"]: w["object"] for w in report["wiring"]} == {
        "bucket_WebsiteURL": "ConfigMap/app-infrastructure", "bucket_id": "ConfigMap/app-infrastructure",
        "deploy_key_private_key": "Secret/app-infrastructure"}
    infra = yaml.safe_load((out / "openstack" / "infra.yaml").read_text(encoding="utf-8"))
    assert set(infra["outputs"]) == set(VALUES)
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps(SHAPES[shape]), encoding="utf-8")
    bound = h2k("bind", str(out), "--stack-outputs", str(outputs))
    assert bound.returncode == 0, bound.stderr
    kubernetes = out / "kubernetes"
    assert (kubernetes / "values" / "app-infrastructure" / "bucket_id").read_text(encoding="utf-8") == "uploads"
    assert (kubernetes / "secrets" / "app-infrastructure" / "deploy_key_private_key").read_text() == KEY
    # A later compile keeps the bound values, and --check does not call them drift.
    assert h2k("compile", str(template), "-o", str(out)).returncode == 0
    assert (kubernetes / "values" / "app-infrastructure" / "bucket_id").read_text(encoding="utf-8") == "uploads"
    assert h2k("compile", str(template), "-o", str(out), "--check").returncode == 0


def test_bind_reports_missing_outputs_and_plain_manifests_get_the_values_in_place(template: Path,
                                                                                   tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert h2k("compile", str(template), "-o", str(out), "--package", "plain").returncode == 0
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"bucket_id": "uploads", "deploy_key_private_key": KEY}), encoding="utf-8")
    bound = h2k("bind", str(out), "--stack-outputs", str(outputs))
    assert bound.returncode == 1 and "bucket_WebsiteURL" in bound.stderr
    config_map = yaml.safe_load((out / "kubernetes" / "configmap-app-infrastructure.yaml").read_text())
    assert config_map["data"] == {"bucket_WebsiteURL": "", "bucket_id": "uploads"}
    assert "kubectl create secret generic app-infrastructure --from-file=" in bound.stdout


@pytest.mark.parametrize("content", ["not json", "[1, 2]", "{\"a\": 3}"])
def test_bind_refuses_unusable_outputs_files(template: Path, tmp_path: Path, content: str) -> None:
    out = tmp_path / "out"
    assert h2k("compile", str(template), "-o", str(out)).returncode == 0
    outputs = tmp_path / "outputs.json"
    outputs.write_text(content, encoding="utf-8")
    result = h2k("bind", str(out), "--stack-outputs", str(outputs))
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    if content != "{\"a\": 3}":
        assert result.returncode == 2


def test_adoption_binds_existing_volumes_and_rejects_unusable_files(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("heat_template_version: 2018-08-31\nresources:\n"
                        "  data: {type: OS::Cinder::Volume, properties: {size: 3}}\n", encoding="utf-8")
    listing = tmp_path / "resources.json"
    listing.write_text(json.dumps([{"resource_name": "data", "resource_type": "OS::Cinder::Volume",
                                    "physical_resource_id": "0b8c8a1e-7d4f-4c41-9d38-4c2a6a4b1d10"}]))
    result = compile(template, CompileOptions(adopt=[listing], namespace="shop"))
    objects = {f"{o.kind}/{o.name}": o.object for o in result.objects}
    volume = objects["PersistentVolume/data-adopted"]["spec"]
    assert volume["csi"] == {"driver": "cinder.csi.openstack.org",
                             "volumeHandle": "0b8c8a1e-7d4f-4c41-9d38-4c2a6a4b1d10"}
    assert volume["persistentVolumeReclaimPolicy"] == "Retain"
    assert volume["claimRef"] == {"namespace": "shop", "name": "data"}
    assert objects["PersistentVolumeClaim/data"]["spec"]["volumeName"] == "data-adopted"
    assert [d.code.id for d in result.diagnostics if d.code.id == "H2K902"] == []
    retain = yaml.safe_load(result.files["openstack/retain.yaml"])
    assert retain["resources"]["data"]["deletion_policy"] == "Retain"
    broken = tmp_path / "broken.json"
    broken.write_text("{\"data\": 3}", encoding="utf-8")
    refused = compile(template, CompileOptions(adopt=[broken]))
    assert [d.code.id for d in refused.diagnostics if d.code.id == "H2K904"] == ["H2K904"]
