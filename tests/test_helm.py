"""--package helm: the chart renders, with Helm itself, into what h2k compiles for the same values.

For every sample and for a template built to exercise the probe, the chart is rendered with its
default values and with other values; each rendering must equal the objects `h2k compile -P`
gives for those values, and pass h2k's own validation. Values the schema refuses must be refused
by Helm. Rendering needs helm-python-sdk (a test dependency); those tests skip if it cannot load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft7Validator
from test_golden import SAMPLE_TEMPLATES, SAMPLES

from h2k.api import CompileOptions, CompileResult, compile
from h2k.backends.kubernetes.helm import SECTIONS as KINDS
from h2k.backends.kubernetes.secret import DEPLOY_TIME
from h2k.cli import main
from h2k.validate import kubevirt
from h2k.validate.kubernetes import validate

HERE = Path(__file__).parent
SECTIONS = [section for section, _ in KINDS.values()]
# A template that uses parameters in every way the probe must tell apart.
PROBED = """\
heat_template_version: 2018-08-31
description: Exercises the Helm packaging.
parameters:
  image: {type: string, default: "registry.example.com/app:1.0", label: Image, description: Container image}
  greeting: {type: string, default: "hello {{ world }}", description: "What the app says"}
  db-host: {type: string, default: db.internal, constraints: [{allowed_pattern: "[a-z.]+"}]}
  mode: {type: string, default: dev, constraints: [{allowed_values: [dev, prod]}]}
  tier: {type: string, default: gold, constraints: [{allowed_values: [gold, silver]}]}
  csv: {type: string, default: "a"}
  volume_type: {type: string, default: fast}
  unused: {type: string, default: nothing}
  workers: {type: number, default: 2}
  password: {type: string, hidden: true}
conditions:
  production: {equals: [{get_param: mode}, prod]}
resources:
  seed: {type: OS::Heat::RandomString, properties: {length: 16}}
  data:
    type: OS::Cinder::Volume
    properties: {size: 1, volume_type: {get_param: volume_type}}
  web:
    type: OS::Zun::Container
    metadata: {h2k.io/port: 8080}
    properties:
      image: {get_param: image}
      environment:
        GREETING: {list_join: [" ", ["say", {get_param: greeting}, "now"]]}
        DB_URL: {str_replace: {template: "postgres://$host:5432/app", params: {$host: {get_param: db-host}}}}
        MODE: {if: [production, "production", "development"]}
        TIER: {get_param: tier}
        PARTS: {list_join: [";", {str_split: [",", {get_param: csv}]}]}
        PASSWORD: {get_param: password}
        SEED: {get_attr: [seed, value]}
        LITERAL: "{{ not a template }}"
"""
TRICKY = ['bye "quoted" {{ .Values }} \\ back', "line one\nline two", "é 😀 \u2028", "", " "]


@pytest.fixture(scope="module")
def helm() -> Any:
    return pytest.importorskip("helm_python")


def write(result: CompileResult, directory: Path) -> Path:
    for name, content in result.files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return directory / "kubernetes"


def compiled(template: Path, parameters: dict[str, str] | None = None, package: str = "helm") -> CompileResult:
    """As the golden test compiles a sample: with its environment file and its adoption files."""
    environment = template.with_name(f"{template.stem}.env.yaml")
    return compile(template, CompileOptions(package=package, parameters=parameters or {},
                                            environment_files=[str(environment)] if environment.is_file() else [],
                                            adopt=sorted(template.parent.glob(f"{template.stem}.adopt*.json"))))


def rendered(helm: Any, chart: Path, values: dict[str, Any]) -> list[dict[str, Any]]:
    with helm.Chart.load(chart) as loaded:
        manifests = loaded.render(values, name="release", namespace="default")
    return [document for text in manifests.values() for document in yaml.safe_load_all(text) if document]


def supplied_of(chart: Path) -> dict[str, dict[str, dict[str, str]]]:
    """A value for every key of every object the chart writes without its values."""
    schema = json.loads((chart / "values.schema.json").read_text(encoding="utf-8"))
    return {section: {name: {key: f"{section} {name} {key}" for key in entry.get("properties", {})}
                      for name, entry in schema["properties"][section].get("properties", {}).items()}
            for section in SECTIONS}


def exposed_of(chart: Path) -> dict[str, Any]:
    schema = json.loads((chart / "values.schema.json").read_text(encoding="utf-8"))
    return dict(schema["properties"]["parameters"].get("properties", {}))


def without_supplied(objects: list[dict[str, Any]], supplied: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Objects written without values carry the given ones in the chart, none when compiled."""
    out = []
    for obj in objects:
        if obj["kind"] in KINDS and DEPLOY_TIME in obj["metadata"].get("annotations", {}):
            section, field = KINDS[obj["kind"]]
            obj = dict(obj)
            given = obj.pop(field, None)
            if supplied is not None:
                assert given == supplied[section][obj["metadata"]["name"]]
        out.append(obj)
    return out


