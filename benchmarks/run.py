"""Time h2k against a plain YAML parse of the same files, and the command line's start-up.

Absolute times depend on the machine and its load, so every number is also given as a ratio to a
baseline measured in the same run: `yaml.load` with the C loader for compiles, `python -c pass`
for start-up. Not part of the test suite; run `python benchmarks/run.py --help`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from measure import REPO_ROOT, TINY_TEMPLATE, best_ms, default_corpus, time_command


@dataclass
class TemplateTiming:
    template: str
    bytes: int
    baseline_ms: float | None = None
    h2k_ms: float | None = None
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline_ms is None or self.h2k_ms is None or self.baseline_ms == 0:
            return None
        return self.h2k_ms / self.baseline_ms


@dataclass
class StartupTiming:
    command: str
    ms: float | None
    ratio: float | None = None
    error: str | None = None


@dataclass
class Results:
    meta: dict[str, Any]
    templates: list[TemplateTiming] = field(default_factory=list)
    totals: dict[str, Any] = field(default_factory=dict)
    startup: list[StartupTiming] = field(default_factory=list)


def templates(corpus: Path | None) -> list[tuple[str, Path]]:
    """The repository's samples (not their config files) and, if present, the corpus HOT templates."""
    found = [(p.relative_to(REPO_ROOT).as_posix(), p)
             for p in sorted((REPO_ROOT / "samples").rglob("*.yaml")) if p.name != "h2k.yaml"]
    if corpus is not None and corpus.is_dir():
        for index in sorted(corpus.glob("*/_h2k_index.json")):
            entries = json.loads(index.read_text(encoding="utf-8"))["files"]
            for entry in sorted(entries, key=lambda e: e["path"]):
                if entry["role"] == "hot":
                    path = index.parent / entry["path"]
                    found.append((path.relative_to(corpus).as_posix(), path))
    return found


def time_templates(items: list[tuple[str, Path]], repeat: int, results: Results) -> None:
    """Baseline and warm h2k per template; the cold import and first call go into the totals."""
    start = time.perf_counter()
    from h2k.api import CompileOptions, compile

    import_ms = (time.perf_counter() - start) * 1000
    cold_ms: float | None = None
    for name, path in items:
        text = path.read_text(encoding="utf-8")
        row = TemplateTiming(name, path.stat().st_size)
        results.templates.append(row)
        try:
            row.baseline_ms = best_ms(functools.partial(yaml.load, text, Loader=yaml.CSafeLoader), repeat)
        except yaml.YAMLError as error:
            row.error = f"yaml: {type(error).__name__}"
        try:
            start = time.perf_counter()
            compile(path, CompileOptions())  # warm-up: per-version validators, caches
            if cold_ms is None:
                cold_ms = (time.perf_counter() - start) * 1000
            row.h2k_ms = best_ms(functools.partial(compile, path, CompileOptions()), repeat)
        except Exception as error:
            row.error = f"h2k: {type(error).__name__}: {error}"
    both = [r for r in results.templates if r.ratio is not None]
    baseline = sum(r.baseline_ms or 0 for r in both)
    h2k = sum(r.h2k_ms or 0 for r in both)
    results.totals = {
        "templates": len(results.templates),
        "timed": len(both),
        "errors": sum(r.error is not None for r in results.templates),
        "bytes": sum(r.bytes for r in both),
        "baseline_ms": baseline,
        "h2k_ms": h2k,
        "ratio": h2k / baseline if baseline else None,
        "import_h2k_api_ms": import_ms,
        "cold_first_compile_ms": cold_ms,
    }


# Where compile time goes after the front end: objects built, objects validated, files written.
STAGES = {
    "emit": ("h2k.backends.kubernetes.emit", "emit"),
    "validate": ("h2k.api", "_validate"),
    "package": ("h2k.backends.kubernetes.package", "package"),
}


