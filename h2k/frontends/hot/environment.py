"""Heat environment files: load them, merge several the way Heat's server does, and look types up.

What Heat does, and so what h2k does (verified in the Heat source named in each docstring):

* Every `-e` file is parsed on its own and checked: a mapping whose keys are the six sections, none
  of them null (heat/common/environment_format.py `parse`/`validate`).
* Files are merged in command-line order on the server (heat/common/environment_util.py
  `merge_environments`), starting from the request's own environment, whose `parameters` already
  hold the `-P` values (heat/api/openstack/v1/stacks.py `InstantiationData.environment`). So an
  env file's `parameters` entry overwrites a `-P` value of the same name; see `merge_environments`.
* `resource_registry` is merged one level deep and then loaded into a registry that maps resource
  types to other types or to provider templates (heat/engine/environment.py `ResourceRegistry`);
  `Registry.resolve` reproduces its lookup, including the order in which it tries candidates.
* Relative template paths in a registry are resolved by heatclient against the environment file's
  own URL (heatclient/common/template_utils.py `resolve_environment_urls`): every value without
  `::` is read as a file there, which is why a value such as `my.yml` breaks.

h2k never uses the network: remote templates are named, not fetched (H2K114).
"""

from __future__ import annotations

import collections.abc
import copy
import fnmatch
import functools
import json
import os
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import DiagnosticSink
from h2k.source.limits import DEFAULT_LIMITS, Limits
from h2k.source.loader import load_file
from h2k.source.nodes import Node, YMap, YScalar, YSeq, to_python
from h2k.span import Span

SECTIONS = ("parameters", "resource_registry", "parameter_defaults", "encrypted_param_names", "event_sinks",
            "parameter_merge_strategies")
MERGE_STRATEGIES = ("overwrite", "merge", "deep_merge")
HOOK_TYPES = ("pre-create", "pre-update", "pre-delete", "post-create", "post-update", "post-delete")
RESTRICTED_ACTIONS = ("update", "replace")
TEMPLATE_SUFFIXES = (".yaml", ".template")
# Event sink types Heat registers (setup.cfg `heat.event_sinks`) and the arguments each takes.
EVENT_SINK_ARGUMENTS = {"zaqar-queue": frozenset({"target", "ttl"})}

# The global environment Heat ships (etc/heat/environment.d/default.yaml). It sits below every user
# environment. Its two templates live on the Heat server, so h2k names them without reading them.
HEAT_GLOBAL_ENVIRONMENT = "/etc/heat/environment.d/default.yaml"
HEAT_GLOBAL_REGISTRY: tuple[tuple[str, str], ...] = (
    ("OS::Quantum*", "OS::Neutron*"),
    ("AWS::CloudWatch::Alarm", "file:///etc/heat/templates/AWS_CloudWatch_Alarm.yaml"),
    ("OS::Metering::Alarm", "OS::Aodh::Alarm"),
    ("AWS::RDS::DBInstance", "file:///etc/heat/templates/AWS_RDS_DBInstance.yaml"),
    ("OS::Ceilometer::Alarm", "OS::Aodh::Alarm"),
    ("OS::Ceilometer::GnocchiResourcesAlarm", "OS::Aodh::GnocchiResourcesAlarm"),
    ("OS::Ceilometer::GnocchiAggregationByMetricsAlarm", "OS::Aodh::GnocchiAggregationByMetricsAlarm"),
    ("OS::Ceilometer::GnocchiAggregationByResourcesAlarm", "OS::Aodh::GnocchiAggregationByResourcesAlarm"),
    ("OS::Ceilometer::CombinationAlarm", "OS::Aodh::CombinationAlarm"),
)

# Alias chains longer than this are reported as endless (Heat recurses until Python gives up).
_MAX_CHAIN = 64


@dataclass(frozen=True, slots=True)
class EnvValue:
    """A parameter value and where it was written.

    `span` is the value in its environment file; for a `-P` value it names the flag
    (`<command line: -P name>`) and `from_file` is False, so findings are only doubled for files.
    """

    value: object
    span: Span
    from_file: bool = True
    # When a merge strategy combined values of several files: each contribution, first to last.
    merged_from: tuple[Span, ...] = ()


def cli_value(name: str, value: object) -> EnvValue:
    """A `-P name=value` (or `--parameter-file`) value, as Heat receives it: text."""
    return EnvValue(value, Span.point(f"<command line: -P {name}>"), from_file=False)


@dataclass(frozen=True, slots=True)
class EnvironmentFile:
    """One loaded and checked environment file; a section is None when absent or unusable."""

    path: str
    span: Span
    # The file:// URL heatclient names the file by; relative registry paths resolve against it.
    url: str
    order: tuple[str, ...] = ()
    parameters: dict[str, EnvValue] | None = None
    parameter_defaults: dict[str, EnvValue] | None = None
    merge_strategies: dict[str, EnvValue] | None = None
    resource_registry: YMap | None = None
    encrypted_param_names: tuple[EnvValue, ...] | None = None
    event_sinks: tuple[EnvValue, ...] | None = None
    section_spans: dict[str, Span] = field(default_factory=dict)


# -- loading ---------------------------------------------------------------------------------------


