"""Compare h2k's evaluation of a HOT template with the real Heat engine's.

Shared by tests/test_differential_heat.py and by `python tests/differential.py` (a report of
every disagreement over the corpus, for development). A case is a template text plus the files
it reads and the parameter values given to both sides.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from h2k.diagnostics import DiagnosticSink, Severity
from h2k.frontends.hot.lower import lower
from h2k.ir.expr import Call, Expr, ListExpr, Literal, MapExpr, is_known, to_data
from h2k.ir.nodes import Stack
from h2k.passes import PassContext
from h2k.passes.bind_parameters import bind_parameters
from h2k.passes.check_references import check_references
from h2k.passes.evaluate import evaluate
from h2k.source.detect import Kind, detect
from h2k.source.loader import SourceFile, load_text

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("H2K_CORPUS", ROOT.parent / "shared" / "corpus"))

# Heat's findings that come from resource plugins (their property schemas, their services):
# h2k has no schema for every Heat resource type, so these are out of its scope.
PLUGIN_ERRORS = ("Property error", "Unknown Property", "could not be found", "Property ", "is not available",
                 "The Resource Type", "ResourceTypeNotFound", "Authorization", "requires", "Could not",
                 "Failed to retrieve template", "Invalid URL scheme", "not supported", "Entity",
                 # The worker validates get_attr against resources that were never created.
                 "Resource data not available")


@dataclass
class Case:
    name: str
    text: str
    path: str = "template.yaml"
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What one side says: errors, and the values it could compute."""

    errors: list[str]
    resources: dict[str, dict[str, Any]]  # name -> {"properties": value or UNKNOWN, ...}
    disabled: set[str]
    outputs: dict[str, Any]
    conditions: dict[str, Any]


UNKNOWN = object()


def h2k_side(case: Case) -> tuple[Outcome, Stack | None]:
    sink = DiagnosticSink()
    root = load_text(case.text, case.path, sink)
    stack = None
    if root is not None and detect(root) is Kind.HOT:
        stack = lower(SourceFile(case.path, case.text, root), sink, "teststack")
    if stack is not None:
        ctx = PassContext(sink=sink, parameters={k: _as_text(v) for k, v in case.parameters.items()},
                          files_root=str(Path(case.path).parent))
        for step in (bind_parameters, evaluate, check_references):
            stack = step(stack, ctx)
    errors = [f"{d.code.id} {d.span.line}:{d.span.column} {d.message}" for d in sink.sorted()
              if d.severity >= Severity.ERROR]
    if stack is None:
        return Outcome(errors, {}, set(), {}, {}), None
    resources = {r.name: {"properties": _value(r.properties), "metadata": _value(r.metadata),
                          "deletion_policy": _value(r.deletion_policy)} for r in stack.resources}
    outputs = {o.name: _value(o.value) for o in stack.outputs}
    return Outcome(errors, resources, {r.name for r in stack.disabled}, outputs, {}), stack


def _as_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _value(expr: Expr | None) -> Any:
    if expr is None:
        return None
    return to_data(expr) if is_known(expr) else UNKNOWN


def heat_side(oracle: Any, case: Case, files: dict[str, str]) -> Outcome:
    answer = oracle.evaluate(case.text, files=files, parameters=case.parameters or None)
    errors: list[str] = []
    if answer["parse_error"]:
        error = answer["parse_error"]
        return Outcome([f"{error['type']}: {error['message']}"], {}, set(), {}, {})
    errors += [f"{e['type']}: {e['message']}" for e in answer["validation_errors"]]
    resources = {}
    for name, resource in answer["resources"].items():
        resources[name] = {key: _slot(resource[key]) for key in ("properties", "metadata", "deletion_policy")}
    outputs = {name: _slot(slot) for name, slot in answer["outputs"].items()}
    conditions = {name: _slot(slot) for name, slot in answer["conditions"].items()}

    return Outcome(errors, resources, set(answer["disabled_resources"]), outputs, conditions)


@dataclass(frozen=True)
class HeatError:
    message: str


def _slot(slot: dict[str, Any]) -> Any:
    if "error" in slot:
        return HeatError(f"{slot['error'].get('type')}: {slot['error'].get('message')}")
    return slot["value"]


def template_level(errors: list[str]) -> list[str]:
    """Heat's errors that h2k is expected to reproduce (not those of resource plugins)."""
    return [e for e in errors if not any(marker in e for marker in PLUGIN_ERRORS)]


