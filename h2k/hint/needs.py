"""What a compile needed but could not infer, and which resource definition should say it.

Each need answers a finding of the compile: H2K401 (a server without a container image), H2K305
when only that kept a server a virtual machine (its placement is a guess), H2K405 (a volume's
mount path was assumed), H2K402 where a floating IP found no `h2k.io/port` on its server, and
H2K301 (a type h2k does not translate: only `h2k.io/target: openstack` gives it a side). The
findings say that something is missing; the IR says on which resource the answer belongs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from h2k.diagnostics.model import Diagnostic
from h2k.hint.placeholder import IMAGE_KEY, KEYS, MOUNT_PATH_KEY, PORT_KEY, TARGET_KEY
from h2k.ir.expr import Literal, MapExpr
from h2k.ir.links import floating_ip_instance, resource_target
from h2k.ir.nodes import Resource, Stack
from h2k.span import Span

WORKLOAD_ROLES = ("workload", "container")


@dataclass
class Need:
    """A metadata key one resource should have: the findings it answers, and for what."""

    resource: Resource
    key: str
    codes: list[str] = field(default_factory=list)
    # What the value is for (floating IPs needing a port, servers a volume is mounted in).
    subjects: list[str] = field(default_factory=list)
    # Set when the value cannot be given in the resource's metadata at all.
    unwritable: str | None = None

    @property
    def text(self) -> str:
        """What the placeholder asks for, without its brackets."""
        name = local_name(self.resource)
        if self.key == IMAGE_KEY:
            image = self.resource.properties.get("image")
            if isinstance(image, Literal) and isinstance(image.value, str):
                return f"container image for Glance image {image.value}"
            if image is None:
                return f"container image for server {name}"
            return f"container image for server {name} (its Glance image is known only at deploy time)"
        if self.key == PORT_KEY:
            return f"port {name} listens on, or a list of ports, for floating IP {', '.join(self.subjects)}"
        if self.key == MOUNT_PATH_KEY:
            return f"path {name} is mounted at in {', '.join(self.subjects)}"
        return f"openstack, to keep it in the residual Heat stack: h2k does not translate {self.resource.type}"


def local_name(resource: Resource) -> str:
    """The resource's name in the file that defines it (a nested resource's name drops its prefix)."""
    prefix = ".".join(resource.nested_in) + "."
    return resource.name.removeprefix(prefix) if resource.nested_in else resource.name


def find_needs(stack: Stack, diagnostics: list[Diagnostic]) -> list[Need]:
    """The needs the findings show, one per resource and key, in template order."""
    by_span: dict[Span, list[Resource]] = {}
    for resource in stack.resources:
        by_span.setdefault(resource.span, []).append(resource)
    needs: dict[tuple[str, str], Need] = {}

    def need(resource: Resource, key: str, code: str, subject: str | None = None,
             unwritable: str | None = None) -> None:
        found = needs.setdefault((resource.name, key), Need(resource, key, unwritable=unwritable))
        if code not in found.codes:
            found.codes.append(code)
        if subject is not None and subject not in found.subjects:
            found.subjects.append(subject)

    for diagnostic in diagnostics:
        code = diagnostic.code.id
        for resource in by_span.get(diagnostic.span, []):
            if code == "H2K401" and resource.type == "OS::Nova::Server":
                need(resource, IMAGE_KEY, code)
            elif code == "H2K401" and resource.type == "OS::Zun::Container":
                need(resource, IMAGE_KEY, code, unwritable="a Zun container's image is its `image` property; map "
                     "its Glance image under images: in the config file")
            elif code == "H2K305" and resource.placement is not None and resource.placement.guess:
                need(resource, IMAGE_KEY, code)
            elif code == "H2K405" and resource.role == "volume-attachment":
                volume = stack.resource(resource_target(resource.properties.get("volume_id")) or "")
                server = resource_target(resource.properties.get("instance_uuid"))
                if volume is not None:
                    need(volume, MOUNT_PATH_KEY, code, _shown(server, resource))
            elif code == "H2K402" and resource.role == "floating-ip":
                instance = floating_ip_instance(stack, resource)
                if instance is not None and instance.role in WORKLOAD_ROLES and not _has(instance, PORT_KEY):
                    need(instance, PORT_KEY, code, local_name(resource))
            elif code == "H2K301" and resource.placement is not None and resource.placement.side == "none":
                need(resource, TARGET_KEY, code)
    order = {r.name: i for i, r in enumerate(stack.resources)}
    return sorted(needs.values(), key=lambda n: (order.get(n.resource.name, 0), KEYS.index(n.key)))


def _shown(server: str | None, attachment: Resource) -> str:
    """A server's name as its own file knows it (`attachment` is defined beside it)."""
    if server is None:
        return "its server"
    prefix = ".".join(attachment.nested_in) + "."
    return server.removeprefix(prefix) if attachment.nested_in else server


def _has(resource: Resource, key: str) -> bool:
    return isinstance(resource.metadata, MapExpr) and resource.metadata.get(key) is not None
