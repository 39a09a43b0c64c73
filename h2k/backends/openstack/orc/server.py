"""OS::Nova::Server -> Server, with a Port for each `networks` entry Nova would have made a port for.

k-orc's Server only takes ports (`ports[].portRef`), where Heat lets Nova create a port on a
network or subnet; such an entry becomes a Port object of its own (`<server>-port-<n>`) carrying
the entry's network, subnet, fixed address, `port_extra_properties` and the server's
`security_groups` (Nova puts the ports it creates in them). User data is read from a Secret.
Volume attachments (OS::Cinder::VolumeAttachment) become entries of `volumes`.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.floating_ip import attach_to_port
from h2k.backends.openstack.orc.port import extras
from h2k.backends.openstack.orc.secrets import secret
from h2k.backends.openstack.orc.state import Member, State
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, is_known, to_data
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.validate.orc import FORMATS

MAPPED = {
    "name": "`name`",
    "image": "`imageRef`: the Image of the stack it names, or one imported (H2K503); left out when a block "
             "device mapping gives the boot volume",
    "flavor": "`flavorRef`: the Flavor of the stack it names, or one imported (H2K503)",
    "key_name": "`keypairRef`",
    "availability_zone": "`availabilityZone`",
    "networks": "`ports`: a `port` entry names its Port; any other entry becomes a Port `<server>-port-<n>` "
                "(H2K512) with its `network` (or the subnet's network), `subnet` and `fixed_ip` as an address, "
                "`port_extra_properties`, and the server's `security_groups`; `floating_ip` becomes the "
                "`portRef` of that FloatingIP",
    "security_groups": "`securityGroupRefs` of the Ports written for `networks` entries (Nova puts the ports it "
                       "creates in the server's groups)",
    "block_device_mapping": "a `volume_id` on `vda` becomes `bootVolume`, the others `volumes` (`volumeRef`, "
                            "`device` /dev/<device_name>)",
    "block_device_mapping_v2": "`volume_id` with `boot_index: 0` becomes `bootVolume`, other volumes `volumes`; "
                               "an `image` with `volume_size` becomes a Volume `<server>-boot` of that image and "
                               "size to boot from (H2K512)",
    "scheduler_hints": "`schedulerHints`: `group` as `serverGroupRef`, `different_host` and `same_host` as server "
                       "references, `query`, `target_cell`, `different_cell`, `build_near_host_ip` with `cidr` as "
                       "`buildNearHostIP`; other hints as `additionalProperties`",
    "metadata": "`metadata` (`key`, `value`; non-string values as JSON, as Heat sends them to Nova)",
    "user_data": "`userData.secretRef`: a Secret `<server>-user-data` with the text under `value` (H2K508), or "
                 "without it when it holds a hidden or deploy-time value (H2K509); a SoftwareConfig's `config` or "
                 "a CloudConfig's document when it names one",
    "user_data_format": "`RAW` as is; Heat's MIME wrapping for `HEAT_CFNTOOLS` (the default) and "
                        "`SOFTWARE_CONFIG` is not reproduced (H2K511)",
    "config_drive": "`configDrive`",
    "tags": "`tags`",
}
REASONS = {
    "flavor_update_policy": "k-orc's flavorRef is immutable: a new flavor is refused, not resized",
    "image_update_policy": "k-orc's imageRef is immutable: a new image is refused, not rebuilt",
    "user_data_update_policy": "k-orc's userData is immutable",
    "software_config_transport": "it configures how Heat's in-guest agents reach Heat",
    "deployment_swift_data": "it configures how Heat's in-guest agents reach Heat",
    "admin_user": "Heat no longer uses it",
    "admin_pass": "k-orc sets no administrator password; use a key pair or user data",
    "reservation_id": "k-orc does not pass a reservation ID",
    "diskConfig": "k-orc does not set the disk partitioning",
    "personality": "k-orc injects no files; write them from user data",
}
BDM_V1_KEYS = {"device_name", "volume_id"}
BDM_V2_KEYS = {"device_name", "volume_id", "boot_index", "image", "image_id", "volume_size"}
HINTS = {"query": "query", "target_cell": "targetCell"}
CONFIG_TYPES = ("OS::Heat::SoftwareConfig", "OS::Heat::CloudConfig")


def emit_server(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    boot = _block_devices(member, s, f)
    if boot is not None:
        f.out["bootVolume"] = {"volumeRef": boot}
        key, image = f.pick("image")
        if image is not None:
            s.drop(resource, key, "the server boots from its volume (k-orc takes one of image and boot volume)",
                   image.span, Severity.INFO)
    else:
        f.ref("imageRef", "Image", "image")
    f.ref("flavorRef", "Flavor", "flavor")
    f.ref("keypairRef", "KeyPair", "key_name")
    f.string("availabilityZone", "availability_zone")
    f.out["ports"] = _ports(member, s)
    f.set("schedulerHints", _hints(resource, s))
    f.set("metadata", values.pairs(resource.properties.get("metadata"), "metadata", resource, s, "key",
                                   max_items=128, empty_values=False))
    _user_data(member, s, f)
    f.boolean("configDrive", "config_drive")
    f.strings("tags", "tags", limit=80, max_items=50)
    _resource_metadata(resource, s)
    s.report_unhandled(resource, MAPPED, REASONS)
    if "imageRef" not in f.out and "bootVolume" not in f.out:
        s.keep(resource, "k-orc needs its image, or a boot volume, as a k-orc object")
        return None
    if not f.required("flavorRef", "k-orc needs its flavor as a k-orc Flavor"):
        return None
    return f.out


# -- networks ------------------------------------------------------------------------------------

def _ports(member: Member, s: State) -> list[dict[str, str]]:
    resource = member.resource
    entries = values.items(resource.properties.get("networks"), "networks", resource, s)
    if entries is None:
        if values.absent(resource.properties.get("networks")):
            s.drop(resource, "networks", "without networks Nova picked the server's network; k-orc attaches only "
                   "the ports it lists, so the server has none", resource.span)
        return []
    ports: list[dict[str, str]] = []
    for index, where, entry in values.maps(entries, "networks", resource, s):
        port = _port_of(member, s, entry, index, where)
        if port is None:
            continue
        ports.append({"portRef": port})
        for network in _network_names(s, entry):
            s.address_ports.setdefault((resource.name, network), port)
        fip = entry.get("floating_ip")
        if fip is not None and not values.absent(fip):
            _attach_later(s, resource, fip, port, f"{where}.floating_ip")
        tag = entry.get("tag")
        if not values.absent(tag):
            s.drop(resource, f"{where}.tag", "k-orc does not tag network interfaces", entry.key_span("tag") or
                   entry.span)
    return ports[:64]


def _network_names(s: State, entry: MapExpr) -> list[str]:
    """The names Nova shows an entry's network under (the keys of the server's `addresses`)."""
    network = entry.get("network") or entry.get("uuid")
    if isinstance(network, Literal) and isinstance(network.value, str):
        return [network.value]
    target = s.stack.resource(resource_target(network) or "")
    given = target.properties.get("name") if target is not None else None
    return [given.value] if isinstance(given, Literal) and isinstance(given.value, str) else []


def _attach_later(s: State, resource: Resource, fip: Expr, port: str, where: str) -> None:
    """The floating IP may be written after the server: attach it once every object is written."""
    s.later.append(lambda: attach_to_port(resource, fip, port, where, s))


def _port_of(member: Member, s: State, entry: MapExpr, index: int, where: str) -> str | None:
    """The Port of one `networks` entry: the one it names, or one written for it."""
    resource = member.resource
    port = entry.get("port")
    if not values.absent(port):
        for key in ("network", "uuid", "subnet", "fixed_ip", "port_extra_properties"):
            if not values.absent(entry.get(key)):
                s.drop(resource, f"{where}.{key}", "Nova uses the given port as it is", entry.key_span(key) or
                       entry.span, Severity.INFO)
        return s.ref(resource, port, "Port", f"{where}.port")
    allocate = values.string(entry.get("allocate_network"), f"{where}.allocate_network", resource, s)
    if allocate is not None:
        if allocate == "auto":
            s.drop(resource, f"{where}.allocate_network", "k-orc does not ask Nova to allocate a network; the "
                   "server gets no port for it", entry.span)
        return None
    network_key = "network" if not values.absent(entry.get("network")) else "uuid"
    subnet_expr = entry.get("subnet")
    network = s.ref(resource, entry.get(network_key), "Network", f"{where}.{network_key}")
    if network is None and values.absent(entry.get(network_key)):
        network = _network_of_subnet(resource, s, subnet_expr, where)
    if network is None:
        s.report("H2K505", f"{where} of {resource.name} has no network that is a k-orc object; the server gets "
                 "no port for it", entry.span)
        return None
    spec: dict[str, Any] = {"networkRef": network}
    address = _address(resource, s, entry, where)
    if address is not None:
        spec["addresses"] = [address]
    groups = s.refs(resource, resource.properties.get("security_groups"), "SecurityGroup", "security_groups")
    if groups:
        spec["securityGroupRefs"] = groups
    extra = values.entries(entry.get("port_extra_properties"), f"{where}.port_extra_properties", resource, s)
    if extra is not None:
        extras(resource, s, extra, f"{where}.port_extra_properties.", spec)
    name = s.names.suffixed("Port", member.name, f"port-{index}")
    s.add(resource, s.managed("Port", resource, name, spec))
    s.report("H2K512", f"{where} of {resource.name} becomes the k-orc Port {name}, which Nova created for Heat",
             entry.span)
    return name


def _network_of_subnet(resource: Resource, s: State, subnet: Expr | None, where: str) -> str | None:
    """Heat takes an entry's network from its subnet; k-orc needs it written, from the subnet's own `network`."""
    target = s.stack.resource(resource_target(subnet) or "")
    if target is None or target.type != "OS::Neutron::Subnet":
        return None
    network = target.properties.get("network") or target.properties.get("network_id")
    return s.ref(resource, network, "Network", f"{where}.subnet (its network)")


def _address(resource: Resource, s: State, entry: MapExpr, where: str) -> dict[str, str] | None:
    subnet_expr = entry.get("subnet")
    fixed = values.string(entry.get("fixed_ip"), f"{where}.fixed_ip", resource, s, limit=45)
    if values.absent(subnet_expr):
        subnet_expr = _only_subnet(s, entry.get("network") or entry.get("uuid")) if fixed is not None else None
        if fixed is not None and subnet_expr is None:
            s.invalid(resource, f"{where}.fixed_ip", "k-orc needs the subnet of a fixed address", entry.span)
            return None
    if subnet_expr is None:
        return None
    subnet = s.ref(resource, subnet_expr, "Subnet", f"{where}.subnet")
    if subnet is None:
        return None
    address = {"subnetRef": subnet}
    if fixed is not None:
        address["ip"] = fixed
    return address


def _only_subnet(s: State, network: Expr | None) -> Expr | None:
    """`{get_resource: <subnet>}` of the one subnet of the stack on the network an entry names."""
    name = resource_target(network)
    if name is None:
        return None
    subnets = [r for r in s.stack.resources if r.type == "OS::Neutron::Subnet"
               and resource_target(r.properties.get("network") or r.properties.get("network_id")) == name]
    if len(subnets) != 1:
        return None
    assert network is not None
    return Call(function="get_resource", args=Literal(value=subnets[0].name, span=network.span), span=network.span)


# -- block devices -------------------------------------------------------------------------------

def _block_devices(member: Member, s: State, f: Fields) -> str | None:
    """Volumes to attach go into `f.out["volumes"]`; the boot volume's object name is returned."""
    resource = member.resource
    boot: str | None = None
    attached: list[dict[str, str]] = []
    for version, key in ((1, "block_device_mapping"), (2, "block_device_mapping_v2")):
        for _, where, item in values.maps(values.items(resource.properties.get(key), key, resource, s) or [], key,
                                          resource, s):
            found = _mapping(member, s, item, where, version)
            if found is None:
                continue
            volume, is_boot, device = found
            if is_boot and boot is None:
                boot = volume
            else:
                attached.append({"volumeRef": volume, **({"device": device} if device else {})})
    if attached:
        f.out["volumes"] = attached[:64]
    return boot


