"""Hypothesis strategies for whole HOT templates, valid and not, with their nested templates and environments.

The shapes follow what h2k translates (servers, volumes and attachments, security groups, groups,
provider templates, software deployments, load balancers, floating IPs) so that the back-ends run,
and every value may instead be a nested intrinsic call, a dangling reference or the wrong type, so
that the front-end's refusals run too.
"""

from __future__ import annotations

from typing import Any

import yaml
from harness import Case
from hypothesis import strategies as st

VERSIONS = ["2013-05-23", "2015-04-30", "2016-10-14", "2017-09-01", "2018-08-31", "2021-04-16", "wallaby",
            "2013-05-32", "", "1"]
NAMES = ["a", "b", "srv", "vol", "sg", "grp", "cfg", "dep", "lb", "fip", "x-y", "Ü", "1"]
PARAMS = ["p_str", "p_num", "p_list", "p_json", "p_bool", "p_secret", "missing"]
CONDITIONS = ["c_yes", "c_no", "c_missing"]
TEXT = st.text(alphabet="ab-_ %$:/.0{}\n", max_size=8)
SCALAR = st.one_of(TEXT, st.integers(-2, 70000), st.booleans(), st.none(), st.floats(allow_nan=False, width=16))
ATTRIBUTES = ["first_address", "networks", "show", "name", "vip_address", "floating_ip_address", "value",
              "refs", "resource.0", "deploy_stdout", "outputs", "x"]


def _draw_name(draw: st.DrawFn, names: list[str]) -> str:
    known: int = draw(st.integers(0, 5))
    pool = names if names and known else NAMES
    return draw(st.sampled_from(pool))


@st.composite
def values(draw: st.DrawFn, names: list[str], depth: int = 0) -> Any:
    """A property value: plain data or a call of one of Heat's functions, nested up to three deep."""
    if depth >= 3 or draw(st.integers(0, 2 + depth)) > 1:
        return draw(st.one_of(SCALAR, st.lists(SCALAR, max_size=3), st.dictionaries(TEXT, SCALAR, max_size=2)))
    inner = values(names, depth + 1)
    kind = draw(st.sampled_from(["get_param", "get_resource", "get_attr", "str_replace", "list_join", "if",
                                 "repeat", "yaql", "get_file", "map_merge", "Fn::Select", "digest", "str_split",
                                 "list_concat", "equals", "unknown"]))
    if kind == "get_param":
        return {"get_param": draw(st.one_of(st.sampled_from(PARAMS), st.lists(st.sampled_from([*PARAMS, "0"]),
                                                                               min_size=1, max_size=3), SCALAR))}
    if kind == "get_resource":
        return {"get_resource": draw(st.one_of(st.just(_draw_name(draw, names)), SCALAR))}
    if kind == "get_attr":
        path = [_draw_name(draw, names), draw(st.sampled_from(ATTRIBUTES))]
        return {"get_attr": draw(st.one_of(st.just(path), st.just([*path, draw(st.integers(-1, 2))]), SCALAR))}
    if kind == "str_replace":
        return {"str_replace": {"template": draw(inner), "params": draw(st.dictionaries(TEXT, inner, max_size=2))}}
    if kind == "list_join":
        return {"list_join": [draw(st.sampled_from([",", " ", 1])), draw(st.lists(inner, max_size=3))]}
    if kind == "if":
        return {"if": [draw(st.sampled_from([*CONDITIONS, True])), draw(inner), draw(inner)]}
    if kind == "repeat":
        return {"repeat": {"template": draw(inner), "for_each": {"%x%": draw(st.one_of(st.lists(TEXT, max_size=3),
                                                                                       inner))}}}
    if kind == "yaql":
        return {"yaql": {"expression": draw(st.sampled_from(["$.data.a", "1 +", "$.data.a.len()", "range(3)"])),
                         "data": {"a": draw(inner)}}}
    if kind == "get_file":
        return {"get_file": draw(st.sampled_from(["script.sh", "../escape", "http://example.com/x", "nested.yaml"]))}
    if kind == "map_merge":
        return {"map_merge": draw(st.lists(inner, max_size=2))}
    if kind == "Fn::Select":
        return {"Fn::Select": [draw(st.integers(-1, 3)), draw(inner)]}
    if kind == "digest":
        return {"digest": [draw(st.sampled_from(["sha256", "md5", "nope"])), draw(inner)]}
    if kind == "str_split":
        return {"str_split": [",", draw(inner), *draw(st.lists(st.integers(-1, 2), max_size=1))]}
    if kind == "list_concat":
        return {"list_concat": draw(st.lists(inner, max_size=2))}
    if kind == "equals":
        return {"equals": [draw(inner), draw(inner)]}
    return {draw(st.sampled_from(["get_params", "Ref", "resolve"])): draw(inner)}


