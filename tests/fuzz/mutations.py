"""A mutation fuzzer seeded with real templates: small, plausible damage that hand-written cases miss.

Each mutation works on the parsed document (delete, duplicate, retype, reorder keys; inject a
function or a reference; swap a resource type; change the version) or on the text (truncate, repeat
or drop a line, insert stray characters). `mutate(text, seed)` is a pure function of its arguments,
so a failing seed reproduces anywhere.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import yaml

VERSIONS = ["2013-05-23", "2015-10-15", "2016-10-14", "2018-08-31", "2021-04-16", "queens", "2099-01-01", 3]
TYPES = ["OS::Nova::Server", "OS::Cinder::Volume", "OS::Cinder::VolumeAttachment", "OS::Neutron::SecurityGroup",
         "OS::Heat::ResourceGroup", "OS::Heat::AutoScalingGroup", "OS::Heat::SoftwareConfig",
         "OS::Heat::SoftwareDeployment", "OS::Octavia::LoadBalancer", "OS::Neutron::FloatingIP",
         "OS::Heat::RandomString", "OS::Zun::Container", "OS::Heat::WaitCondition", "nested.yaml", "Not::A::Type"]
FILLERS: list[Any] = [None, "", 0, -1, 65536, 1.5, True, "x" * 300, [], {}, [None], {"a": None}, "{{", "%x%", "*"]


def _nodes(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every (path, node) of the document, depth first, in document order."""
    found = [(path, document)]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _nodes(value, (*path, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _nodes(value, (*path, index))
    return found


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return document


def _containers(document: Any, kind: type) -> list[tuple[tuple[Any, ...], Any]]:
    return [(p, n) for p, n in _nodes(document) if isinstance(n, kind) and n]


def _resource_names(document: Any) -> list[str]:
    resources = document.get("resources") if isinstance(document, dict) else None
    return [str(k) for k in resources] if isinstance(resources, dict) else ["nothing"]


def delete_key(document: Any, rng: random.Random) -> Any:
    maps = _containers(document, dict)
    if maps:
        _, node = rng.choice(maps)
        del node[rng.choice(list(node))]
    return document


def duplicate_key(document: Any, rng: random.Random) -> Any:
    """A key copied under a sibling's name (YAML text duplicates are done by `repeat_line`)."""
    maps = _containers(document, dict)
    if maps:
        _, node = rng.choice(maps)
        key = rng.choice(list(node))
        node[f"{key}{rng.choice(['', '_', '2'])}" if rng.random() < 0.5 else rng.choice(list(node))] = node[key]
    return document


def retype_value(document: Any, rng: random.Random) -> Any:
    nodes = _nodes(document)[1:]
    if nodes:
        path, node = rng.choice(nodes)
        options = [*FILLERS, [node], {"value": node}, str(node)]
        document = _replace(document, path, rng.choice(options))
    return document


def reorder_keys(document: Any, rng: random.Random) -> Any:
    maps = _containers(document, dict)
    if maps:
        path, node = rng.choice(maps)
        items = list(node.items())
        rng.shuffle(items)
        document = _replace(document, path, dict(items))
    return document


def inject_function(document: Any, rng: random.Random) -> Any:
    nodes = _nodes(document)[1:]
    if nodes:
        path, node = rng.choice(nodes)
        names = _resource_names(document)
        name = rng.choice([*names, "ghost"])
        call = rng.choice([
            {"get_resource": name}, {"get_attr": [name, rng.choice(["first_address", "show", "nope"])]},
            {"get_param": rng.choice(["ghost", "OS::stack_name", ["ghost", 0]])},
            {"str_replace": {"template": "$a-b", "params": {"$a": node}}}, {"list_join": [",", [node, node]]},
            {"if": [rng.choice(["ghost", True]), node, None]},
            {"repeat": {"for_each": {"%i%": node}, "template": "%i%"}},
            {"get_file": rng.choice(["ghost.sh", "/etc/passwd", "../x"])}, {"Fn::GetAtt": [name, "x"]},
            {"yaql": {"expression": "$.data", "data": node}}, {"map_merge": [node, {}]}, {"digest": ["sha1", node]},
        ])
        document = _replace(document, path, call)
    return document


def swap_type(document: Any, rng: random.Random) -> Any:
    typed = [(p, n) for p, n in _nodes(document) if isinstance(n, dict) and "type" in n]
    if typed:
        _, node = rng.choice(typed)
        node["type"] = rng.choice(TYPES)
    return document


def change_version(document: Any, rng: random.Random) -> Any:
    if isinstance(document, dict):
        document["heat_template_version"] = rng.choice(VERSIONS)
    return document


TREE_MUTATIONS: list[Callable[[Any, random.Random], Any]] = [
    delete_key, duplicate_key, retype_value, reorder_keys, inject_function, swap_type, change_version]


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randrange(len(text) + 1)]


def repeat_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if lines:
        index = rng.randrange(len(lines))
        lines.insert(index, lines[index])
    return "".join(lines)


def drop_line(text: str, rng: random.Random) -> str:
    lines = text.splitlines(keepends=True)
    if lines:
        del lines[rng.randrange(len(lines))]
    return "".join(lines)


def insert_characters(text: str, rng: random.Random) -> str:
    at = rng.randrange(len(text) + 1)
    stray = rng.choice([":", "- ", "{", "[", "&a ", "*a", "!!str ", "\t", "'", "\\u00e9", "\n  "])
    return text[:at] + stray + text[at:]


TEXT_MUTATIONS: list[Callable[[str, random.Random], str]] = [truncate, repeat_line, drop_line, insert_characters]


def mutate(text: str, seed: int) -> tuple[str, list[str]]:
    """Apply one to three mutations chosen by `seed`; return the new text and their names."""
    rng = random.Random(seed)
    applied: list[str] = []
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.7:
            try:
                document = yaml.safe_load(text)
            except yaml.YAMLError:
                continue
            mutation = rng.choice(TREE_MUTATIONS)
            document = mutation(document, rng)
            text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        else:
            text_mutation = rng.choice(TEXT_MUTATIONS)
            text = text_mutation(text, rng)
            applied.append(text_mutation.__name__)
            continue
        applied.append(mutation.__name__)
    return text, applied
