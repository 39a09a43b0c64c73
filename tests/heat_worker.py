"""Evaluate HOT templates with the real OpenStack Heat engine, as a JSON-lines server.

Run with the Python of a venv that has ``openstack-heat`` installed (never imported by
pytest: Heat lives in a separate venv and takes ~2 s to import, so one long-lived process
answers many requests).  Protocol, one JSON object per line each way (see heat_oracle.py):

* start-up: the worker prints ``{"id": null, "ready": {...}}`` once Heat is loaded;
* ``{"id", "template", "files"?, "environment"?, "parameters"?, "stack_name"?}`` -> evaluation;
* ``{"id", "snippet", "template"?, ...}`` -> ``{"id", "value"}`` or ``{"id", "error"}``;
* ``{"id", "op": "ping"}`` / ``{"id", "op": "sleep", "seconds": s}`` -> harness checks;
* anything else -> ``{"id", "request_error": {...}}``.  EOF ends the worker.

Nothing is stored and no service is contacted: there is no database, keystone, or network.
"""

from __future__ import annotations

import math
import os
import sys
import time
import traceback
import types
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TextIO

DEFAULT_TEMPLATE = "heat_template_version: 2021-04-16\n"
WARMUP_TEMPLATE = """
heat_template_version: 2021-04-16
resources:
  v:
    type: OS::Heat::Value
    properties:
      value: {yaql: {expression: "$.data.n.select($ * 2).sum()", data: {n: [1, 2]}}}
"""

Json = Any


class Heat:
    """Heat modules and the shared request context, loaded once per process."""

    def __init__(self) -> None:
        import logging
        import warnings

        warnings.simplefilter("ignore")
        from heat.common import config as heat_config  # noqa: F401  (registers config options)
        from heat.common import context, environment_format, exception, template_format, urlfetch
        from heat.engine import (
            constraints,
            environment,
            function,
            parameter_groups,
            resource,
            resources,
            stack,
            stk_defn,
            template,
        )
        from oslo_config import cfg

        # Without this, option lookups like max_template_size raise NoSuchOptError.
        cfg.CONF([], project="heat", default_config_files=[])
        logging.disable(logging.CRITICAL)  # plugin loading logs "... is HIDDEN" etc.
        resources.initialise()
        warnings.simplefilter("ignore")

        self.context_mod = context
        self.environment_format = environment_format
        self.exception = exception
        self.template_format = template_format
        self.environment = environment
        self.function = function
        self.parameter_groups = parameter_groups
        self.resource = resource
        self.stack = stack
        self.stk_defn = stk_defn
        self.template = template
        self.ctx = context.RequestContext.from_dict(
            {"tenant_id": "t", "user_id": "u", "auth_token": "x", "roles": [], "is_admin": False}
        )
        self._stub_services(resource, constraints, urlfetch)

    @staticmethod
    def _stub_services(resource: Any, constraints: Any, urlfetch: Any) -> None:
        """Keep validation offline: no keystone catalogue, no client look-ups, no URL fetches.

        * ``Resource.is_service_available`` asks keystone for the service catalogue
          (``ResourceTypeUnavailable ... Authorization failed`` otherwise): every service is up;
        * ``BaseCustomConstraint.validate`` is the client-backed path (``nova.flavor``,
          ``glance.image``, ``neutron.network``, ...): such values count as valid.  Purely
          syntactic constraints (``ip_addr``, ``net_cidr``, ``iso_8601``, ...) override
          ``validate`` and still run;
        * template resources whose template is not in ``files`` are fetched by URL: Heat's own
          ``urlfetch.get`` still checks the scheme, but its HTTP request fails as if unreachable
          (``Failed to retrieve template from <url>``).
        """

        def service_available(cls: type, context: Any) -> tuple[bool, None]:
            return True, None

        def client_value_ok(self: Any, value: Any, context: Any) -> bool:
            return True

        def unreachable(url: str, **kwargs: Any) -> Any:
            raise urlfetch.exceptions.ConnectionError(f"network access disabled in the Heat oracle: {url}")

        resource.Resource.is_service_available = classmethod(service_available)
        constraints.BaseCustomConstraint.validate = client_value_ok
        urlfetch.requests = types.SimpleNamespace(get=unreachable)