@st.composite
def parameter(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(PARAMS[:-1]))
    kind: Any = {"p_str": "string", "p_num": "number", "p_list": "comma_delimited_list", "p_json": "json",
            "p_bool": "boolean", "p_secret": "string"}[name]
    if draw(st.integers(0, 6)) == 0:
        kind = draw(st.sampled_from(["String", "integer", "list", "CommaDelimitedList", "", 3]))
    body: dict[str, Any] = {"type": kind}
    if draw(st.booleans()):
        body["default"] = draw(st.one_of(SCALAR, st.lists(SCALAR, max_size=2), st.dictionaries(TEXT, SCALAR,
                                                                                                   max_size=2)))
    if name == "p_secret" or draw(st.integers(0, 4)) == 0:
        body["hidden"] = draw(st.one_of(st.booleans(), st.just("yes")))
    constraints = []
    for _ in range(draw(st.integers(0, 2))):
        constraints.append(draw(st.sampled_from([
            {"length": {"min": draw(st.integers(-1, 5)), "max": draw(st.integers(0, 9))}},
            {"range": {"min": draw(st.integers(-5, 5))}},
            {"allowed_values": draw(st.lists(SCALAR, max_size=3))},
            {"allowed_pattern": draw(st.sampled_from(["[a-z]+", "(", ".*", "\\d{2,}"]))},
            {"custom_constraint": draw(st.sampled_from(["nova.flavor", "glance.image", "nope"]))},
            {"modulo": {"step": 2, "offset": 1}},
            "not a mapping",
        ])))
    if constraints:
        body["constraints"] = constraints
    if draw(st.integers(0, 5)) == 0:
        body["label"], body["immutable"] = draw(TEXT), draw(st.booleans())
    return name, body


def _server(draw: st.DrawFn, names: list[str]) -> dict[str, Any]:
    props: dict[str, Any] = {"image": draw(st.one_of(st.just("cirros"), values(names))),
                             "flavor": draw(st.one_of(st.sampled_from(["m1.small", "m1.tiny", "nope"]),
                                                      values(names)))}
    if draw(st.booleans()):
        props["security_groups"] = [draw(values(names))]
    if draw(st.booleans()):
        props["user_data"] = draw(st.sampled_from(["#!/bin/sh\necho hi\n", "#cloud-config\npackages: [nginx]\n",
                                                   "x"]))
        props["user_data_format"] = draw(st.sampled_from(["RAW", "SOFTWARE_CONFIG", "HEAT_CFNTOOLS", "bad"]))
    if draw(st.booleans()):
        props["networks"] = draw(st.one_of(st.just([{"network": "private"}]), values(names)))
    if draw(st.booleans()):
        props["key_name"] = draw(values(names))
    resource: dict[str, Any] = {"type": "OS::Nova::Server", "properties": props}
    if draw(st.booleans()):
        resource["metadata"] = {"h2k.io/image": draw(st.sampled_from(["nginx:1", "", "UPPER"])),
                                "h2k.io/port": draw(st.one_of(st.just([80]), st.integers(-1, 70000), TEXT))}
    return resource


