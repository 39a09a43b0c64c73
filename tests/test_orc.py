"""The k-orc backend: small templates (cases/orc.yaml), the corpus, the schemas and the tables.

Stacks are built the way `h2k.api` builds them (front-end, environment, every pass); then every
resource whose type the k-orc backend knows gets the role `infrastructure`, as the placement pass
gives resources that stay on OpenStack, so each test sees every mapping whatever placement decides.
Every object is checked twice: by h2k's own validator (jsonschema-rs) and by the pure-Python
`jsonschema` package, against the same closed schemas, formats and CEL rules.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker

from h2k.api import CompileOptions, _environment, _front_end
from h2k.backends.openstack.orc import Credentials, OrcContext, OrcResult, emit_orc, orc_sections
from h2k.backends.openstack.orc.kinds import KINDS, MERGED, NO_KIND
from h2k.backends.openstack.orc.matrix import render
from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.ir.nodes import Stack
from h2k.passes import PassContext, run
from h2k.span import Span
from h2k.validate import kubernetes, orc

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "orc.yaml").read_text(encoding="utf-8"))
CORPUS = ROOT.parent / "shared" / "corpus" / "openstack+heat-templates"
ABSENT = "absent"
# Types the backend has an answer for: an object, part of one, or a reason to stay in Heat.
KNOWN_TYPES = frozenset(KINDS) | frozenset(MERGED) | frozenset(NO_KIND)


def build(path: Path, parameters: dict[str, str] | None = None, roles: dict[str, str] | None = None) -> Stack:
    """The stack as `h2k compile` has it before its backends, known types kept on OpenStack."""
    sink = DiagnosticSink()
    options = CompileOptions(parameters=parameters or {})
    stack = _front_end(str(path), sink, options.limits, None, compiling=True)
    assert stack is not None, [d.message for d in sink.sorted()]
    environment = _environment(options, stack, sink)
    assert environment is not None
    stack = run(stack, PassContext(sink=sink, environment=environment, hidden_at_deploy_time=True))
    roles = roles or {}
    resources = tuple(dataclasses.replace(r, role=roles.get(r.name, "infrastructure"))
                      if r.type in KNOWN_TYPES or r.name in roles else r for r in stack.resources)
    return dataclasses.replace(stack, resources=resources)


def compile_orc(path: Path, parameters: dict[str, str] | None = None, roles: dict[str, str] | None = None,
                policy: str = "managed") -> tuple[OrcResult, list[Diagnostic]]:
    sink = DiagnosticSink()
    result = emit_orc(build(path, parameters, roles), OrcContext(sink=sink, management_policy=policy,
                                                                 source_root=str(path.parent)))
    return result, sink.sorted()


def _checker() -> FormatChecker:
    checker = FormatChecker()
    for name, check in orc.FORMATS.items():
        checker.checks(name)(check)
    return checker


CHECKER = _checker()


def problems(obj: dict[str, Any]) -> list[str]:
    """What either validator finds wrong with an object (they must agree that nothing is)."""
    if obj.get("apiVersion") != orc.API_VERSION:
        return kubernetes.validate(obj, kubernetes.default_version())
    found = [f"jsonschema-rs: {error}" for error in orc.validate(obj)]
    schema = orc.strict_schema(str(obj["kind"]))
    found += [f"jsonschema: {'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft7Validator(schema, format_checker=CHECKER).iter_errors(obj)]
    return found


def lookup(document: Any, path: str) -> Any:
    for step in path.split("."):
        if isinstance(document, list) and step.isdigit() and int(step) < len(document):
            document = document[int(step)]
        elif isinstance(document, dict) and step in document:
            document = document[step]
        else:
            return ABSENT
    return document


def findings(diagnostics: list[Diagnostic], notes: bool) -> list[str]:
    """5xx findings as "CODE line:col": warnings and errors, or notes."""
    return sorted(f"{d.code.id} {d.span.line}:{d.span.column}" for d in diagnostics
                  if d.code.id.startswith("H2K5") and (d.severity == Severity.INFO) == notes)


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_orc_case(case: dict[str, Any], tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(case["template"], encoding="utf-8")
    for name, text in case.get("files", {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result, diagnostics = compile_orc(template, case.get("parameters"), case.get("roles"),
                                      case.get("policy", "managed"))
    objects = {f"{item.kind}/{item.name}": item.object for item in result.objects}
    for where, expected in case.get("objects", {}).items():
        name, _, path = where.partition(":")
        if expected == ABSENT and not path:
            assert name not in objects, f"{name} emitted"
            continue
        assert name in objects, f"{name} not emitted; emitted: {sorted(objects)}"
        assert lookup(objects[name], path) == expected, where
    assert {f"{item.kind}/{item.name}": problems(item.object) for item in result.objects
            if problems(item.object)} == {}
    assert sorted(r.name for r in result.residual) == sorted(case.get("residual", []))
    for name, target in case.get("merged", {}).items():
        assert result.merged.get(name) == target
    assert findings(diagnostics, notes=False) == sorted(case["expect"])
    missing = set(case.get("notes", [])) - set(findings(diagnostics, notes=True))
    assert not missing, f"notes not reported: {sorted(missing)}"


# -- the corpus ----------------------------------------------------------------------------------

def corpus_templates() -> list[Path]:
    index = CORPUS / "_h2k_index.json"
    if not index.is_file():
        return []
    entries = json.loads(index.read_text(encoding="utf-8"))["files"]
    return sorted(CORPUS / e["path"] for e in entries if e["role"] == "hot" and e["path"].startswith("hot/"))


def placeholder_values(path: Path) -> dict[str, str]:
    """A value for each parameter without a default, as a user gives them with -P."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    for name, definition in (document.get("parameters") or {}).items():
        if not isinstance(definition, dict) or "default" in definition:
            continue
        allowed = [c["allowed_values"] for c in definition.get("constraints") or []
                   if isinstance(c, dict) and "allowed_values" in c]
        kind = definition.get("type")
        if allowed and allowed[0]:
            values[name] = str(allowed[0][0])
        elif "cidr" in name.lower():
            values[name] = "10.0.0.0/24"
        elif any(word in name.lower() for word in ("dns", "nameserver", "gateway")):
            values[name] = "10.0.0.1"
        else:
            values[name] = {"number": "1", "json": "{}", "comma_delimited_list": "a,b",
                            "boolean": "false"}.get(kind, f"{name.lower().replace('_', '-')}-1")
    return values


