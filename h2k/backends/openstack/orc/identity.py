"""Keystone: OS::Keystone::Project, Domain, Role, Group, Service and Endpoint -> their k-orc kinds."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.role_assignment import assignments
from h2k.backends.openstack.orc.state import Member, State

PROJECT_MAPPED = {
    "name": "`name` (at most 64 characters)",
    "domain": "`domainRef` (Keystone's `default` domain is imported by its name, `Default`)",
    "description": "`description`",
    "enabled": "`enabled`",
    "tags": "`tags`",
}
PROJECT_REASONS = {"parent": "k-orc creates top-level projects only"}
DOMAIN_MAPPED = {"name": "`name`", "description": "`description`", "enabled": "`enabled`"}
ROLE_MAPPED = {"name": "`name`", "domain": "`domainRef`"}
GROUP_MAPPED = {
    "name": "`name`",
    "domain": "`domainRef`",
    "description": "`description`",
    "roles": "RoleAssignment objects `<group>-role-<n>` (H2K512)",
}
SERVICE_MAPPED = {"name": "`name`", "description": "`description`", "type": "`type`", "enabled": "`enabled`"}
ENDPOINT_MAPPED = {
    "service": "`serviceRef`",
    "interface": "`interface`",
    "url": "`url`",
    "enabled": "`enabled`",
}
ENDPOINT_REASONS = {
    "name": "k-orc endpoints have no name",
    "region": "k-orc has no Region kind; the endpoint gets no region",
}
INTERFACES = {i: i for i in ("public", "internal", "admin")}


def emit_project(member: Member, s: State) -> dict[str, Any] | None:
    f = Fields(member, s)
    f.name(limit=64)
    f.ref("domainRef", "Domain", "domain")
    f.string("description", "description", limit=65535)
    f.boolean("enabled", "enabled")
    f.strings("tags", "tags", max_items=80)
    s.report_unhandled(member.resource, PROJECT_MAPPED, PROJECT_REASONS)
    return f.out


def emit_domain(member: Member, s: State) -> dict[str, Any] | None:
    f = Fields(member, s)
    f.name(limit=64)
    f.string("description", "description")
    f.boolean("enabled", "enabled")
    s.report_unhandled(member.resource, DOMAIN_MAPPED, {})
    return f.out


def emit_role(member: Member, s: State) -> dict[str, Any] | None:
    f = Fields(member, s)
    f.name(limit=64)
    f.ref("domainRef", "Domain", "domain")
    s.report_unhandled(member.resource, ROLE_MAPPED, {})
    return f.out


def emit_group(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name(limit=64)
    f.ref("domainRef", "Domain", "domain")
    f.string("description", "description")
    s.report_unhandled(resource, GROUP_MAPPED, {})
    roles = resource.properties.get("roles")
    if roles is not None and assignments(resource, s, "groupRef", member.name, roles, member.name):
        s.report("H2K512", f"the roles of group {resource.name} become k-orc RoleAssignment objects", roles.span)
    return f.out


def emit_service(member: Member, s: State) -> dict[str, Any] | None:
    f = Fields(member, s)
    f.name()
    f.string("description", "description")
    f.string("type", "type")
    f.boolean("enabled", "enabled")
    s.report_unhandled(member.resource, SERVICE_MAPPED, {})
    if not f.required("type", "k-orc needs the service's type"):
        return None
    return f.out


def emit_endpoint(member: Member, s: State) -> dict[str, Any] | None:
    f = Fields(member, s)
    f.ref("serviceRef", "Service", "service")
    f.choice("interface", "interface", INTERFACES)
    f.string("url", "url", limit=1024)
    f.boolean("enabled", "enabled")
    s.report_unhandled(member.resource, ENDPOINT_MAPPED, ENDPOINT_REASONS)
    for field, why in (("serviceRef", "its service as a k-orc Service"), ("interface", "its interface"),
                       ("url", "its URL")):
        if not f.required(field, f"k-orc needs {why}"):
            return None
    return f.out
