"""`--package helm`: the objects as a Helm chart whose values are the parameters that can change.

The chart is the `kubernetes/` folder of the output, like the other packagings, so it installs with
`helm install NAME OUT/kubernetes`:

    Chart.yaml                apiVersion v2, named after the stack
    values.yaml               `parameters:` the compiled values of the parameters that may change
                              (helm_values.py says which); `secrets:` and `configMaps:` empty, for
                              the values h2k never writes, which the user gives at install time
    values.schema.json        their Heat types and constraints (helm_schema.py)
    templates/<kind>-<name>.yaml

A template is the object as YAML with each text a value goes into written as an expression:
`{{ .Values.parameters.x | toJson }}` for a whole text, `{{ print "a" .Values.parameters.x "b" |
toJson }}` for part of one. `toJson` writes a JSON string, which YAML reads back as the same text
whatever the value holds, so no value can change the structure of an object. Text of the objects
that Helm would take for a template (`{{`) is escaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from h2k.backends.kubernetes.emit import Emitted
from h2k.backends.kubernetes.helm_schema import values_schema
from h2k.backends.kubernetes.helm_values import Exposed, Probed
from h2k.backends.kubernetes.package import file_name, ordered
from h2k.backends.kubernetes.secret import DEPLOY_TIME, KEY, KEYS_ANNOTATION
from h2k.output.serialize import to_yaml

CHART_VERSION = "0.1.0"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Where the values of the objects h2k writes without them live in values.yaml, and in which field.
SECTIONS = {"Secret": ("secrets", "stringData"), "ConfigMap": ("configMaps", "data")}


@dataclass(frozen=True, slots=True)
class Supplied:
    """A Secret or ConfigMap whose values the user gives at install time: its keys, and what they hold."""

    name: str
    keys: tuple[str, ...]
    need: str


def chart(name: str, source: str, description: str | None, probed: Probed) -> dict[str, bytes]:
    """The chart's files, under `kubernetes/`."""
    summary = f"Kubernetes objects compiled by h2k from the Heat template {source}"
    if description:
        summary += ": " + " ".join(description.split())
    files = {"kubernetes/Chart.yaml": to_yaml({"apiVersion": "v2", "name": name, "description": summary,
                                                "type": "application", "version": CHART_VERSION}).encode()}
    supplied: dict[str, dict[str, Supplied]] = {section: {} for section, _ in SECTIONS.values()}
    for item in ordered(probed.objects):
        found = _supplied(item)
        if found is not None:
            supplied[SECTIONS[item.kind][0]][item.name] = found
    files["kubernetes/values.yaml"] = _values_file(name, source, probed.exposed, supplied).encode()
    schema = values_schema({item.parameter.name: item.schema for item in probed.exposed},
                           {section: {entry.name: (list(entry.keys), entry.need) for entry in entries.values()}
                            for section, entries in supplied.items()})
    files["kubernetes/values.schema.json"] = (json.dumps(schema, indent=2) + "\n").encode()
    for item in ordered(probed.objects):
        files[f"kubernetes/templates/{file_name(item)}"] = _template(item, probed.sentinels).encode()
    return dict(sorted(files.items()))


def _supplied(item: Emitted) -> Supplied | None:
    annotations = item.object["metadata"].get("annotations", {})
    if item.kind not in SECTIONS or DEPLOY_TIME not in annotations:
        return None
    keys = str(annotations[KEYS_ANNOTATION]).split(",") if annotations.get(KEYS_ANNOTATION) else [KEY]
    return Supplied(item.name, tuple(keys), str(annotations[DEPLOY_TIME]))


# -- values.yaml -----------------------------------------------------------------------------------


def _values_file(name: str, source: str, exposed: list[Exposed], supplied: dict[str, dict[str, Supplied]]) -> str:
    lines = [f"# Values of {name}, compiled by h2k from {source}.",
             "# values.schema.json checks them as Heat checks the parameters. The template's other parameters",
             "# are compiled into the templates; h2k-report.md says why for each."]
    if exposed:
        lines.append("parameters:")
        for item in exposed:
            lines += _comment(item.parameter.description or "", "  # ")
            text = to_yaml({item.parameter.name: item.value}).rstrip("\n")
            lines += [f"  {line}" if line else line for line in text.split("\n")]
    else:
        lines.append("parameters: {}")
    for kind, (section, _) in SECTIONS.items():
        entries = supplied[section]
        if entries:
            first = next(iter(entries.values()))
            lines.append(f"# The {kind}s h2k writes without values, required at install time, e.g.")
            lines.append(f"#   helm install RELEASE . --set-file {section}.{first.name}.{first.keys[0]}=FILE")
            for entry in entries.values():
                lines += _comment(f"{entry.name} ({', '.join(entry.keys)}): {entry.need}", "#   ")
        lines.append(f"{section}: {{}}")
    return "\n".join(lines) + "\n"


def _comment(text: str, prefix: str) -> list[str]:
    return [f"{prefix}{line}".rstrip() for line in text.strip().splitlines()]


# -- templates -------------------------------------------------------------------------------------


def _template(item: Emitted, sentinels: dict[str, Exposed]) -> str:
    plain = to_yaml(item.object)
    marker = "H2kHelmValue"
    while marker in plain:
        marker += "X"
    expressions: list[str] = []

    def mark(expression: str) -> str:
        expressions.append(expression)
        return f"{marker}{len(expressions) - 1:04d}Z"

    finder = re.compile("|".join(re.escape(text) for text in sorted(sentinels, key=len, reverse=True))) \
        if sentinels else None

    def replaced(value: object) -> object:
        if isinstance(value, dict):
            return {key: replaced(item) for key, item in value.items()}
        if isinstance(value, list):
            return [replaced(item) for item in value]
        if isinstance(value, str) and finder is not None and finder.search(value):
            return mark(_expression(value, finder, sentinels))
        return value

    obj = replaced(item.object)
    supplied = _supplied(item)
    if supplied is not None:
        assert isinstance(obj, dict)
        section, field = SECTIONS[item.kind]
        obj[field] = {key: mark(_required(section, supplied, key)) for key in supplied.keys}
    text = to_yaml(obj).replace("{{", '{{ "{{" }}')
    for index, expression in enumerate(expressions):
        text = text.replace(f"{marker}{index:04d}Z", "{{ " + expression + " }}")
    return text


def _required(section: str, supplied: Supplied, key: str) -> str:
    """The value the user gives, or Helm stops with what it must hold (`dig`: missing is empty)."""
    message = f"{section}.{supplied.name}.{key} is required: {supplied.need}"
    return (f"required {_go_string(message)} (dig {_go_string(supplied.name)} {_go_string(key)} \"\" "
            f".Values.{section}) | toJson")


def _expression(text: str, finder: re.Pattern[str], sentinels: dict[str, Exposed]) -> str:
    parts: list[str] = []
    position = 0
    for found in finder.finditer(text):
        if found.start() > position:
            parts.append(_go_string(text[position:found.start()]))
        parts.append(_reference(sentinels[found.group()].parameter.name))
        position = found.end()
    if position < len(text):
        parts.append(_go_string(text[position:]))
    if len(parts) == 1:
        return f"{parts[0]} | toJson"
    return f"print {' '.join(parts)} | toJson"


def _reference(name: str) -> str:
    if _IDENTIFIER.fullmatch(name):
        return f".Values.parameters.{name}"
    return f"(index .Values.parameters {_go_string(name)})"


def _go_string(text: str) -> str:
    """A Go string literal: JSON's escapes are all valid in Go, and JSON leaves no raw line break."""
    return json.dumps(text, ensure_ascii=False)
