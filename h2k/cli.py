"""The `h2k` command line: argument handling only; the work is done by h2k.api.

Imports are deferred into each command so that `h2k --version` and `h2k check` start fast.
Exit codes: 0 clean, 1 findings at or above --fail-on (or drift with --check), 2 usage, I/O or
internal error.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from h2k import __version__

if TYPE_CHECKING:
    from h2k.project import Overrides

EXIT_FINDINGS = 1
EXIT_ERROR = 2
_SEVERITIES = ("error", "warning", "info")
# Diagnostics formats (h2k.diagnostics.render.FORMATS; not imported here, to start fast).
_FORMATS = ("text", "json", "sarif", "github")


def _guard(command: Callable[..., int]) -> Callable[..., None]:
    """Turn an unexpected exception into one line and exit 2; --debug shows the traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            sys.exit(130)
        except Exception as error:
            if click.get_current_context().find_root().params.get("debug"):
                raise
            click.echo(f"h2k: internal error ({type(error).__name__}: {error}); please report it, "
                       "with the output of `h2k --debug ...` [H2K901]", err=True)
            sys.exit(EXIT_ERROR)
        sys.exit(code)

    return wrapper


def _limits_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--max-yaml-depth", type=click.IntRange(1), default=None,
                           help="Deepest nesting of mappings and sequences accepted (default 100).")(command)
    command = click.option("--max-yaml-nodes", type=click.IntRange(1), default=None,
                           help="Most nodes a document may expand to through aliases (default 250000).")(command)
    command = click.option("--max-file-size", type=click.IntRange(1), default=None,
                           help="Largest file accepted, in bytes (default 524288, as Heat).")(command)
    return command


def _limits(max_file_size: int | None, max_yaml_nodes: int | None, max_yaml_depth: int | None) -> Any:
    from h2k.source.limits import Limits

    defaults = Limits()
    return Limits(max_bytes=max_file_size or defaults.max_bytes, max_nodes=max_yaml_nodes or defaults.max_nodes,
                  max_depth=max_yaml_depth or defaults.max_depth)


def _exit_code(diagnostics: list[Any], fail_on: str) -> int:
    from h2k.diagnostics.codes import Severity

    if any(d.code.category == "io" for d in diagnostics):
        return EXIT_ERROR
    threshold = Severity.parse(fail_on)
    return EXIT_FINDINGS if any(d.severity >= threshold for d in diagnostics) else 0


def _print_diagnostics(diagnostics: list[Any], fmt: str, err: bool, verbose: bool, to: str | None = None) -> None:
    """Notes (info) are shown with --verbose in text and annotations; JSON and SARIF have every finding.

    With `to`, the rendering goes to that file, written even when empty (a CI step uploads it).
    """
    from h2k.diagnostics.codes import Severity
    from h2k.diagnostics.render import renderer

    if fmt in ("text", "github") and not verbose:
        diagnostics = [d for d in diagnostics if d.severity > Severity.INFO]
    text = renderer(fmt)(diagnostics)
    if to is not None:
        with open(to, "w", encoding="utf-8") as handle:
            handle.write(text)
    elif text and not (fmt == "text" and not diagnostics):
        click.echo(text, nl=False, err=err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="h2k", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Compile OpenStack Heat templates into Kubernetes manifests."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(_FORMATS), default="text", show_default=True,
              help="How diagnostics are printed: text, json, sarif (code scanning) or github (annotations).")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (info findings).")
@click.option("--ignore-unknown", is_flag=True,
              help="Skip YAML files that are neither Heat templates nor environment files.")
@_limits_options
@_guard
def check(files: tuple[str, ...], fmt: str, fail_on: str, verbose: bool, ignore_unknown: bool,
          max_file_size: int | None, max_yaml_nodes: int | None, max_yaml_depth: int | None) -> int:
    """Load and check templates; print diagnostics only (the pre-commit hook)."""
    from h2k.api import check as run_check

    diagnostics = run_check(list(files), _limits(max_file_size, max_yaml_nodes, max_yaml_depth), ignore_unknown)
    _print_diagnostics(diagnostics, fmt, err=False, verbose=verbose)
    return _exit_code(diagnostics, fail_on)


