"""h2k: compile OpenStack Heat templates into Kubernetes manifests and OpenStack resource requests.

The public API lives in `h2k.api` (`compile`, `check`); it is imported on first use so that the
command line starts fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("compile", "check", "CompileOptions", "CompileResult"):
        from h2k import api

        return getattr(api, name)
    raise AttributeError(name)