def _resource(draw: st.DrawFn, names: list[str]) -> dict[str, Any]:
    kind = draw(st.sampled_from(["server", "volume", "attachment", "sg", "group", "asg", "nested", "config",
                                 "deployment", "lb", "listener", "pool", "member", "fip", "fipassoc", "random",
                                 "wait", "unknown", "broken"]))
    value = values(names)
    if kind == "server":
        return _server(draw, names)
    if kind == "volume":
        return {"type": "OS::Cinder::Volume", "properties": {"size": draw(st.one_of(st.integers(-1, 50), value)),
                                                             "volume_type": draw(st.one_of(TEXT, value))}}
    if kind == "attachment":
        return {"type": "OS::Cinder::VolumeAttachment",
                "properties": {"instance_uuid": {"get_resource": _draw_name(draw, names)},
                               "volume_id": draw(st.one_of(st.just({"get_resource": _draw_name(draw, names)}), value)),
                               "mountpoint": draw(st.sampled_from(["/dev/vdb", "/data", "", 7]))}}
    if kind == "sg":
        rule = {"protocol": draw(st.sampled_from(["tcp", "udp", "icmp", "sctp", "99", None])),
                "port_range_min": draw(st.one_of(st.integers(-1, 70000), value)),
                "port_range_max": draw(st.integers(-1, 70000)),
                "remote_ip_prefix": draw(st.sampled_from(["0.0.0.0/0", "10.0.0.0/33", "::/0", "x"])),
                "direction": draw(st.sampled_from(["ingress", "egress", "sideways"]))}
        return {"type": "OS::Neutron::SecurityGroup", "properties": {"rules": draw(st.one_of(st.just([rule]),
                                                                                             value))}}
    if kind in ("group", "asg"):
        definition = draw(st.one_of(st.just(_server(draw, names)), st.just({"type": "nested.yaml"}), value))
        if kind == "group":
            return {"type": "OS::Heat::ResourceGroup",
                    "properties": {"count": draw(st.one_of(st.integers(-1, 4), value)), "resource_def": definition}}
        return {"type": "OS::Heat::AutoScalingGroup",
                "properties": {"min_size": draw(st.integers(-1, 3)), "max_size": draw(st.integers(0, 5)),
                               "resource": definition}}
    if kind == "nested":
        return {"type": draw(st.sampled_from(["nested.yaml", "My::Nested", "missing.yaml", "My::Unmapped"])),
                "properties": {"name": draw(value)}}
    if kind == "config":
        return {"type": "OS::Heat::SoftwareConfig",
                "properties": {"group": draw(st.sampled_from(["script", "ansible", "ungrouped"])),
                               "config": draw(st.one_of(st.just("#!/bin/sh\necho $foo\n"), value)),
                               "inputs": [{"name": "foo"}]}}
    if kind == "deployment":
        return {"type": "OS::Heat::SoftwareDeployment",
                "properties": {"config": {"get_resource": _draw_name(draw, names)},
                               "server": {"get_resource": _draw_name(draw, names)},
                               "input_values": {"foo": draw(value)}}}
    if kind == "lb":
        return {"type": "OS::Octavia::LoadBalancer", "properties": {"vip_subnet": draw(value)}}
    if kind == "listener":
        return {"type": "OS::Octavia::Listener",
                "properties": {"loadbalancer": {"get_resource": _draw_name(draw, names)},
                               "protocol": draw(st.sampled_from(["HTTP", "TCP", "UDP", "bad"])),
                               "protocol_port": draw(st.one_of(st.integers(-1, 70000), value))}}
    if kind == "pool":
        return {"type": "OS::Octavia::Pool",
                "properties": {"listener": {"get_resource": _draw_name(draw, names)},
                               "lb_algorithm": "ROUND_ROBIN", "protocol": "HTTP"}}
    if kind == "member":
        return {"type": "OS::Octavia::PoolMember",
                "properties": {"pool": {"get_resource": _draw_name(draw, names)},
                               "address": {"get_attr": [_draw_name(draw, names), "first_address"]},
                               "protocol_port": draw(st.integers(0, 70000)), "subnet": draw(value)}}
    if kind == "fip":
        return {"type": "OS::Neutron::FloatingIP", "properties": {"floating_network": draw(value)}}
    if kind == "fipassoc":
        kind = draw(st.sampled_from(["OS::Nova::FloatingIPAssociation", "OS::Neutron::FloatingIPAssociation"]))
        return {"type": kind,
                "properties": {"floating_ip": {"get_resource": _draw_name(draw, names)},
                               "server_id": {"get_resource": _draw_name(draw, names)}}}
    if kind == "random":
        return {"type": "OS::Heat::RandomString", "properties": {"length": draw(st.one_of(st.integers(-1, 64),
                                                                                          value))}}
    if kind == "wait":
        return {"type": "OS::Heat::WaitCondition", "properties": {"timeout": draw(value)}}
    if kind == "unknown":
        return {"type": draw(st.sampled_from(["OS::Nova::KeyPair", "OS::Swift::Container", "AWS::EC2::Instance"])),
                "properties": {"name": draw(value)}}
    return draw(st.one_of(SCALAR, st.just({"properties": {}}), st.just({"type": None}),
                          st.just({"type": "OS::Nova::Server", "properties": [1]})))


