"""No secret leaves h2k by accident: hidden parameter values are kept out of every file and message.

Values of `hidden: true` parameters (passwords, keys) must never land in a manifest, a report or
a log. Before anything is written, every output file is searched for them (as given, escaped as
JSON, and each long line of a multi-line value, which YAML re-indents); a file that would contain
one stops the run (H2K410), and diagnostics and IR dumps show `******` instead.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable

from h2k.diagnostics.model import Diagnostic
from h2k.ir.expr import to_data
from h2k.ir.nodes import Parameter, Stack

MASK = "******"
# Shorter values would match by chance everywhere; Heat's own hidden values are passwords and keys.
MIN_LENGTH = 4
# A line of a multi-line value (a key's base64 body) is searched alone only when it is this long:
# short lines (`fi`, `#!/bin/sh`) of a hidden script are everywhere.
MIN_LINE_LENGTH = 16


def secret_values(stack: Stack) -> dict[str, Parameter]:
    """Each sensitive string and the parameter it belongs to."""
    found: dict[str, Parameter] = {}
    for parameter in stack.parameters:
        if not parameter.hidden:
            continue
        for expr in (parameter.value, parameter.default):
            if expr is None:
                continue
            data = to_data(expr)
            for text in _strings(data):
                for form in _forms(text):
                    if len(form) >= MIN_LENGTH:
                        found[form] = parameter
    return found


def _forms(text: str) -> list[str]:
    """The value as a file or a message may hold it: as is, escaped in JSON, and line by line.

    A multi-line value (a private key) is escaped in JSON and the IR dump, and re-indented in a YAML
    block, so the whole value would not be found there; each of its long lines still is.
    """
    forms = [text, json.dumps(text, ensure_ascii=False)[1:-1], json.dumps(text)[1:-1]]
    if "\n" in text:
        forms += [line.strip() for line in text.splitlines() if len(line.strip()) >= MIN_LINE_LENGTH]
    return list(dict.fromkeys(forms))


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)] + [",".join(map(str, data))]
    if isinstance(data, dict):
        return [s for item in data.values() for s in _strings(item)] + [json.dumps(data)]
    return [] if data is None or isinstance(data, bool) else [str(data)]


def salts(stack: Stack) -> list[str]:
    """The salts of RandomStrings: changing one regenerates the value, so a dump for a log hides them too."""
    found = []
    for resource in stack.resources:
        salt = resource.properties.get("salt") if resource.type == "OS::Heat::RandomString" else None
        data = None if salt is None else to_data(salt)
        if isinstance(data, str) and len(data) >= MIN_LENGTH:
            found.append(data)
    return found


def mask(text: str, secrets: Iterable[str]) -> str:
    for value in sorted(secrets, key=len, reverse=True):
        text = text.replace(value, MASK)
    return text


def masked_diagnostics(diagnostics: list[Diagnostic], secrets: dict[str, Parameter]) -> list[Diagnostic]:
    if not secrets:
        return diagnostics
    return [
        d if mask(d.message, secrets) == d.message else dataclasses.replace(d, message=mask(d.message, secrets))
        for d in diagnostics
    ]


def leaks(files: dict[str, bytes], secrets: dict[str, Parameter],
          cut_from: dict[str, str] | None = None) -> list[tuple[str, Parameter]]:
    """(file, parameter) for every output file that contains a hidden value.

    `cut_from` maps files copied out of the user's own template (the residual stack) to that
    template's text: the user's text may hold the value by coincidence (a default of `admin`,
    and "admin" in a description), so there a value counts only where it appears more often than
    in the template outside the hidden defaults, which are never copied.
    """
    found = []
    for name, content in sorted(files.items()):
        text = content.decode("utf-8", errors="replace")
        source = (cut_from or {}).get(name)
        for value, parameter in secrets.items():
            # A default the template writes otherwise (a YAML block, an escape) is not in its text as is.
            allowed = 0 if source is None else max(0, source.count(value) - _in_defaults(value, secrets))
            if text.count(value) > allowed:
                found.append((name, parameter))
                break
    return found


def _in_defaults(value: str, secrets: dict[str, Parameter]) -> int:
    """How often the hidden defaults hold the value (a line of a multi-line default counts too)."""
    parameters = {id(p): p for p in secrets.values()}.values()
    count = 0
    for parameter in parameters:
        default = None if parameter.default is None else to_data(parameter.default)
        if isinstance(default, str):
            count += default.count(value)
        elif default == value:
            count += 1
    return count
