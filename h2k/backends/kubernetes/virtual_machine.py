"""OS::Nova::Server on KubeVirt -> a VirtualMachine (kubevirt.io/v1): a virtual machine kept as one, on Kubernetes.

With `--servers kubevirt` (or `h2k.io/target: kubevirt`) a server is not rebuilt as a container:
the same guest boots on KubeVirt. Its flavor gives the guest's cores and memory, `vm_images:`
its boot disk, its attached volumes more disks (vm_disks.py), its `user_data` and key pair reach
cloud-init through a NoCloud disk (cloud_init.py, key_pair.py), its security groups, load
balancers and server group label the machine's pods (KubeVirt copies the template's labels onto
the virt-launcher pod, so NetworkPolicies and Services select it as they select any pod), and its
zone and server group give the scheduling. `runStrategy: Always` keeps it running, as Nova does.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass

from h2k.backends.kubernetes.cloud_init import BootData, boot_data, userdata_secret
from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.key_pair import KeyRef, key_of, outside_key_secret, secret_name
from h2k.backends.kubernetes.scheduling import member_label, pod_scheduling, server_group_of
from h2k.backends.kubernetes.server import flavor_of
from h2k.backends.kubernetes.vm_disks import vm_disks
from h2k.config import Flavor
from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.frontends.hot.constraints import bool_from_string
from h2k.ir.expr import Literal, MapExpr
from h2k.ir.nodes import Resource
from h2k.passes.expand_groups import AUTOSCALING_GROUP, member_properties

API_VERSION = "kubevirt.io/v1"
CLOUD_INIT_DISK = "cloudinitdisk"
_CLOUD_INIT = {False: "cloudInitNoCloud", True: "cloudInitConfigDrive"}
POD_NETWORK = "default"
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_FORMATS = {
    "RAW": None,
    "SOFTWARE_CONFIG": "Heat's agent (os-collect-config) is not installed: software deployments do not reach a "
                       "virtual machine on KubeVirt; the user data is handed to cloud-init as it is",
    "HEAT_CFNTOOLS": "heat-cfntools' boot parts (cfn-init metadata, cfn-hup) are not added; the user data is handed "
                     "to cloud-init as it is",
}

# What each carried-over property becomes (the conversion matrix is generated from these tables).
MAPPED = {
    "image": "the boot disk, from `vm_images:` in the config: a `containerDisk`, or a DataVolume template "
             "(`dataVolumeTemplates`, cdi.kubevirt.io/v1beta1) imported from an HTTP URL or a registry; without a "
             "mapping the containerDisk `H2K-UNMAPPED/<image>` and H2K430",
    "flavor": "`domain.cpu.cores` (the vCPUs, rounded up) and `domain.memory.guest` (the RAM); KubeVirt derives the "
              "pod's requests from them (H2K403 when unknown)",
    "user_data": "a `cloudInitNoCloud` disk reading `userdata` from the Secret `<vm>-userdata`: the text, or an "
                 "`OS::Heat::SoftwareConfig` / `CloudConfig` it names, rendered as Heat does; a text holding a "
                 "hidden parameter's value, only known at deploy time, or from an `OS::Heat::MultipartMime` makes a "
                 "Secret without a value (H2K431)",
    "user_data_format": "`RAW`: as it is; `HEAT_CFNTOOLS` and `SOFTWARE_CONFIG`: the user data alone, without "
                        "Heat's boot parts and agent (H2K402, a note)",
    "config_drive": "`true`: the user data on a `cloudInitConfigDrive` disk (OpenStack's format) instead of NoCloud, "
                    "and the keys propagated through it",
    "key_name": "`accessCredentials`: cloud-init installs the public key of the Secret `ssh-key-<key name>` "
                "(see OS::Nova::KeyPair); a key pair only in Nova gets a Secret without a value (H2K432)",
    "security_groups": "labels `sg.h2k.io/<group>: \"true\"` on the machine's pods, which the groups' "
                       "NetworkPolicies select",
    "scheduler_hints": "`group`: pod (anti-)affinity of the machine from the server group's policy; other hints "
                       "H2K402",
    "availability_zone": "`nodeSelector: {topology.kubernetes.io/zone: <zone>}`",
    "name": "`hostname`, when it is a DNS label (H2K402, a note, otherwise)",
    "block_device_mapping": "disks: an entry with a volume of the template reads its claim; `vda` is the boot "
                            "disk, which wins over `image`",
    "block_device_mapping_v2": "disks: a volume of the template reads its claim; an `image` entry is a DataVolume "
                               "template of `volume_size` importing the mapped image (without a size, a mapped "
                               "containerDisk itself); `boot_index: 0` is the boot disk. Snapshots, swap and "
                               "ephemeral disks H2K402",
}
HANDLED = frozenset(MAPPED)
REASONS = {
    "networks": "the machine has one interface on the pod network (masquerade); Neutron networks, fixed addresses "
                "and ports stay with OpenStack",
    "admin_pass": "set a password with the boot data (cloud-config `chpasswd`) instead",
    "metadata": "Nova instance metadata has no VirtualMachine counterpart",
    "personality": "injected files are not translated; write them with cloud-config `write_files` in user_data",
    "software_config_transport": "software deployments do not reach a virtual machine on KubeVirt",
    "flavor_update_policy": "a changed VirtualMachine takes effect when the machine restarts, not by a Nova resize",
    "image_update_policy": "a changed VirtualMachine takes effect when the machine restarts, not by a Nova rebuild",
    "user_data_update_policy": "changed user data takes effect when the machine restarts",
    "tags": "Nova instance tags have no VirtualMachine counterpart",
    "admin_user": "Heat ignores it (deprecated); the image's cloud-init configuration names the default user",
}


def emit_virtual_machine(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    report_unhandled(resource, HANDLED, REASONS, ctx)
    _report_format(resource, ctx)
    shared = _Shared(flavor_of(resource, ctx), key_of(resource, resource.properties, ctx),
                     server_group_of(resource, ctx), resource.object_name)
    count = _member_count(resource, ctx)
    objects: list[dict[str, object]] = []
    names = []
    for index in range(count) if count is not None else [None]:
        member = resource if index is None else dataclasses.replace(
            resource, properties=member_properties(resource, index),
            object_name=f"{resource.object_name[:55].rstrip('-')}-{index}")
        names.append(member.object_name)
        objects += _machine(member, shared, ctx if index in (None, 0) else _silent(ctx))
    key = shared.key
    if key is not None and (key.pair is None or key.pair.role != "key-pair"):
        found = outside_key_secret(resource, key, ctx)
        objects += [found] if found is not None else []
    if names:
        plural = "s" if len(names) > 1 else ""
        ctx.sink.report("H2K433", f"server {resource.name} becomes the KubeVirt VirtualMachine{plural} "
                        f"{', '.join(names)}: the cluster needs KubeVirt, and CDI for DataVolumes", resource.span)
    return objects


@dataclass(frozen=True, slots=True)
class _Shared:
    """What every member of a group shares, read (and reported) once."""

    flavor: Flavor | None
    key: KeyRef | None
    group: Resource | None
    label: str  # app.kubernetes.io/name of the machines' pods, which Services select


def _silent(ctx: BackendContext) -> BackendContext:
    """The context for the second and later members of a group: their findings are the first's."""
    return dataclasses.replace(ctx, sink=DiagnosticSink())


