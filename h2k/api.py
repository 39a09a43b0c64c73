"""The Python API: `compile()` and `check()` return objects and never print; the CLI calls them.

What only compiling needs (config, passes, backends, validation) is imported inside `compile()`,
so that `check()`, the pre-commit hook's path, loads little.
"""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from h2k.diagnostics.codes import Severity
from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.ir.nodes import Stack
from h2k.source.detect import Kind, detect
from h2k.source.limits import Limits
from h2k.source.loader import SourceFile, load_file
from h2k.source.nodes import YMap

if TYPE_CHECKING:
    from h2k.backends.kubernetes.adoption import Existing
    from h2k.backends.kubernetes.context import BackendContext
    from h2k.backends.kubernetes.emit import Emitted
    from h2k.config import Config
    from h2k.frontends.hot.environment import Environment
    from h2k.ir.expr import Expr


@dataclass
class CompileOptions:
    parameters: dict[str, str] = field(default_factory=dict)
    stack_name: str | None = None
    namespace: str | None = None
    kube_version: str | None = None
    # The running stack's resources to take over (openstack stack resource list -f json, or name -> ID,
    # or name -> {id, address}); several files are merged in order.
    adopt: list[Path] = field(default_factory=list)
    # What stays on OpenStack becomes: a residual Heat stack ("heat"), or k-orc objects ("orc"), with a
    # residual stack for what k-orc has no kind for. None here and for `package` and `format`: the
    # config's, else h2k's default (heat, kustomize, yaml).
    infra: str | None = None
    # Where servers without an explicit choice land: auto, container or openstack (None: the config's).
    servers: str | None = None
    # kustomize, plain, or helm (a chart; its templates are YAML whatever `format` says).
    package: str | None = None
    # Manifest format: yaml, or json (kustomize and kubectl read both).
    format: str | None = None
    config: Path | None = None
    limits: Limits = field(default_factory=Limits)
    # Heat environment files (-e), merged in order.
    environment_files: list[str] = field(default_factory=list)
    # get_file and provider templates are read only below this directory (default: the template's).
    files_root: str | None = None


@dataclass
class CompileResult:
    template: str
    stack: Stack | None
    objects: list[Emitted]
    diagnostics: list[Diagnostic]
    # The output tree: relative POSIX path -> bytes (manifests, kustomization, reports).
    files: dict[str, bytes]
    kube_version: str
    # The manifest format settled from the options and the config (what `stream()` uses by default).
    format: str = "yaml"

    def failed(self, threshold: Severity = Severity.ERROR) -> bool:
        return any(d.severity >= threshold for d in self.diagnostics)

    def stream(self, fmt: str | None = None) -> str:
        """All manifests as one multi-document YAML stream, or a JSON `List`."""
        from h2k.backends.kubernetes.package import stream

        return stream(self.objects, fmt or self.format)


def check(paths: list[str], limits: Limits | None = None, ignore_unknown: bool = False) -> list[Diagnostic]:
    """Load and run the front-end on each file; the findings, in a stable order.

    With `ignore_unknown`, well-formed YAML files that are not Heat templates or environments
    are skipped without a finding (a pre-commit hook sees every YAML file of a repository).
    """
    from h2k.passes import CHECK_PIPELINE, PassContext, run

    sink = DiagnosticSink()
    for path in paths:
        try:
            stack = _front_end(path, sink, limits or Limits(), None, compiling=False, ignore_unknown=ignore_unknown)
            if stack is not None:
                run(stack, PassContext(sink=sink, require_values=False), CHECK_PIPELINE)
        except RecursionError:
            _too_deep(path, sink)
    return sink.sorted()


def _too_deep(path: str, sink: DiagnosticSink) -> None:
    """Only reachable when --max-yaml-depth was raised past what the IR walks can recurse through."""
    from h2k.span import Span

    sink.report("H2K006", "the template nests too deeply to be processed; lower --max-yaml-depth",
                Span.point(path))


