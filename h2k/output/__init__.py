"""Turning generated objects into deterministic text and writing it out as one owned tree."""

from h2k.output.serialize import to_json, to_yaml, to_yaml_stream
from h2k.output.tree import MARKER, OutputDirError, check_paths, diff_tree, write_tree

__all__ = [
    "MARKER",
    "OutputDirError",
    "check_paths",
    "diff_tree",
    "to_json",
    "to_yaml",
    "to_yaml_stream",
    "write_tree",
]
