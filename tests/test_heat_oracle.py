"""Smoke tests of the Heat oracle harness itself (worker protocol, client, fixture).

These pin what the real Heat engine answers for a few known templates, so a broken Heat
venv or protocol drift shows up here rather than as confusing differential-test failures.
"""

from __future__ import annotations

from typing import Any

import pytest
from heat_oracle import HeatEvaluationError, HeatOracle, HeatOracleTimeout, unwrap

# Until tests/conftest.py registers it, load the fixture plugin from here (a no-op once registered).
pytest_plugins = ["oracle_fixture"]

# The template measured in reference/tooling.md §8 (HOT 2021-04-16), plus a disabled resource.
EXAMPLE = """
heat_template_version: 2021-04-16
parameters:
  env: {type: string}
  count: {type: number, default: 3}
  extra: {type: json, default: {a: 1}}
  names: {type: comma_delimited_list, default: "a,b,c"}
conditions:
  is_prod: {equals: [{get_param: env}, prod]}
  never: false
resources:
  srv:
    type: OS::Nova::Server
    properties:
      name:
        str_replace:
          template: srv-$e-$c
          params: {$e: {get_param: env}, $c: {get_param: count}}
      flavor: {if: [is_prod, m1.large, m1.small]}
      image: cirros
      metadata:
        map_merge: [{get_param: extra}, {k: v}, {b: {list_join: ['-', {get_param: names}]}}]
      networks:
        repeat:
          for_each: {<%n%>: {get_param: names}}
          template: {network: <%n%>}
      user_data: {yaql: {expression: "$.data.n.select($ * 2).sum()", data: {n: [1, 2, 3]}}}
  gone:
    type: OS::Heat::None
    condition: never
outputs:
  o1: {value: {list_join: [',', {get_param: names}]}}
  o2: {value: {get_attr: [srv, first_address]}, condition: never}
"""


def evaluate_example(oracle: HeatOracle) -> dict[str, Any]:
    return oracle.evaluate(EXAMPLE, parameters={"env": "prod", "count": 5})


def test_documented_example_resolves(heat_oracle: HeatOracle) -> None:
    result = evaluate_example(heat_oracle)
    assert result["parse_error"] is None
    assert result["validation_errors"] == []
    assert result["template_validate"] is None
    assert unwrap(result["version"]) == ["heat_template_version", "2021-04-16"]
    srv = result["resources"]["srv"]
    assert srv["type"] == "OS::Nova::Server"
    assert unwrap(srv["implementation"])["kind"] == "Plugin"
    assert unwrap(srv["properties"]) == {
        "name": "srv-prod-5",
        "flavor": "m1.large",
        "image": "cirros",
        "metadata": {"a": 1, "k": "v", "b": "a-b-c"},
        "networks": [{"network": "a"}, {"network": "b"}, {"network": "c"}],
        "user_data": 12,
    }
    assert unwrap(srv["deletion_policy"]) == "Delete"
    assert {name: unwrap(v) for name, v in result["conditions"].items()} == {"is_prod": True, "never": False}
    assert {name: unwrap(v) for name, v in result["outputs"].items()} == {"o1": "a,b,c", "o2": None}
    params = {name: unwrap(v) for name, v in result["parameters"].items()}
    assert params["count"] == 5
    assert params["names"] == ["a", "b", "c"]
    assert params["OS::stack_name"] == "teststack"


def test_other_parameter_values_flip_conditions(heat_oracle: HeatOracle) -> None:
    result = heat_oracle.evaluate(EXAMPLE, parameters={"env": "dev"})
    assert unwrap(result["resources"]["srv"]["properties"])["flavor"] == "m1.small"
    assert unwrap(result["resources"]["srv"]["properties"])["name"] == "srv-dev-3"
    assert unwrap(result["conditions"]["is_prod"]) is False


def test_disabled_resource_is_reported(heat_oracle: HeatOracle) -> None:
    result = evaluate_example(heat_oracle)
    assert result["disabled_resources"] == ["gone"]
    assert "gone" not in result["resources"]


def test_unknown_parameter_reference_is_a_validation_error(heat_oracle: HeatOracle) -> None:
    result = heat_oracle.evaluate("""
heat_template_version: 2021-04-16
resources:
  v:
    type: OS::Heat::Value
    properties:
      value: {get_param: nope}
""")
    assert result["parse_error"] is None
    errors = [e for e in result["validation_errors"] if e["where"] == "resources.v"]
    assert errors, result["validation_errors"]
    assert "The Parameter (nope) was not provided." in errors[0]["message"]
    with pytest.raises(HeatEvaluationError) as info:
        unwrap(result["resources"]["v"]["properties"])
    assert info.value.type == "UserParameterMissing"
    assert result["template_validate"] is None  # the template-validate API call does not resolve values