def _parse_parameters(values: tuple[str, ...], files: tuple[str, ...]) -> dict[str, str]:
    parameters: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="-P/--parameter")
        parameters[name] = value
    for item in files:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise click.BadParameter(f"{item!r} is not NAME=PATH", param_hint="--parameter-file")
        try:
            with open(path, encoding="utf-8") as handle:
                parameters[name] = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise click.BadParameter(f"cannot read {path}: {error}", param_hint="--parameter-file") from None
    return parameters


@main.command()
@click.argument("template", type=click.Path(dir_okay=False), required=False)
@click.option("--all", "all_stacks", is_flag=True,
              help="Compile every stack the config file declares (stacks:), each into its own output directory.")
@click.option("-e", "--environment", "environments", multiple=True, type=click.Path(dir_okay=False),
              help="A Heat environment file (repeatable; merged in order, as Heat does).")
@click.option("-P", "--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
              help="A parameter value (repeatable).")
@click.option("--parameter-file", "parameter_files", multiple=True, metavar="NAME=PATH",
              help="A parameter whose value is the content of a file (repeatable).")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), help="Write the output tree here.")
@click.option("--stdout", "to_stdout", is_flag=True, help="Write the manifests as one YAML stream to stdout.")
@click.option("--check", "check_only", is_flag=True,
              help="Compare with what is in --output; print a diff and exit 1 on drift. Never writes.")
@click.option("--emit", type=click.Choice(["manifests", "ir"]), default="manifests", show_default=True,
              help="What to produce: the manifests, or a dump of the IR after the passes.")
@click.option("--package", type=click.Choice(["kustomize", "plain", "helm"]), default=None,
              help="How the manifests are laid out in --output (helm: a chart whose values are the parameters "
                   "that can change); default the config's, else kustomize.")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default=None,
              help="Format of the manifests (with --stdout, json is one `List`); default the config's, else yaml.")
@click.option("--namespace", help="Namespace of every object.")
@click.option("--kube-version", help="Kubernetes version to validate against (1.25 and later); default 1.35.")
@click.option("--adopt", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Take over the running stack's volumes, floating IPs and load balancers: the JSON of "
                   "`openstack stack resource list <stack> -f json`, or a map of resource name -> ID (or -> "
                   "{id, address} for a floating IP). Repeatable; later files add to earlier ones.")
@click.option("--infra", type=click.Choice(["heat", "orc"]), default=None,
              help="What stays on OpenStack becomes: a residual Heat stack (default, unless the config says), or "
                   "k-orc objects (with a residual Heat stack for what k-orc has no kind for).")
@click.option("--servers", type=click.Choice(["auto", "container", "openstack", "kubevirt"]), default=None,
              help="Where servers go: containers when their image is known (auto, the default), always "
                   "containers, kept on OpenStack as virtual machines, or virtual machines on KubeVirt.")
@click.option("--config", "config", type=click.Path(dir_okay=False),
              help="Config file (default: h2k.yaml beside the template, else [tool.h2k] of the nearest "
                   "pyproject.toml).")
@click.option("--stack-name", help="Stack name (OS::stack_name); default the template's file name.")
@click.option("--files-root", type=click.Path(file_okay=False),
              help="get_file and provider templates may read below this directory (default: the template's).")
@click.option("--fail-if-changed", is_flag=True,
              help="Exit 1 when the output directory changed (it is still written, and the files are listed).")
@click.option("--diagnostics-format", "fmt", type=click.Choice(_FORMATS), default="text",
              show_default=True, help="How diagnostics are printed (on stderr): text, json, sarif or github.")
@click.option("--diagnostics-output", type=click.Path(dir_okay=False),
              help="Write the diagnostics to this file instead of stderr (e.g. a SARIF file to upload).")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (info findings).")