def _member_count(resource: Resource, ctx: BackendContext) -> int | None:
    """None for a server alone; a group's members, one machine each (a VirtualMachine has no replicas)."""
    replication = resource.replication
    if replication is None:
        return None
    count = replication.count
    if not (isinstance(count, Literal) and isinstance(count.value, int) and not isinstance(count.value, bool)):
        ctx.sink.report("H2K302", f"the size of group {resource.name} is only known at deploy time; one "
                        "VirtualMachine is written", count.span if count is not None else replication.span)
        return None
    scaled = replication.group_type == AUTOSCALING_GROUP
    ctx.sink.report("H2K434", f"group {resource.name} becomes {count.value} VirtualMachine(s), one per member"
                    f"{'; its scaling policies and alarms have no counterpart for virtual machines' if scaled else ''}",
                    replication.span, Severity.WARNING if scaled else Severity.INFO)
    return count.value


def _report_format(resource: Resource, ctx: BackendContext) -> None:
    fmt = resource.properties.get("user_data_format")
    if fmt is None:
        return
    reason = _FORMATS.get(str(fmt.value)) if isinstance(fmt, Literal) else "it is only known at deploy time"
    if reason is not None:
        ctx.drop(resource, "user_data_format", reason, fmt.span, Severity.INFO)


