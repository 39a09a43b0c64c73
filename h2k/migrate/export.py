"""A live stack, from what the OpenStack client prints about it (see docs/migrate.md).

An export directory holds, under fixed names:

- `template.json`: `openstack stack template show <stack> -f json` (required; the template Heat
  runs, which is what must be translated, whatever the files on disk say);
- `environment.json`: `openstack stack environment show <stack> -f json` (the parameters and the
  registry the stack was created or last updated with);
- `stack.json`: `openstack stack show <stack> -f json` (the stack's name: `OS::stack_name`, on
  which generated names depend);
- `resources.json`: `openstack stack resource list <stack> -f json` (what exists, to adopt).

The JSON files are read as h2k reads any template or environment (JSON is YAML), so findings
point at their lines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from h2k.api import CompileOptions
from h2k.migrate.plan import StackSpec, safe_name

EXPORT_TEMPLATE = "template.json"
EXPORT_ENVIRONMENT = "environment.json"
EXPORT_STACK = "stack.json"
EXPORT_RESOURCES = "resources.json"


def export_stack(directory: Path, root: Path, overrides: dict[str, Any]) -> StackSpec:
    """The stack exported in `directory`; paths in the report are relative to `root`."""
    problems: list[tuple[str, str, str]] = []
    stack_name = None
    stack_file = directory / EXPORT_STACK
    if stack_file.is_file():
        try:
            data = json.loads(stack_file.read_text(encoding="utf-8"))
            stack_name = data.get("stack_name") if isinstance(data, dict) else None
            if not isinstance(stack_name, str) or not stack_name:
                stack_name = None
                problems.append(("H2K933", f"{EXPORT_STACK} has no stack_name: is it the output of "
                                 "`openstack stack show <stack> -f json`?", str(stack_file)))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(("H2K933", f"{EXPORT_STACK} is not readable JSON ({error})", str(stack_file)))
    environment = directory / EXPORT_ENVIRONMENT
    resources = directory / EXPORT_RESOURCES
    environments = [environment] if environment.is_file() else []
    adopt = [resources] if resources.is_file() else []
    options = CompileOptions(environment_files=[str(e) for e in environments], adopt=adopt,
                             stack_name=stack_name, files_root=str(directory))
    for key, value in overrides.items():
        setattr(options, key, value)

    def shown(path: Path) -> str:
        return os.path.relpath(path, root).replace(os.sep, "/")

    name = safe_name(stack_name or (directory.name if directory != root else directory.resolve().name))
    return StackSpec(name, str(directory / EXPORT_TEMPLATE), options, "export", shown(directory / EXPORT_TEMPLATE),
                     tuple(shown(e) for e in environments), tuple(shown(a) for a in adopt),
                     problems=tuple(problems))