def _mapping(member: Member, s: State, item: MapExpr, where: str, version: int) -> tuple[str, bool, str] | None:
    """(volume object, whether it is the boot disk, device path) of one block device mapping."""
    resource = member.resource
    known_keys = BDM_V1_KEYS if version == 1 else BDM_V2_KEYS
    for key, value in item.entries:
        if key.value not in known_keys and not values.absent(value):
            s.drop(resource, f"{where}.{key.value!s}", "k-orc attaches existing volumes only, with no other settings",
                   key.span)
    device_name = values.string(item.get("device_name"), f"{where}.device_name", resource, s)
    device = (device_name if device_name.startswith("/") else f"/dev/{device_name}") if device_name else ""
    if version == 1:
        is_boot = device in ("/dev/vda", "/dev/sda") and values.absent(resource.properties.get("image"))
    else:
        index = values.integer(item.get("boot_index"), f"{where}.boot_index", resource, s)
        is_boot = index == 0
    if not values.absent(item.get("volume_id")):
        volume = s.ref(resource, item.get("volume_id"), "Volume", f"{where}.volume_id")
        return (volume, is_boot, device) if volume is not None else None
    image_key = "image" if not values.absent(item.get("image")) else "image_id"
    if version == 2 and not values.absent(item.get(image_key)):
        volume = _boot_volume(member, s, item, where, image_key)
        return (volume, is_boot, device) if volume is not None else None
    if version == 2 and not values.absent(item.get("volume_size")):
        s.drop(resource, f"{where}.volume_size", "k-orc does not create blank volumes for a server; write an "
               "OS::Cinder::Volume and attach it", item.span)
    return None


