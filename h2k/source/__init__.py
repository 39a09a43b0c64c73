"""Text to YAML nodes that carry spans: safe loading, Heat's scalar rules, limits, findings."""

from h2k.source.limits import Limits
from h2k.source.loader import SourceFile, load_file, load_text
from h2k.source.nodes import Node, YMap, YScalar, YSeq, to_python

__all__ = ["Limits", "Node", "SourceFile", "YMap", "YScalar", "YSeq", "load_file", "load_text", "to_python"]
