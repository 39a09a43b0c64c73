"""The `h2k` command line: argument handling only; the work is done by h2k.api.

Imports are deferred into each command so that `h2k --version` and `h2k check` start fast.
Exit codes: 0 clean, 1 findings at or above --fail-on (or drift with --check), 2 usage, I/O or
internal error.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click

from h2k import __version__

EXIT_FINDINGS = 1
EXIT_ERROR = 2
_SEVERITIES = ("error", "warning", "info")


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


def _print_diagnostics(diagnostics: list[Any], fmt: str, err: bool, verbose: bool) -> None:
    """Notes (info) are shown with --verbose; JSON always has every finding."""
    from h2k.diagnostics.codes import Severity
    from h2k.diagnostics.render import renderer

    if fmt == "text" and not verbose:
        diagnostics = [d for d in diagnostics if d.severity > Severity.INFO]
    text = renderer(fmt)(diagnostics)
    if text and not (fmt == "text" and not diagnostics):
        click.echo(text, nl=False, err=err)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="h2k", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Compile OpenStack Heat templates into Kubernetes manifests."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How diagnostics are printed.")
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
@click.argument("template", type=click.Path(dir_okay=False))
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
@click.option("--package", type=click.Choice(["kustomize", "plain", "helm"]), default="kustomize", show_default=True,
              help="How the manifests are laid out in --output (helm: a chart whose values are the parameters "
                   "that can change).")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True,
              help="Format of the manifests (with --stdout, json is one `List`).")
@click.option("--namespace", help="Namespace of every object.")
@click.option("--kube-version", help="Kubernetes version to validate against (1.25 and later); default 1.35.")
@click.option("--adopt", multiple=True, type=click.Path(dir_okay=False, exists=True),
              help="Take over the running stack's volumes, floating IPs and load balancers: the JSON of "
                   "`openstack stack resource list <stack> -f json`, or a map of resource name -> ID (or -> "
                   "{id, address} for a floating IP). Repeatable; later files add to earlier ones.")
@click.option("--infra", type=click.Choice(["heat", "orc"]), default="heat", show_default=True,
              help="What stays on OpenStack becomes: a residual Heat stack, or k-orc objects (with a residual Heat "
                   "stack for what k-orc has no kind for).")
@click.option("--servers", type=click.Choice(["auto", "container", "openstack"]), default=None,
              help="Where servers go: containers when their image is known (auto, the default), always "
                   "containers, or kept on OpenStack as virtual machines.")
@click.option("--config", "config", type=click.Path(dir_okay=False),
              help="Config file (default: h2k.yaml beside the template, if present).")
@click.option("--stack-name", help="Stack name (OS::stack_name); default the template's file name.")
@click.option("--files-root", type=click.Path(file_okay=False),
              help="get_file and provider templates may read below this directory (default: the template's).")
@click.option("--diagnostics-format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How diagnostics are printed (on stderr).")
@click.option("--fail-on", type=click.Choice(_SEVERITIES), default="error", show_default=True,
              help="Exit 1 when a finding is at least this severe.")
@click.option("-v", "--verbose", is_flag=True, help="Also print notes (info findings).")
@_limits_options
@_guard
def compile(template: str, environments: tuple[str, ...], parameters: tuple[str, ...],
            parameter_files: tuple[str, ...], output: str | None, to_stdout: bool, check_only: bool, emit: str,
            package: str, output_format: str, namespace: str | None, kube_version: str | None, infra: str,
            adopt: tuple[str, ...], servers: str | None, config: str | None,
            stack_name: str | None, files_root: str | None, fmt: str, fail_on: str, verbose: bool,
            max_file_size: int | None, max_yaml_nodes: int | None, max_yaml_depth: int | None) -> int:
    """Compile TEMPLATE into Kubernetes manifests (a directory with -o, or a stream with --stdout)."""
    if emit == "manifests" and (output is None) == (not to_stdout):
        raise click.UsageError("give exactly one of -o/--output DIR and --stdout")
    if check_only and output is None:
        raise click.UsageError("--check compares with an output directory: give -o/--output DIR")
    if package == "helm" and output_format == "json" and output is not None:
        raise click.UsageError("a Helm chart's templates are YAML: --format json is for --package plain or kustomize")
    from pathlib import Path

    from h2k.api import CompileOptions
    from h2k.api import compile as run_compile
    from h2k.validate.kubernetes import normalize_version

    if kube_version is not None:
        try:
            kube_version = normalize_version(kube_version)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--kube-version") from None
    options = CompileOptions(parameters=_parse_parameters(parameters, parameter_files), stack_name=stack_name,
                             namespace=namespace, kube_version=kube_version, servers=servers,
                             adopt=[Path(p) for p in adopt], infra=infra, package=package, format=output_format,
                             config=Path(config) if config else None, environment_files=list(environments),
                             files_root=files_root, limits=_limits(max_file_size, max_yaml_nodes, max_yaml_depth))
    result = run_compile(template, options)
    _print_diagnostics(result.diagnostics, fmt, err=True, verbose=verbose)
    code = _exit_code(result.diagnostics, fail_on)
    if result.stack is None or code == EXIT_ERROR:
        return code if code else EXIT_ERROR
    if emit == "ir":
        from h2k.ir.dump import dump
        from h2k.output.secrets import mask, secret_values

        click.echo(mask(dump(result.stack), secret_values(result.stack)), nl=False)
        return code
    if to_stdout:
        click.echo(result.stream(output_format), nl=False)
        return code
    assert output is not None
    from h2k.output.tree import OutputDirError, diff_tree, write_tree

    try:
        if check_only:
            diff = diff_tree(Path(output), result.files)
            if diff:
                click.echo(diff, nl=False)
                click.echo(f"h2k: {output} is out of date; run the same command without --check", err=True)
                return EXIT_FINDINGS
            return code
        write_tree(Path(output), result.files)
    except (OutputDirError, OSError) as error:
        click.echo(f"h2k: error: {error}", err=True)
        return EXIT_ERROR
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


@main.command()
@click.argument("code", required=False)
def explain(code: str | None) -> None:
    """Show the documentation of a diagnostic code (or list all codes), or the policy for a resource type."""
    from h2k.diagnostics.codes import CODES
    from h2k.diagnostics.codes import code as lookup

    if code is None:
        for found in CODES.values():
            click.echo(f"{found.id}  {found.slug:28} {found.severity.label:8} {found.summary}")
        return
    if "::" in code:
        click.echo(_type_policy(code))
        return
    try:
        found = lookup(code)
    except KeyError:
        raise click.BadParameter(f"unknown code {code!r}; `h2k explain` lists them", param_hint="CODE") from None
    click.echo(f"{found.id} {found.slug} ({found.severity.label} by default)\n\n{found.summary}\n\n{found.doc}")


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
                "volumes, ports, floating IPs and deployments.")
    if reason is not None:
        return f"{resource_type}: stays on OpenStack (the residual Heat stack): {reason}."
    if resource_type.startswith(RETIRED):
        return f"{resource_type}: a retired OpenStack project; Heat no longer offers it (H2K304)."
    return f"{resource_type}: not translated yet (H2K301); it is listed in the report."
