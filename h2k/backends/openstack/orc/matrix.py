"""docs/orc-conversion-matrix.md, generated from the k-orc emitters' own tables.

`python -m h2k.backends.openstack.orc.matrix > docs/orc-conversion-matrix.md`. `orc_sections()`
gives the same kind of sections as the Kubernetes conversion matrix, so both can be laid out
alike; a test compares the document with `render()`.
"""

from __future__ import annotations

from h2k.backends.kubernetes.matrix import Section, section_lines
from h2k.backends.openstack.orc import (
    address_scope,
    attachment,
    flavor,
    floating_ip,
    identity,
    image,
    key_pair,
    network,
    port,
    role_assignment,
    router,
    router_interface,
    security_group,
    server,
    server_group,
    share_network,
    subnet,
    trunk,
    user,
    volume,
    volume_type,
)
from h2k.backends.openstack.orc.kinds import GENERAL_REASON, NO_KIND


def orc_sections() -> tuple[Section, ...]:
    """One section per Heat type k-orc covers, in the order of docs/orc-conversion-matrix.md."""
    return (
        Section("OS::Neutron::Net", "Network", network.MAPPED, network.REASONS),
        Section("OS::Neutron::Subnet", "Subnet", subnet.MAPPED, subnet.REASONS),
        Section("OS::Neutron::Router", "Router", router.MAPPED, router.REASONS,
                "external_gateway_info key", {f"external_gateway_info.{k}": f"nothing: {v} (H2K501)"
                                              for k, v in router.GATEWAY_REASONS.items()}),
        Section("OS::Neutron::RouterInterface", "RouterInterface (`type: Subnet`; no management policy)",
                router_interface.MAPPED),
        Section("OS::Neutron::Port", "Port", port.MAPPED, port.REASONS),
        Section("OS::Neutron::FloatingIP", "FloatingIP", floating_ip.MAPPED, floating_ip.REASONS),
        Section("OS::Neutron::FloatingIPAssociation", "the `portRef` of its FloatingIP (H2K513)",
                floating_ip.ASSOCIATION_MAPPED),
        Section("OS::Neutron::SecurityGroup", "SecurityGroup, rules inline", security_group.MAPPED,
                extra_title="rule key", extra=security_group.RULE_KEYS,
                note="Neutron gives every new group rules allowing all egress. Heat deletes them when `rules` has an "
                     "egress rule; k-orc keeps them (H2K506)."),
        Section("OS::Neutron::SecurityGroupRule", "one of the `rules` of its SecurityGroup (H2K513)",
                security_group.RULE_MAPPED),
        Section("OS::Neutron::Trunk", "Trunk", trunk.MAPPED),
        Section("OS::Neutron::AddressScope", "AddressScope", address_scope.MAPPED),
        Section("OS::Nova::Server", "Server, a Port per `networks` entry that names no port, a Secret with its "
                "user data", server.MAPPED, server.REASONS,
                note="The server's resource metadata reaches its in-guest agents through Heat and is not carried "
                     "over (H2K501)."),
        Section("OS::Cinder::VolumeAttachment", "an entry of its Server's `volumes` (H2K513)", attachment.MAPPED),
        Section("OS::Nova::ServerGroup", "ServerGroup", server_group.MAPPED),
        Section("OS::Nova::KeyPair", "KeyPair (when `public_key` is given)", key_pair.MAPPED, key_pair.REASONS),
        Section("OS::Nova::Flavor", "Flavor", flavor.MAPPED, flavor.REASONS),
        Section("OS::Cinder::Volume", "Volume", volume.MAPPED, volume.REASONS),
        Section("OS::Cinder::VolumeType", "VolumeType", volume_type.MAPPED, volume_type.REASONS),
        Section("OS::Glance::WebImage", "Image (k-orc downloads it from `location`)", image.MAPPED, image.REASONS),
        Section("OS::Manila::ShareNetwork", "ShareNetwork", share_network.MAPPED, share_network.REASONS),
        Section("OS::Keystone::Project", "Project", identity.PROJECT_MAPPED, identity.PROJECT_REASONS),
        Section("OS::Keystone::Domain", "Domain", identity.DOMAIN_MAPPED),
        Section("OS::Keystone::Role", "Role", identity.ROLE_MAPPED),
        Section("OS::Keystone::Group", "Group, and a RoleAssignment per role", identity.GROUP_MAPPED),
        Section("OS::Keystone::User", "User, a Secret with its password, and a RoleAssignment per role", user.MAPPED,
                user.REASONS),
        Section("OS::Keystone::UserRoleAssignment, OS::Keystone::GroupRoleAssignment",
                "a RoleAssignment per role", role_assignment.MAPPED),
        Section("OS::Keystone::Service", "Service", identity.SERVICE_MAPPED),
        Section("OS::Keystone::Endpoint", "Endpoint", identity.ENDPOINT_MAPPED, identity.ENDPOINT_REASONS),
    )


_INTRO = """# Conversion matrix: k-orc

Generated from the k-orc emitters' tables by `python -m h2k.backends.openstack.orc.matrix`; do not edit.

With `--infra orc`, what stays on OpenStack becomes objects of openstack-resource-controller
(`openstack.k-orc.cloud/v1alpha1`); [orc.md](orc.md) explains the choices. A property that is not
carried over is reported with H2K501 and its reason, at the property's position; so is any property
not listed. Every object has `spec.cloudCredentialsRef` and `spec.managementPolicy: managed`
(`deletion_policy: Retain` or `Snapshot` adds `managedOptions: {onDelete: detach}`); a resource
with an `external_id` is imported instead (`unmanaged`).

## Types k-orc has no kind for

They stay in the residual Heat stack (H2K502). Besides every type of a service k-orc does not cover
(Octavia, Swift, Designate, Barbican, Heat, Trove, Magnum, Zaqar, Mistral, Aodh, Manila shares,
Neutron QoS, firewalls, VPNs, ...):

| Heat | why |
|---|---|
"""


def render() -> str:
    lines = [_INTRO.rstrip("\n")]
    lines += [f"| `{heat}` | {why} |" for heat, why in NO_KIND.items()]
    lines += [f"| any other | {GENERAL_REASON} |", ""]
    for section in orc_sections():
        lines += section_lines(section, "H2K501")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
