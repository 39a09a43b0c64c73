"""Deterministic YAML and JSON text for Kubernetes objects.

Generated manifests are compared byte for byte (golden tests, ``--check``, code review), so
the same object must always give the same text, and the text must read back as the same
object in every YAML reader Kubernetes tooling uses, not only in PyYAML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import yaml

__all__ = ["to_json", "to_yaml", "to_yaml_stream"]

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"

# Wide enough that no scalar is ever folded; fits the C emitter's int width.
_WIDTH = 2**31 - 1

# Characters that only survive a round trip as escapes: the loader normalises raw \r and
# \x85 to \n, and \u2028/\u2029/\ufeff are line breaks or invisible markers a reader may
# treat differently. The pure-Python emitter writes them raw in single-quoted and literal
# scalars when unicode is allowed, so strings holding them are always double-quoted.
_ESCAPE_ONLY = frozenset("\r\x85\u2028\u2029\ufeff")

# Plain scalars PyYAML reads as strings but other readers do not: YAML 1.1 booleans that
# PyYAML omits (go-yaml v2, used by kubectl, reads "y" and "n" as booleans) and numbers in
# YAML 1.2 or Go syntax ("08", "1e3", "0o644"). Quoting them costs nothing and keeps a
# string a string wherever the manifest is read.
_EXTRA_BOOLS = frozenset({"y", "Y", "n", "N"})
_NUMBER_LIKE = re.compile(
    r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?0[oO][0-7_]+|[-+]?0[xX][0-9a-fA-F_]+|[-+]?0[bB][01_]+"
)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    """Multi-line text as a literal block; strings other readers would retype, quoted."""
    style: str | None = None
    if _ESCAPE_ONLY.intersection(data):
        style = '"'
    elif "\n" in data:
        # The emitter itself falls back to a quoted style when a literal block cannot hold
        # the text (trailing spaces on a line, tabs, control characters).
        style = "|"
    elif data in _EXTRA_BOOLS or _NUMBER_LIKE.fullmatch(data):
        style = "'"
    return dumper.represent_scalar(_STR_TAG, data, style=style)


def _represent_tuple(dumper: yaml.SafeDumper, data: tuple[Any, ...]) -> yaml.SequenceNode:
    """Tuples as lists, as ``json.dumps`` does, so both formats accept the same input."""
    return dumper.represent_sequence(_SEQ_TAG, data)


def _refuse(dumper: yaml.SafeDumper, data: Any) -> yaml.Node:
    """Sets have no stable order across runs, so they would make the output nondeterministic."""
    raise yaml.representer.RepresenterError(f"cannot represent {type(data).__name__} deterministically")


def _dumper_class(base: type[yaml.SafeDumper]) -> type[yaml.SafeDumper]:
    """Build the dumper on ``base`` (C or pure Python); both share the same representers."""

    class Dumper(base):  # type: ignore[valid-type, misc]
        def ignore_aliases(self, data: Any) -> bool:
            # Objects shared between places in a manifest (one labels dict used for both
            # metadata and selector) are written out in full, never as &anchor/*alias.
            return True

    Dumper.add_representer(str, _represent_str)
    Dumper.add_representer(tuple, _represent_tuple)
    Dumper.add_representer(set, _refuse)
    Dumper.add_representer(frozenset, _refuse)
    return Dumper


# The pure-Python emitter, always: libyaml's emitter writes some text differently (it escapes
# characters outside the BMP), and PyYAML may be installed with or without libyaml, so only
# the pure emitter gives the same bytes on every machine. Manifests are small; speed is moot.
_Dumper = _dumper_class(yaml.SafeDumper)


def to_yaml(obj: Any) -> str:
    """One YAML document, block style, keys in insertion order, LF endings, final newline."""
    text: str = yaml.dump(
        obj,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=_WIDTH,
        line_break="\n",
        explicit_start=False,
    )
    return text


def to_yaml_stream(objs: Iterable[Any]) -> str:
    """A multi-document stream; every document starts with ``---`` on its own line."""
    return "".join("---\n" + to_yaml(obj) for obj in objs)


def to_json(obj: Any) -> str:
    """Indented JSON in insertion order; NaN and infinities are refused as JSON has none."""
    return json.dumps(obj, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
