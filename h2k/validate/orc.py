"""Validation of generated k-orc objects (`openstack.k-orc.cloud/v1alpha1`) against their CRD schemas.

The schemas ship with h2k (`schemas/k-orc/`, see its PROVENANCE.md): one draft-07 JSON Schema per
kind, converted from the CRDs of openstack-resource-controller. Three things make the check as strict
as the API server and `kubectl apply` are, rather than as lax as plain JSON Schema:

- every object schema that lists its properties is closed (`additionalProperties: false`), because
  `kubectl apply` validates strictly by default and refuses unknown fields, where the JSON Schema
  of a CRD leaves them open; `int32`/`int64` fields get their bounds (closed_schema.py);
- the Kubernetes string formats `cidr` and `uuid` are checked (JSON Schema validators skip
  formats they do not know or, for draft-07, `uuid`; the API server does not);
- the CEL rules (`x-kubernetes-validations`) that a generated object can break are restated here in
  Python (`cel_errors`), since no JSON Schema validator evaluates CEL. Rules that compare with the old
  object (`self == oldSelf`) only matter on update and are not checked.

Validators are jsonschema-rs ones, built once per kind, as for Kubernetes objects.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from h2k.validate.closed_schema import close
from h2k.validate.violations import violations

if TYPE_CHECKING:
    from jsonschema_rs import Validator

__all__ = ["API_VERSION", "FORMATS", "cel_errors", "kinds", "strict_schema", "validate"]

API_VERSION = "openstack.k-orc.cloud/v1alpha1"
SCHEMA_DIR = Path(__file__).parent / "schemas" / "k-orc"
_INT32 = (-(2**31), 2**31 - 1)
_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)


def _is_cidr(value: object) -> bool:
    """Go's net.ParseCIDR, which the API server uses for `format: cidr`: an address and a prefix length."""
    if not isinstance(value, str):
        return True  # the type is checked by the schema
    if "/" not in value:
        return False
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return True


def _is_uuid(value: object) -> bool:
    """The API server's `format: uuid` (kube-openapi): 32 hexadecimal digits, dashes optional."""
    return not isinstance(value, str) or _UUID.fullmatch(value) is not None


def _is_int32(value: object) -> bool:
    return not isinstance(value, int) or isinstance(value, bool) or _INT32[0] <= value <= _INT32[1]


# Formats the API server checks that JSON Schema validators do not know; shared with the tests'
# second opinion (the pure-Python jsonschema package).
FORMATS: dict[str, Callable[[Any], bool]] = {"cidr": _is_cidr, "int32": _is_int32, "uuid": _is_uuid}


@functools.cache
def _index() -> dict[str, str]:
    with (SCHEMA_DIR / "index.json").open(encoding="utf-8") as handle:
        index: dict[str, dict[str, str]] = json.load(handle)
    return index[API_VERSION]


def kinds() -> list[str]:
    """Every k-orc kind with a bundled schema."""
    return sorted(_index())


@functools.cache
def _strict(kind: str) -> str:
    """The closed schema of a kind, as JSON text (cached as text so callers get their own copy)."""
    file_name = _index().get(kind)
    if file_name is None:
        raise LookupError(f"no k-orc schema for kind {kind!r}")
    with (SCHEMA_DIR / file_name).open(encoding="utf-8") as handle:
        schema = json.load(handle)
    close(schema)
    return json.dumps(schema)


def strict_schema(kind: str) -> dict[str, Any]:
    """The closed JSON Schema of a k-orc kind (a fresh copy); LookupError for an unknown kind."""
    schema: dict[str, Any] = json.loads(_strict(kind))
    return schema


@functools.cache
def _validator(kind: str) -> Validator:
    from jsonschema_rs import Draft7Validator

    return Draft7Validator(strict_schema(kind), formats=FORMATS, validate_formats=True)


def validate(obj: dict[str, Any]) -> list[str]:
    """Every violation of `obj` as sorted "<path>: <message>" lines (schema, then CEL); empty if valid."""
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if api_version != API_VERSION or not isinstance(kind, str) or kind not in _index():
        return [f"<root>: no k-orc schema for apiVersion {api_version!r} kind {kind!r}"]
    return violations(_validator(kind), obj) + cel_errors(obj)


# -- CEL rules of the CRDs, restated ----------------------------------------------------------------

Rule = Callable[[dict[str, Any]], bool]


def _has(node: object, key: str) -> bool:
    return isinstance(node, dict) and key in node


