"""How the custom-resource validators (k-orc, KubeVirt and CDI) report what is wrong with an object."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema_rs import Validator


def violations(validator: Validator, obj: dict[str, Any]) -> list[str]:
    """Every violation as sorted "<path>: <message>" lines (`spec.resource.tags[0]: ...`); empty if valid."""
    return sorted(f"{_path(error.instance_path)}: {error.message}" for error in validator.iter_errors(obj))


def _path(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "<root>"