def assert_renders_as_compiled(helm: Any, template: Path, chart: Path, parameters: dict[str, str]) -> None:
    supplied = supplied_of(chart)
    objects = rendered(helm, chart, {"parameters": parameters, **supplied})
    expected = compiled(template, parameters, package="plain")
    assert not expected.failed(), [str(d) for d in expected.diagnostics]
    key = lambda obj: (obj["kind"], obj["metadata"]["name"])  # noqa: E731
    assert sorted(without_supplied(objects, supplied), key=key) == sorted(
        without_supplied([item.object for item in expected.objects], None), key=key)
    for obj in objects:
        errors = kubevirt.validate(obj) if kubevirt.handles(obj) else validate(obj, expected.kube_version)
        assert errors == [], obj


def another_value(name: str, schema: dict[str, Any], current: str) -> str | None:
    """A value the schema accepts that differs from the current one."""
    validator = jsonschema_rs.validator_for({"$schema": "http://json-schema.org/draft-07/schema#", **schema})
    for candidate in [*schema.get("enum", []), f"{current}-2", f"other-{name}", "x"]:
        if candidate != current and validator.is_valid(candidate):
            return str(candidate)
    return None


SAMPLE_IDS = [str(p.relative_to(SAMPLES)) for p in SAMPLE_TEMPLATES]


@pytest.mark.parametrize("sample", SAMPLE_TEMPLATES, ids=SAMPLE_IDS)
def test_sample_chart_renders_as_compiled(sample: Path, helm: Any, tmp_path: Path) -> None:
    result = compiled(sample)
    chart = write(result, tmp_path)
    assert helm.lint(chart)["errors"] == []
    assert_renders_as_compiled(helm, sample, chart, {})
    defaults = yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8"))["parameters"]
    for name, schema in exposed_of(chart).items():
        value = another_value(name, schema, defaults[name])
        assert value is not None, name
        assert_renders_as_compiled(helm, sample, chart, {name: value})
        with helm.Chart.load(chart) as loaded, pytest.raises(helm.HelmValuesError):
            loaded.render({"parameters": {name: 12}, **supplied_of(chart)}, name="r", namespace="n")
    with helm.Chart.load(chart) as loaded, pytest.raises(helm.HelmValuesError):
        loaded.render({"parameters": {"not-a-parameter": "x"}}, name="r", namespace="n")


@pytest.mark.parametrize("sample", SAMPLE_TEMPLATES, ids=SAMPLE_IDS)
def test_sample_values_file_passes_its_schema(sample: Path) -> None:
    files = compiled(sample).files
    schema = json.loads(files["kubernetes/values.schema.json"])
    Draft7Validator.check_schema(schema)
    values = yaml.safe_load(files["kubernetes/values.yaml"])
    assert jsonschema_rs.validator_for(schema).is_valid(values)
    chart = yaml.safe_load(files["kubernetes/Chart.yaml"])
    assert chart["apiVersion"] == "v2" and chart["version"] == "0.1.0" and chart["type"] == "application"
    assert sample.name in chart["description"]


def test_some_sample_has_values() -> None:
    exposed = {str(p.relative_to(SAMPLES)): sorted(yaml.safe_load(compiled(p).files["kubernetes/values.yaml"])
                                                   ["parameters"]) for p in SAMPLE_TEMPLATES}
    assert exposed["hot/nested/web-tier.yaml"] == ["image"]
    # image is unused, flavor looked up, data_size a number; admin_cidr is copied into the NetworkPolicy.
    assert exposed["hot/web-with-volume.yaml"] == ["admin_cidr"]


@pytest.fixture
def probed(tmp_path: Path) -> Path:
    template = tmp_path / "app.yaml"
    template.write_text(PROBED, encoding="utf-8")
    return template