@pytest.fixture(scope="module")
def corpus_results() -> dict[Path, tuple[OrcResult, list[Diagnostic]]]:
    templates = corpus_templates()
    if not templates:
        pytest.skip(f"template corpus not found at {CORPUS}")
    return {path: compile_orc(path, placeholder_values(path)) for path in templates}


def test_corpus_objects_are_valid(corpus_results: dict[Path, tuple[OrcResult, list[Diagnostic]]],
                                  record_property: pytest.RecordProperty) -> None:
    """Every object written for every corpus template passes both validators; no finding is an h2k bug."""
    failures, kinds = [], Counter()
    for path, (result, diagnostics) in corpus_results.items():
        shown = path.relative_to(CORPUS)
        for item in result.objects:
            kinds[item.kind] += 1
            failures += [f"{shown}: {item.kind}/{item.name}: {problem}" for problem in problems(item.object)]
        failures += [f"{shown}:{d.span.line}: {d.code.id} {d.message}" for d in diagnostics if d.code.id == "H2K515"]
        names = [(item.kind, item.name) for item in result.objects]
        failures += [f"{shown}: {kind}/{name} written twice" for kind, name in set(names)
                     if names.count((kind, name)) > 1]
    record_property("orc_objects", dict(sorted(kinds.items())))
    assert not failures, "\n".join(failures)
    assert sum(kinds.values()) > 150 and len(kinds) >= 15, kinds


def test_corpus_references_name_written_objects(
        corpus_results: dict[Path, tuple[OrcResult, list[Diagnostic]]]) -> None:
    """Every `*Ref` names an object of the result (of the kind the field's name says, where it says one)."""
    failures = []
    for path, (result, _) in corpus_results.items():
        written = {(item.kind, item.name) for item in result.objects}
        for item in result.objects:
            for field, name in _references(item.object.get("spec", {})):
                kind = REF_KINDS.get(field)
                if kind is not None and (kind, name) not in written:
                    failures.append(f"{path.relative_to(CORPUS)}: {item.kind}/{item.name}.{field} -> {name}")
    assert not failures, "\n".join(failures)


REF_KINDS = {"networkRef": "Network", "subnetRef": "Subnet", "routerRef": "Router", "portRef": "Port",
             "securityGroupRefs": "SecurityGroup", "imageRef": "Image", "flavorRef": "Flavor",
             "keypairRef": "KeyPair", "volumeRef": "Volume", "volumeTypeRef": "VolumeType",
             "serverGroupRef": "ServerGroup", "floatingNetworkRef": "Network", "floatingSubnetRef": "Subnet",
             "projectRef": "Project", "domainRef": "Domain", "roleRef": "Role", "userRef": "User",
             "groupRef": "Group", "serviceRef": "Service", "defaultProjectRef": "Project", "secretRef": "Secret",
             "passwordRef": "Secret"}


def _references(node: Any, field: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in _references(value, key)]
    if isinstance(node, list):
        return [found for item in node for found in _references(item, field)]
    return [(field, node)] if field.endswith(("Ref", "Refs")) and isinstance(node, str) else []


def test_corpus_is_deterministic(corpus_results: dict[Path, tuple[OrcResult, list[Diagnostic]]]) -> None:
    path = next(iter(corpus_results))
    again, diagnostics = compile_orc(path, placeholder_values(path))
    first, first_diagnostics = corpus_results[path]
    assert [o.object for o in again.objects] == [o.object for o in first.objects]
    assert diagnostics == first_diagnostics