@_limits_options
@_guard
def compile(template: str | None, all_stacks: bool, environments: tuple[str, ...], parameters: tuple[str, ...],
            parameter_files: tuple[str, ...], output: str | None, to_stdout: bool, check_only: bool, emit: str,
            package: str | None, output_format: str | None, namespace: str | None, kube_version: str | None,
            infra: str | None, adopt: tuple[str, ...], servers: str | None, config: str | None,
            stack_name: str | None, files_root: str | None, fail_if_changed: bool, fmt: str,
            diagnostics_output: str | None, fail_on: str, verbose: bool,
            max_file_size: int | None, max_yaml_nodes: int | None, max_yaml_depth: int | None) -> int:
    """Compile TEMPLATE into Kubernetes manifests (a directory with -o, or a stream with --stdout).

    With --all, compile every stack the config file declares instead, each into its output directory.
    """
    if all_stacks:
        per_stack = {"TEMPLATE": template, "-o": output, "--stdout": to_stdout, "-e": environments,
                     "-P": parameters, "--parameter-file": parameter_files, "--adopt": adopt,
                     "--stack-name": stack_name, "--emit ir": emit == "ir"}
        given = [name for name, value in per_stack.items() if value]
        if given:
            raise click.UsageError(f"--all compiles the config's stacks: each entry gives its own template, output "
                                   f"and values; drop {', '.join(given)}")
        from h2k.project import Overrides

        overrides = Overrides(package=package, format=output_format, namespace=namespace,
                              kube_version=_kube_version(kube_version), infra=infra, servers=servers,
                              files_root=files_root, limits=_limits(max_file_size, max_yaml_nodes, max_yaml_depth))
        return _compile_all(config, overrides, check_only, fail_if_changed, fmt, diagnostics_output, fail_on,
                            verbose)
    if template is None:
        raise click.UsageError("give a TEMPLATE, or --all for the stacks of the config file")
    if emit == "manifests" and (output is None) == (not to_stdout):
        raise click.UsageError("give exactly one of -o/--output DIR and --stdout")
    if check_only and output is None:
        raise click.UsageError("--check compares with an output directory: give -o/--output DIR")
    if package == "helm" and output_format == "json" and output is not None:
        raise click.UsageError("a Helm chart's templates are YAML: --format json is for --package plain or kustomize")
    from pathlib import Path

    from h2k.api import CompileOptions
    from h2k.api import compile as run_compile

    options = CompileOptions(parameters=_parse_parameters(parameters, parameter_files), stack_name=stack_name,
                             namespace=namespace, kube_version=_kube_version(kube_version), servers=servers,
                             adopt=[Path(p) for p in adopt], infra=infra, package=package, format=output_format,
                             config=Path(config) if config else None, environment_files=list(environments),
                             files_root=files_root, limits=_limits(max_file_size, max_yaml_nodes, max_yaml_depth))
    result = run_compile(template, options)
    _print_diagnostics(result.diagnostics, fmt, err=True, verbose=verbose, to=diagnostics_output)
    code = _exit_code(result.diagnostics, fail_on)
    if result.stack is None or code == EXIT_ERROR:
        return code if code else EXIT_ERROR
    if emit == "ir":
        from h2k.ir.dump import dump
        from h2k.output.secrets import mask, salts, secret_values

        click.echo(mask(dump(result.stack), [*secret_values(result.stack), *salts(result.stack)]), nl=False)
        return code
    if to_stdout:
        click.echo(result.stream(), nl=False)
        return code
    assert output is not None
    from h2k.output.tree import OutputDirError, diff_tree, update_tree

    try:
        if check_only:
            diff = diff_tree(Path(output), result.files)
            if diff:
                click.echo(diff, nl=False)
                click.echo(f"h2k: {output} is out of date; run the same command without --check", err=True)
                return EXIT_FINDINGS
            return code
        changed = update_tree(Path(output), result.files)
    except (OutputDirError, OSError) as error:
        click.echo(f"h2k: error: {error}", err=True)
        return EXIT_ERROR
    if fail_if_changed and changed:
        for name in changed:
            click.echo(f"h2k: updated {Path(output, name).as_posix()}")
        return max(code, EXIT_FINDINGS)
    return code