def compile(template: str | Path, options: CompileOptions | None = None) -> CompileResult:
    """Compile one template into Kubernetes objects and the output tree.

    Raises ValueError for an unsupported `options.kube_version`; everything about the inputs
    (template, config file) is a diagnostic in the result.
    """
    from h2k.config import find_config, load_config
    from h2k.validate.kubernetes import default_version, normalize_version

    options = options or CompileOptions()
    path = str(template)
    sink = DiagnosticSink()
    requested = normalize_version(options.kube_version) if options.kube_version else None
    config = load_config(find_config(Path(path), options.config, sink), sink)
    if config is None:
        return CompileResult(path, None, [], sink.sorted(), {}, requested or default_version())
    # Flags (the options) win over the config file, which wins over h2k's defaults.
    options = dataclasses.replace(options, package=options.package or config.package or "kustomize",
                                  format=options.format or config.format or "yaml",
                                  infra=options.infra or config.infra or "heat")
    try:
        kube_version = requested or normalize_version(config.kube_version or default_version())
    except ValueError as error:
        from h2k.span import Span

        sink.report("H2K903", f"kube_version: {error}", Span.point(config.path or path))
        return CompileResult(path, None, [], sink.sorted(), {}, default_version())
    # A compile builds millions of small objects and frees few: the collector's passes over them only
    # cost time (a 10,000-resource stack: 40% of it), so it is paused and the cycles are collected after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compile(path, options, config, kube_version, sink)
    except RecursionError:
        _too_deep(path, sink)
        return CompileResult(path, None, [], sink.sorted(), {}, kube_version)
    finally:
        if collecting:
            gc.enable()


def _compile(path: str, options: CompileOptions, config: Config, kube_version: str,
             sink: DiagnosticSink) -> CompileResult:
    source, lowered = _source_and_stack(path, sink, options.limits, options.stack_name, True, False,
                                        options.parameters, options.files_root)
    if lowered is None:
        return CompileResult(path, None, [], sink.sorted(), {}, kube_version)
    front_end = sink.sorted()  # the probe compiles of --package helm start after the front-end
    translated = _translate(path, lowered, options, config, kube_version, sink, source=source)
    if translated is None:
        return CompileResult(path, None, [], sink.sorted(), {}, kube_version)
    stack, ctx, objects = translated
    base_dir = ctx.source_root
    from h2k.output.secrets import leaks, masked_diagnostics, secret_values

    if options.package == "helm":
        files = _helm_chart(path, lowered, options, config, kube_version, sink, translated, front_end)
    else:
        from h2k.backends.kubernetes.package import package

        files = package(objects, options.package or "kustomize", ctx.namespace, options.format or "yaml")
    assert source is not None
    files.update(_openstack_half(stack, ctx, options, lowered, source, sink))
    files.update(ctx.images)
    secrets = secret_values(stack)
    for name, parameter in leaks(files, secrets, _cut_from_source(files, source.text)):
        sink.report("H2K410", f"the value of hidden parameter {parameter.name} would be written to {name}; nothing "
                    "is written", parameter.span)
    diagnostics = masked_diagnostics(sink.sorted(), secrets)
    from h2k.report.migration import ReportInput, build, to_json, to_markdown

    built = [r.name for r in stack.resources if f"images/{r.object_name}/Containerfile" in ctx.images]
    report = build(ReportInput(stack, objects, diagnostics, kube_version, base_dir, ctx.wires, ctx.orc_objects,
                               built))
    files["h2k-report.json"] = to_json(report).encode()
    files["h2k-report.md"] = to_markdown(report).encode()
    return CompileResult(path, stack, objects, diagnostics, files, kube_version, options.format or "yaml")


def _translate(path: str, lowered: Stack, options: CompileOptions, config: Config, kube_version: str,
               sink: DiagnosticSink, observe: Callable[[str, Expr], None] | None = None,
               source: SourceFile | None = None) -> tuple[Stack, BackendContext, list[Emitted]] | None:
    """The passes, the backend and validation on a lowered template; None if an environment is unusable.

    `source` is the loaded template, which the passes read again (the boot scripts' text) without a reload.
    """
    from h2k.passes import PassContext, run

    environment = _environment(options, lowered, sink)
    if environment is None:
        return None
    stack = run(lowered, PassContext(sink=sink, environment=environment, files_root=options.files_root,
                                     hidden_at_deploy_time=True, observe=observe, targets=config.targets,
                                     servers=options.servers or config.servers, fallback=config.fallback,
                                     container_images=frozenset(config.images),
                                     loaded={source.path: source} if source is not None else {}))
    from h2k.backends.kubernetes.context import BackendContext
    from h2k.backends.kubernetes.emit import emit

    ctx = BackendContext(stack=stack, config=config, sink=sink, namespace=options.namespace or config.namespace,
                         source_root=str(Path(path).parent), adopted=_adopted(options, sink))
    objects = emit(ctx)
    _validate(objects, kube_version, sink, path)
    return stack, ctx, objects


