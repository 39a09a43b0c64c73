"""Keystone role assignments -> RoleAssignment objects, one per role (and project or domain).

They come from OS::Keystone::UserRoleAssignment and GroupRoleAssignment, and from the `roles`
of an OS::Keystone::User or Group: k-orc has one kind for an assignment, whoever holds it.
"""

from __future__ import annotations

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.state import State
from h2k.ir.expr import Expr
from h2k.ir.nodes import Resource

MAPPED = {
    "user": "`userRef` of each RoleAssignment (UserRoleAssignment)",
    "group": "`groupRef` of each RoleAssignment (GroupRoleAssignment)",
    "roles": "one RoleAssignment per entry: `role` as `roleRef`, `project` as `projectRef` or `domain` as "
             "`domainRef`",
}


def emit_assignments(resource: Resource, s: State) -> None:
    """UserRoleAssignment / GroupRoleAssignment: the assignments of one user or group."""
    field, key, kind = ("userRef", "user", "User") if resource.type.endswith("UserRoleAssignment") else \
        ("groupRef", "group", "Group")
    holder = s.ref(resource, resource.properties.get(key), kind, key)
    s.report_unhandled(resource, MAPPED, {})
    if holder is None:
        s.keep(resource, f"k-orc needs the {key} as a k-orc {kind}")
        return
    base = resource.object_name or resource.name
    written = assignments(resource, s, field, holder, resource.properties.get("roles"), base)
    if not written and not values.absent(resource.properties.get("roles")):
        s.keep(resource, "none of its roles could be written")


def assignments(resource: Resource, s: State, field: str, holder: str, roles: Expr | None, base: str) -> int:
    """Write the assignments of `roles` to `holder` (a User or Group object); how many were written."""
    written = 0
    for index, where, item in values.maps(values.items(roles, "roles", resource, s) or [], "roles", resource, s):
        role = s.ref(resource, item.get("role"), "Role", f"{where}.role")
        project = s.ref(resource, item.get("project"), "Project", f"{where}.project")
        domain = s.ref(resource, item.get("domain"), "Domain", f"{where}.domain")
        if role is None or (project is None) == (domain is None):
            s.report("H2K505", f"{where} of {resource.name} needs a role and one project or domain that k-orc can "
                     "name; the assignment is left out", item.span)
            continue
        spec = {"roleRef": role, field: holder}
        spec.update({"projectRef": project} if project is not None else {"domainRef": domain})  # type: ignore[dict-item]
        name = s.names.suffixed("RoleAssignment", base, f"role-{index}")
        s.add(resource, s.managed("RoleAssignment", resource, name, spec))
        written += 1
    return written
