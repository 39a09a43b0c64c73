"""Lay the objects out as files: one file per object, plus a kustomization when asked for."""

from __future__ import annotations

from h2k.backends.kubernetes.emit import Emitted
from h2k.backends.kubernetes.secret import DEPLOY_TIME, KEYS_ANNOTATION, env_example


def _deploy_time(item: Emitted) -> bool:
    """A Secret or ConfigMap whose values the user (or `h2k bind`) supplies after compiling."""
    return item.kind in ("Secret", "ConfigMap") and DEPLOY_TIME in item.object["metadata"].get("annotations", {})


def _keys(item: Emitted) -> list[str] | None:
    """The keys of a deploy-time object filled key by key (one file each), or None for `value` in an env file."""
    listed = item.object["metadata"]["annotations"].get(KEYS_ANNOTATION)
    return str(listed).split(",") if listed else None


def _generator(item: Emitted) -> dict[str, object]:
    keys = _keys(item)
    folder = "secrets" if item.kind == "Secret" else "values"
    sources: dict[str, object] = {"envs": [f"secrets/{item.name}.env"]} if keys is None else \
        {"files": [f"{key}={folder}/{item.name}/{key}" for key in keys]}
    return {"name": item.name, **sources, "options": {"labels": item.object["metadata"]["labels"],
                                                     "annotations": item.object["metadata"]["annotations"]}}

# Apply order when objects are streamed: what others depend on comes first.
KIND_ORDER = ("Namespace", "StorageClass", "PersistentVolumeClaim", "ConfigMap", "Secret", "NetworkPolicy",
              "Service", "Deployment", "StatefulSet", "Job", "HorizontalPodAutoscaler", "PodDisruptionBudget")


def ordered(objects: list[Emitted]) -> list[Emitted]:
    rank = {kind: position for position, kind in enumerate(KIND_ORDER)}
    return sorted(objects, key=lambda o: (rank.get(o.kind, len(rank)), o.kind, o.name))


def file_name(item: Emitted, fmt: str = "yaml") -> str:
    return f"{item.kind.lower()}-{item.name}.{fmt}"


def package(objects: list[Emitted], style: str, namespace: str | None, fmt: str = "yaml") -> dict[str, bytes]:
    """The `kubernetes/` files; manifests in `fmt` (yaml or json), the kustomization always YAML."""
    from h2k.output.serialize import to_json, to_yaml

    dump = to_json if fmt == "json" else to_yaml
    generated = [item for item in ordered(objects) if style == "kustomize" and _deploy_time(item)]
    written = [item for item in ordered(objects) if item not in generated]
    files = {f"kubernetes/{file_name(item, fmt)}": dump(item.object).encode() for item in written}
    if style == "kustomize":
        kustomization: dict[str, object] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
        if namespace:
            kustomization["namespace"] = namespace
        kustomization["resources"] = [file_name(item, fmt) for item in written]
        if generated:
            # Values the user (or `h2k bind`) writes into files of their own, git-ignored for Secrets;
            # the objects keep the names h2k chose.
            config_maps = [_generator(item) for item in generated if item.kind == "ConfigMap"]
            secrets = [_generator(item) for item in generated if item.kind == "Secret"]
            if config_maps:
                kustomization["configMapGenerator"] = config_maps
            if secrets:
                kustomization["secretGenerator"] = secrets
                files["kubernetes/secrets/.gitignore"] = b"*.env\n*/\n"
            kustomization["generatorOptions"] = {"disableNameSuffixHash": True}
            for item in generated:
                keys = _keys(item)
                folder = "secrets" if item.kind == "Secret" else "values"
                if keys is None:
                    files[f"kubernetes/secrets/{item.name}.env.example"] = env_example(item.name, item.object)
                for key in keys or ():
                    # Empty until filled: kustomize builds, and `h2k bind` (or the user) writes the value.
                    files[f"kubernetes/{folder}/{item.name}/{key}"] = b""
        files["kubernetes/kustomization.yaml"] = to_yaml(kustomization).encode()
    return dict(sorted(files.items()))


def stream(objects: list[Emitted], fmt: str = "yaml") -> str:
    """Every object in apply order: a multi-document YAML stream, or a JSON `List`."""
    from h2k.output.serialize import to_json, to_yaml_stream

    items = [item.object for item in ordered(objects)]
    if fmt == "json":
        return to_json({"apiVersion": "v1", "kind": "List", "items": items})
    return to_yaml_stream(items)
