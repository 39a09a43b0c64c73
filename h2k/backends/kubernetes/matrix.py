"""docs/conversion-matrix.md, generated from the emitters' own tables.

`python -m h2k.backends.kubernetes.matrix > docs/conversion-matrix.md`. Each emitter module
declares what every property it carries over becomes (`MAPPED`) and why each property it
drops is dropped (`REASONS`); this module only lays them out, so the document cannot drift
from the code (a test compares them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from h2k.backends.kubernetes import (
    attachments,
    autoscaling,
    floating_ip,
    ingress,
    key_pair,
    load_balancer,
    port,
    scheduling,
    secret,
    security_group,
    server,
    software_config,
    software_deployment,
    storage_class,
    virtual_machine,
    volume,
    wait_condition,
    zun_container,
)
from h2k.passes.classify import ROLES
from h2k.passes.placement import INFRASTRUCTURE, infrastructure_reason


@dataclass(frozen=True)
class Section:
    heat_type: str
    becomes: str
    mapped: dict[str, str]
    reasons: dict[str, str] = field(default_factory=dict)
    extra_title: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    note: str = ""


SECTIONS = (
    Section("OS::Nova::Server", "Deployment (apps/v1); with a group, its replicas or a HorizontalPodAutoscaler; "
            "in a group whose members each have a volume, a StatefulSet whose claim templates hold those volumes, "
            "with a headless Service",
            server.MAPPED, server.REASONS, "resource metadata", server.STEERING,
            "One replica, or the group's `count` (`desired_capacity`, else `min_size`, for an autoscaling group). "
            "With a mounted ReadWriteOnce claim the strategy is `Recreate`. A group's rolling-update settings "
            "(`max_batch_size`, `min_in_service`, `pause_time`) become `maxUnavailable` without surge, a "
            "PodDisruptionBudget (`minAvailable`) and `minReadySeconds` (H2K402, a note)."),
    Section("OS::Nova::Server on KubeVirt (`--servers kubevirt`, or metadata `h2k.io/target: kubevirt`)",
            "VirtualMachine (kubevirt.io/v1, `runStrategy: Always`), with a Secret `<vm>-userdata` for its boot data; "
            "in a group, one VirtualMachine per member (H2K434)", virtual_machine.MAPPED, virtual_machine.REASONS,
            note="The machine has one interface, on the pod network (masquerade). Its pods carry the labels its "
            "security groups, load balancers and server group give, so NetworkPolicies and Services select them as "
            "they select a container's; a load balancer's HTTP health monitor becomes its `readinessProbe`. Volumes "
            "attached to it are disks (OS::Cinder::VolumeAttachment); one made from a Glance image it uses is a "
            "DataVolume (OS::Cinder::Volume). Software deployments do not reach it (H2K412)."),
    Section("OS::Zun::Container", "Deployment (apps/v1), or a Job (batch/v1) when its restart policy is `no` or "
            "`on-failure`", zun_container.MAPPED, zun_container.REASONS, "resource metadata",
            {"h2k.io/port": server.STEERING["h2k.io/port"]},
            "Its address (`get_attr` `addresses`), used by another workload, is the name of a headless Service "
            "selecting its pods (H2K415, a note); so is a server's."),
    Section("OS::Cinder::Volume", "PersistentVolumeClaim (v1), ReadWriteOnce, Filesystem", volume.MAPPED,
            volume.REASONS, note="`deletion_policy: Retain` gives a StorageClass with `reclaimPolicy: Retain` "
            "(`<type>-retain`, or `cinder-retain` without a type); `Snapshot` is carried over as Retain (H2K402)."),
    Section("OS::Cinder::VolumeType", "StorageClass (storage.k8s.io/v1), provisioner `cinder.csi.openstack.org`",
            storage_class.MAPPED, storage_class.REASONS),
    Section("OS::Cinder::VolumeAttachment", "a volume mount of its server's Deployment", attachments.MAPPED),
    Section("OS::Neutron::SecurityGroup", "NetworkPolicy (networking.k8s.io/v1) selecting `sg.h2k.io/<group>` pods",
            security_group.MAPPED, extra_title="rule key", extra=security_group.RULE_KEYS),
    Section("OS::Nova::ServerGroup", "nothing of its own: a label and scheduling rules on its members' pods",
            scheduling.MAPPED),
    Section("OS::Nova::KeyPair", "nothing for containers, which are not reached over SSH (H2K411, a note); for "
            "KubeVirt virtual machines that use it, a Secret `ssh-key-<name>` (key `key`) their `accessCredentials` "
            "read", key_pair.MAPPED, key_pair.REASONS),
    Section("OS::Heat::ScalingPolicy", "a `behavior` policy of its group's HorizontalPodAutoscaler (autoscaling/v2)",
            autoscaling.POLICY_MAPPED),
    Section("OS::Aodh::GnocchiAggregationByResourcesAlarm (and the other Aodh alarms)",
            "the metric of its group's HorizontalPodAutoscaler", autoscaling.ALARM_MAPPED),
    Section("OS::Octavia::LoadBalancer and its Listener, Pool, PoolMember, HealthMonitor (and LBaaS v2)",
            "one Service (v1) of `type: LoadBalancer` for cloud-provider-openstack", load_balancer.MAPPED),
    Section("OS::Octavia::L7Policy (and OS::Neutron::LBaaS::L7Policy)",
            "a path of the Ingress (networking.k8s.io/v1) its listener becomes, for octavia-ingress-controller",
            ingress.POLICY_MAPPED, extra_title="listener or pool of an L7 policy", extra=ingress.LISTENER_MAPPED,
            note="The Ingress carries the `kubernetes.io/ingress.class: \"openstack\"` annotation rather than "
            "`spec.ingressClassName`: octavia-ingress-controller only handles Ingresses with the annotation. It "
            "matches every path as a prefix (STARTS_WITH, as Octavia) whatever its `pathType`; other controllers "
            "match `Prefix` paths by whole segments."),
    Section("OS::Octavia::L7Rule (and OS::Neutron::LBaaS::L7Rule)", "the host or the path of its policy's Ingress "
            "path", ingress.RULE_MAPPED),
    Section("OS::Neutron::FloatingIP, OS::Nova::FloatingIP (and their associations)",
            "a Service (v1) of `type: LoadBalancer` selecting the server's pods, with its `h2k.io/port` ports; "
            "a floating IP on no server of the template is not translated (H2K301)", floating_ip.MAPPED),
    Section("OS::Heat::RandomString", "a Secret with no value: with Kustomize a `secretGenerator` reading "
            "`secrets/<name>.env`, a git-ignored file the user writes (kept across runs, never part of `--check`); "
            "with plain manifests an empty Secret", secret.MAPPED),
    Section("OS::Heat::SoftwareConfig (and OS::Heat::StructuredConfig)",
            "a ConfigMap (v1) holding the script, when a translated deployment runs it (`group: script`); otherwise "
            "nothing, as boot data for a virtual machine (H2K413), or the user data of a KubeVirt virtual machine "
            "whose `user_data` names it", software_config.MAPPED),
    Section("OS::Heat::CloudConfig, OS::Heat::MultipartMime", "nothing: boot data for a virtual machine, to be "
            "built into the container image (H2K413); the user data of a KubeVirt virtual machine whose `user_data` "
            "names it (a CloudConfig as `#cloud-config` and its YAML, as Heat renders it; a MultipartMime is not "
            "rebuilt, and the user supplies it, H2K431)", {}),
    Section("OS::Heat::SoftwareDeployment (and StructuredDeployment, the Group variants)",
            "an init container of each server's pod, running the config's script in the server's image, with the "
            "server's volume mounts, the config's ConfigMap at "
            f"`{software_deployment.CONFIG_ROOT}/<config>/` and an emptyDir at `{software_deployment.OUTPUTS_PATH}`",
            software_deployment.MAPPED, software_deployment.REASONS,
            note="Heat's derived inputs become `deploy_server_id` (the pod's name), `deploy_resource_name`, "
                 "`deploy_action` (`CREATE`) and `heat_outputs_path`; the others (signal URLs, credentials) address "
                 "Heat and are not set. Configs for other hooks, deployments without `CREATE`, and deployments on "
                 "no translated server are not run (H2K412)."),
    Section("OS::Heat::WaitCondition (and OS::Heat::SwiftSignal)", "nothing of its own: the rollout deadline of "
            "the servers that signal it (H2K414, a note; a warning when no translated server signals it)",
            wait_condition.MAPPED),
    Section("OS::Heat::WaitConditionHandle (and OS::Heat::SwiftSignalHandle)", "nothing: pods signal readiness "
            "through probes", wait_condition.HANDLE_MAPPED),
    Section("OS::Neutron::Port (one that only connects a translated server)", "nothing of its own: the pod's "
            "address comes from the cluster network", port.MAPPED, port.REASONS),
    Section("OS::Heat::TestResource", "nothing: Heat's stand-in for testing templates (H2K411, a note)", {}),
    Section("OS::Heat::None", "nothing (usually a registry entry switching a resource off)", {}),
)

_INTRO = """# Conversion matrix