def _decorate(draw: st.DrawFn, resource: Any, names: list[str]) -> Any:
    """The attributes every resource may carry: conditions, dependencies, deletion policy, a typo."""
    if not isinstance(resource, dict):
        return resource
    if draw(st.integers(0, 3)) == 0:
        resource["condition"] = draw(st.one_of(st.sampled_from(CONDITIONS), st.booleans(),
                                               st.just({"not": "c_yes"})))
    if draw(st.integers(0, 3)) == 0:
        resource["depends_on"] = draw(st.one_of(st.just(_draw_name(draw, names)),
                                                st.lists(st.sampled_from(NAMES), max_size=2)))
    if draw(st.integers(0, 8)) == 0:
        resource[draw(st.sampled_from(["deletion_policy", "update_policy", "propertys", "external_id"]))] = \
            draw(values(names))
    return resource


@st.composite
def templates(draw: st.DrawFn) -> Case:
    """A template with its provider template and environment file (sometimes broken, sometimes absent)."""
    version = draw(st.sampled_from(VERSIONS[:7] if draw(st.integers(0, 7)) else VERSIONS))
    document: dict[str, Any] = {"heat_template_version": version}
    if draw(st.booleans()):
        document["description"] = draw(st.one_of(TEXT, SCALAR))
    params = dict(draw(st.lists(parameter(), max_size=4)))
    if params:
        document["parameters"] = params
    if draw(st.booleans()):
        document["conditions"] = {
            "c_yes": {"equals": [{"get_param": draw(st.sampled_from(PARAMS))}, draw(SCALAR)]},
            "c_no": draw(st.one_of(st.just({"not": "c_yes"}), st.just({"and": ["c_yes", {"or": [True]}]}),
                                   st.booleans(), SCALAR)),
        }
    names = draw(st.lists(st.sampled_from(NAMES), min_size=0, max_size=6, unique=True))
    document["resources"] = {name: _decorate(draw, _resource(draw, names), names) for name in names}
    if draw(st.integers(0, 6)) == 0:
        document["resources"] = draw(st.one_of(SCALAR, st.lists(SCALAR, max_size=2)))
    if draw(st.booleans()):
        document["outputs"] = {"out": {"value": draw(values(names))},
                               "bad": draw(st.one_of(SCALAR, st.just({"description": "no value"})))}
    if draw(st.integers(0, 8)) == 0:
        document[draw(st.sampled_from(["parameter_groups", "resource", "Outputs"]))] = draw(values(names))
    files = {"script.sh": "#!/bin/sh\necho fuzz\n"}
    if draw(st.booleans()):
        nested_params = {"name": {"type": "string", "default": "n"}}
        nested: dict[str, Any] = {"heat_template_version": draw(st.sampled_from(VERSIONS[:6])),
                                  "parameters": nested_params,
                                  "resources": {"inner": _server(draw, ["inner"])},
                                  "outputs": {"value": {"value": {"get_param": "name"}}}}
        files["nested.yaml"] = yaml.safe_dump(nested, sort_keys=False)
    environments: tuple[str, ...] = ()
    if draw(st.booleans()):
        env: dict[str, Any] = {}
        if draw(st.booleans()):
            env["parameters"] = {draw(st.sampled_from(PARAMS)): draw(SCALAR)}
        if draw(st.booleans()):
            env["parameter_defaults"] = {draw(st.sampled_from(PARAMS)): draw(st.one_of(SCALAR, st.lists(SCALAR,
                                                                                                     max_size=2)))}
        if draw(st.booleans()):
            env["resource_registry"] = {"My::Nested": draw(st.sampled_from(["nested.yaml", "missing.yaml",
                                                                              "OS::Nova::Server", "My::Nested"])),
                                        "OS::Cinder::*": draw(st.sampled_from(["OS::Cinder::*", "nested.yaml"]))}
        if draw(st.integers(0, 5)) == 0:
            env["resource_regsitry"] = {}
        files["env.yaml"] = yaml.safe_dump(env, sort_keys=False) if draw(st.integers(0, 8)) else "parameters: ["
        environments = ("env.yaml",)
    parameters = tuple(f"{name}={value}" for name, value in draw(st.dictionaries(st.sampled_from(PARAMS),
                                                                                  st.sampled_from(["1", "x", "a,b",
                                                                                                   "{}", "true", ""]),
                                                                                  max_size=2)).items())
    return Case(template=yaml.safe_dump(document, sort_keys=False, allow_unicode=True), files=files,
                environments=environments, parameters=parameters)
