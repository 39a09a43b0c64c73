"""No secret leaves h2k by accident: hidden parameter values are kept out of every file and message.

Values of `hidden: true` parameters (passwords, keys) must never land in a manifest, a report or
a log. Before anything is written, every output file is searched for them; a file that would
contain one stops the run (H2K410), and diagnostics and IR dumps show `******` instead.
"""

from __future__ import annotations

import dataclasses
import json

from h2k.diagnostics.model import Diagnostic
from h2k.ir.expr import to_data
from h2k.ir.nodes import Parameter, Stack

MASK = "******"
# Shorter values would match by chance everywhere; Heat's own hidden values are passwords and keys.
MIN_LENGTH = 4


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
                if len(text) >= MIN_LENGTH:
                    found[text] = parameter
    return found


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)] + [",".join(map(str, data))]
    if isinstance(data, dict):
        return [s for item in data.values() for s in _strings(item)] + [json.dumps(data)]
    return [] if data is None or isinstance(data, bool) else [str(data)]


def mask(text: str, secrets: dict[str, Parameter]) -> str:
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
            allowed = 0 if source is None else source.count(value) - _defaults_equal_to(value, secrets)
            if text.count(value) > allowed:
                found.append((name, parameter))
                break
    return found


def _defaults_equal_to(value: str, secrets: dict[str, Parameter]) -> int:
    parameters = {id(p): p for p in secrets.values()}.values()
    return sum(1 for p in parameters if p.default is not None and to_data(p.default) == value)
