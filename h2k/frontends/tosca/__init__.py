"""The TOSCA front-end: TOSCA Simple Profile 1.0-1.3 templates and CSAR archives into the IR.

Nothing here imports tosca-parser until a TOSCA input is compiled (load.py), so the rest of h2k
starts as fast as without it.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from h2k.diagnostics.model import DiagnosticSink
from h2k.ir.nodes import Stack
from h2k.source.limits import Limits
from h2k.source.loader import SourceFile, load_text
from h2k.source.nodes import YMap, YScalar
from h2k.span import Span

# What tosca-parser reads; 1.1 is valid TOSCA that tosca-parser refuses.
VERSIONS = frozenset({"tosca_simple_yaml_1_0", "tosca_simple_yaml_1_2", "tosca_simple_yaml_1_3",
                      "tosca_simple_profile_for_nfv_1_0_0", "tosca_simple_profile_for_mec_1_0_0"})


def lower_source(source: SourceFile, sink: DiagnosticSink, limits: Limits, stack_name: str | None,
                 parameters: dict[str, str] | None = None, real_path: str | None = None,
                 base: Path | str | None = None) -> Stack | None:
    """The IR of a loaded TOSCA template; `real_path` is where tosca-parser reads it (an extracted archive's
    file), `base` the directory its imports and scripts must stay under (--files-root; default, the
    template's directory)."""
    from h2k.frontends.tosca.imports import imports_are_local
    from h2k.frontends.tosca.load import parse
    from h2k.frontends.tosca.lower import ToscaLowering
    from h2k.frontends.tosca.positions import Positions

    root = source.root
    if not isinstance(root, YMap):
        sink.report("H2K008", "a template must be a mapping at the top level", root.span)
        return None
    version = root.get("tosca_definitions_version")
    if not isinstance(version, YScalar) or version.value not in VERSIONS:
        shown = version.value if isinstance(version, YScalar) else None
        hint = " (TOSCA 1.1 is not read by tosca-parser: its 1.2 is a superset)" if shown == "tosca_simple_yaml_1_1" \
            else ""
        sink.report("H2K701", f"tosca_definitions_version {shown!r} is not supported{hint}; use one of "
                    f"{', '.join(sorted(VERSIONS))}", version.span if version is not None else root.span)
        return None
    path = Path(real_path or source.path)
    base = Path(base) if base else path.parent
    if not imports_are_local(root, path, base, sink, limits):
        return None
    positions = Positions(root, source.path)
    given: dict[str, object] = dict(parameters or {})
    template = parse(str(path), given, positions, sink)
    if template is None:
        return None
    lowering = ToscaLowering(template, root, source.path, path.parent, base, sink, given, limits.max_bytes)
    return lowering.stack(stack_name or PurePath(source.path).stem)


def lower_archive(path: str, sink: DiagnosticSink, limits: Limits, stack_name: str | None,
                  parameters: dict[str, str] | None = None) -> tuple[SourceFile | None, Stack | None]:
    """A CSAR: its entry template loaded (positions name `archive/member`) and lowered."""
    from h2k.frontends.tosca.csar import extract
    from h2k.source.loader import decode

    extracted = extract(path, sink, limits)
    if extracted is None:
        return None, None
    try:
        shown = f"{path}/{extracted.member}"
        data = extracted.entry.read_bytes()
        if len(data) > limits.max_bytes:
            sink.report("H2K001", f"file is {len(data)} bytes, over the limit of {limits.max_bytes} bytes "
                        "(raise it with --max-file-size)", Span.point(shown))
            return None, None
        text = decode(data, shown, sink)
        root = load_text(text, shown, sink, limits) if text is not None else None
        if text is None or root is None:
            return None, None
        source = SourceFile(shown, text, root)
        name = stack_name or PurePath(path).stem
        stack = lower_source(source, sink, limits, name, parameters, str(extracted.entry),
                             Path(extracted.directory.name))
        return source, stack
    finally:
        extracted.cleanup()
