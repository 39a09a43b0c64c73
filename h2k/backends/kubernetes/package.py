"""Lay the objects out as files: one file per object, plus a kustomization when asked for."""

from __future__ import annotations

from h2k.backends.kubernetes.emit import Emitted

# Apply order when objects are streamed: what others depend on comes first.
KIND_ORDER = ("Namespace", "StorageClass", "PersistentVolumeClaim", "ConfigMap", "Secret", "NetworkPolicy",
              "Service", "Deployment", "StatefulSet", "Job")


def ordered(objects: list[Emitted]) -> list[Emitted]:
    rank = {kind: position for position, kind in enumerate(KIND_ORDER)}
    return sorted(objects, key=lambda o: (rank.get(o.kind, len(rank)), o.kind, o.name))


def file_name(item: Emitted) -> str:
    return f"{item.kind.lower()}-{item.name}.yaml"


def package(objects: list[Emitted], style: str, namespace: str | None) -> dict[str, bytes]:
    from h2k.output.serialize import to_yaml

    files = {f"kubernetes/{file_name(item)}": to_yaml(item.object).encode() for item in ordered(objects)}
    if style == "kustomize":
        kustomization: dict[str, object] = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
        if namespace:
            kustomization["namespace"] = namespace
        kustomization["resources"] = [file_name(item) for item in ordered(objects)]
        files["kubernetes/kustomization.yaml"] = to_yaml(kustomization).encode()
    return dict(sorted(files.items()))