def _boot_volume(member: Member, s: State, item: MapExpr, where: str, image_key: str) -> str | None:
    """A volume Nova would make from an image at boot, written as a Volume of its own."""
    resource = member.resource
    size = values.integer(item.get("volume_size"), f"{where}.volume_size", resource, s, minimum=1)
    image = s.ref(resource, item.get(image_key), "Image", f"{where}.{image_key}")
    if size is None or image is None:
        s.report("H2K505", f"{where} of {resource.name}: k-orc needs the image and the volume_size of a volume made "
                 "at boot; it is left out", item.span)
        return None
    name = s.names.suffixed("Volume", member.name, "boot")
    spec: dict[str, Any] = {"size": size, "imageRef": image}
    volume_type = s.ref(resource, item.get("volume_type"), "VolumeType", f"{where}.volume_type")
    if volume_type is not None:
        spec["volumeTypeRef"] = volume_type
    s.add(resource, s.managed("Volume", resource, name, spec))
    s.report("H2K512", f"{where} of {resource.name} becomes the k-orc Volume {name}, made from the image; unlike "
             "Nova's, it is not deleted with the server", item.span)
    return name


# -- scheduler hints, user data, metadata --------------------------------------------------------

def _hints(resource: Resource, s: State) -> dict[str, Any] | None:
    hints = values.entries(resource.properties.get("scheduler_hints"), "scheduler_hints", resource, s)
    if hints is None:
        return None
    result: dict[str, Any] = {}
    others: dict[str, str] = {}
    for key, value in hints.entries:
        name = str(key.value)
        where = f"scheduler_hints.{name}"
        if values.absent(value) or name == "cidr":
            continue
        if name == "group":
            group = s.ref(resource, value, "ServerGroup", where)
            if group is not None:
                result["serverGroupRef"] = group
        elif name in ("different_host", "same_host"):
            listed = value if isinstance(value, ListExpr) else ListExpr(items=(value,), span=value.span)
            servers = s.refs(resource, listed, "Server", where)
            if servers:
                result["differentHostServerRefs" if name == "different_host" else "sameHostServerRefs"] = servers
        elif name in HINTS:
            text = values.string(value, where, resource, s, limit=1024)
            if text is not None:
                result[HINTS[name]] = text
        elif name == "different_cell":
            cells = values.strings(value if isinstance(value, ListExpr) else ListExpr(items=(value,), span=value.span),
                                   where, resource, s, limit=1024)
            if cells:
                result["differentCell"] = cells
        elif name == "build_near_host_ip":
            address = values.string(value, where, resource, s, limit=45)
            cidr = values.string(hints.get("cidr"), "scheduler_hints.cidr", resource, s, limit=4)
            network = f"{address}/{(cidr or '32').lstrip('/')}" if address is not None else None
            if network is not None and FORMATS["cidr"](network):
                result["buildNearHostIP"] = network
            elif network is not None:
                s.invalid(resource, where, f"{network!r} is not a network in CIDR notation", value.span)
        elif values.known(value, where, resource, s):
            data = to_data(value)
            others[name] = data if isinstance(data, str) else json.dumps(data)
    if others:
        result["additionalProperties"] = others
    return result or None


