"""Validation of generated KubeVirt VirtualMachines and CDI DataVolumes against their schemas.

The schemas ship with h2k (`schemas/kubevirt/`, `schemas/cdi/`, see their PROVENANCE.md): draft-07
JSON Schemas converted from the projects' own OpenAPI documents, with the types they refer to in a
local `definitions` map. As for k-orc objects (orc.py), the check is made as strict as `kubectl
apply` is: every object schema that lists its properties is closed (`additionalProperties: false`),
definitions included, and the Kubernetes integer formats `int32` and `int64` become the bounds they
stand for (`minimum`, `maximum`), since JSON Schema validators check the formats of strings only.
KubeVirt's admission webhook checks more than its schema (a `noCloud` key propagation needs a
cloud-init NoCloud volume, every volume needs a disk); the emitter keeps to those rules itself.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from h2k.validate.closed_schema import close
from h2k.validate.violations import violations

if TYPE_CHECKING:
    from jsonschema_rs import Validator

__all__ = ["GROUPS", "SCHEMAS", "handles", "strict_schema", "target", "validate"]

SCHEMA_DIR = Path(__file__).parent / "schemas"
# (apiVersion, kind) -> (schema file under SCHEMA_DIR, what the schema describes).
SCHEMAS: dict[tuple[str, str], tuple[str, str]] = {
    ("kubevirt.io/v1", "VirtualMachine"): ("kubevirt/virtualmachine.json", "KubeVirt v1.9"),
    ("cdi.kubevirt.io/v1beta1", "DataVolume"): ("cdi/datavolume.json", "CDI v1.66"),
}
GROUPS = frozenset({"kubevirt.io", "cdi.kubevirt.io"})
def handles(obj: dict[str, Any]) -> bool:
    """Whether the object belongs to KubeVirt or CDI (checked here, not against Kubernetes' own schemas)."""
    api_version = obj.get("apiVersion")
    return isinstance(api_version, str) and api_version.split("/", 1)[0] in GROUPS


def target(obj: dict[str, Any]) -> str:
    """What the object is checked against, for messages ("KubeVirt v1.9")."""
    found = SCHEMAS.get((str(obj.get("apiVersion")), str(obj.get("kind"))))
    return found[1] if found else "KubeVirt"


@functools.cache
def _strict(file_name: str) -> str:
    """The closed schema, as JSON text (cached as text so that callers get their own copy)."""
    with (SCHEMA_DIR / file_name).open(encoding="utf-8") as handle:
        schema = json.load(handle)
    close(schema)
    return json.dumps(schema)


def strict_schema(api_version: str, kind: str) -> dict[str, Any]:
    """The closed JSON Schema of a kind (a fresh copy); LookupError when none is bundled."""
    found = SCHEMAS.get((api_version, kind))
    if found is None:
        raise LookupError(f"no KubeVirt or CDI schema for apiVersion {api_version!r} kind {kind!r}")
    schema: dict[str, Any] = json.loads(_strict(found[0]))
    return schema


@functools.cache
def _validator(api_version: str, kind: str) -> Validator:
    from jsonschema_rs import Draft7Validator

    return Draft7Validator(strict_schema(api_version, kind))


def validate(obj: dict[str, Any]) -> list[str]:
    """Every violation of `obj` as sorted "<path>: <message>" lines; empty if valid."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if (api_version, kind) not in SCHEMAS:
        return [f"<root>: no KubeVirt or CDI schema for apiVersion {api_version!r} kind {kind!r}"]
    assert isinstance(api_version, str) and isinstance(kind, str)
    return violations(_validator(api_version, kind), obj)