def _exactly_one(node: object, *keys: str) -> bool:
    return sum(_has(node, key) for key in keys) == 1


def _envelope(spec: dict[str, Any]) -> list[str]:
    """The rules every kind with a management policy has (ORC's common envelope)."""
    managed = spec.get("managementPolicy", "managed") == "managed"
    found = []
    if managed and not _has(spec, "resource"):
        found.append("resource must be specified when policy is managed")
    if managed and _has(spec, "import"):
        found.append("import may not be specified when policy is managed")
    if not managed and _has(spec, "resource"):
        found.append("resource may not be specified when policy is unmanaged")
    if not managed and not _has(spec, "import"):
        found.append("import must be specified when policy is unmanaged")
    if _has(spec, "managedOptions") and not managed:
        found.append("managedOptions may only be provided when policy is managed")
    return found


def _rules_of_security_group(resource: dict[str, Any]) -> list[str]:
    found = []
    for index, rule in enumerate(resource.get("rules", [])):
        ports = rule.get("portRange")
        if ports is None:
            continue
        if rule.get("protocol") in ("tcp", "udp", "dccp", "sctp", "udplite") and ports["min"] > ports["max"]:
            found.append(f"rules[{index}]: portRangeMax should be equal or greater than portRange.min")
        if rule.get("protocol") in ("icmp", "icmpv6") and not (0 <= ports["min"] <= 255 and 0 <= ports["max"] <= 255):
            found.append(f"rules[{index}]: with protocol ICMP or ICMPv6 portRange min and max are between 0 and 255")
    return found


# Kind -> (message, rule on spec.resource that must hold).
_RESOURCE_RULES: dict[str, list[tuple[str, Rule]]] = {
    "FloatingIP": [("Exactly one of 'floatingNetworkRef' or 'floatingSubnetRef' must be set",
                    lambda r: _exactly_one(r, "floatingNetworkRef", "floatingSubnetRef"))],
    "Server": [("either imageRef or bootVolume must be specified",
                lambda r: _has(r, "imageRef") or _has(r, "bootVolume")),
               ("imageRef and bootVolume are mutually exclusive",
                lambda r: not (_has(r, "imageRef") and _has(r, "bootVolume")))],
    "RoleAssignment": [("exactly one of userRef or groupRef is required",
                        lambda r: _exactly_one(r, "userRef", "groupRef")),
                       ("exactly one of projectRef or domainRef is required",
                        lambda r: _exactly_one(r, "projectRef", "domainRef"))],
    "ShareNetwork": [("networkRef and subnetRef must be specified together",
                      lambda r: _has(r, "networkRef") == _has(r, "subnetRef"))],
    "Port": [("securityGroupRefs must be empty when portSecurity is set to Disabled",
              lambda r: r.get("portSecurity") != "Disabled" or not _has(r, "securityGroupRefs")),
             ("allowedAddressPairs must be empty when portSecurity is set to Disabled",
              lambda r: r.get("portSecurity") != "Disabled" or not _has(r, "allowedAddressPairs")),
             ("hostID: exactly one of id or serverRef must be set",
              lambda r: not _has(r, "hostID") or bool(r["hostID"].get("id")) != bool(r["hostID"].get("serverRef")))],
    "ServerGroup": [("maxServerPerHost can only be used with the anti-affinity policy",
                     lambda r: r.get("rules", {}).get("maxServerPerHost", 0) <= 0
                     or r.get("policy") == "anti-affinity")],
}


def cel_errors(obj: dict[str, Any]) -> list[str]:
    """The CEL rules of the object's CRD that it breaks, as "spec...: message" lines."""
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return []
    kind = obj.get("kind")
    if kind == "RouterInterface":
        ok = _has(spec, "subnetRef") if spec.get("type") == "Subnet" else not _has(spec, "subnetRef")
        return [] if ok else ["spec: subnetRef is required when type is 'Subnet' and not permitted otherwise"]
    found = [f"spec: {message}" for message in _envelope(spec)]
    resource = spec.get("resource")
    if kind == "Image" and not _has(spec, "import") and not _has(resource, "content"):
        found.append("spec: resource content must be specified when not importing")
    if not isinstance(resource, dict):
        return found
    found += [f"spec.resource: {message}" for message, holds in _RESOURCE_RULES.get(str(kind), [])
              if not holds(resource)]
    if kind == "SecurityGroup":
        found += [f"spec.resource.{message}" for message in _rules_of_security_group(resource)]
    return found