def _machine(server: Resource, shared: _Shared, ctx: BackendContext) -> list[dict[str, object]]:
    """One VirtualMachine, and the Secrets it reads."""
    properties = server.properties
    name = server.object_name
    extra: list[dict[str, object]] = []
    disks = vm_disks(server, properties, name, ctx)
    domain: dict[str, object] = {}
    if shared.flavor is not None:
        domain["cpu"] = {"cores": max(1, math.ceil(shared.flavor.vcpus))}
        domain["memory"] = {"guest": f"{shared.flavor.ram_mib}Mi"}
    config_drive = _config_drive(properties)
    data = _boot(server, properties, ctx)
    if data is not None:
        secret = f"{name}-userdata"
        extra.append(userdata_secret(server, secret, data, ctx))
        disks.add(CLOUD_INIT_DISK, {_CLOUD_INIT[config_drive]: {"secretRef": {"name": secret}}})
    elif shared.key is not None:  # cloud-init needs a disk to receive the keys
        disks.add(CLOUD_INIT_DISK, {_CLOUD_INIT[config_drive]: {"userData": "#cloud-config\n"}})
    instance: dict[str, object] = {}
    hostname = _hostname(server, properties, ctx)
    if hostname is not None:
        instance["hostname"] = hostname
    if shared.key is not None:
        instance["accessCredentials"] = [_access(shared.key, config_drive)]
    domain["devices"] = {"disks": disks.disks, "interfaces": [{"name": POD_NETWORK, "masquerade": {}}]}
    instance = {"domain": domain, **instance, "networks": [{"name": POD_NETWORK, "pod": {}}]}
    instance.update(pod_scheduling(server, shared.group, ctx))
    if server.name in ctx.probes:
        instance["readinessProbe"] = ctx.probes[server.name]
    instance["volumes"] = disks.volumes
    labels = {"app.kubernetes.io/name": shared.label, "app.kubernetes.io/part-of": ctx.part_of,
              **ctx.pod_labels.get(server.name, {})}
    if shared.group is not None:
        labels[member_label(shared.group)] = "true"
    spec: dict[str, object] = {"runStrategy": "Always"}
    if disks.templates:
        spec["dataVolumeTemplates"] = disks.templates
    spec["template"] = {"metadata": {"labels": labels}, "spec": instance}
    machine: dict[str, object] = {"apiVersion": API_VERSION, "kind": "VirtualMachine",
                                  "metadata": ctx.metadata(server, name), "spec": spec}
    return [*extra, machine]


def _boot(server: Resource, properties: MapExpr, ctx: BackendContext) -> BootData | None:
    expr = properties.get("user_data")
    if expr is None:
        return None
    data = boot_data(server, expr, ctx)
    if data is not None and data.text is None:
        ctx.sink.report("H2K431", f"the user data of {server.name} is supplied at deploy time: {data.why}; Secret "
                        f"{server.object_name}-userdata, key userdata", expr.span)
    return data


def _config_drive(properties: MapExpr) -> bool:
    """Heat's Boolean `config_drive` ("true", "yes", "1"...); a value only known at deploy time is false."""
    flag = properties.get("config_drive")
    try:
        return isinstance(flag, Literal) and bool_from_string(flag.value)
    except ValueError:
        return False


def _access(key: KeyRef, config_drive: bool) -> dict[str, object]:
    """cloud-init installs the Secret's public keys, through the disk the user data comes on."""
    method = "configDrive" if config_drive else "noCloud"
    source = {"secret": {"secretName": secret_name(key.name)}}
    return {"sshPublicKey": {"source": source, "propagationMethod": {method: {}}}}


def _hostname(server: Resource, properties: MapExpr, ctx: BackendContext) -> str | None:
    """Nova's server name is the guest's host name; KubeVirt takes one that is a DNS label."""
    given = properties.get("name")
    if given is None:
        return None
    if isinstance(given, Literal) and isinstance(given.value, str) and _DNS_LABEL.fullmatch(given.value):
        return given.value
    ctx.drop(server, "name", "it is not a DNS label, which a VirtualMachine's hostname must be; the guest is named "
             f"{server.object_name}", given.span, Severity.INFO)
    return None