def _kube_version(value: str | None) -> str | None:
    if value is None:
        return None
    from h2k.validate.kubernetes import normalize_version

    try:
        return normalize_version(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--kube-version") from None


def _compile_all(config: str | None, overrides: Overrides, check_only: bool, fail_if_changed: bool, fmt: str,
                 diagnostics_output: str | None, fail_on: str, verbose: bool) -> int:
    """`compile --all`: the findings of every stack as one report, then what changed (or drifted)."""
    from pathlib import Path

    from h2k.diagnostics.model import DiagnosticSink
    from h2k.project import run_stacks

    run = run_stacks(Path(config) if config else None, overrides, check_only)
    if run.config_path is None:
        click.echo("h2k: error: no config file: looked for h2k.yaml here and for a [tool.h2k] table in the "
                   "pyproject.toml files up to the repository root; give --config FILE", err=True)
        return EXIT_ERROR
    sink = DiagnosticSink()
    sink.extend(run.diagnostics + [d for stack in run.stacks for d in stack.diagnostics])
    _print_diagnostics(sink.sorted(), fmt, err=True, verbose=verbose, to=diagnostics_output)
    code = _exit_code(sink.items, fail_on)
    if run.config is None:
        return code or EXIT_ERROR
    if not run.config.stacks:
        click.echo(f"h2k: error: {run.config_path} declares no stacks: to compile", err=True)
        return EXIT_ERROR
    changed = 0
    for stack in run.stacks:
        if stack.error is not None:
            click.echo(f"h2k: error: {stack.error}", err=True)
            code = EXIT_ERROR
        elif not stack.compiled:
            code = max(code, _exit_code(stack.diagnostics, fail_on) or EXIT_ERROR)
        elif check_only and stack.diff:
            click.echo(stack.diff, nl=False)
            click.echo(f"h2k: {stack.entry.output} is out of date; run h2k compile --all", err=True)
            code = max(code, EXIT_FINDINGS)
        else:
            for name in stack.changed:
                click.echo(f"h2k: updated {name}")
            changed += len(stack.changed)
    if fail_if_changed and changed:
        click.echo(f"h2k: {changed} generated file{'s' if changed > 1 else ''} changed; review and commit them",
                   err=True)
        code = max(code, EXIT_FINDINGS)
    return code


@main.command()
@click.argument("output", type=click.Path(file_okay=False, exists=True))
@click.option("--stack-outputs", "outputs_file", required=True, type=click.Path(dir_okay=False, exists=True),
              help="JSON of `openstack stack output show <stack> --all -f json` for the residual stack.")
@_guard
def bind(output: str, outputs_file: str) -> int:
    """Fill the values the workload reads from OpenStack, from the residual stack's outputs."""
    from pathlib import Path

    from h2k.output.bind import BindError
    from h2k.output.bind import bind as run_bind

    try:
        result = run_bind(Path(output), Path(outputs_file))
    except (BindError, OSError) as error:
        click.echo(f"h2k: error: {error}", err=True)
        return EXIT_ERROR
    for written in result.written:
        click.echo(f"wrote {written}")
    for command in result.commands:
        click.echo(f"then run: {command}")
    if result.missing:
        click.echo(f"h2k: the outputs file has no value for: {', '.join(result.missing)}", err=True)
        return 1
    return 0


def _input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options that say how a template compiles, for the commands that compile it to look at it."""
    command = click.option("--config", "config", type=click.Path(dir_okay=False),
                           help="Config file (default: h2k.yaml beside the template, if present).")(command)
    command = click.option("--parameter-file", "parameter_files", multiple=True, metavar="NAME=PATH",
                           help="A parameter whose value is the content of a file (repeatable).")(command)
    command = click.option("-P", "--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
                           help="A parameter value (repeatable).")(command)
    return click.option("-e", "--environment", "environments", multiple=True, type=click.Path(dir_okay=False),
                        help="A Heat environment file (repeatable; merged in order, as Heat does).")(command)


def _input(environments: tuple[str, ...], parameters: tuple[str, ...], parameter_files: tuple[str, ...],
           config: str | None, servers: str | None = None) -> Any:
    from pathlib import Path

    from h2k.api import CompileOptions

    return CompileOptions(parameters=_parse_parameters(parameters, parameter_files), servers=servers,
                          config=Path(config) if config else None, environment_files=list(environments))


@main.command()
@click.argument("template", type=click.Path(dir_okay=False, exists=True))
@_input_options
@click.option("--dry-run", is_flag=True, help="Print the changes as a unified diff; write nothing.")
@_guard
def hint(template: str, environments: tuple[str, ...], parameters: tuple[str, ...], parameter_files: tuple[str, ...],
         config: str | None, dry_run: bool) -> int:
    """Write what h2k needs but cannot infer into TEMPLATE's resources, as placeholders to fill in."""
    from h2k.hint.write import diff, shown, write
    from h2k.hint.write import hint as run_hint

    result = run_hint(template, _input(environments, parameters, parameter_files, config))
    if not result.compiled:
        _print_diagnostics(result.diagnostics, "text", err=True, verbose=False)
        click.echo(f"h2k: {template} was left as it was", err=True)
        return EXIT_ERROR
    _print_diagnostics(result.diagnostics, "text", err=True, verbose=True)
    if dry_run:
        click.echo(diff(result), nl=False)
    else:
        try:
            write(result)
        except OSError as error:
            click.echo(f"h2k: error: {error}", err=True)
            return EXIT_ERROR
    for placed in result.placed:
        click.echo(f"{shown(placed.file)}:{placed.line}:{placed.column}: {placed.resource}: {placed.key}: "
                   f"{placed.value} ({', '.join(placed.codes)})", err=dry_run)
    count = f"{len(result.placed)} placeholder{'s' if len(result.placed) > 1 else ''}"
    done = "would be written" if dry_run else "written; fill them in, then compile again"
    click.echo(f"h2k: {count} {done}" if result.placed else "h2k: nothing to hint", err=dry_run)
    return 0


@main.command()
@click.argument("code", metavar="[CODE | RESOURCE-TYPE | TEMPLATE]", required=False)
@_input_options
@click.option("--servers", type=click.Choice(["auto", "container", "openstack", "kubevirt"]), default=None,
              help="With a template: where servers go, as for compile.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="With a template: how the explanation is printed.")
@_guard
def explain(code: str | None, environments: tuple[str, ...], parameters: tuple[str, ...],
            parameter_files: tuple[str, ...], config: str | None, servers: str | None, fmt: str) -> int:
    """Show the documentation of a diagnostic code (or list all codes), the policy for a resource type, or what
    each resource of a template becomes and why."""
    from h2k.diagnostics.codes import CODES
    from h2k.diagnostics.codes import code as lookup

    if code is None:
        for found in CODES.values():
            click.echo(f"{found.id}  {found.slug:28} {found.severity.label:8} {found.summary}")
        return 0
    if "::" in code:
        click.echo(_type_policy(code))
        return 0
    from pathlib import Path

    if Path(code).is_file():
        return _explain_template(code, _input(environments, parameters, parameter_files, config, servers), fmt)
    try:
        found = lookup(code)
    except KeyError:
        raise click.BadParameter(f"unknown code {code!r} (nor a file); `h2k explain` lists the codes",
                                 param_hint="CODE") from None
    click.echo(f"{found.id} {found.slug} ({found.severity.label} by default)\n\n{found.summary}\n\n{found.doc}")
    return 0


def _explain_template(template: str, options: Any, fmt: str) -> int:
    """Compile the template, then show per resource its role, side, objects and losses."""
    from h2k.api import compile as run_compile
    from h2k.report.explain import explain as explanation
    from h2k.report.explain import to_json, to_text

    result = run_compile(template, options)
    if result.stack is None or any(d.code.category == "io" for d in result.diagnostics):
        _print_diagnostics(result.diagnostics, "text", err=True, verbose=False)
        return EXIT_ERROR
    explained = explanation(result)
    click.echo(to_json(explained) if fmt == "json" else to_text(explained), nl=False)
    return 0


def _type_policy(resource_type: str) -> str:
    """Where resources of a type land by default, and why (the placement policy)."""
    from h2k.passes.classify import ROLES
    from h2k.passes.placement import RETIRED, infrastructure_reason

    reason = infrastructure_reason(resource_type)
    if resource_type in ROLES and resource_type != "OS::Nova::Server":
        return (f"{resource_type}: Kubernetes (role {ROLES[resource_type]}); see docs/conversion-matrix.md. It stays "
                "on OpenStack when what it belongs to does (a server kept as a virtual machine), or with "
                "metadata h2k.io/target: openstack.")
    if resource_type == "OS::Nova::Server":
        return (f"{resource_type}: Kubernetes when its container image is known (--servers auto, the default), "
                "always with --servers container; otherwise it stays on OpenStack as a virtual machine, with its "
                "volumes, ports, floating IPs and deployments. With --servers kubevirt (or metadata h2k.io/target: "
                "kubevirt) it stays a virtual machine, on Kubernetes: a KubeVirt VirtualMachine.")
    if reason is not None:
        return f"{resource_type}: stays on OpenStack (the residual Heat stack): {reason}."
    if resource_type.startswith(RETIRED):
        return f"{resource_type}: a retired OpenStack project; Heat no longer offers it (H2K304)."
    return f"{resource_type}: not translated yet (H2K301); it is listed in the report."


_SERVERS = ("auto", "container", "openstack", "kubevirt")


@main.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("-o", "--output", "output", required=True, type=click.Path(file_okay=False),
              help="Write every stack's output (stacks/<name>/) and the migration reports here.")
@click.option("-j", "--jobs", type=click.IntRange(1), default=None,
              help="Stacks compiled at once, each in its own process (default: the number of CPUs).")
@click.option("--no-progress", is_flag=True, help="One line per stack on stderr instead of a progress bar.")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a stack fails or has a finding at least this severe.")
@click.option("--servers", type=click.Choice(_SERVERS), default=None, help="Where servers go, for every stack.")
@click.option("--infra", type=click.Choice(["heat", "orc"]), default=None,
              help="What stays on OpenStack becomes, for every stack: a residual Heat stack, or k-orc objects.")
@click.option("--package", type=click.Choice(["kustomize", "plain", "helm"]), default=None,
              help="How each stack's manifests are laid out (default kustomize).")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default=None,
              help="Format of the manifests (default yaml).")
@click.option("--namespace", help="Namespace of every object of every stack.")
@click.option("--kube-version", help="Kubernetes version to validate against (1.25 and later); default 1.35.")
@_limits_options
@_guard
def migrate(source: str, output: str, jobs: int | None, no_progress: bool, fail_on: str, servers: str | None,
            infra: str | None, package: str | None, output_format: str | None, namespace: str | None,
            kube_version: str | None, max_file_size: int | None, max_yaml_nodes: int | None,
            max_yaml_depth: int | None) -> int:
    """Compile many stacks in parallel into OUT, with a migration report over all of them.

    SOURCE is a directory of templates (each with <name>_env.yaml or <name>.env.yaml beside it), a
    manifest (a YAML file listing the stacks), or a directory holding a live stack's export; see
    docs/migrate.md. The command line's options win over the manifest's.
    """
    from pathlib import Path

    from h2k.migrate import REPORT_HTML, REPORT_JSON, REPORT_MD, SourceError
    from h2k.migrate import migrate as run_migrate
    from h2k.migrate import plan as make_plan
    from h2k.migrate.progress import Progress
    from h2k.migrate.run import default_jobs

    given = {"servers": servers, "infra": infra, "package": package, "format": output_format,
             "namespace": namespace, "kube_version": _kube_version(kube_version)}
    overrides: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    overrides["limits"] = _limits(max_file_size, max_yaml_nodes, max_yaml_depth)
    try:
        planned = make_plan(source, overrides, overrides["limits"])
    except SourceError as error:
        for line in str(error).splitlines():
            click.echo(f"h2k: error: {line}", err=True)
        return EXIT_ERROR
    from h2k.output.tree import OutputDirError, StagedTree

    progress = Progress(len(planned.stacks), sys.stderr, bar=not no_progress and sys.stderr.isatty())
    try:
        with StagedTree(Path(output)) as staged:
            result = run_migrate(planned, jobs or default_jobs(), fail_on,
                                 lambda outcome: progress.advance(outcome.name, outcome.entry["status"]), staged)
            progress.close()
            staged.commit()
    except (OutputDirError, OSError) as error:
        progress.close()
        click.echo(f"h2k: error: {error}", err=True)
        return EXIT_ERROR
    summary = result.report["summary"]
    not_ok = [entry for entry in result.report["stacks"] if entry["status"] != "ok"]
    for entry in not_ok[:10]:
        errors = entry["summary"]["diagnostics"]["error"]
        click.echo(f"h2k: {entry['name']}: {entry['status']} ({errors} error{'s' if errors != 1 else ''})", err=True)
    if len(not_ok) > 10:
        click.echo(f"h2k: ... and {len(not_ok) - 10} more stacks not ok; see the report", err=True)
    coverage = "-" if summary["coverage"] is None else f"{summary['coverage']:.1f}%"
    stacks = f"{summary['stacks']} stack{'s' if summary['stacks'] != 1 else ''}"
    click.echo(f"{stacks}: {summary['ok']} ok, {summary['findings']} with findings, "
               f"{summary['failed']} failed; coverage {coverage} ({summary['covered']} of {summary['resources']} "
               "resources carried over to Kubernetes)")
    click.echo(f"wrote {Path(output, REPORT_MD).as_posix()}, {REPORT_HTML} and {REPORT_JSON}")
    return 0 if result.passed else EXIT_FINDINGS


@main.command()
@click.argument("template", type=click.Path(dir_okay=False, exists=True))
@_input_options
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "svg"]), default="mermaid", show_default=True,
              help="Mermaid (for Markdown), Graphviz DOT, or SVG drawn by h2k.")