# ---------------------------------------------------------------------------------------------
# JSON conversion


def to_json(value: Any, _active: frozenset[int] = frozenset()) -> Json:
    """Return a JSON-encodable copy; anything JSON cannot carry exactly becomes a tagged map.

    Tags: ``{"__type__": name, "__repr__": repr}`` for non-JSON objects (Ellipsis, sets,
    bytes, NaN, Heat objects, ...), ``{"__type__": "dict", "__items__": [[k, v], ...]}`` for
    maps with non-string keys (YAML allows ``{1: a}``; JSON would silently stringify the key),
    and ``{"__type__": "cycle"}`` for self-referencing YAML anchors.
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"__type__": "float", "__repr__": repr(value)}
    if id(value) in _active:
        return {"__type__": "cycle"}
    if isinstance(value, Mapping):
        active = _active | {id(value)}
        if all(isinstance(k, str) for k in value):
            return {k: to_json(v, active) for k, v in value.items()}
        return {"__type__": "dict", "__items__": [[to_json(k, active), to_json(v, active)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        active = _active | {id(value)}
        return [to_json(v, active) for v in value]
    return {"__type__": type(value).__name__, "__repr__": repr(value)}


def error_info(exc: BaseException) -> dict[str, Json]:
    """Describe an exception; Heat's path-carrying exceptions also expose error/path/message parts."""
    info: dict[str, Json] = {"type": type(exc).__name__, "message": str(exc)}
    for attr in ("error", "path", "error_message", "error_code"):
        part = getattr(exc, attr, None)
        if part not in (None, [], ""):
            info[attr] = to_json(part)
    return info


def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Json]:
    """Run one step; ``{"value": ...}`` or ``{"error": ...}`` so one failure hides nothing else."""
    try:
        return {"value": to_json(fn(*args, **kwargs))}
    except Exception as exc:
        return {"error": error_info(exc)}


# ---------------------------------------------------------------------------------------------
# Evaluation


class BuildError(Exception):
    """A failure while turning the request into a Heat stack, with the stage it happened in."""

    def __init__(self, stage: str, cause: Exception) -> None:
        super().__init__(str(cause))
        self.stage = stage
        self.cause = cause