def load_environment(path: str, sink: DiagnosticSink, limits: Limits = DEFAULT_LIMITS) -> EnvironmentFile | None:
    """Load one environment file and check it as Heat's `environment_format.parse` does.

    Heat stops at the first problem; h2k reports each one. A *flat* file (parameter values at the
    top level, no known section) is still read as parameters by Heat's `Environment` class, but
    every path that reads an environment file goes through `environment_format.parse`, which
    refuses it (`environment has wrong section`); so does h2k, which then reads the values as
    `parameters` anyway, so that later findings are about the values rather than their absence.
    """
    source = load_file(path, sink, limits)
    if source is None:
        return None
    root = source.root
    url = _file_url(path)
    if isinstance(root, YScalar) and root.value is None:
        return EnvironmentFile(path, root.span, url)  # an empty document is an empty environment
    if not isinstance(root, YMap):
        sink.report("H2K112", "the environment is not a valid YAML mapping data type", root.span)
        return None
    flat = len(root) > 0 and not any(key.value in SECTIONS for key, _ in root.entries)
    sections: dict[str, tuple[YScalar, Node]] = {}
    for key, value in root.entries:
        if key.value not in SECTIONS:
            hint = ""
            if flat:
                hint = "; put parameter values under `parameters:` (h2k reads this flat file as parameters)"
            sink.report("H2K112", f'environment has wrong section "{key.value!s}"{hint}', key.span)
            continue
        if isinstance(value, YScalar) and value.value is None:
            sink.report("H2K112", f'environment has empty section "{key.value}"', key.span)
            continue
        sections[str(key.value)] = (key, value)
    loaded = _Sections(sink)
    if flat:
        loaded.parameters = loaded.values(root, "parameters")
        loaded.order.append("parameters")
    for name, (_, value) in sections.items():
        loaded.read(name, value)
    return EnvironmentFile(
        path=path, span=root.span, url=url, order=tuple(loaded.order), parameters=loaded.parameters,
        parameter_defaults=loaded.parameter_defaults, merge_strategies=loaded.merge_strategies,
        resource_registry=loaded.registry, encrypted_param_names=loaded.encrypted, event_sinks=loaded.event_sinks,
        section_spans={name: key.span for name, (key, _) in sections.items()})


def _file_url(path: str) -> str:
    """heatclient's `normalise_file_path_to_url`: an absolute file:// URL."""
    if urllib.parse.urlparse(path).scheme in ("http", "https", "file"):
        return path
    return Path(path).resolve().as_uri()


class _Sections:
    """Reads each section of one file, checking the shape Heat's merge and registry code expect."""

    def __init__(self, sink: DiagnosticSink) -> None:
        self.sink = sink
        self.order: list[str] = []
        self.parameters: dict[str, EnvValue] | None = None
        self.parameter_defaults: dict[str, EnvValue] | None = None
        self.merge_strategies: dict[str, EnvValue] | None = None
        self.registry: YMap | None = None
        self.encrypted: tuple[EnvValue, ...] | None = None
        self.event_sinks: tuple[EnvValue, ...] | None = None

    def read(self, name: str, value: Node) -> None:
        if isinstance(value, YScalar) and not value.value:
            # Heat merges only sections that are truthy, so `parameters: ""` is silently skipped.
            self.sink.report("H2K112", f'section "{name}" holds {value.value!r}; Heat skips it',
                             value.span, Severity.WARNING)
            return
        if name in ("encrypted_param_names", "event_sinks"):
            if not isinstance(value, YSeq):
                self.sink.report("H2K112", f'section "{name}" must be a list (Heat fails on anything else)',
                                 value.span)
                return
            self.order.append(name)
            if name == "event_sinks":
                self.event_sinks = self.sinks(value)
            else:
                self.encrypted = tuple(EnvValue(to_python(item), item.span) for item in value.items)
            return
        if not isinstance(value, YMap):
            self.sink.report("H2K112", f'section "{name}" must be a mapping (Heat fails on anything else)',
                             value.span)
            return
        self.order.append(name)
        if name == "parameters":
            self.parameters = self.values(value, name)
        elif name == "parameter_defaults":
            self.parameter_defaults = self.values(value, name)
        elif name == "parameter_merge_strategies":
            self.merge_strategies = self.strategies(value)
        else:
            self.registry = value

    def values(self, node: YMap, section: str) -> dict[str, EnvValue]:
        found: dict[str, EnvValue] = {}
        for key, value in node.entries:
            if not isinstance(key.value, str):
                self.sink.report("H2K112", f"{section}: a parameter name must be a string, not {key.value!r}", key.span)
                continue
            found[key.value] = EnvValue(to_python(value), value.span)
        return found

    def strategies(self, node: YMap) -> dict[str, EnvValue]:
        found = self.values(node, "parameter_merge_strategies")
        for name, item in found.items():
            if item.value in MERGE_STRATEGIES:
                continue
            fallback = ("Heat keeps the name, which then acts as overwrite" if name == "default" else
                        "Heat ignores it and uses this file's default strategy")
            self.sink.report("H2K115", f"unknown merge strategy {item.value!r} for {name!r} (valid: "
                             f"{', '.join(MERGE_STRATEGIES)}); {fallback}", item.span, Severity.WARNING)
        return found

    def sinks(self, node: YSeq) -> tuple[EnvValue, ...]:
        kept = []
        for item in node.items:
            data = to_python(item)
            kind = data.get("type") if isinstance(data, dict) else None
            allowed = EVENT_SINK_ARGUMENTS.get(kind) if isinstance(kind, str) else None
            if allowed is None:
                self.sink.report("H2K112", "an event sink must be a mapping whose type is one Heat has "
                                 f"({', '.join(EVENT_SINK_ARGUMENTS)})", item.span)
                continue
            assert isinstance(data, dict)
            arguments = set(data) - {"type"}
            if not arguments <= allowed or "target" not in arguments:
                self.sink.report("H2K112", f"event sink {kind} takes a target and optionally a ttl, not "
                                 f"{sorted(map(str, arguments))}", item.span)
                continue
            kept.append(EnvValue(data, item.span))
        return tuple(kept)


