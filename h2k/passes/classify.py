"""Decide what each resource becomes, from one table of rules; the rest is reported, not dropped.

A role names the kind of thing a resource is for the backends (`workload`, `volume`, ...);
types that stay on OpenStack by policy get the role `infrastructure` (placement.py decides the
rest); a resource type without a rule keeps an empty role and gets H2K301, so every resource of
the template is accounted for in the report.
"""

from __future__ import annotations

import dataclasses

from h2k.ir.expr import Literal, MapExpr
from h2k.ir.nodes import Resource, Stack
from h2k.passes.context import PassContext
from h2k.passes.placement import INFRASTRUCTURE_ROLE, RETIRED, TARGET_KEY, infrastructure_reason

# Roles whose resources are folded into other objects, or switched off, and get no object (nor
# name) of their own.
MERGED_ROLES = frozenset({"volume-attachment", "none", "key-pair", "scaling-policy", "alarm", "lb-listener", "lb-pool",
                          "lb-member", "lb-monitor", "floating-ip-association", "software-deployment",
                          "wait-condition", "wait-handle", "port", "test-resource", "lb-l7-policy", "lb-l7-rule"})

ROLES: dict[str, str] = {
    # Octavia and LBaaS v2: a load balancer is a Service; its listeners, pools, members and
    # monitors are parts of it, except that a listener with L7 policies is an Ingress.
    **{f"{prefix}::{kind}": role for prefix in ("OS::Octavia", "OS::Neutron::LBaaS") for kind, role in (
        ("LoadBalancer", "load-balancer"), ("Listener", "lb-listener"), ("Pool", "lb-pool"),
        ("PoolMember", "lb-member"), ("HealthMonitor", "lb-monitor"), ("L7Policy", "lb-l7-policy"),
        ("L7Rule", "lb-l7-rule"))},
    "OS::Nova::Server": "workload",
    "OS::Zun::Container": "container",
    "OS::Cinder::Volume": "volume",
    "OS::Cinder::VolumeAttachment": "volume-attachment",
    "OS::Cinder::VolumeType": "storage-class",
    "OS::Neutron::SecurityGroup": "network-policy",
    "OS::Nova::ServerGroup": "server-group",
    "OS::Nova::KeyPair": "key-pair",
    "OS::Heat::TestResource": "test-resource",
    "OS::Heat::RandomString": "secret",
    "OS::Neutron::FloatingIP": "floating-ip",
    "OS::Nova::FloatingIP": "floating-ip",
    "OS::Neutron::FloatingIPAssociation": "floating-ip-association",
    "OS::Nova::FloatingIPAssociation": "floating-ip-association",
    "OS::Heat::ScalingPolicy": "scaling-policy",
    "OS::Aodh::Alarm": "alarm",
    "OS::Aodh::GnocchiAggregationByResourcesAlarm": "alarm",
    "OS::Aodh::GnocchiResourcesAlarm": "alarm",
    "OS::Aodh::GnocchiAggregationByMetricsAlarm": "alarm",
    # Software configuration: configs a deployment runs are ConfigMaps, deployments are init
    # containers of their servers' pods, wait conditions are the pods' readiness.
    **dict.fromkeys(("OS::Heat::SoftwareConfig", "OS::Heat::StructuredConfig", "OS::Heat::CloudConfig",
                     "OS::Heat::MultipartMime"), "software-config"),
    **dict.fromkeys(("OS::Heat::SoftwareDeployment", "OS::Heat::StructuredDeployment",
                     "OS::Heat::SoftwareDeploymentGroup", "OS::Heat::StructuredDeploymentGroup",
                     "OS::Heat::SoftwareDeployments", "OS::Heat::StructuredDeployments"), "software-deployment"),
    **dict.fromkeys(("OS::Heat::WaitCondition", "OS::Heat::SwiftSignal"), "wait-condition"),
    **dict.fromkeys(("OS::Heat::WaitConditionHandle", "OS::Heat::SwiftSignalHandle"), "wait-handle"),
    # Nothing at all: the usual target of a registry entry that switches a resource off.
    "OS::Heat::None": "none",
}


def classify(stack: Stack, ctx: PassContext) -> Stack:
    resources = []
    for resource in stack.resources:
        role = ROLES.get(resource.type, "")
        if not role and infrastructure_reason(resource.type) is not None:
            role = INFRASTRUCTURE_ROLE
        elif not role and resource.type.startswith(RETIRED):
            ctx.sink.report("H2K304", f"resource {resource.name} ({resource.type}) belongs to a retired OpenStack "
                            "project that Heat no longer supports; it is not translated", resource.span)
        elif not role and _chosen_for_openstack(resource, ctx):
            pass  # it has a side: placement keeps it in the residual stack, and says so (H2K303)
        elif not role:
            ctx.sink.report("H2K301", f"resource {resource.name} ({resource.type}) is not translated yet",
                            resource.span)
        resources.append(dataclasses.replace(resource, role=role))
    return dataclasses.replace(stack, resources=tuple(resources))


def _chosen_for_openstack(resource: Resource, ctx: PassContext) -> bool:
    """Chosen for OpenStack (`targets:` in the config file, or metadata h2k.io/target), as placement reads it."""
    if resource.name in ctx.targets:
        return ctx.targets[resource.name] == "openstack"
    value = resource.metadata.get(TARGET_KEY) if isinstance(resource.metadata, MapExpr) else None
    return isinstance(value, Literal) and value.value == "openstack"
