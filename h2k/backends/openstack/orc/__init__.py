"""k-orc: the resources that stay on OpenStack as openstack-resource-controller objects (`--infra orc`).

`emit_orc(stack, ctx)` writes an `openstack.k-orc.cloud/v1alpha1` object for each resource of role
`infrastructure` that k-orc has a kind for, and returns the others for the residual Heat stack.
docs/orc.md describes the mapping; `orc_sections()` gives its property tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from h2k.backends.openstack.orc.context import Credentials, OrcContext, OrcObject, OrcResult
from h2k.backends.openstack.orc.emit import emit_orc

if TYPE_CHECKING:
    from h2k.backends.kubernetes.matrix import Section


def orc_sections() -> tuple[Section, ...]:
    """The conversion-matrix sections of the k-orc backend (imported on demand: they pull in the
    Kubernetes matrix, which compiling for k-orc does not need)."""
    from h2k.backends.openstack.orc.matrix import orc_sections as sections

    return sections()

__all__ = ["Credentials", "OrcContext", "OrcObject", "OrcResult", "emit_orc", "orc_sections"]
