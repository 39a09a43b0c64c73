"""Adopting what a running stack already has, instead of creating it again (`--adopt FILE`).

A live stack's volumes hold data, its floating IPs are in DNS, its load balancers have
addresses. Given the stack's resources (`openstack stack resource list <stack> -f json`, or a
map of resource name -> ID, or -> {id, address}), the Kubernetes side takes them over:
- a Cinder volume becomes a static PersistentVolume of the Cinder CSI driver (`volumeHandle` = the
  volume's ID, reclaim policy Retain) bound to the claim, which names it and gets no data source:
  the data is used where it is, never copied or recreated;
- a floating IP in front of a workload gives its address to the LoadBalancer Service
  (`loadBalancerIP`, kept when the Service goes: `keep-floatingip`);
- an Octavia load balancer is reused through `loadbalancer.openstack.org/load-balancer-id`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from h2k.backends.kubernetes.context import BackendContext
from h2k.ir.nodes import Resource

CSI_DRIVER = "cinder.csi.openstack.org"
_UUID = re.compile(r"[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")


class AdoptionError(Exception):
    """The adoption file cannot be read."""


@dataclass(frozen=True, slots=True)
class Existing:
    """A resource of the running stack: its physical ID, and for a floating IP its address."""

    id: str
    address: str | None = None


def read_adoption(path: Path) -> dict[str, Existing]:
    """Resource name -> what exists, from `openstack stack resource list -f json` or a plain map."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AdoptionError(f"{path}: not a readable JSON file ({error})") from None
    found: dict[str, Existing] = {}
    if isinstance(data, list):
        for row in data:
            if not isinstance(row, dict) or "resource_name" not in row:
                raise AdoptionError(f"{path}: every entry of a resource list needs resource_name")
            physical = row.get("physical_resource_id")
            if physical:
                found[str(row["resource_name"])] = Existing(str(physical))
        return found
    if not isinstance(data, dict):
        raise AdoptionError(f"{path}: expected a resource list or a map of resource name -> ID")
    for name, value in data.items():
        if isinstance(value, str) and value:
            found[str(name)] = Existing(value)
        elif isinstance(value, dict) and isinstance(value.get("id"), str):
            address = value.get("address")
            found[str(name)] = Existing(value["id"], str(address) if address else None)
        else:
            raise AdoptionError(f"{path}: {name}: expected an ID, or {{id, address}}")
    return found


def adopted_volume(resource: Resource, claim: dict[str, object], ctx: BackendContext) -> list[dict[str, object]]:
    """The claim bound to a static PersistentVolume of the existing Cinder volume (or the claim alone)."""
    existing = ctx.adopted.get(resource.name)
    if existing is None:
        return [claim]
    spec = claim["spec"]
    assert isinstance(spec, dict)
    spec.pop("dataSourceRef", None)  # the data is there already
    name = f"{resource.object_name[:230]}-adopted"
    spec["volumeName"] = name
    storage_class = spec.get("storageClassName", "")
    spec["storageClassName"] = storage_class  # "" binds to a PersistentVolume of no class, not the default
    # Binding both ways needs the claim's namespace; without one, the claim's volumeName binds it.
    claim_ref = {"claimRef": {"namespace": ctx.namespace, "name": resource.object_name}} if ctx.namespace else {}
    metadata = ctx.metadata(resource, name, cluster_scoped=True)
    requests = spec["resources"]["requests"]
    volume: dict[str, object] = {"apiVersion": "v1", "kind": "PersistentVolume", "metadata": metadata, "spec": {
        "capacity": {"storage": requests["storage"]},
        "accessModes": spec["accessModes"], "volumeMode": spec.get("volumeMode", "Filesystem"),
        "persistentVolumeReclaimPolicy": "Retain", "storageClassName": storage_class, **claim_ref,
        "csi": {"driver": CSI_DRIVER, "volumeHandle": existing.id}}}
    ctx.sink.report("H2K427", f"volume {resource.name} is the existing Cinder volume {existing.id}: a "
                    f"PersistentVolume {name} (Retain) is bound to its claim; nothing is created or copied",
                    resource.span)
    if not _UUID.fullmatch(existing.id):
        ctx.sink.report("H2K428", f"the ID given for volume {resource.name} ({existing.id!r}) is not a Cinder volume "
                        "UUID", resource.span)
    return [claim, volume]


def adopted_address(resource: Resource, spec: dict[str, object], annotations: dict[str, str],
                    ctx: BackendContext) -> None:
    """A LoadBalancer Service keeps the existing floating IP's address."""
    existing = ctx.adopted.get(resource.name)
    if existing is None:
        return
    if existing.address is None:
        ctx.sink.report("H2K428", f"floating IP {resource.name} exists ({existing.id}) but its address is not given; "
                        f"give it as {{\"{resource.name}\": {{\"id\": \"{existing.id}\", \"address\": \"...\"}}}} "
                        "(openstack floating ip show <id> -c floating_ip_address)", resource.span)
        return
    spec["loadBalancerIP"] = existing.address
    annotations["loadbalancer.openstack.org/keep-floatingip"] = "true"
    ctx.sink.report("H2K427", f"floating IP {resource.name} keeps its address {existing.address} on Service "
                    f"{resource.object_name}", resource.span)


def adopted_balancer(resource: Resource, annotations: dict[str, str], ctx: BackendContext) -> None:
    """A LoadBalancer Service reuses the existing Octavia load balancer."""
    existing = ctx.adopted.get(resource.name)
    if existing is None:
        return
    annotations["loadbalancer.openstack.org/load-balancer-id"] = existing.id
    ctx.sink.report("H2K427", f"load balancer {resource.name} is the existing Octavia load balancer {existing.id}",
                    resource.span)