def test_what_becomes_a_value_and_why_not(probed: Path) -> None:
    result = compiled(probed)
    values = yaml.safe_load(result.files["kubernetes/values.yaml"])
    assert values == {"parameters": {"image": "registry.example.com/app:1.0", "greeting": "hello {{ world }}",
                                     "db-host": "db.internal", "tier": "gold"}, "secrets": {}, "configMaps": {}}
    notes = {d.message.split()[1]: d.message.split(": ", 1)[1] for d in result.diagnostics
             if d.code.id == "H2K420"}
    assert notes == {
        "mode": "its value is passed to equals, so another value could change more than the text it is copied into",
        "csv": "its value is passed to str_split, so another value could change more than the text it is copied "
               "into",
        "volume_type": "it would name an object",
        "unused": "it changes nothing in the objects",
        "workers": "it is a number parameter, and only string parameters become values",
        "password": "it is hidden, and its value is never written to a file",
    }
    lines = {line.split(":")[0].strip(): number for number, line in enumerate(PROBED.splitlines(), 1)}
    assert all(str(d.span) == f"{probed}:{lines[d.message.split()[1]]}:3" for d in result.diagnostics
               if d.code.id == "H2K420")
    schema = json.loads(result.files["kubernetes/values.schema.json"])
    assert schema["properties"]["parameters"]["properties"]["db-host"]["pattern"] == "^(?:[.a-z]+)$"
    assert schema["properties"]["parameters"]["properties"]["tier"]["enum"] == ["gold", "silver"]
    assert schema["properties"]["parameters"]["properties"]["image"]["title"] == "Image"
    assert sorted(schema["properties"]["secrets"]["properties"]) == ["app-password", "seed"]
    template = result.files["kubernetes/templates/deployment-web.yaml"].decode()
    assert '{{ print "postgres://" (index .Values.parameters "db-host") ":5432/app" | toJson }}' in template
    assert '"{{ "{{" }} not a template }}"' in template


@pytest.mark.parametrize("text", TRICKY)
def test_any_text_renders_as_compiled(text: str, probed: Path, helm: Any, tmp_path: Path) -> None:
    chart = write(compiled(probed), tmp_path)
    assert_renders_as_compiled(helm, probed, chart, {"greeting": text, "image": text, "tier": "silver"})


def test_values_helm_refuses(probed: Path, helm: Any, tmp_path: Path) -> None:
    chart = write(compiled(probed), tmp_path)
    supplied = supplied_of(chart)
    with helm.Chart.load(chart) as loaded:
        for wrong in ({"db-host": "DB"}, {"tier": "bronze"}, {"greeting": 5}, {"image": "a\x85b"}):
            with pytest.raises(helm.HelmValuesError):
                loaded.render({"parameters": wrong, **supplied}, name="r", namespace="n")
        for secrets in ({"seed": {"value": ""}}, {"seed": "text"}, {"seed": {"other": "x"}}, {"other": {}}):
            with pytest.raises(helm.HelmValuesError):
                loaded.render({"secrets": {**supplied["secrets"], **secrets}}, name="r", namespace="n")
        with pytest.raises(helm.HelmRenderError, match=r"secrets\.seed\.value is required"):
            loaded.render({"secrets": {"app-password": {"value": "p"}}}, name="r", namespace="n")
    lint = helm.lint(chart)
    assert lint["errors"] == []


def test_hidden_values_never_reach_the_chart(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(PROBED.replace("  unused: {type: string, default: nothing}",
                                       "  unused: {type: string, default: s3cr3t-value}")
                        .replace("password: {type: string, hidden: true}",
                                 "password: {type: string, hidden: true, default: s3cr3t-value}"), encoding="utf-8")
    result = compiled(template)
    leaks = sorted(d.message.split(" would be written to ")[1].split(";")[0] for d in result.diagnostics
                   if d.code.id == "H2K410")
    assert "kubernetes/values.yaml" not in leaks  # `unused` is not a value: nothing to leak there
    template.write_text(PROBED.replace('greeting: {type: string, default: "hello {{ world }}"',
                                       'greeting: {type: string, default: "s3cr3t-value"')
                        .replace("password: {type: string, hidden: true}",
                                 "password: {type: string, hidden: true, default: s3cr3t-value}"), encoding="utf-8")
    result = compiled(template)
    leaks = sorted(d.message.split(" would be written to ")[1].split(";")[0] for d in result.diagnostics
                   if d.code.id == "H2K410")
    assert "kubernetes/values.yaml" in leaks


def test_cli_writes_a_chart(probed: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "out"
    done = runner.invoke(main, ["compile", str(probed), "-o", str(out), "--package", "helm"])
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in (out / "kubernetes").iterdir()) == [
        "Chart.yaml", "templates", "values.schema.json", "values.yaml"]
    refused = runner.invoke(main, ["compile", str(probed), "-o", str(out), "--package", "helm", "--format", "json"])
    assert refused.exit_code == 2 and "YAML" in refused.output