# -- merging ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Environment:
    """The merged environment a stack is created with."""

    parameters: dict[str, EnvValue] = field(default_factory=dict)
    parameter_defaults: dict[str, EnvValue] = field(default_factory=dict)
    registry: Registry = field(default_factory=lambda: Registry())
    encrypted_param_names: tuple[str, ...] = ()
    # Kept so nothing is silently lost; h2k emits nothing for them (Heat pushes events to Zaqar).
    event_sinks: tuple[dict[str, object], ...] = ()

    def child(self, resource_name: str, used: RegistryMatch | None = None) -> Environment:
        """The environment of the nested stack behind `resource_name` (Heat's `get_child_environment`).

        `parameter_defaults` pass down unchanged, `parameters` start empty (the nested stack gets
        its resource's properties instead), and the registry keeps what applies to that resource.
        """
        return Environment(parameters={}, parameter_defaults=dict(self.parameter_defaults),
                           registry=self.registry.child(resource_name, used), event_sinks=self.event_sinks)


def merge_environments(files: list[EnvironmentFile], cli_parameters: Mapping[str, EnvValue],
                       declared: Mapping[str, str], sink: DiagnosticSink) -> Environment:
    """Merge environment files in order, as Heat's server does, on top of the `-P` values.

    Precedence, verified in Heat: `InstantiationData.environment` (heat/api/openstack/v1/stacks.py)
    puts the `-P` values into `parameters` first; then `merge_environments` and `merge_parameters`
    (heat/common/environment_util.py) merge each file with its merge strategy, `overwrite` by
    default. Consequences reproduced here:

    * an env file's `parameters` entry overwrites the `-P` value of the same name;
    * the first file that brings a non-empty `parameters` (or `parameter_defaults`) section while
      the section is still empty is taken whole (undeclared names included); later files only
      contribute names in `declared`, and null values never unset anything;
    * a parameter's strategy is the first one recorded for it (a file's explicit one, else its
      `default`, else `overwrite`); a later file that names another explicit one conflicts;
    * `merge` concatenates strings and lists, adds shallowly into json, and for a number, which
      must then be given as text, concatenates the text ("1" + "2" is "12"); booleans refuse it;
    * `resource_registry`, `event_sinks` and `encrypted_param_names` merge one level deep, later
      keys replacing earlier ones (a later `resources:` block replaces the whole earlier one).

    `declared` maps parameter names to their types. Heat filters by the parameters of every
    template the stack uses (the root's types win), so pass the nested templates' too when known.
    """
    merge = _Merge(declared, sink)
    parameters: dict[str, EnvValue] = dict(cli_parameters)
    defaults: dict[str, EnvValue] = {}
    registry: dict[object, _Item] = {}
    encrypted: tuple[EnvValue, ...] = ()
    sinks: tuple[EnvValue, ...] = ()
    for env in files:
        for section in env.order:
            if section == "parameters" and env.parameters:
                parameters = merge.parameters(parameters, env.parameters, env, section)
            elif section == "parameter_defaults" and env.parameter_defaults:
                defaults = merge.parameters(defaults, env.parameter_defaults, env, section)
            elif section == "resource_registry" and env.resource_registry is not None and len(env.resource_registry):
                merge.registry(registry, env.resource_registry, env)
            elif section == "encrypted_param_names" and env.encrypted_param_names:
                encrypted = merge.listed(encrypted, env.encrypted_param_names, env, section)
            elif section == "event_sinks" and env.event_sinks:
                sinks = merge.listed(sinks, env.event_sinks, env, section)
    return Environment(
        parameters=parameters, parameter_defaults=defaults,
        registry=Registry.load(registry.values(), sink),
        encrypted_param_names=tuple(str(item.value) for item in encrypted),
        event_sinks=tuple(dict(item.value) for item in sinks if isinstance(item.value, dict)))


@dataclass(frozen=True, slots=True)
class _Item:
    """One top-level registry entry and the file whose URL its relative paths resolve against."""

    key: YScalar
    value: Node
    env: EnvironmentFile


class _MergeFailure(Exception):
    """Heat fails merging this value (an exception in `merge_parameters`)."""