def files_read(stack: Stack | None, case: Case) -> dict[str, str]:
    """The get_file targets a template reads, as Heat's client would upload them."""
    found: dict[str, str] = {}
    if stack is None:
        return found

    def walk(expr: Expr | None) -> None:
        if isinstance(expr, Call):
            if expr.function == "get_file" and isinstance(expr.args, Literal) and isinstance(expr.args.value, str):
                key = expr.args.value
                target = Path(case.path).parent / key
                if "://" not in key and target.is_file():
                    found[key] = target.read_text(encoding="utf-8", errors="replace")
            walk(expr.args)
        elif isinstance(expr, ListExpr):
            for item in expr.items:
                walk(item)
        elif isinstance(expr, MapExpr):
            for _, value in expr.entries:
                walk(value)

    sink = DiagnosticSink()
    root = load_text(case.text, case.path, sink)
    if root is None:
        return found
    raw = lower(SourceFile(case.path, case.text, root), sink, "teststack")
    if raw is not None:
        for resource in raw.resources:
            for expr in (resource.properties, resource.metadata):
                walk(expr)
        for output in raw.outputs:
            walk(output.value)
    return found


def compare(case: Case, oracle: Any) -> list[str]:
    """Every disagreement between h2k and Heat on one case (empty when they agree)."""
    ours, stack = h2k_side(case)
    theirs = heat_side(oracle, case, files_read(stack, case))
    problems: list[str] = []
    # A value Heat cannot resolve fails the stack when it is created: an error like any other,
    # unless h2k left it for deploy time (Heat resolves attributes of uncreated resources to None).
    slot_errors = [f"{where}: {value.message}" for where, value, ours_value in _slots(ours, theirs)
                   if isinstance(value, HeatError) and (ours.errors or ours_value is not UNKNOWN)]
    theirs.errors = theirs.errors + slot_errors
    heat_errors = template_level(theirs.errors)
    if ours.errors and not theirs.errors:
        problems.append(f"h2k reports errors that Heat does not: {ours.errors}")
    if heat_errors and not ours.errors:
        problems.append(f"Heat reports errors that h2k does not: {heat_errors}")
    if ours.errors or theirs.errors:
        return problems  # values are only compared for templates both accept
    if set(ours.resources) != set(theirs.resources):
        problems.append(f"resources differ: h2k {sorted(ours.resources)} Heat {sorted(theirs.resources)}")
    if ours.disabled != theirs.disabled:
        problems.append(f"disabled resources differ: h2k {sorted(ours.disabled)} Heat {sorted(theirs.disabled)}")
    for name in sorted(set(ours.resources) & set(theirs.resources)):
        for part, value in ours.resources[name].items():
            problems += _compare_value(f"resources.{name}.{part}", value, theirs.resources[name].get(part))
    for name in sorted(set(ours.outputs) & set(theirs.outputs)):
        problems += _compare_value(f"outputs.{name}", ours.outputs[name], theirs.outputs[name])
    return problems


def _slots(ours: Outcome, theirs: Outcome) -> Iterator[tuple[str, Any, Any]]:
    """(where, Heat's value, h2k's value) for every resource part and output Heat resolved."""
    for name, parts in theirs.resources.items():
        for key, value in parts.items():
            yield f"resources.{name}.{key}", value, ours.resources.get(name, {}).get(key)
    for name, value in theirs.outputs.items():
        yield f"outputs.{name}", value, ours.outputs.get(name)


def _compare_value(where: str, ours: Any, theirs: Any) -> list[str]:
    if ours is UNKNOWN:
        return []  # deploy-time in h2k: Heat's placeholder (None for get_attr) is not comparable
    if isinstance(theirs, HeatError):
        return [f"{where}: Heat fails ({theirs.message}) where h2k computes {ours!r}"]
    if where.endswith(".properties") and isinstance(ours, dict) and isinstance(theirs, dict):
        # Heat's resolved properties include the defaults of the resource type's schema.
        theirs = {k: v for k, v in theirs.items() if k in ours}
    if where.endswith(".deletion_policy") and ours is None:
        return []
    if where.endswith((".properties", ".metadata")) and ours == {} and theirs is None:
        return []  # nothing written: Heat keeps None where h2k keeps an empty mapping
    if _normal(ours) != _normal(theirs):
        return [f"{where}: h2k {ours!r} != Heat {theirs!r}"]
    return []


def _normal(value: Any) -> Any:
    """JSON's view of a value (the worker's answers went through JSON)."""
    return json.loads(json.dumps(value, default=repr))


def corpus_cases() -> Iterator[Case]:
    """Every HOT template and embedded HOT snippet of the corpus, with default parameters."""
    for folder in sorted(CORPUS.glob("*/_h2k_index.json")):
        index = json.loads(folder.read_text(encoding="utf-8"))
        for entry in index["files"]:
            if entry["role"] not in ("hot", "embedded-hot"):
                continue
            path = folder.parent / entry["path"]
            yield Case(name=f"{folder.parent.name}/{entry['path']}", text=path.read_text(encoding="utf-8",
                       errors="replace"), path=str(path))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    from heat_oracle import HeatOracle, heat_python

    with HeatOracle(heat_python()) as oracle:
        total = disagreeing = 0
        for case in corpus_cases():
            total += 1
            found = compare(case, oracle)
            if found:
                disagreeing += 1
                print(f"== {case.name}")
                for line in found:
                    print(f"   {line[:400]}")
        print(f"{disagreeing} of {total} cases disagree")
