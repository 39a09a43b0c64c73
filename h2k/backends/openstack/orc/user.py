"""OS::Keystone::User -> User; its password goes into a Secret, its roles become RoleAssignments."""

from __future__ import annotations

from typing import Any

from h2k.backends.openstack.orc import values
from h2k.backends.openstack.orc.fields import Fields
from h2k.backends.openstack.orc.role_assignment import assignments
from h2k.backends.openstack.orc.secrets import secret
from h2k.backends.openstack.orc.state import Member, State
from h2k.ir.expr import Literal

MAPPED = {
    "name": "`name`",
    "domain": "`domainRef`",
    "description": "`description`",
    "enabled": "`enabled`",
    "default_project": "`defaultProjectRef`",
    "password": "`passwordRef`: a Secret `<user>-password` with key `password` (H2K508), without the value when "
                "it is hidden or only known at deploy time (H2K509)",
    "roles": "RoleAssignment objects `<user>-role-<n>` (H2K512)",
}
REASONS = {
    "email": "k-orc does not set a user's e-mail address",
    "groups": "k-orc has no group membership; add the user to its groups in Keystone",
}


def emit_user(member: Member, s: State) -> dict[str, Any] | None:
    resource = member.resource
    f = Fields(member, s)
    f.name()
    f.ref("domainRef", "Domain", "domain")
    f.string("description", "description")
    f.boolean("enabled", "enabled")
    f.ref("defaultProjectRef", "Project", "default_project")
    password = resource.properties.get("password")
    if not values.absent(password) and not (isinstance(password, Literal) and password.value == ""):
        assert password is not None
        text = str(password.value) if isinstance(password, Literal) else None
        f.out["passwordRef"] = secret(s, resource, member.name, "password", "password", password, text,
                                      "the password")
    s.report_unhandled(resource, MAPPED, REASONS)
    roles = resource.properties.get("roles")
    if roles is not None and assignments(resource, s, "userRef", member.name, roles, member.name):
        s.report("H2K512", f"the roles of user {resource.name} become k-orc RoleAssignment objects", roles.span)
    return f.out