class _Merge:
    def __init__(self, declared: Mapping[str, str], sink: DiagnosticSink) -> None:
        self.declared = declared
        self.sink = sink
        # Strategy recorded per parameter name, shared by both sections and all files, as in Heat.
        self.available: dict[str, object] = {}

    def parameters(self, old: dict[str, EnvValue], new: dict[str, EnvValue], env: EnvironmentFile,
                   section: str) -> dict[str, EnvValue]:
        strategies = env.merge_strategies or {}
        for name, item in new.items():
            if name not in self.declared or item.value is None:
                continue
            strategy, where = self.strategy(strategies, name)
            if name not in self.available:
                self.available[name] = strategy
            elif strategy != self.available[name]:
                self.sink.report("H2K115", f"conflicting merge strategy {strategy!r} for parameter {name!r} in file "
                                 f"{env.path!r}: an earlier file made it {self.available[name]!r} (a strategy is "
                                 "fixed by the first file that sets the parameter)", where or item.span)
        if not old:
            return dict(new)
        merged = dict(old)
        for name, item in new.items():
            if item.value is None:
                continue
            if name not in self.declared:
                if section == "parameters":
                    self.sink.report("H2K106", f"parameter {name!r} is not declared by the template; Heat ignores it "
                                     "here because earlier values exist (it refuses it only in the first file)",
                                     item.span, Severity.WARNING)
                continue
            strategy = self.available[name]
            if strategy in ("merge", "deep_merge") and name in merged:
                merged[name] = self.combine(name, merged[name], item, deep=strategy == "deep_merge")
            elif strategy in ("merge", "deep_merge"):
                merged[name] = self.combine(name, None, item, deep=strategy == "deep_merge")
            else:
                merged[name] = item
        return merged

    def strategy(self, strategies: dict[str, EnvValue], name: str) -> tuple[object, Span | None]:
        """Heat's `get_param_merge_strategy`, plus where the strategy was written."""
        default = strategies.get("default")
        env_default: object = default.value if default is not None else "overwrite"
        explicit = strategies.get(name)
        chosen = explicit.value if explicit is not None else self.available.get(name, env_default)
        if chosen in MERGE_STRATEGIES:
            return chosen, explicit.span if explicit is not None else None
        return env_default, default.span if default is not None else None

    def combine(self, name: str, old: EnvValue | None, new: EnvValue, deep: bool) -> EnvValue:
        kind = self.declared.get(name, "")
        before = copy.deepcopy(old.value) if old is not None else _ABSENT
        try:
            value = _param_merge(kind, name, before, copy.deepcopy(new.value), deep)
        except _MergeFailure as failure:
            self.sink.report("H2K115", f"parameter {name!r}: {failure}", new.span)
            return new
        except (TypeError, AttributeError, ValueError) as error:
            self.sink.report("H2K115", f"parameter {name!r}: Heat fails merging this value into the earlier one "
                             f"({type(error).__name__}: {error})", new.span)
            return new
        earlier = (old.merged_from or ((old.span,) if old.from_file else ())) if old is not None else ()
        return EnvValue(value, new.span, merged_from=(*earlier, new.span))

    def registry(self, merged: dict[object, _Item], new: YMap, env: EnvironmentFile) -> None:
        """Heat's shallow `merge_map`: the first non-empty registry is taken whole, later keys replace."""
        if not merged:
            for key, value in new.entries:
                merged[key.value] = _Item(key, value, env)
            return
        for key, value in new.entries:
            if isinstance(value, YScalar) and value.value is None:
                if key.value in merged:
                    self.sink.report("H2K114", f"null does not remove {key.value!r}: Heat skips null values when it "
                                     "merges a later environment file (and heatclient fails on them)", key.span)
                continue
            earlier = merged.get(key.value)
            if key.value == "resources" and earlier is not None and isinstance(earlier.value, YMap):
                kept = set(value.keys()) if isinstance(value, YMap) else set()
                lost = [str(name.value) for name, _ in earlier.value.entries if name.value not in kept]
                if lost:
                    self.sink.report("H2K114", f"this resources block replaces the one in {earlier.env.path} (Heat "
                                     f"merges resource_registry one level deep): entries for {', '.join(lost)} are "
                                     "dropped", key.span)
            merged[key.value] = _Item(key, value, env)

    def listed(self, old: tuple[EnvValue, ...], new: tuple[EnvValue, ...], env: EnvironmentFile,
               section: str) -> tuple[EnvValue, ...]:
        if not old:
            return new
        self.sink.report("H2K112", f"{section} appears in two environment files; Heat cannot merge lists and fails "
                         f"(only the first is kept)", env.section_spans.get(section, env.span))
        return old


_ABSENT = object()


def _param_merge(kind: str, name: str, old: object, new: object, deep: bool) -> object:
    """Heat's `merge_parameters.param_merge` on plain values; Python raises where Heat's code raises."""
    value = _parse_param(kind, new)
    if kind == "json":
        return _merge_map({} if old is _ABSENT else old, value, deep)
    if kind == "comma_delimited_list":
        return _merge_list(None if old is _ABSENT else old, value)
    if kind == "string":
        return "".join(["" if old is _ABSENT else old, value])  # type: ignore[list-item]
    if kind == "number":
        return (0 if old is _ABSENT else old) + value  # type: ignore[operator]
    raise _MergeFailure(f"Invalid merge strategy 'merge' for parameter '{name}' (a {kind or 'malformed'} "
                        "parameter cannot be merged)")


def _parse_param(kind: str, value: object) -> object:
    """Heat's `parse_param`: json is parsed; any other type must be a sequence (text or a list)."""
    try:
        if kind == "json":
            text = value if isinstance(value, str) else json.dumps(value)
            if text:
                return json.loads(text)
            return text
        if not isinstance(value, collections.abc.Sequence):
            raise ValueError()
    except (ValueError, TypeError) as error:
        raise _MergeFailure(f"Heat refuses the value: Invalid parameter in environment {error}.") from None
    return value


