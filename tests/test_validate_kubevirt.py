"""The KubeVirt and CDI schemas h2k ships, and the strict check built on them (h2k/validate/kubevirt.py)."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from h2k.validate import kubevirt

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("H2K_SCHEMAS", ROOT.parent / "shared" / "schemas"))
SHIPPED = {"kubevirt": ["virtualmachine.json"], "cdi": ["datavolume.json"]}

MACHINE: dict[str, Any] = {
    "apiVersion": "kubevirt.io/v1", "kind": "VirtualMachine", "metadata": {"name": "vm"},
    "spec": {"runStrategy": "Always", "template": {"spec": {
        "domain": {"devices": {"disks": [{"name": "rootdisk", "disk": {"bus": "virtio"}}]}},
        "volumes": [{"name": "rootdisk", "containerDisk": {"image": "quay.io/containerdisks/fedora:41"}}]}}}}
DATA_VOLUME: dict[str, Any] = {
    "apiVersion": "cdi.kubevirt.io/v1beta1", "kind": "DataVolume", "metadata": {"name": "dv"},
    "spec": {"source": {"http": {"url": "https://example.com/disk.qcow2"}},
             "storage": {"resources": {"requests": {"storage": "10Gi"}}}}}


def _changed(obj: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """A copy of `obj` with the dotted `path` set to `value` (a number is a list index)."""
    changed = copy.deepcopy(obj)
    node: Any = changed
    steps = [int(s) if s.isdigit() else s for s in path.split(".")]
    for step in steps[:-1]:
        node = node[step]
    node[steps[-1]] = value
    return changed


def _second_opinion(obj: dict[str, Any]) -> list[str]:
    """The pure-Python jsonschema package on the same closed schema (formats aside)."""
    schema = kubevirt.strict_schema(obj["apiVersion"], obj["kind"])
    return [error.message for error in Draft7Validator(schema).iter_errors(obj)]


@pytest.mark.parametrize("obj", [MACHINE, DATA_VOLUME], ids=["VirtualMachine", "DataVolume"])
def test_valid_objects_pass_both_validators(obj: dict[str, Any]) -> None:
    assert kubevirt.handles(obj)
    assert kubevirt.validate(obj) == []
    assert _second_opinion(obj) == []


BROKEN = [
    (_changed(MACHINE, "spec.template.spec.domain.devices.disks.0.bogus", 1), "was unexpected"),  # closed, deep
    (_changed(MACHINE, "spec.template.spec.volumes.0.containerDisk", {}), "'image' is a required property"),
    (_changed(MACHINE, "spec.runStrategy", True), "is not of type"),
    (_changed(MACHINE, "kind", "VirtualMachineInstance"), "no KubeVirt or CDI schema"),
    (_changed(DATA_VOLUME, "spec.storage.bogus", 1), "was unexpected"),
    (_changed(DATA_VOLUME, "spec.source.http", {}), "'url' is a required property"),
]


@pytest.mark.parametrize(("obj", "message"), BROKEN, ids=[str(i) for i in range(len(BROKEN))])
def test_broken_objects_are_refused(obj: dict[str, Any], message: str) -> None:
    errors = kubevirt.validate(obj)
    assert any(message.replace("'", '"') in e or message in e for e in errors), errors


def test_kubernetes_integer_formats_are_checked() -> None:
    spread = {"maxSkew": 2**31, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "DoNotSchedule"}
    obj = _changed(MACHINE, "spec.template.spec.topologySpreadConstraints", [spread])
    assert kubevirt.validate(obj) != []
    spread["maxSkew"] = 1
    assert kubevirt.validate(obj) == []


def test_shipped_schemas_keep_their_licence_and_provenance() -> None:
    for folder, files in SHIPPED.items():
        shipped = kubevirt.SCHEMA_DIR / folder
        assert sorted(p.name for p in shipped.iterdir()) == sorted([*files, "LICENSE", "PROVENANCE.md"])


@pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared schemas not found at {SHARED}")
def test_shipped_schemas_are_the_shared_ones_and_accept_their_examples() -> None:
    for folder, files in SHIPPED.items():
        for name in [*files, "LICENSE"]:
            assert (kubevirt.SCHEMA_DIR / folder / name).read_bytes() == (SHARED / folder / name).read_bytes(), name
    for example in ("kubevirt-virtualmachine.yaml", "cdi-datavolume.yaml"):
        obj = yaml.safe_load((SHARED / "examples" / example).read_text(encoding="utf-8"))
        assert kubevirt.validate(obj) == [], example
