"""OS::Heat::RandomString -> a Secret that carries no value: the value comes from the user at deploy time.

h2k never invents a password into files meant for git. With Kustomize the Secret is a
`secretGenerator` reading `secrets/<name>.env`, a file the user writes (an `.env.example` beside it
says what to put there, and a `.gitignore` keeps the real file out of git); with plain manifests
it is an empty Secret, to fill with `kubectl create secret generic <name> --from-literal=value=...`.
"""

from __future__ import annotations

import json

from h2k.backends.kubernetes.context import BackendContext, report_unhandled
from h2k.ir.expr import Literal, to_data
from h2k.ir.nodes import Resource

DEPLOY_TIME = "h2k.io/values"  # annotation marking a Secret whose values the user supplies
KEY = "value"  # the attribute Heat's RandomString exposes
KEYS_ANNOTATION = "h2k.io/keys"  # the keys of a deploy-time Secret that has more than `value`

MAPPED = {
    "length": "described in `secrets/<name>.env.example` (the user generates the value)",
    "character_classes": "described in `secrets/<name>.env.example`",
    "character_sequences": "described in `secrets/<name>.env.example`",
    "salt": "nothing: it only makes Heat regenerate the value",
}


def emit_random_string(resource: Resource, ctx: BackendContext) -> list[dict[str, object]]:
    report_unhandled(resource, frozenset(MAPPED) | {"sequence"}, {}, ctx)
    metadata = ctx.metadata(resource)
    annotations = metadata["annotations"]
    assert isinstance(annotations, dict)
    annotations[DEPLOY_TIME] = requirements(resource)
    return [{"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "type": "Opaque"}]


def requirements(resource: Resource) -> str:
    """What the value must look like, in the words of the template's properties."""
    length = resource.properties.get("length")
    shown = length.value if isinstance(length, Literal) else 32
    parts = [f"a random string of {shown!s} characters"]
    for key in ("character_classes", "character_sequences", "sequence"):
        value = resource.properties.get(key)
        if value is not None:
            parts.append(f"{key}: {json.dumps(to_data(value), sort_keys=True)}")
    return "; ".join(parts)


def env_example(name: str, obj: dict[str, object]) -> bytes:
    metadata = obj["metadata"]
    assert isinstance(metadata, dict)
    source = metadata["annotations"]["h2k.io/source"]
    need = metadata["annotations"][DEPLOY_TIME]
    keys = str(metadata["annotations"].get(KEYS_ANNOTATION, KEY)).split(",")
    where = f"the value after {KEY}=" if keys == [KEY] else "each value after its key"
    return (f"# Secret {name}, from {source}: {need}.\n"
            f"# Copy this file to {name}.env, put {where}, and never commit {name}.env.\n"
            + "".join(f"{key}=\n" for key in keys)).encode()
