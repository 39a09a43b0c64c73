"""Which kind of document a loaded file is, from its top-level keys (as Heat decides)."""

from __future__ import annotations

import enum

from h2k.source.nodes import Node, YMap, YScalar


class Kind(enum.Enum):
    HOT = "hot"
    CFN = "cfn"
    TOSCA = "tosca"
    ENVIRONMENT = "environment"
    UNKNOWN = "unknown"


# Sections only a HOT template has: a template that lost its version line is still HOT.
HOT_SECTIONS = frozenset({"resources", "outputs", "parameter_groups", "conditions", "description"})
ENVIRONMENT_SECTIONS = frozenset({
    "parameters", "parameter_defaults", "resource_registry", "encrypted_param_names",
    "event_sinks", "parameter_merge_strategies",
})


def detect(root: Node) -> Kind:
    if isinstance(root, YScalar) and root.value is None:
        return Kind.HOT  # an empty file: Heat reads it as an empty template, which lacks a version
    if not isinstance(root, YMap):
        return Kind.UNKNOWN
    if "heat_template_version" in root:
        return Kind.HOT
    if "AWSTemplateFormatVersion" in root or "HeatTemplateFormatVersion" in root:
        return Kind.CFN
    if "tosca_definitions_version" in root:
        return Kind.TOSCA
    keys = set(root.keys())
    if keys & HOT_SECTIONS:
        return Kind.HOT
    if keys and keys <= ENVIRONMENT_SECTIONS:
        return Kind.ENVIRONMENT
    return Kind.HOT if not keys else Kind.UNKNOWN  # `{}` is a template without a version