class Evaluator:
    """Answers requests with the loaded Heat modules."""

    def __init__(self, heat: Heat) -> None:
        self.h = heat

    # -- building -----------------------------------------------------------------------------

    def build(self, req: Mapping[str, Any], strict: bool = True) -> Any:
        """Parse template and environment the way Heat's API does, then build an unstored Stack."""
        h = self.h
        stage = "request"
        try:
            stage = "parse"
            raw = req.get("template", DEFAULT_TEMPLATE)
            tpl = h.template_format.parse(raw) if isinstance(raw, str) else raw
            stage = "environment"
            env_data = req.get("environment") or {}
            if isinstance(env_data, str):
                env = h.environment_format.parse(env_data)
            else:
                env = h.environment_format.validate(dict(env_data))
            h.environment_format.default_for_missing(env)
            env["parameters"].update(req.get("parameters") or {})
            stage = "template"
            files = req.get("files") or {}
            tmpl = h.template.Template(tpl, files=files, env=h.environment.Environment(env))
            stage = "stack"
            name = req.get("stack_name") or "teststack"
            return h.stack.Stack(h.ctx, name, tmpl, strict_validate=strict)
        except Exception as exc:
            raise BuildError(stage, exc) from exc

    # -- requests -----------------------------------------------------------------------------

    def evaluate(self, req: Mapping[str, Any]) -> dict[str, Json]:
        """Everything Heat can tell about a template without creating anything."""
        resp: dict[str, Json] = {
            "parse_error": None,
            "version": None,
            "validation_errors": [],
            "template_validate": None,
            "conditions": {},
            "resources": {},
            "disabled_resources": [],
            "outputs": {},
            "parameters": {},
        }
        try:
            stk = self.build(req)
        except BuildError as exc:
            resp["parse_error"] = {**error_info(exc.cause), "stage": exc.stage}
            return resp
        resp["version"] = attempt(lambda: list(stk.t.version))
        try:
            resp["validation_errors"] = self.validation_errors(req)
        except Exception as exc:  # the stack built once already; only a Heat surprise lands here
            resp["validation_errors"] = [{"where": "stack", "step": "build", **error_info(exc)}]
        resp["conditions"] = self.conditions(stk)
        resources, disabled = self.resources(stk)
        resp["resources"] = resources
        resp["disabled_resources"] = disabled
        resp["outputs"] = self.outputs(stk)
        resp["parameters"] = {name: attempt(stk.parameters.__getitem__, name) for name in stk.parameters}
        resp["template_validate"] = self.template_validate(req)
        return resp

    def snippet(self, req: Mapping[str, Any]) -> dict[str, Json]:
        """Resolve one snippet in the context of the (unstored) stack."""
        try:
            stk = self.build(req)
        except BuildError as exc:
            return {"error": {**error_info(exc.cause), "stage": exc.stage}}
        snippet = req["snippet"]
        return attempt(lambda: self.h.function.resolve(stk.t.parse(stk.defn, snippet)))

    # -- parts --------------------------------------------------------------------------------

    def validation_errors(self, req: Mapping[str, Any]) -> list[dict[str, Json]]:
        """Heat's own validation steps (as in ``Stack.validate``), each run on its own.

        Uses a fresh stack because, like Heat, it first stores placeholder resource data (state
        INIT) in the stack definition; get_attr validation needs it for the attribute names, and
        the resolved values reported elsewhere should not depend on it.  Resource checks stop
        at Heat's template-level ``validate_template`` (functions, deletion/update policy,
        property schema and values); plugin ``validate()`` methods need live services.
        """
        h = self.h
        stk = self.build(req)
        errors: list[dict[str, Json]] = []

        def check(where: str, step: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> bool:
            try:
                fn(*args, **kwargs)
            except Exception as exc:
                errors.append({"where": where, "step": step, **error_info(exc)})
                return False
            return True

        check("template", "template", stk.t.validate)
        self._validate_parameters(stk, check)
        check("parameter_groups", "parameter_groups", _validate_parameter_groups, h, stk)
        check("conditions", "conditions", _validate_conditions, stk)

        names: list[str] = []
        built: dict[str, Any] = {}
        if check("resources", "definitions", lambda: names.extend(self._enabled_names(stk))):
            for name in names:
                defn = stk.defn.resource_definition(name)
                if not check(f"resources.{name}", "construct", _construct, h, stk, name, defn, built):
                    # No plugin class (e.g. unknown type): the intrinsic functions can still be checked.
                    check(f"resources.{name}", "functions", defn.validate)
            if len(built) == len(names):
                check("resources", "dependencies", lambda: list(stk._explicit_dependencies()))
            for name, res in built.items():
                check(f"resources.{name}", "node_data", _store_node_data, h, stk, name, res)
            for name, res in built.items():
                if res.t.external_id() is None:  # adopted resources are checked against the live service only
                    check(f"resources.{name}", "validate_template", res.validate_template)

        outputs: dict[str, Any] = {}
        if check("outputs", "definitions", lambda: outputs.update(stk.outputs)):
            for name in self._ordered(stk, "OUTPUTS", outputs):
                check(f"outputs.{name}", "functions", outputs[name].validate)
        return errors

    def _validate_parameters(self, stk: Any, check: Callable[..., bool]) -> None:
        """Per-parameter errors when possible; the whole-set error (e.g. an unknown user parameter) otherwise."""
        params = stk.parameters
        try:
            params.validate(validate_value=True, context=self.h.ctx)
        except Exception as exc:
            whole = exc
            found = False
            for name, param in params.params.items():
                ok = check(f"parameters.{name}", "parameter", param.validate, validate_value=True, context=self.h.ctx)
                found = found or not ok
            if not found:
                check("parameters", "parameters", _reraise, whole)

    def template_validate(self, req: Mapping[str, Any]) -> dict[str, Json] | None:
        """The first error Heat's ``template validate`` API call would report (non-strict, template-only).

        Done on a fresh stack so the earlier steps' caches cannot influence it.
        """
        try:
            self.build(req, strict=False).validate(validate_res_tmpl_only=True)
        except BuildError as exc:
            return {**error_info(exc.cause), "stage": exc.stage}
        except Exception as exc:
            return error_info(exc)
        return None

    def conditions(self, stk: Any) -> dict[str, Json]:
        try:
            conds = stk.t.conditions(stk.defn)
            names = list(stk.t._get_condition_definitions() or {})
        except Exception as exc:
            raw = stk.t.t.get(getattr(stk.t, "CONDITIONS", "conditions"))
            err = {"error": error_info(exc)}
            return {str(n): err for n in raw} if isinstance(raw, Mapping) else {}
        return {name: attempt(conds.is_enabled, name) for name in names}

    def _enabled_names(self, stk: Any) -> list[str]:
        """Enabled resource names in template order (Heat returns a set)."""
        return self._ordered(stk, "RESOURCES", stk.defn.enabled_rsrc_names())

    def resources(self, stk: Any) -> tuple[dict[str, Json], list[str]]:
        h = self.h
        try:
            names = self._enabled_names(stk)
        except Exception:
            return {}, []  # reported in validation_errors (where="resources")
        raw = stk.t.t.get(stk.t.RESOURCES) or {}
        disabled = [str(n) for n in raw if n not in names]
        out: dict[str, Json] = {}
        for name in names:
            defn = stk.defn.resource_definition(name)
            out[name] = {
                "type": defn.resource_type,
                "implementation": attempt(_implementation, stk, defn, name),
                "properties": attempt(h.function.resolve, defn._properties),
                "metadata": attempt(h.function.resolve, defn._metadata),
                "deletion_policy": attempt(defn.deletion_policy),
                "update_policy": attempt(h.function.resolve, defn._update_policy),
                "depends_on": to_json(defn._depends),
                "required_resources": attempt(_sorted_names, defn.required_resource_names),
                "condition": attempt(defn.condition),
                "external_id": attempt(defn.external_id),
                "description": defn.description,
            }
        return out, disabled

    def outputs(self, stk: Any) -> dict[str, Json]:
        try:
            outputs = stk.outputs
        except Exception:
            return {}  # reported in validation_errors (where="outputs")
        return {name: attempt(outputs[name].get_value) for name in self._ordered(stk, "OUTPUTS", outputs)}

    @staticmethod
    def _ordered(stk: Any, section: str, names: Iterable[str]) -> list[str]:
        """Names in template order (Heat hands out sets and dicts built in arbitrary order)."""
        wanted = set(names)
        raw = stk.t.t.get(getattr(stk.t, section)) or {}
        first = [n for n in raw if n in wanted] if isinstance(raw, Mapping) else []
        return first + sorted(wanted - set(first), key=str)


def _implementation(stk: Any, defn: Any, name: str) -> dict[str, Json]:
    """Where the resource registry sends the type: a plugin class or a template (file/URL)."""
    info = stk.env.get_resource_info(defn.resource_type, resource_name=name)
    value = info.value
    if isinstance(value, type):
        value = f"{value.__module__}.{value.__qualname__}"
    return {"kind": info.description, "name": info.name, "value": to_json(value)}


def _reraise(exc: BaseException) -> None:
    raise exc


def _sorted_names(names: Callable[[], Iterable[str]]) -> list[str]:
    return sorted(names())


def _validate_parameter_groups(h: Heat, stk: Any) -> None:
    h.parameter_groups.ParameterGroups(stk.t).validate()


def _validate_conditions(stk: Any) -> None:
    stk.t.conditions(stk.defn).validate()


def _construct(h: Heat, stk: Any, name: str, defn: Any, built: dict[str, Any]) -> None:
    """Instantiate the resource plugin, as Stack.resources does for each enabled definition."""
    built[name] = h.resource.Resource(name, defn, stk)


def _store_node_data(h: Heat, stk: Any, name: str, res: Any) -> None:
    """Give functions the INIT-state placeholder data Stack.validate stores before validating."""
    h.stk_defn.update_resource_data(stk.defn, name, res.node_data(for_resources=True, for_outputs=True))


# ---------------------------------------------------------------------------------------------
# Server loop


def handle(ev: Evaluator, line: str, started: float) -> dict[str, Json]:
    """One request line -> one response object; never raises."""
    import json

    try:
        req = json.loads(line)
    except ValueError as exc:
        return {"id": None, "request_error": {"type": "JSONDecodeError", "message": str(exc)}}
    if not isinstance(req, dict):
        return {"id": None, "request_error": {"type": "BadRequest", "message": "request must be a JSON object"}}
    rid = req.get("id")
    try:
        op = req.get("op")
        if op == "ping":
            return {"id": rid, "pong": {"pid": os.getpid(), "uptime": time.monotonic() - started}}
        if op == "sleep":
            time.sleep(float(req.get("seconds", 0)))
            return {"id": rid, "slept": req.get("seconds", 0)}
        if op is not None:
            return {"id": rid, "request_error": {"type": "BadRequest", "message": f"unknown op {op!r}"}}
        if "snippet" in req:
            return {"id": rid, **ev.snippet(req)}
        if isinstance(req.get("template"), str | dict):
            return {"id": rid, **ev.evaluate(req)}
        return {"id": rid, "request_error": {
            "type": "BadRequest", "message": "expected 'template' (string), 'snippet' or 'op'"}}
    except Exception as exc:
        return {"id": rid, "request_error": {**error_info(exc), "traceback": traceback.format_exc()}}


def serve(stdin: TextIO, stdout: TextIO) -> None:
    import json

    started = time.monotonic()
    heat = Heat()
    ev = Evaluator(heat)
    try:
        ev.evaluate({"template": WARMUP_TEMPLATE})  # first yaql use costs ~90 ms; pay it before "ready"
    except Exception as exc:
        print(f"heat_worker: warm-up failed: {exc!r}", file=sys.stderr)
    from importlib.metadata import version

    ready = {"pid": os.getpid(), "heat_version": version("openstack-heat"),
             "python": sys.version.split()[0], "hash_seed": os.environ.get("PYTHONHASHSEED"),
             "startup_seconds": round(time.monotonic() - started, 3)}
    stdout.write(json.dumps({"id": None, "ready": ready}) + "\n")
    stdout.flush()
    while True:
        line = stdin.readline()
        if not line:
            return
        if not line.strip():
            continue
        resp = handle(ev, line, started)
        try:
            text = json.dumps(resp, ensure_ascii=True, allow_nan=False)
        except Exception as exc:
            text = json.dumps({"id": to_json(resp.get("id")), "request_error": error_info(exc)})
        stdout.write(text + "\n")
        stdout.flush()


def main() -> None:
    # The protocol owns the real stdout; anything Heat or its libraries print goes to stderr.
    protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    serve(sys.stdin, protocol_out)


if __name__ == "__main__":
    main()