Generated from the emitters' tables by `python -m h2k.backends.kubernetes.matrix`; do not edit.

What each Heat resource type becomes, property by property. A property that is not carried over
is reported with H2K402 and its reason, at the property's position; so is any property not
listed. A resource type without a section is reported as not translated yet (H2K301) and
appears in the report. Resources whose `condition` is false produce nothing and are listed as
disabled in the report.

## Stacks and groups
"""

_PLACEMENT = (
    "These types go to the residual Heat stack (`openstack/infra.yaml`), with a note (H2K303). So does a "
    "server whose container image is not known (`--servers auto`; H2K305), with what is attached to it: its "
    "volume attachments and the volumes only it uses, its ports, floating IPs, deployments, wait conditions, key "
    "pair, server group and the security groups only it uses. A port that only connects a translated server, "
    "without a fixed address, merges into its pod. `metadata: {h2k.io/target: openstack|kubernetes|kubevirt}` and "
    "`targets:` in the config file choose for one resource; with `--servers kubevirt` every server stays a "
    "virtual machine, on KubeVirt, and what is attached to it comes along.")

STACK_ROWS = (
    ("a resource whose type is a template file, a `resource_registry` mapping to one, or an `OS::Heat::Stack`",
     "the template's resources, named `<resource>.<inner>` (Kubernetes names `<resource>-<inner>`); its outputs "
     "answer `get_attr`. H2K117 past 5 levels or 1000 resources, or when a template includes itself; H2K118 "
     "outside the root; H2K119 when missing"),
    ("`OS::Heat::ResourceGroup`, `OS::Heat::AutoScalingGroup`",
     "their member, replicated (H2K302 when the member is not known at compile time)"),
    ("`OS::Heat::ResourceChain`", "one resource per type, in order"),
    ("stack outputs", "the ConfigMap `<stack>-outputs` for those known at compile time; the others H2K302 and the "
     "report"),
)


def render() -> str:
    lines = [_INTRO, "| Heat | becomes |", "|---|---|"]
    lines += [f"| {heat} | {becomes} |" for heat, becomes in STACK_ROWS]
    lines += ["", "## What stays on OpenStack", "", _PLACEMENT, "", "| type (or prefix) | why it stays |", "|---|---|"]
    lines += [f"| `{kind}` | {reason} |" for kind, reason in INFRASTRUCTURE.items()]
    lines.append("")
    for section in SECTIONS:
        heat_type = section.heat_type.split(" ")[0].rstrip(",")
        assert heat_type in ROLES or infrastructure_reason(heat_type), section.heat_type
        lines += section_lines(section, "H2K402")
    return "\n".join(lines)


def section_lines(section: Section, dropped_code: str) -> list[str]:
    """One type's section: what it becomes, its properties, the extra table and the note."""
    lines = [f"## {section.heat_type}", "", f"Becomes: {section.becomes}.", ""]
    if section.mapped or section.reasons:
        lines += ["| property | becomes |", "|---|---|"]
        lines += [f"| `{name}` | {text} |" for name, text in section.mapped.items()]
        lines += [f"| `{name}` | nothing: {text} ({dropped_code}) |" for name, text in section.reasons.items()]
        lines.append("")
    if section.extra:
        lines += [f"| {section.extra_title} | becomes |", "|---|---|"]
        lines += [f"| `{name}` | {text} |" for name, text in section.extra.items()]
        lines.append("")
    if section.note:
        lines += [section.note, ""]
    return lines


if __name__ == "__main__":
    print(render(), end="")