def _merge_map(old: object, new: object, deep: bool) -> object:
    """Heat's `merge_map`: shallow update, or with `deep` recursive, concatenating lists and strings."""
    if not old:
        return new
    for key, value in new.items():  # type: ignore[attr-defined]
        if value is None:
            continue
        if not deep:
            old[key] = value  # type: ignore[index]
        elif isinstance(value, collections.abc.Mapping):
            before = old.get(key)  # type: ignore[attr-defined]
            old[key] = _merge_map(before, value, deep) if before else value  # type: ignore[index]
        elif isinstance(value, collections.abc.Sequence) and not isinstance(value, str):
            before = old.get(key)  # type: ignore[attr-defined]
            old[key] = _merge_list(before, value) if before else value  # type: ignore[index]
        elif isinstance(value, str):
            old[key] = "".join([old.get(key, ""), value])  # type: ignore[attr-defined,index]
        else:
            old[key] = value  # type: ignore[index]
    return old


def _merge_list(old: object, new: object) -> object:
    """Heat's `merge_list`: extend a list, or join comma-delimited text."""
    if not old:
        return new
    if isinstance(new, list):
        old.extend(new)  # type: ignore[attr-defined]
        return old
    return ",".join([old, new])  # type: ignore[list-item]


# -- the resource registry -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One registry entry, classified as Heat's `ResourceInfo.__new__` does.

    `kind` is "template" (a key or value ending .yaml/.template), "glob" (a key ending `*`) or
    "alias"; `target` is the type an alias or glob maps to, as heatclient leaves it.
    """

    path: tuple[object, ...]
    kind: str
    target: str
    span: Span
    template: str | None = None
    url: str | None = None
    user: bool = True

    @property
    def name(self) -> object:
        return self.path[-1]

    def matches(self, type_name: str) -> bool:
        """Heat's `GlobResourceInfo.matches`: a prefix match that never matches its own target."""
        prefix = str(self.name)[:-1]
        return self.kind == "glob" and type_name != self.target and type_name.startswith(prefix)

    def glob_target(self, type_name: str) -> str:
        """The type a glob maps `type_name` to: a target ending `*` carries the matched suffix over."""
        prefix = str(self.name)[:-1]
        if self.target.endswith("*"):
            return self.target[:-1] + type_name[len(prefix):]
        return self.target


@dataclass(frozen=True, slots=True)
class RegistryMatch:
    """What a resource type becomes after the registry.

    Either another type (`type_name`, with `template` and `url` None) or a provider template:
    `template` is its absolute local path, or `url` names a location h2k does not read (a remote
    URL, or a template on the Heat server); `type_name` is then the registry key that mapped it,
    as Heat names the resource's type. `span` is the entry matched for the requested type, `via`
    every entry followed (first to last), `path` the registry path of the last one.
    """

    type_name: str
    span: Span
    template: str | None = None
    url: str | None = None
    via: tuple[Span, ...] = ()
    path: tuple[object, ...] = ()

    @property
    def is_template(self) -> bool:
        return self.template is not None or self.url is not None


@dataclass(frozen=True, slots=True)
class _Plugin:
    """A type Heat implements itself (a class in its global registry)."""

    path: tuple[object, ...]
    user: bool = False


@dataclass(frozen=True, slots=True)
class _Dynamic:
    """A type that names a template file itself (Heat registers it on the fly)."""

    path: tuple[object, ...]
    user: bool = True


_Candidate = RegistryEntry | _Plugin | _Dynamic


@dataclass(frozen=True, slots=True)
class _Found:
    type_name: str
    entries: tuple[RegistryEntry, ...] = ()
    dynamic: bool = False


def _sort_key(candidate: _Candidate) -> tuple[int, int, tuple[str, ...]]:
    """Heat's `ResourceInfo.__lt__`: user entries first, then longer paths, then path order.

    The last rule is plain string order, so `OS::TripleO::*` sorts before `OS::TripleO::Foo`
    (`*` is below every letter) and a glob beats an exact entry of the same environment.
    """
    return (0 if candidate.user else 1, -len(candidate.path), tuple(str(step) for step in candidate.path))


@functools.cache
def _global_entries() -> tuple[dict[str, RegistryEntry], list[RegistryEntry]]:
    """Heat's own registry (built on first lookup: `h2k check` without environments never needs it)."""
    span = Span.point(HEAT_GLOBAL_ENVIRONMENT)
    exact: dict[str, RegistryEntry] = {}
    globs: list[RegistryEntry] = []
    for key, value in HEAT_GLOBAL_REGISTRY:
        if value.endswith(TEMPLATE_SUFFIXES):
            exact[key] = RegistryEntry((key,), "template", value, span, url=value, user=False)
        elif key.endswith("*"):
            globs.append(RegistryEntry((key,), "glob", value, span, user=False))
        else:
            exact[key] = RegistryEntry((key,), "alias", value, span, user=False)
    return exact, globs