@click.option("--servers", type=click.Choice(_SERVERS), default=None, help="Where servers go.")
@click.option("--infra", type=click.Choice(["heat", "orc"]), default=None,
              help="What stays on OpenStack becomes: a residual Heat stack, or k-orc objects.")
@click.option("--stack-name", help="Stack name (OS::stack_name); default the template's file name.")
@_guard
def graph(template: str, environments: tuple[str, ...], parameters: tuple[str, ...],
          parameter_files: tuple[str, ...], config: str | None, fmt: str, servers: str | None, infra: str | None,
          stack_name: str | None) -> int:
    """Print TEMPLATE's split graph: what goes to Kubernetes, what stays on OpenStack, and their links."""
    from h2k.api import compile as run_compile
    from h2k.report.graph import RENDERERS, from_result

    options = _input(environments, parameters, parameter_files, config, servers)
    options.infra, options.stack_name = infra, stack_name
    result = run_compile(template, options)
    _print_diagnostics(result.diagnostics, "text", err=True, verbose=False)
    drawn = from_result(result)
    if drawn is None or any(d.code.category == "io" for d in result.diagnostics):
        click.echo(f"h2k: {template} could not be compiled; no graph", err=True)
        return EXIT_ERROR
    click.echo(RENDERERS[fmt](drawn), nl=False)
    return 0