def test_malformed_yaml_is_a_parse_error(heat_oracle: HeatOracle) -> None:
    result = heat_oracle.evaluate("heat_template_version: 2021-04-16\nresources: [\n")
    assert result["parse_error"]["stage"] == "parse"
    assert result["parse_error"]["type"] == "ValueError"
    assert result["parse_error"]["message"].startswith("Error parsing template")
    assert result["resources"] == {} and result["validation_errors"] == []


def test_unknown_resource_type_fails_template_validate(heat_oracle: HeatOracle) -> None:
    result = heat_oracle.evaluate("heat_template_version: 2021-04-16\nresources:\n  x: {type: OS::Nope::Thing}\n")
    assert result["template_validate"] is not None
    assert "OS::Nope::Thing" in result["template_validate"]["message"]
    assert [(e["where"], e["step"]) for e in result["validation_errors"]] == [("resources.x", "construct")]


def test_files_and_environment_are_used(heat_oracle: HeatOracle) -> None:
    template = """
heat_template_version: 2021-04-16
parameters:
  p: {type: string}
resources:
  nested:
    type: My::Thing
    properties:
      script: {get_file: scripts/run.sh}
      p: {get_param: p}
"""
    nested = "heat_template_version: 2021-04-16\nparameters:\n  script: {type: string}\n  p: {type: string}\n"
    result = heat_oracle.evaluate(
        template,
        files={"scripts/run.sh": "#!/bin/sh\necho hi\n", "thing.yaml": nested},
        environment={"resource_registry": {"My::Thing": "thing.yaml"}, "parameter_defaults": {"p": "dflt"}},
    )
    res = result["resources"]["nested"]
    assert unwrap(res["implementation"]) == {"kind": "Template", "name": "My::Thing", "value": "thing.yaml"}
    assert unwrap(res["properties"]) == {"script": "#!/bin/sh\necho hi\n", "p": "dflt"}
    assert result["validation_errors"] == []


def test_snippet_request(heat_oracle: HeatOracle) -> None:
    snippet = {"str_replace": {"template": "x=$n", "params": {"$n": {"get_param": "count"}}}}
    result = heat_oracle.snippet(EXAMPLE, snippet, parameters={"env": "prod", "count": 5})
    assert "error" not in result and result["value"] == "x=5"
    assert heat_oracle.snippet(None, {"list_concat_unique": [[1, 2], [2, 3]]})["value"] == [1, 2, 3]
    failed = heat_oracle.snippet(None, {"get_param": "missing"})
    assert failed["error"]["type"] == "UserParameterMissing"


def test_values_json_cannot_carry_are_tagged(heat_oracle: HeatOracle) -> None:
    result = heat_oracle.evaluate("heat_template_version: 2021-04-16\n"
                                  "resources:\n  v:\n    type: OS::Heat::Value\n    properties:\n"
                                  "      value: {1: one, 2: two}\n")
    value = unwrap(result["resources"]["v"]["properties"])["value"]
    assert value == {"__type__": "dict", "__items__": [[1, "one"], [2, "two"]]}


def test_bad_requests_do_not_kill_the_worker(heat_oracle: HeatOracle) -> None:
    pid = heat_oracle.ping()["pong"]["pid"]
    assert heat_oracle.request_line("this is not json")["request_error"]["type"] == "JSONDecodeError"
    assert heat_oracle.request_line("[1, 2]")["request_error"]["type"] == "BadRequest"
    assert heat_oracle.request({"bogus": 1})["request_error"]["type"] == "BadRequest"
    assert heat_oracle.request({"op": "explode"})["request_error"]["type"] == "BadRequest"
    assert heat_oracle.request({"template": 42})["request_error"]["type"] == "BadRequest"
    assert heat_oracle.ping()["pong"]["pid"] == pid
    assert evaluate_example(heat_oracle)["parse_error"] is None


def test_hanging_request_restarts_the_worker(heat_oracle: HeatOracle) -> None:
    before = heat_oracle.starts
    old_pid = heat_oracle.ping()["pong"]["pid"]
    with pytest.raises(HeatOracleTimeout):
        heat_oracle.request({"op": "sleep", "seconds": 60}, timeout=1)
    assert unwrap(evaluate_example(heat_oracle)["outputs"]["o1"]) == "a,b,c"
    assert heat_oracle.starts == before + 1
    assert heat_oracle.ping()["pong"]["pid"] != old_pid