def _helm_chart(path: str, lowered: Stack, options: CompileOptions, config: Config, kube_version: str,
                sink: DiagnosticSink, translated: tuple[Stack, BackendContext, list[Emitted]],
                front_end: list[Diagnostic]) -> dict[str, bytes]:
    """The chart; the probe compiles (helm_values.py) reuse the lowered template with other values."""
    from h2k.backends.kubernetes.helm import chart
    from h2k.backends.kubernetes.helm_values import probe

    def recompile(values: dict[str, str], observe: Callable[[str, Expr], None],
                  ) -> tuple[list[Emitted], list[Diagnostic]] | None:
        probe_sink = DiagnosticSink()
        changed = dataclasses.replace(options, parameters={**options.parameters, **values})
        again = _translate(path, lowered, changed, config, kube_version, probe_sink, observe)
        return None if again is None else (again[2], probe_sink.sorted())

    stack, ctx, objects = translated
    # Compared with the probes' findings, which cannot hold the front-end's (it runs once).
    probed = probe(stack, objects, [d for d in sink.sorted() if d not in front_end], recompile, sink)
    return chart(ctx.part_of, ctx.source_of_stack(), stack.description, probed)


def _adopted(options: CompileOptions, sink: DiagnosticSink) -> dict[str, Existing]:
    from h2k.backends.kubernetes.adoption import AdoptionError, read_adoption
    from h2k.span import Span

    adopted: dict[str, Existing] = {}
    for path in options.adopt:
        try:
            for name, existing in read_adoption(path).items():
                known = adopted.get(name)
                # A later file may add the address of a floating IP an earlier one listed.
                adopted[name] = existing if known is None or existing.id != known.id or existing.address else known
        except AdoptionError as error:
            sink.report("H2K904", str(error), Span.point(str(path)))
    return adopted


def _cut_from_source(files: dict[str, bytes], template: str) -> dict[str, str]:
    """The OpenStack files made of the user's own text: the residual cuts of the template, and the
    files they read, copied as they are."""
    cut: dict[str, str] = {name: template for name in ("openstack/infra.yaml", "openstack/retain.yaml")
                           if name in files}
    copies = {name: content.decode("utf-8", "replace") for name, content in files.items()
              if name.startswith("openstack/") and name not in cut and name != "openstack/infra-env.yaml"
              and not name.startswith("openstack/k-orc/")}
    return {**copies, **cut}


def _openstack_half(stack: Stack, ctx: BackendContext, options: CompileOptions, lowered: Stack, source: SourceFile,
                    sink: DiagnosticSink) -> dict[str, bytes]:
    """The files of what stays on OpenStack: the residual Heat stack."""
    from h2k.backends.openstack.residual import residual_stack, retain_template

    environment = _environment(options, lowered, DiagnosticSink())  # already checked by _translate
    files: dict[str, bytes] = {}
    kept = None
    if options.infra == "orc":
        from h2k.backends.openstack.orc_package import orc_files

        orc = orc_files(stack, ctx, options.format or "yaml", sink)
        files, kept = orc.files, orc.residual
        ctx.orc_objects = orc.objects
    from h2k.source.nodes import to_python

    if detect(source.root) is Kind.TOSCA:
        from h2k.frontends.tosca.residual import hot_template

        raw: object = hot_template(lowered)  # a TOSCA template has no HOT text to cut from
    else:
        raw = to_python(source.root)
    files.update(residual_stack(raw, stack, ctx.wires, environment, sink, only=kept))
    if ctx.adopted:
        files.update(retain_template(raw, stack, set(ctx.adopted), sink, kept,
                                     written="openstack/infra.yaml" in files))
    return files