class Registry:
    """A user resource registry over Heat's global one, answering lookups as Heat does.

    Built from the merged `resource_registry` with `Registry.load`; lookups with `resolve`.
    Hooks and restricted_actions are checked and kept out of the way (they only pause or block
    a live stack); a `base_url` key only serves to resolve relative paths.
    """

    def __init__(self, tree: dict[object, object] | None = None, sink: DiagnosticSink | None = None) -> None:
        self._tree: dict[object, object] = tree if tree is not None else {"resources": {}}
        self._tree.setdefault("resources", {})
        self._sink = sink
        self._reported: set[tuple[str, Span]] = set()

    @classmethod
    def load(cls, items: Iterable[_Item], sink: DiagnosticSink | None = None) -> Registry:
        registry = cls(sink=sink)
        loader = _RegistryLoader(registry._tree, sink)
        for item in items:
            loader.top(item)
        return registry

    def entries(self) -> list[RegistryEntry]:
        """Every entry, in load order (for reports)."""
        found: list[RegistryEntry] = []

        def walk(level: dict[object, object]) -> None:
            for value in level.values():
                if isinstance(value, RegistryEntry):
                    found.append(value)
                elif isinstance(value, dict):
                    walk(value)

        walk(self._tree)
        return found

    def resolve(self, type_name: str, resource_name: str | None = None, *,
                exists: Callable[[str], bool] | None = None) -> RegistryMatch | None:
        """What `type_name` (of resource `resource_name`) becomes, or None when no entry applies.

        `exists` tells which types Heat implements itself; without it every type is assumed to
        exist. Heat tries the candidates in `_sort_key` order and skips one whose chain ends in a
        type that does not exist. None also means the type names its own template file.
        """
        try:
            found = self._find(type_name, resource_name, True, exists, set(), 0)
        except _Endless as endless:
            # Heat recurses until Python's limit and the whole lookup fails; so does this one.
            self._report("H2K112", f"resource_registry maps {type_name!r} onto itself through "
                         f"{endless.entry.name!r}: Heat recurses until it fails", endless.entry.span)
            return None
        if found is None or found.dynamic or not found.entries:
            return None
        first, last = found.entries[0], found.entries[-1]
        spans = tuple(entry.span for entry in found.entries)
        if first.path[0] == "resources" and first.kind != "template" and last.kind != "template":
            # `get_resource_info` caches an alias that ends in one of Heat's own types under the
            # type name itself, so after this lookup Heat applies it to every resource of the type.
            self._report("H2K114", f"Heat caches this alias once resource {resource_name!r} is looked up, and then "
                         f"maps every {type_name} resource to {found.type_name} (a Heat bug); h2k applies it to "
                         f"{resource_name!r} only", first.span)
        if last.kind == "template":
            return RegistryMatch(str(last.name), spans[0], last.template, last.url, spans, last.path)
        return RegistryMatch(found.type_name, spans[0], None, None, spans, last.path)

    def child(self, resource_name: str, used: RegistryMatch | None = None) -> Registry:
        """The registry of the nested stack behind resource `resource_name`.

        As Heat's `get_child_environment`: the template entry that made the resource a nested
        stack is removed (so a provider for `OS::Nova::Server` may use a real server), and the
        `resources` map keeps only what applies to the resource: entries whose name matches it as
        an fnmatch pattern, then its exact entry.
        """
        tree = _copy_tree(self._tree)
        if used is not None and used.is_template and used.path:
            level: object = tree
            for step in used.path[:-1]:
                level = level.get(step) if isinstance(level, dict) else None
            if isinstance(level, dict) and isinstance(level.get(used.path[-1]), RegistryEntry):
                level.pop(used.path[-1])
        resources = tree.get("resources")
        kept: dict[object, object] = {}
        if isinstance(resources, dict):
            for name, value in resources.items():
                if isinstance(value, dict) and fnmatch.fnmatchcase(resource_name, str(name)):
                    kept.update(value)
            exact = resources.get(resource_name)
            if isinstance(exact, dict):
                kept.update(exact)
        tree["resources"] = kept
        return Registry(tree, self._sink)

    # -- lookup --------------------------------------------------------------------------------

    def _candidates(self, type_name: str, resource_name: str | None, user: bool,
                    exists: Callable[[str], bool] | None) -> list[_Candidate]:
        found: list[_Candidate] = []
        if user:
            tree = self._tree
            if type_name.endswith(TEMPLATE_SUFFIXES):
                own = tree.get(type_name)
                found.append(own if isinstance(own, RegistryEntry) else _Dynamic((type_name,)))
            resources = tree.get("resources")
            if resource_name is not None and isinstance(resources, dict):
                overrides = resources.get(resource_name)
                if isinstance(overrides, dict):
                    override = overrides.get(type_name)
                    if isinstance(override, RegistryEntry):
                        found.append(override)
            exact = tree.get(type_name)
            if isinstance(exact, RegistryEntry):
                found.append(exact)
            for key, value in tree.items():
                if isinstance(key, str) and key.endswith("*") and isinstance(value, RegistryEntry) and \
                        value.matches(type_name):
                    found.append(value)
        heat_own = _global_entries()[0].get(type_name)
        if heat_own is not None:
            found.append(heat_own)
        elif exists is None or exists(type_name):
            found.append(_Plugin((type_name,)))
        found.extend(glob for glob in _global_entries()[1] if glob.matches(type_name))
        return sorted(found, key=_sort_key)

    def _find(self, type_name: str, resource_name: str | None, user: bool, exists: Callable[[str], bool] | None,
              active: set[tuple[str, str | None, bool]], depth: int) -> _Found | None:
        step = (type_name, resource_name, user)
        active.add(step)
        try:
            for candidate in self._candidates(type_name, resource_name, user, exists):
                if isinstance(candidate, _Plugin):
                    return _Found(type_name)
                if isinstance(candidate, _Dynamic):
                    return _Found(type_name, dynamic=True)
                if candidate.kind == "template":
                    return _Found(str(candidate.name), (candidate,))
                target = candidate.glob_target(type_name) if candidate.kind == "glob" else candidate.target
                # A user entry is followed through the user registry (which chains Heat's own);
                # one of Heat's global entries only through the global registry.
                if (target, resource_name, candidate.user) in active or depth >= _MAX_CHAIN:
                    raise _Endless(candidate)
                below = self._find(target, resource_name, candidate.user, exists, active, depth + 1)
                if below is not None:
                    return _Found(below.type_name, (candidate, *below.entries), below.dynamic)
            return None
        finally:
            active.discard(step)

    def _report(self, code: str, message: str, span: Span) -> None:
        if self._sink is not None and (code, span) not in self._reported:
            self._reported.add((code, span))
            self._sink.report(code, message, span)


