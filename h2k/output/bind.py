"""`h2k bind`: copy the residual stack's outputs into the keys the workload reads.

Once `openstack/infra.yaml` runs as a Heat stack, its outputs hold the values the workload takes
from OpenStack. `openstack stack output show <stack> --all -f json` prints them as
`{"<key>": {"output_key": ..., "output_value": ..., "description": ...}}`; `openstack stack show
<stack> -f json` has them as a list under `outputs`; a plain `{"<key>": value}` map works too.
The report beside the manifests (`h2k-report.json`, section `wiring`) says which key goes where:
- with Kustomize, each value is written to `kubernetes/values/<configmap>/<key>` (or
  `kubernetes/secrets/<secret>/<key>`, git-ignored), the files its generators read;
- with plain manifests, into the ConfigMap's file, and Secret values into
  `kubernetes/secrets/<secret>/<key>` for `kubectl create secret generic <secret> --from-file=...`.
These files are the user's: a later `h2k compile` keeps them and `--check` ignores them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


class BindError(Exception):
    """The output directory or the outputs file cannot be used; nothing was written."""


@dataclass
class BindResult:
    written: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # keys the outputs file has no value for
    commands: list[str] = field(default_factory=list)  # what the user runs next, if anything


def read_outputs(path: Path) -> dict[str, object]:
    """Output name -> value, from any of the shapes the OpenStack client prints."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BindError(f"{path}: not a readable JSON file ({error})") from None
    if isinstance(data, dict) and isinstance(data.get("outputs"), list):
        data = data["outputs"]
    if isinstance(data, list):
        found = {str(o["output_key"]): o.get("output_value") for o in data
                 if isinstance(o, dict) and "output_key" in o}
        if len(found) != len(data):
            raise BindError(f"{path}: a list of outputs needs output_key in every entry")
        return found
    if not isinstance(data, dict):
        raise BindError(f"{path}: expected a JSON object of stack outputs")
    return {str(key): value["output_value"] if isinstance(value, dict) and "output_value" in value else value
            for key, value in data.items()}


def bind(out_dir: Path, outputs_file: Path) -> BindResult:
    report_path = out_dir / "h2k-report.json"
    try:
        report = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise BindError(f"{out_dir} is not an h2k output directory ({report_path}: {error})") from None
    wiring = report.get("wiring") or []
    if not wiring:
        raise BindError(f"{out_dir}: nothing to bind (the workload reads no value from OpenStack)")
    outputs = read_outputs(outputs_file)
    kubernetes = out_dir / "kubernetes"
    kustomize = (kubernetes / "kustomization.yaml").is_file()
    result = BindResult()
    config_maps: dict[str, dict[str, str]] = {}
    secrets: set[str] = set()
    for entry in wiring:
        key, (kind, name) = str(entry["key"]), str(entry["object"]).split("/", 1)
        if entry["output"] is None:  # from a k-orc object's status, not from the residual stack
            result.missing.append(f"{key} (from {entry['stack']})")
            continue
        if str(entry["output"]) not in outputs:
            result.missing.append(key)
            continue
        value = _text(outputs[str(entry["output"])])
        if kind == "Secret" or kustomize:
            folder = "secrets" if kind == "Secret" else "values"
            target = kubernetes / folder / name / key
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(value, encoding="utf-8")
            result.written.append(str(target.relative_to(out_dir)))
            if kind == "Secret":
                secrets.add(name)
        else:
            config_maps.setdefault(name, {})[key] = value
    for name, values in config_maps.items():
        result.written.append(_update_config_map(kubernetes, name, values, out_dir))
    if not kustomize:
        result.commands += [f"kubectl create secret generic {name} --from-file={kubernetes / 'secrets' / name}/"
                            for name in sorted(secrets)]
    return result


def _text(value: object) -> str:
    """A ConfigMap value: strings as they are, anything else as JSON (as Heat prints it)."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _update_config_map(kubernetes: Path, name: str, values: dict[str, str], out_dir: Path) -> str:
    """Set keys of a ConfigMap that plain packaging wrote (YAML or JSON), keeping everything else."""
    from h2k.output.serialize import to_json, to_yaml

    for suffix, dump in (("yaml", to_yaml), ("json", to_json)):
        path = kubernetes / f"configmap-{name}.{suffix}"
        if path.is_file():
            import yaml

            document = yaml.safe_load(path.read_text(encoding="utf-8"))
            document.setdefault("data", {}).update(values)
            path.write_text(dump(document), encoding="utf-8")
            return str(path.relative_to(out_dir))
    raise BindError(f"{kubernetes}: ConfigMap {name} is not there; compile again before binding")