# -- schemas, tables, documents ------------------------------------------------------------------

def _network(**resource: Any) -> dict[str, Any]:
    return {"apiVersion": orc.API_VERSION, "kind": "Network", "metadata": {"name": "n"},
            "spec": {"cloudCredentialsRef": {"secretName": "s", "cloudName": "c"}, "managementPolicy": "managed",
                     "resource": resource}}


@pytest.mark.parametrize("obj", [
    _network(name="n", bogus=True),  # an unknown field: kubectl's strict validation refuses it
    _network(name="a,b"),  # k-orc names have no comma
    _network(mtu=1_000_000),
    {**_network(), "kind": "Subnet"},
    {"apiVersion": orc.API_VERSION, "kind": "Network", "metadata": {"name": "n"},
     "spec": {"cloudCredentialsRef": {"secretName": "s", "cloudName": "c"}, "managementPolicy": "unmanaged",
              "import": {"id": "not-a-uuid"}}},
])
def test_both_validators_refuse(obj: dict[str, Any]) -> None:
    assert orc.validate(obj)
    assert list(Draft7Validator(orc.strict_schema(obj["kind"]), format_checker=CHECKER).iter_errors(obj))


@pytest.mark.parametrize(("obj", "message"), [
    ({**_network(), "spec": {"cloudCredentialsRef": {"secretName": "s", "cloudName": "c"},
                             "managementPolicy": "managed"}}, "resource must be specified"),
    ({"apiVersion": orc.API_VERSION, "kind": "FloatingIP", "metadata": {"name": "f"},
      "spec": {"cloudCredentialsRef": {"secretName": "s", "cloudName": "c"}, "managementPolicy": "managed",
               "resource": {"floatingNetworkRef": "a", "floatingSubnetRef": "b"}}}, "Exactly one of"),
])
def test_cel_rules_are_checked(obj: dict[str, Any], message: str) -> None:
    assert any(message in error for error in orc.validate(obj))


def test_shipped_schemas_cover_every_kind_and_keep_their_licence() -> None:
    shipped = orc.SCHEMA_DIR
    assert (shipped / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
    assert "c22784ca3ff51e5a126ad5fec000205ad43eb16c" in (shipped / "PROVENANCE.md").read_text(encoding="utf-8")
    assert set(orc.kinds()) >= set(KINDS.values()) | {"RoleAssignment"}
    assert "schemas/k-orc/LICENSE" in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_conversion_matrix_is_generated_from_the_emitters() -> None:
    assert (ROOT / "docs" / "orc-conversion-matrix.md").read_text(encoding="utf-8") == render(), \
        "run: python -m h2k.backends.openstack.orc.matrix > docs/orc-conversion-matrix.md"


def test_namespace_and_credentials(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text("heat_template_version: 2018-08-31\nresources:\n  net: {type: OS::Neutron::Net}\n",
                        encoding="utf-8")
    result = emit_orc(build(template), OrcContext(sink=DiagnosticSink(), namespace="infra",
                                                  credentials=Credentials("cloud-creds", "prod")))
    network = result.objects[0].object
    assert network["metadata"]["namespace"] == "infra"
    assert network["metadata"]["annotations"] == {"h2k.io/source": "t.yaml#resources/net"}
    assert network["spec"] == {"cloudCredentialsRef": {"secretName": "cloud-creds", "cloudName": "prod"},
                               "managementPolicy": "managed", "resource": {}}


def test_unknown_management_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="management policy"):
        emit_orc(Stack(path="t.yaml", name="t", version="2018-08-31", span=Span.point("t.yaml")),
                 OrcContext(sink=DiagnosticSink(), management_policy="adopted"))


HEAT_PROPERTIES = """
import json, sys
from heat.engine import resources
resources.initialise()
env = resources.global_env()
print(json.dumps({t: sorted(env.get_class(t).properties_schema) for t in json.loads(sys.argv[1])}))
"""


def test_every_heat_property_is_accounted_for() -> None:
    """Each property Heat defines for a covered type is either carried over or has a reason (the tables)."""
    from heat_oracle import heat_python

    python = heat_python()
    if python is None:
        pytest.skip("Heat is not installed (see tests/heat_oracle.py)")
    covered = [t for section in orc_sections() for t in section.heat_type.split(", ")]
    done = subprocess.run([python, "-c", HEAT_PROPERTIES, json.dumps(covered)], capture_output=True, text=True,
                          check=True, timeout=300)
    heat = json.loads(done.stdout.strip().splitlines()[-1])
    tables: dict[str, set[str]] = {}
    for section in orc_sections():
        keys = {k for table in (section.mapped, section.reasons, section.extra) for key in table
                for k in key.split(", ")}
        for heat_type in section.heat_type.split(", "):
            tables.setdefault(heat_type, set()).update(keys)
    missing = {t: sorted(set(names) - tables[t]) for t, names in heat.items() if set(names) - tables[t]}
    assert missing == {}
