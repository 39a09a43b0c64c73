"""Lay the objects out as files: one file per object, plus a kustomization when asked for."""

from __future__ import annotations

from h2k.backends.kubernetes.emit import Emitted
from h2k.backends.kubernetes.secret import DEPLOY_TIME, env_example


def _deploy_time_secret(item: Emitted) -> bool:
    return item.kind == "Secret" and DEPLOY_TIME in item.object["metadata"].get("annotations", {})

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
    generated = [item for item in ordered(objects) if style == "kustomize" and _deploy_time_secret(item)]
    written = [item for item in ordered(objects) if item not in generated]
    files = {f"kubernetes/{file_name(item, fmt)}": dump(item.object).encode() for item in written}
    if style == "kustomize":
        kustomization: dict[str, object] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
        if namespace:
            kustomization["namespace"] = namespace
        kustomization["resources"] = [file_name(item, fmt) for item in written]
        if generated:
            # Values the user writes into git-ignored files: the Secret's name stays the one h2k chose.
            kustomization["secretGenerator"] = [
                {"name": item.name, "envs": [f"secrets/{item.name}.env"],
                 "options": {"labels": item.object["metadata"]["labels"],
                             "annotations": item.object["metadata"]["annotations"]}}
                for item in generated]
            kustomization["generatorOptions"] = {"disableNameSuffixHash": True}
            files["kubernetes/secrets/.gitignore"] = b"*.env\n"
            for item in generated:
                files[f"kubernetes/secrets/{item.name}.env.example"] = env_example(item.name, item.object)
        files["kubernetes/kustomization.yaml"] = to_yaml(kustomization).encode()
    return dict(sorted(files.items()))


def stream(objects: list[Emitted], fmt: str = "yaml") -> str:
    """Every object in apply order: a multi-document YAML stream, or a JSON `List`."""
    from h2k.output.serialize import to_json, to_yaml_stream

    items = [item.object for item in ordered(objects)]
    if fmt == "json":
        return to_json({"apiVersion": "v1", "kind": "List", "items": items})
    return to_yaml_stream(items)