def time_stages(items: list[tuple[str, Path]], repeat: int, results: Results) -> None:
    """Best total per back-end stage over whole passes on the corpus, by wrapping the stage functions."""
    import importlib

    from h2k.api import CompileOptions, compile

    spent = dict.fromkeys(STAGES, 0.0)
    originals = {}
    for stage, (module_name, attribute) in STAGES.items():
        module = importlib.import_module(module_name)
        original = getattr(module, attribute)
        originals[stage] = (module, attribute, original)

        def timed(*args: Any, _stage: str = stage, _original: Any = original, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                spent[_stage] += time.perf_counter() - start

        setattr(module, attribute, timed)
    best = dict.fromkeys(STAGES, float("inf"))
    try:
        for _ in range(repeat):
            spent.update(dict.fromkeys(STAGES, 0.0))
            for _name, path in items:
                with contextlib.suppress(Exception):  # counted as errors by time_templates
                    compile(path, CompileOptions())
            for stage in STAGES:
                best[stage] = min(best[stage], spent[stage] * 1000)
    finally:
        for module, attribute, original in originals.values():
            setattr(module, attribute, original)
    results.totals["stages_ms"] = best
    baseline = results.totals["baseline_ms"]
    results.totals["back_end_ratio"] = sum(best.values()) / baseline if baseline else None


def time_startup(repeat: int, results: Results) -> None:
    python = sys.executable
    script = Path(python).parent / ("h2k.exe" if os.name == "nt" else "h2k")
    with tempfile.TemporaryDirectory() as tmp:
        tiny = Path(tmp) / "tiny.yaml"
        tiny.write_text(TINY_TEMPLATE, encoding="utf-8")
        commands = [
            ("python -c pass", [python, "-c", "pass"]),
            ("python -m h2k --version", [python, "-m", "h2k", "--version"]),
        ]
        if script.is_file():
            commands.append((f"{script.name} --version", [str(script), "--version"]))
        commands.append(("python -m h2k check tiny.yaml", [python, "-m", "h2k", "check", str(tiny)]))
        if script.is_file():
            commands.append((f"{script.name} check tiny.yaml", [str(script), "check", str(tiny)]))
        for label, command in commands:
            ms, error = time_command(command, repeat)
            results.startup.append(StartupTiming(label, ms, error=error))
    base = results.startup[0].ms
    for item in results.startup:
        if item.ms is not None and base:
            item.ratio = item.ms / base


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def shorten(name: str, width: int) -> str:
    """Keep both ends of a long path: the folder says where it is from, the end what it is."""
    if len(name) <= width:
        return name
    keep = width - 3
    return name[:keep // 2] + "..." + name[len(name) - (keep - keep // 2):]


def print_results(results: Results, width: int = 72) -> None:
    rows = results.templates
    width = min(width, max([len("template"), *(len(r.template) for r in rows)]))
    print(f"{'template':<{width}}  {'bytes':>7}  {'yaml ms':>8}  {'h2k ms':>8}  {'ratio':>6}")
    for r in rows:
        line = (f"{shorten(r.template, width):<{width}}  {r.bytes:>7}  {fmt(r.baseline_ms, '8.3f')}  "
                f"{fmt(r.h2k_ms, '8.3f')}  {fmt(r.ratio, '6.1f')}")
        print(line + (f"  {r.error}" if r.error else ""))
    t = results.totals
    errors = f"; {t['errors']} with errors" if t["errors"] else ""
    print(f"\ntotal ({t['timed']} of {t['templates']} templates, {t['bytes']} bytes): "
          f"yaml {t['baseline_ms']:.1f} ms, h2k {t['h2k_ms']:.1f} ms, ratio {fmt(t['ratio'], '.1f')}{errors}")
    print(f"cold (not in the totals): import h2k.api {t['import_h2k_api_ms']:.1f} ms, "
          f"first compile {fmt(t['cold_first_compile_ms'], '.1f')} ms")
    if "stages_ms" in t:
        stages = ", ".join(f"{stage} {ms:.1f} ms" for stage, ms in t["stages_ms"].items())
        print(f"back end: {stages}; emit+validate+package / yaml parse = {fmt(t['back_end_ratio'], '.2f')}")
    print("\nstart-up (best wall time of a fresh process; ratio to python -c pass)")
    for s in results.startup:
        line = f"  {s.command:<32} {fmt(s.ms, '8.1f')} ms  x{fmt(s.ratio, '.2f')}"
        print(line + (f"  {s.error}" if s.error else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timings per measurement; the best is kept (5)")
    parser.add_argument("--corpus", type=Path, default=None,
                        help="template corpus (default: $H2K_CORPUS or ../shared/corpus; skipped if absent)")
    parser.add_argument("--json", type=Path, default=None, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    corpus = args.corpus or default_corpus()
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; timing the samples only", file=sys.stderr)
    results = Results(meta={
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "repeat": args.repeat,
        "corpus": str(corpus) if corpus.is_dir() else None,
    })
    items = templates(corpus if corpus.is_dir() else None)
    time_templates(items, args.repeat, results)
    time_stages(items, args.repeat, results)
    time_startup(args.repeat, results)
    print_results(results)
    if args.json:
        data = asdict(results)
        for row, timing in zip(data["templates"], results.templates, strict=True):
            row["ratio"] = timing.ratio
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
