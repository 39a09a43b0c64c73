"""Validating a config against the shipped `config.schema.json`, each error at the key it is about.

JSON Schema reports an error at the object that holds the problem; a user wants the line of the
key they mistyped, so an unknown key is reported at that key (with the closest known one), and
every other error at the key (or list item) whose value is wrong.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from h2k.config_files import ConfigText, KeyPath
from h2k.diagnostics.model import DiagnosticSink


@cache
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(resources.files("h2k").joinpath("config.schema.json").read_text("utf-8"))
    return loaded


def validate(text: ConfigText, sink: DiagnosticSink) -> bool:
    """Report every schema error as H2K903; True when there is none.

    A valid file (the usual case) is accepted by jsonschema-rs, which compiling imports anyway;
    the slower `jsonschema`, whose errors carry what `_explain` needs, is loaded only for an invalid one.
    """
    if _fast_check(text.data):
        return True
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(schema()).iter_errors(text.data),
                    key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        for path, message in _explain(error):
            sink.report("H2K903", f"{dotted(path)}: {message}", text.locate(path))
    return not errors


def _fast_check(data: object) -> bool:
    try:
        return bool(_fast_validator().is_valid(data))
    except (ValueError, TypeError):  # a value jsonschema-rs cannot take (a TOML date): let jsonschema say
        return False


@cache
def _fast_validator() -> Any:
    from jsonschema_rs import Draft202012Validator

    return Draft202012Validator(schema())


def _explain(error: Any) -> list[tuple[list[str | int], str]]:
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}))
        unknown = [key for key in error.instance if key not in known]
        if known and unknown:
            return [([*path, key], _unknown(key, known)) for key in unknown]
    return [(path, error.message)]


def _unknown(key: object, known: list[str]) -> str:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown key {key!r}; {hint}known keys: {', '.join(known)}"


def dotted(path: KeyPath) -> str:
    """`stacks[0].parameters.size`, as a user would name the key.

    >>> dotted(["stacks", 0, "template"]), dotted([])
    ('stacks[0].template', '(top level)')
    """
    shown = ""
    for step in path:
        shown += f"[{step}]" if isinstance(step, int) else (f".{step}" if shown else str(step))
    return shown or "(top level)"
