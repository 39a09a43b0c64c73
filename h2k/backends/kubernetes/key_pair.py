"""OS::Nova::KeyPair -> the Secret of SSH public keys that KubeVirt virtual machines using it read.

Containers are not reached over SSH, so for them a key pair has no counterpart (H2K411). A server
that becomes a KubeVirt virtual machine keeps its `key_name`: the VirtualMachine's
`accessCredentials` has cloud-init install the public key of a Secret (`ssh-key-<key name>`, key
`key`), as Nova's metadata did. The Secret holds the key pair's `public_key`; when Heat would
generate the pair, or the pair exists only in Nova (a `key_name` no resource of the template
defines), the Secret carries no value and the user puts a public key in it at deploy time (H2K432).
A private key is never written.
"""

from __future__ import annotations

from dataclasses import dataclass

from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.backends.kubernetes.secret import DEPLOY_TIME, KEYS_ANNOTATION
from h2k.diagnostics.codes import Severity
from h2k.ir.expr import Expr, Literal, MapExpr
from h2k.ir.links import resource_target
from h2k.ir.nodes import Resource
from h2k.output.secrets import secret_values
from h2k.passes.names import dns_label
from h2k.passes.placement import VM_ROLE
from h2k.span import Span

KEY = "key"  # the Secret's key; KubeVirt installs the value of every key as a public key

MAPPED = {
    "name": "the Secret `ssh-key-<name>` that the virtual machines whose `key_name` it is read",
    "public_key": "the Secret's `key`; without it (Heat generates the pair) the Secret carries no value and the user "
                  "supplies a public key (H2K432)",
    "save_private_key": "nothing: a private key is never written (H2K402, a note)",
    "type": "`ssh` (Heat's default): the key as it is; an `x509` certificate is not an SSH key (H2K402)",
}
HANDLED = frozenset(MAPPED)
REASONS = {"user": "the Nova user owning a key pair has no Kubernetes counterpart"}


@dataclass(frozen=True, slots=True)
class KeyRef:
    """The key pair a server names: its Nova name, and the key pair resource when the template defines it."""

    name: str
    pair: Resource | None
    span: Span


def nova_name(pair: Resource) -> str:
    given = pair.properties.get("name")
    return given.value if isinstance(given, Literal) and isinstance(given.value, str) and given.value else pair.name


def secret_name(key_name: str) -> str:
    return f"ssh-key-{dns_label(key_name)}"[:253]


def key_of(server: Resource, properties: MapExpr, ctx: BackendContext) -> KeyRef | None:
    """The key pair of a server's `key_name`: by `get_resource`, or by name (a pair of the template, else Nova's)."""
    expr: Expr | None = properties.get("key_name")
    if expr is None:
        return None
    pair = ctx.stack.resource(resource_target(expr) or "")
    if pair is not None and pair.type == "OS::Nova::KeyPair":
        return KeyRef(nova_name(pair), pair, expr.span)
    if isinstance(expr, Literal) and isinstance(expr.value, str) and expr.value:
        named = [r for r in ctx.stack.resources if r.type == "OS::Nova::KeyPair" and nova_name(r) == expr.value]
        return KeyRef(expr.value, named[0] if named else None, expr.span)
    ctx.drop(server, "key_name", "the key pair is only known at deploy time", expr.span)
    return None


def _users(pair: Resource, ctx: BackendContext) -> list[Resource]:
    return [s for s in ctx.stack.resources if s.role == VM_ROLE
            and (found := key_of(s, s.properties, _quiet(ctx))) is not None and found.pair is pair]


def _quiet(ctx: BackendContext) -> BackendContext:
    import dataclasses

    from h2k.diagnostics.model import DiagnosticSink

    return dataclasses.replace(ctx, sink=DiagnosticSink())


def emit_key_pair(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    users = _users(resource, ctx)
    if not users:
        ctx.sink.report("H2K411", f"key pair {resource.name} has no Kubernetes counterpart: containers are not "
                        "reached over SSH (a private key Heat would generate is never written)", resource.span)
        return []
    report_unhandled(resource, HANDLED, REASONS, ctx)
    kind = resource.properties.get("type")
    if kind is not None and not (isinstance(kind, Literal) and kind.value == "ssh"):
        ctx.drop(resource, "type", "only an SSH public key can be installed in a virtual machine", kind.span)
    save = resource.properties.key_span("save_private_key")
    if save is not None:
        ctx.drop(resource, "save_private_key", "a private key is never written", save, Severity.INFO)
    name = secret_name(nova_name(resource))
    public = resource.properties.get("public_key")
    text = public.value.strip() if isinstance(public, Literal) and isinstance(public.value, str) else ""
    hidden = [p.name for value, p in secret_values(ctx.stack).items() if text and value in text]
    if text and not hidden:
        return [{"apiVersion": "v1", "kind": "Secret", "metadata": ctx.metadata(resource, name), "type": "Opaque",
                 "stringData": {KEY: text + "\n"}}]
    why = ("Heat would generate this key pair: generate one (ssh-keygen) and put its public key here" if public is None
           else f"its public key is hidden parameter {hidden[0]}, never written" if hidden
           else "its public key is only known at deploy time")
    servers = ", ".join(s.name for s in users)
    ctx.sink.report("H2K432", f"the SSH public key of key pair {resource.name} (used by {servers}) is supplied at "
                    f"deploy time: {why}; Secret {name}, key {KEY}", (public or resource).span)
    return [deploy_time_secret(resource, name, f"the SSH public key of key pair {nova_name(resource)}: {why}", ctx)]


def deploy_time_secret(source: Resource, name: str, need: str, ctx: BackendContext) -> dict[str, object]:
    """A Secret of public keys without a value: the user writes the key (a file of its own with Kustomize)."""
    metadata = ctx.metadata(source, name)
    annotations = metadata["annotations"]
    assert isinstance(annotations, dict)
    annotations[DEPLOY_TIME] = need
    annotations[KEYS_ANNOTATION] = KEY
    return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque"}


def outside_key_secret(server: Resource, key: KeyRef, ctx: BackendContext) -> dict[str, object] | None:
    """The deploy-time Secret of a key pair no resource of the template turns into a Secret (one in Nova, or
    one that stays on OpenStack), written once, by the first virtual machine that uses it."""
    first = next(s for s in ctx.stack.resources if s.role == VM_ROLE
                 and (found := key_of(s, s.properties, _quiet(ctx))) is not None and found.name == key.name)
    if first is not server:
        return None
    name = secret_name(key.name)
    where = ("stays on OpenStack, where Heat generates it" if key.pair is not None
             else "is not defined in this template")
    ctx.sink.report("H2K432", f"key pair {key.name!r} of {server.name} {where}: its SSH public key is supplied at "
                    f"deploy time (`openstack keypair show {key.name} --public-key`); Secret {name}, key {KEY}",
                    server.properties.key_span("key_name") or server.span)
    return deploy_time_secret(server, name, f"the SSH public key of Nova key pair {key.name} (openstack keypair "
                              f"show {key.name} --public-key)", ctx)
