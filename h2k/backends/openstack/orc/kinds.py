"""Which Heat resource types k-orc has a kind for, and what becomes of the others.

Three tables: types that become an object of their own (`KINDS`), types that become part of
another type's object (`MERGED`), and types k-orc cannot create, with the reason the residual
Heat stack keeps them (`NO_KIND`, else a general reason). `IMPORTABLE` says which kind stands for
a resource when another object refers to it: a resource Heat keeps can still be imported by name.
"""

from __future__ import annotations

KINDS: dict[str, str] = {
    "OS::Neutron::Net": "Network",
    "OS::Neutron::Subnet": "Subnet",
    "OS::Neutron::Router": "Router",
    "OS::Neutron::RouterInterface": "RouterInterface",
    "OS::Neutron::Port": "Port",
    "OS::Neutron::FloatingIP": "FloatingIP",
    "OS::Neutron::SecurityGroup": "SecurityGroup",
    "OS::Neutron::Trunk": "Trunk",
    "OS::Neutron::AddressScope": "AddressScope",
    "OS::Nova::Server": "Server",
    "OS::Nova::ServerGroup": "ServerGroup",
    "OS::Nova::KeyPair": "KeyPair",
    "OS::Nova::Flavor": "Flavor",
    "OS::Cinder::Volume": "Volume",
    "OS::Cinder::VolumeType": "VolumeType",
    "OS::Glance::WebImage": "Image",
    "OS::Manila::ShareNetwork": "ShareNetwork",
    "OS::Keystone::Project": "Project",
    "OS::Keystone::Domain": "Domain",
    "OS::Keystone::Role": "Role",
    "OS::Keystone::Group": "Group",
    "OS::Keystone::User": "User",
    "OS::Keystone::Service": "Service",
    "OS::Keystone::Endpoint": "Endpoint",
}

# Type -> the kind of the object it becomes part of.
MERGED: dict[str, str] = {
    "OS::Neutron::SecurityGroupRule": "SecurityGroup",
    "OS::Neutron::FloatingIPAssociation": "FloatingIP",
    "OS::Cinder::VolumeAttachment": "Server",
    "OS::Keystone::UserRoleAssignment": "RoleAssignment",
    "OS::Keystone::GroupRoleAssignment": "RoleAssignment",
}

NO_KIND: dict[str, str] = {
    "OS::Neutron::ProviderNet": "k-orc's Network has no provider attributes (network_type, physical_network, "
                                "segmentation_id), so it would create a different network",
    "OS::Neutron::RouterGateway": "Heat hides this type; a router's external_gateway_info becomes k-orc's "
                                  "externalGateways",
    "OS::Glance::Image": "Heat no longer creates anything for this hidden type (use OS::Glance::WebImage)",
    "OS::Nova::FloatingIP": "nova-network floating IPs are gone from OpenStack (use OS::Neutron::FloatingIP)",
    "OS::Nova::FloatingIPAssociation": "nova-network floating IPs are gone from OpenStack",
    "OS::Cinder::EncryptedVolumeType": "k-orc's VolumeType has no encryption settings",
    "OS::Keystone::Region": "k-orc has no Region kind",
    "OS::Heat::None": "it creates nothing",
}
GENERAL_REASON = "openstack-resource-controller has no kind for it"

# Kind that stands for a resource of this type when another object refers to it.
IMPORTABLE: dict[str, str] = {**KINDS, "OS::Neutron::ProviderNet": "Network", "OS::Glance::Image": "Image"}

# (type, attribute) -> the properties (a name and Heat's hidden older one) whose reference the
# attribute returns: `{get_attr: [trunk, port_id]}` is the trunk's parent port.
ATTRIBUTE_REFS: dict[tuple[str, str], tuple[str, ...]] = {
    ("OS::Neutron::Trunk", "port_id"): ("port",),
    ("OS::Neutron::Subnet", "network_id"): ("network", "network_id"),
    ("OS::Neutron::Port", "network_id"): ("network", "network_id"),
    ("OS::Neutron::FloatingIP", "floating_network_id"): ("floating_network", "floating_network_id"),
    ("OS::Neutron::FloatingIP", "port_id"): ("port_id",),
}

# Kinds whose import filter has a `name` (all but RoleAssignment and RouterInterface), and the
# longest name each accepts; Keystone names are at most 64 characters.
NAME_LIMIT: dict[str, int] = {kind: 64 if kind in ("Project", "Domain", "Role", "Group") else 255
                              for kind in set(KINDS.values()) - {"RouterInterface"}}


def no_kind_reason(resource_type: str) -> str:
    return NO_KIND.get(resource_type, GENERAL_REASON)