def _user_data(member: Member, s: State, f: Fields) -> None:
    resource = member.resource
    expr = resource.properties.get("user_data")
    form = values.string(resource.properties.get("user_data_format"), "user_data_format", resource, s)
    form = form or "HEAT_CFNTOOLS"
    if not values.absent(expr) and form != "RAW":
        assert expr is not None
        s.report("H2K511", f"user data of {resource.name} is written as is: Heat's {form} wrapping for its in-guest "
                 "agents is not reproduced, and software deployments on the server need Heat", expr.span)
    elif form == "SOFTWARE_CONFIG":
        s.report("H2K511", f"Heat gives {resource.name} boot data for its in-guest agents (SOFTWARE_CONFIG); k-orc "
                 "writes none, so software deployments on the server need Heat", resource.span)
    if values.absent(expr) or (isinstance(expr, Literal) and expr.value == ""):
        return
    assert expr is not None
    source, text = _user_data_text(expr, s)
    name = secret(s, resource, member.name, "user-data", "value", source, text, "the user data")
    f.out["userData"] = {"secretRef": name}


def _user_data_text(expr: Expr, s: State) -> tuple[Expr, str | None]:
    """The expression the text comes from, and the text when known (a config's, when it names one)."""
    target = s.stack.resource(resource_target(expr) or "")
    if target is not None and target.type in CONFIG_TYPES:
        key = "config" if target.type == "OS::Heat::SoftwareConfig" else "cloud_config"
        content = target.properties.get(key)
        if content is None:
            return expr, None
        if not is_known(content):
            return content, None
        data = to_data(content)
        if key == "cloud_config":
            return content, "#cloud-config\n" + yaml.dump(data, Dumper=yaml.SafeDumper)
        return content, data if isinstance(data, str) else None
    if isinstance(expr, Literal):
        return expr, str(expr.value)
    return expr, None


def _resource_metadata(resource: Resource, s: State) -> None:
    """Heat serves a server's resource metadata to its in-guest agents (cfn-init, os-collect-config)."""
    metadata = resource.metadata
    keys = [str(k) for k in metadata.keys() if not str(k).startswith("h2k.io/")] \
        if isinstance(metadata, MapExpr) else []  # noqa: SIM118 (a MapExpr, not a dict)
    if keys or (metadata is not None and not isinstance(metadata, MapExpr)):
        assert metadata is not None
        s.report("H2K501", f"resource metadata of {resource.name} ({', '.join(keys) or 'computed'}) reaches the "
                 "server through Heat's metadata service, which k-orc does not serve; it is not carried over",
                 metadata.span)