class _Endless(Exception):
    """A chain of aliases or globs that never ends (Heat fails with a RecursionError)."""

    def __init__(self, entry: RegistryEntry) -> None:
        super().__init__(entry.name)
        self.entry = entry


def _copy_tree(level: dict[object, object]) -> dict[object, object]:
    return {key: _copy_tree(value) if isinstance(value, dict) else value for key, value in level.items()}


class _RegistryLoader:
    """Heat's `ResourceRegistry._load_registry` over YAML nodes, with heatclient's path resolution."""

    def __init__(self, tree: dict[object, object], sink: DiagnosticSink | None) -> None:
        self.tree = tree
        self.sink = sink

    def report(self, code: str, message: str, span: Span, severity: Severity | None = None) -> None:
        if self.sink is not None:
            self.sink.report(code, message, span, severity)

    def top(self, item: _Item) -> None:
        registry = item.env.resource_registry
        base = item.env.url.rsplit("/", 1)[0]  # heatclient's `base_url_for_url`
        own_base = registry.get("base_url") if registry is not None else None
        if isinstance(own_base, YScalar) and isinstance(own_base.value, str):
            base = own_base.value
        key, value = item.key, item.value
        if key.value == "base_url":
            return
        if key.value == "resources":
            self.resources(value, base)
            return
        self.load(self.tree, (), key, value, base, resolve=True)

    def resources(self, node: Node, base: str) -> None:
        level = self.tree["resources"]
        assert isinstance(level, dict)
        if isinstance(node, YScalar) and node.value is None:
            self.report("H2K112", "resources: null removes the per-resource map, and Heat then fails on every lookup "
                        "by resource name", node.span)
            return
        if not isinstance(node, YMap):
            self.report("H2K112", "resources must map resource names to registry entries", node.span)
            return
        for name_key, entries in node.entries:
            name = name_key.value
            if isinstance(entries, YScalar) and entries.value is None:
                self.delete(level, name_key, ("resources",))
                continue
            if not isinstance(entries, YMap):
                self.report("H2K112", f"resources.{name!s} must be a mapping of resource types (or hooks); Heat fails "
                            "when it looks this resource up", entries.span)
                continue
            if not isinstance(name, str):
                self.report("H2K114", f"resources.{name!r} is not a string, and resource names are: it matches no "
                            "resource (quote it)", name_key.span)
            own_base = entries.get("base_url")
            entry_base = own_base.value if isinstance(own_base, YScalar) and isinstance(own_base.value, str) else base
            types = [k for k, v in entries.entries
                     if k.value not in ("hooks", "restricted_actions", "base_url") and not isinstance(v, YMap)]
            if isinstance(name, str) and any(c in name for c in "*?[") and types:
                self.report("H2K114", f"resources.{name}: type overrides apply to the resource of exactly this name; "
                            "Heat matches patterns only for hooks and restricted_actions", name_key.span)
            sub = level.setdefault(name, {})
            if not isinstance(sub, dict):
                sub = level[name] = {}
            for key, value in entries.entries:
                if key.value == "base_url":
                    continue
                if isinstance(key.value, str) and key.value.endswith("*") and not \
                        (isinstance(value, YScalar) and value.value is None):
                    self.report("H2K114", f"resources.{name!s}: wildcards are not expanded here; {key.value!r} only "
                                "matches a type written exactly so", key.span)
                self.load(sub, ("resources", name), key, value, entry_base, resolve=True)

    def load(self, level: dict[object, object], path: tuple[object, ...], key: YScalar, value: Node, base: str,
             resolve: bool) -> None:
        name = key.value
        here = (*path, name)
        if isinstance(value, YScalar) and value.value is None:
            self.delete(level, key, path)
            return
        if name in ("hooks", "restricted_actions"):
            self.hook(key, value)
            level[name] = to_python(value)
            return
        if isinstance(value, YMap):
            if not path or path[0] != "resources":
                self.report("H2K112", f"resource_registry entry {name!r} must map to a type or a template, not a "
                            "mapping (only resources: nests)", value.span)
                return
            sub = level.setdefault(name, {})
            if not isinstance(sub, dict):
                sub = level[name] = {}
            for inner_key, inner_value in value.entries:
                # heatclient resolves relative paths only down to resources.<name>.<type>.
                self.load(sub, here, inner_key, inner_value, base, resolve=False)
            return
        entry = self.entry(here, key, value, base, resolve)
        if entry is not None:
            level[name] = entry

    def entry(self, path: tuple[object, ...], key: YScalar, value: Node, base: str,
              resolve: bool) -> RegistryEntry | None:
        name = key.value
        span = key.span.through(value.span)
        if not isinstance(name, str):
            self.report("H2K112", f"resource_registry key {name!r} must be a string", key.span)
            return None
        if not isinstance(value, YScalar) or not isinstance(value.value, str):
            self.report("H2K112", f"resource_registry entry {name!r} must map to a type name or a template file "
                        "(Heat takes anything else for a Python plugin class and fails)", value.span)
            return None
        written = value.value
        if name.endswith(TEMPLATE_SUFFIXES):
            self.report("H2K114", f"registry key {name!r} names a template; heatclient rewrites template types to "
                        "absolute URLs, so this entry matches no resource", key.span)
            return RegistryEntry(path, "template", name, span, *_where(name))
        target = written
        if "::" not in written and resolve:
            # heatclient reads every value without `::` as a file relative to the environment.
            target = urllib.parse.urljoin(_slash(base), written)
            self.readable(written, target, value.span)
        if written.endswith(TEMPLATE_SUFFIXES):
            if name.endswith("*"):
                self.report("H2K114", f"{name!r} maps to a template, so Heat does not treat it as a wildcard: it "
                            "only matches a type written exactly so", key.span)
            if target == written and not urllib.parse.urlparse(written).scheme:
                self.report("H2K114", f"heatclient does not resolve {written!r} this deep in resource_registry, and "
                            "Heat cannot find a relative template by itself", value.span)
            return RegistryEntry(path, "template", target, span, *_where(target))
        if "*" in name[:-1]:
            self.report("H2K114", f"only a trailing * is a wildcard in Heat: {name!r} is a literal type name and "
                        "matches no resource", key.span)
        if target != written:
            self.report("H2K114", f"{written!r} is neither a type name (with ::) nor a template ending in .yaml or "
                        ".template: heatclient reads it as a file and Heat then looks for a type named by its URL",
                        value.span)
        return RegistryEntry(path, "glob" if name.endswith("*") else "alias", target, span)

    def readable(self, written: str, url: str, span: Span) -> None:
        """Report a value heatclient would fail to read, or one h2k does not read."""
        local, other = _where(url)
        if local is not None:
            if not os.path.isfile(local):
                self.report("H2K119", f"{written!r}: no such file {local} (paths in resource_registry are relative "
                            "to the environment file)", span)
        elif urllib.parse.urlparse(url).scheme in ("http", "https"):
            self.report("H2K114", f"{url} is a remote template; h2k does not fetch it", span)
        else:
            self.report("H2K114", f"{written!r} cannot be read: heatclient resolves it to {other!r}, which is neither "
                        "a file nor an http(s) URL", span)

    def hook(self, key: YScalar, value: Node) -> None:
        data = to_python(value)
        allowed = HOOK_TYPES if key.value == "hooks" else RESTRICTED_ACTIONS
        if isinstance(data, str):
            valid = data in allowed
        elif isinstance(data, collections.abc.Sequence):
            valid = all(item in allowed for item in data)
        else:
            valid = False
        if not valid:
            what = "hook type" if key.value == "hooks" else "restricted_action type"
            self.report("H2K112", f'invalid {what} "{data}"; acceptable ones are: {", ".join(allowed)}', value.span)
        else:
            self.report("H2K123", f"{key.value!s} pause or block Heat's own operations; they change nothing in the "
                        "Kubernetes output", key.span)

    def delete(self, level: dict[object, object], key: YScalar, path: tuple[object, ...]) -> None:
        """Heat's null entry: a name is popped, a trailing-`*` name pops every entry it prefixes.

        Only entries loaded earlier from the same merged registry can go, so a plain name never
        removes anything; and heatclient itself fails on null values.
        """
        name = key.value
        removed: list[str] = []
        if isinstance(name, str) and name.endswith("*"):
            for other, value in list(level.items()):
                if isinstance(value, RegistryEntry) and isinstance(other, str) and other.startswith(name[:-1]):
                    del level[other]
                    removed.append(other)
        if removed:
            self.report("H2K114", f"{name!r}: null removes {', '.join(removed)} (entries loaded before it); note that "
                        "heatclient fails on null registry values", key.span)
        else:
            self.report("H2K114", f"{name!r}: null removes nothing here (Heat only removes entries loaded before it "
                        "from the same merged registry, never its own types), and heatclient fails on null registry "
                        "values", key.span)


def _slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"


def _where(location: str) -> tuple[str | None, str | None]:
    """(absolute local path, None) for a file URL, else (None, the location h2k does not read)."""
    parsed = urllib.parse.urlparse(location)
    if parsed.scheme == "file":
        from urllib.request import url2pathname  # slow to import; only for file: URLs

        return url2pathname(parsed.path), None
    return None, location
