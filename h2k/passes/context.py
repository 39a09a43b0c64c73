"""What every pass receives besides the stack: the user's inputs and the diagnostic sink."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from h2k.diagnostics.model import DiagnosticSink

if TYPE_CHECKING:
    from h2k.frontends.hot.environment import Environment
    from h2k.ir.expr import Expr
    from h2k.source.loader import SourceFile
    from h2k.span import Span


@dataclass
class PassContext:
    sink: DiagnosticSink
    # Parameter values given by the user (-P name=value), as text, as Heat receives them. Used when
    # `environment` is None; otherwise they must already be in it (merge_environments takes them,
    # because Heat's precedence between the two depends on the merge).
    parameters: dict[str, str] = field(default_factory=dict)
    # The merged environment files (-e), command-line values included.
    environment: Environment | None = None
    # The directory get_file may read inside (--files-root); None: the template's own directory.
    files_root: str | None = None
    # False for `h2k check`: values are given at deploy time, so a parameter without one is fine.
    require_values: bool = True
    # True when compiling for Kubernetes: a hidden parameter (a password) is read from a Secret
    # filled at deploy time, so it needs no value now. False reproduces Heat, which requires one.
    hidden_at_deploy_time: bool = False
    # Where resources land (placement.py): explicit choices by resource name (openstack, kubernetes
    # or kubevirt), the policy for the other servers (auto, container, openstack, kubevirt), and the Glance
    # images that have a container image (`images:` of the config file), which `auto` looks at.
    targets: dict[str, str] = field(default_factory=dict)
    servers: str = "auto"
    # Where `auto` puts a server it cannot make a container of: openstack, or kubevirt.
    fallback: str = "openstack"
    container_images: frozenset[str] = frozenset()
    # Called with every function the evaluator applies and its evaluated arguments: the Helm
    # packaging watches where parameter values go (backends/kubernetes/helm_values.py).
    observe: Callable[[str, Expr], None] | None = None
    # The `params` of every str_replace whose template is text, as written and evaluated, by the
    # text's span: the immutability pass reads which words of a boot script are placeholders, what
    # they became, and which are hidden parameters.
    replacements: dict[Span, tuple[Expr | None, Expr]] = field(default_factory=dict)
    # Template files already loaded (the template, provider templates), by path: the immutability
    # pass reads boot scripts from their nodes without loading them again.
    loaded: dict[str, SourceFile] = field(default_factory=dict)