def _environment(options: CompileOptions, stack: Stack, sink: DiagnosticSink) -> Environment | None:
    """The -e files merged in order with the -P values, as Heat merges them; None if one is unusable."""
    from h2k.frontends.hot.environment import cli_value, load_environment, merge_environments

    files = []
    for path in options.environment_files:
        loaded = load_environment(path, sink, options.limits)
        if loaded is None:
            return None
        files.append(loaded)
    values = {name: cli_value(name, value) for name, value in options.parameters.items()}
    for loaded in files:
        for section, values_in in (("event_sinks", loaded.event_sinks),
                                   ("encrypted_param_names", loaded.encrypted_param_names)):
            if values_in:
                sink.report("H2K123", f"{section} of {loaded.path} changes nothing in the Kubernetes output",
                            values_in[0].span)
    return merge_environments(files, values, {p.name: p.type for p in stack.parameters}, sink)


def _front_end(path: str, sink: DiagnosticSink, limits: Limits, stack_name: str | None, compiling: bool,
               ignore_unknown: bool = False) -> Stack | None:
    return _source_and_stack(path, sink, limits, stack_name, compiling, ignore_unknown)[1]


def _source_and_stack(path: str, sink: DiagnosticSink, limits: Limits, stack_name: str | None, compiling: bool,
                      ignore_unknown: bool, parameters: dict[str, str] | None = None,
                      files_root: str | None = None) -> tuple[SourceFile | None, Stack | None]:
    """The loaded template and its IR; a CSAR archive is a TOSCA template with its files."""
    if _is_archive(path):
        from h2k.frontends.tosca import lower_archive

        return lower_archive(path, sink, limits, stack_name, parameters)  # an archive is its own root
    source = load_file(path, sink, limits)
    if source is None:
        return None, None
    return source, _lower(source, sink, stack_name, compiling, ignore_unknown, limits, parameters, files_root)


def _is_archive(path: str) -> bool:
    """A CSAR, by its name or its first bytes (a zip), whichever the user gave."""
    if path.lower().endswith((".csar", ".zip")):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _lower(source: SourceFile, sink: DiagnosticSink, stack_name: str | None, compiling: bool,
           ignore_unknown: bool, limits: Limits | None = None, parameters: dict[str, str] | None = None,
           files_root: str | None = None) -> Stack | None:
    kind = detect(source.root)
    start = source.root.span
    if kind is Kind.HOT:
        from h2k.frontends.hot.lower import lower

        return lower(source, sink, stack_name)
    if kind is Kind.TOSCA:
        from h2k.frontends.tosca import lower_source

        return lower_source(source, sink, limits or Limits(), stack_name, parameters, base=files_root)
    if kind is Kind.ENVIRONMENT:
        if compiling:
            sink.report("H2K011", "this is a Heat environment file; give it to compile with -e", start)
        else:
            from h2k.frontends.hot.environment import load_environment

            load_environment(source.path, sink)  # its sections and registry, checked on their own
        return None
    if kind is Kind.UNKNOWN and ignore_unknown:
        return None
    if kind is Kind.CFN:
        sink.report("H2K012", "CloudFormation-format Heat templates are recognised but not translated yet", start)
        return None
    if not isinstance(source.root, YMap):
        sink.report("H2K008", "a template must be a mapping at the top level", start)
        return None
    sink.report("H2K011", "not a HOT template (no heat_template_version) nor a Heat environment file", start)
    return None


def _validate(objects: list[Emitted], kube_version: str, sink: DiagnosticSink, path: str) -> None:
    from h2k.span import Span
    from h2k.validate import kubevirt
    from h2k.validate.kubernetes import validate

    for item in objects:
        # KubeVirt and CDI kinds are custom resources: checked against the schemas h2k ships for them.
        crd = kubevirt.handles(item.object)
        errors = kubevirt.validate(item.object) if crd else validate(item.object, kube_version)
        against = kubevirt.target(item.object) if crd else f"Kubernetes {kube_version}"
        for error in errors:
            source = item.resource.name if item.resource is not None else "the stack"
            span = item.resource.span if item.resource is not None else Span.point(path)
            sink.report("H2K902", f"{item.kind}/{item.name} from {source} is invalid for {against}: {error}", span)
