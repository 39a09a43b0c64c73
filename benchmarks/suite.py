"""Every h2k benchmark in one run: a Markdown and JSON table of medians, ranges and ratios.

Each row times h2k against a baseline measured in the same run, on the same inputs, interleaved
with it, so that the ratio means something on any machine: start-up against `python -c pass`,
the front end and full compiles against `yaml.CSafeLoader`, evaluation against the real Heat
engine, TOSCA against heat-translator, validation against `kubernetes_validate.validate`, and
compiles of generated stacks of 100 to 10,000 resources against each other. With `--baseline`,
ratios are compared with a saved run and the script exits 1 when one got more than 10% worse.

    python benchmarks/suite.py [--repeat N] [--only startup,front-end,...] [--baseline FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import itertools
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from front_end import evaluate_template
from measure import (
    REPO_ROOT,
    TINY_TEMPLATE,
    Spread,
    corpus_files,
    default_corpus,
    interleaved_ms,
    machine,
    run_process,
)

HERE = Path(__file__).resolve().parent
HOT_CORPUS = "openstack+heat-templates"
TOSCA_CORPUS = "openstack+heat-translator"
GROUPS = ("startup", "front-end", "compile", "heat", "tosca", "scaling", "validation")
SIZES = (100, 1_000, 10_000)
REGRESSION = 0.10  # a ratio more than 10% above the saved one is a regression
GIB = 1024 * 1024  # ru_maxrss is in KiB on Linux


@dataclass
class Row:
    """One line of the table: h2k's samples, the baseline's, and what they are compared with."""

    key: str  # stable name, matched against a saved baseline
    measure: str  # what h2k does
    baseline: str  # what it is compared with
    h2k: Spread | None = None
    base: Spread | None = None
    unit: str = "ms"  # "ms" for timed rows; else the unit of `ratio` ("x", "GiB")
    ratio: float | None = None  # median h2k / median baseline, or the row's own figure (see `unit`)
    target: float | None = None  # the ratio should be at most this
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target


def compare(row: Row, subject: list[float], baseline: list[float]) -> Row:
    row.h2k, row.base = Spread.of(subject), Spread.of(baseline)
    row.ratio = row.h2k.median / row.base.median if row.base.median else None
    return row


# ---------------------------------------------------------------------------------------------
# 1. Start-up


def h2k_script() -> list[str]:
    """The console script beside the interpreter (what users run), else `python -m h2k`."""
    script = Path(sys.executable).parent / ("h2k.exe" if os.name == "nt" else "h2k")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "h2k"]


def process_call(command: list[str], codes: tuple[int, ...] = (0,)) -> Callable[[], None]:
    """A fresh process as a timed call; an unexpected exit code stops the benchmark with its stderr."""

    def call() -> None:
        _ms, _rss, code, stderr = run_process(command)
        if code not in codes:
            raise RuntimeError(f"{' '.join(command[:3])} ... exited {code}: {stderr}")

    return call


def startup(repeat: int, scratch: Path) -> list[Row]:
    tiny = scratch / "tiny.yaml"
    tiny.write_text(TINY_TEMPLATE, encoding="utf-8")
    h2k = h2k_script()
    base, version, check = interleaved_ms([process_call([sys.executable, "-c", "pass"]),
                                           process_call([*h2k, "--version"]),
                                           process_call([*h2k, "check", str(tiny)])], repeat)
    return [compare(Row("startup.version", "`h2k --version` (fresh process)", "`python -c pass`"), version, base),
            compare(Row("startup.check", "`h2k check` of a one-resource template (fresh process)",
                        "`python -c pass`", target=4.0), check, base)]


# ---------------------------------------------------------------------------------------------
# 2. and 3. Front end and full compile of the HOT corpus


def yaml_load_all(texts: list[str]) -> None:
    for text in texts:
        with contextlib.suppress(yaml.YAMLError):
            yaml.load(text, Loader=yaml.CSafeLoader)


_YAML_PROCESS = """\
import sys, yaml
for path in sys.argv[1:]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        text = handle.read()
    try:
        yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        pass
"""


def front_end(templates: list[Path], repeat: int) -> list[Row]:
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in templates]
    label = f"{len(templates)} HOT templates of {HOT_CORPUS}"

    def h2k() -> None:
        for path in templates:
            evaluate_template(path)

    base, ours = interleaved_ms([lambda: yaml_load_all(texts), h2k], repeat)
    rows = [compare(Row("front-end.in-process", f"load + lower + evaluating passes, {label} (in process)",
                        "`yaml.load(CSafeLoader)` of the same texts", target=3.0), ours, base)]
    names = [str(path) for path in templates]
    base, ours = interleaved_ms([process_call([sys.executable, "-c", _YAML_PROCESS, *names]),
                                 process_call([*h2k_script(), "check", *names], codes=(0, 1))], repeat)
    rows.append(compare(Row("front-end.process", f"`h2k check` of the {label} (one fresh process)",
                            "a fresh python process loading them with CSafeLoader", target=3.0), ours, base))
    return rows


def corpus_objects(templates: list[Path]) -> list[tuple[dict[str, Any], str]]:
    """The Kubernetes objects the corpus compiles to, with the version each is validated for."""
    from h2k.api import CompileOptions, compile

    objects = []
    for path in templates:
        result = compile(path, CompileOptions())
        objects += [(item.object, result.kube_version) for item in result.objects]
    return objects


def compile_corpus(templates: list[Path], repeat: int, scratch: Path) -> Row:
    """Full compiles: front end, passes, back ends, validation, and the output tree written."""
    from h2k.api import CompileOptions, compile
    from h2k.output.tree import update_tree

    texts = [path.read_text(encoding="utf-8", errors="replace") for path in templates]
    passes = itertools.count()

    def h2k() -> None:
        out = scratch / f"compile{next(passes)}"  # a new tree each pass: every file is written
        for number, path in enumerate(templates):
            result = compile(path, CompileOptions())
            if result.files:
                update_tree(out / str(number), result.files)

    base, ours = interleaved_ms([lambda: yaml_load_all(texts), h2k], repeat)
    for number in range(next(passes)):
        shutil.rmtree(scratch / f"compile{number}", ignore_errors=True)
    return compare(Row("compile.in-process", f"`h2k.api.compile` + writing the output tree, {len(templates)} HOT "
                       f"templates of {HOT_CORPUS} (in process)", "`yaml.load(CSafeLoader)` of the same texts",
                       target=5.0), ours, base)


# ---------------------------------------------------------------------------------------------
# 4. The real Heat engine


def heat_python() -> tuple[str | None, str]:
    """The Heat venv's python as the differential tests find it ($H2K_HEAT_VENV), or why there is none."""
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    try:
        from heat_oracle import heat_python as locate
        from heat_oracle import heat_unavailable_reason
    finally:
        sys.path.pop(0)
    found = locate()
    return found, heat_unavailable_reason() or ""


def heat(templates: list[Path], repeat: int) -> Row:
    row = Row("heat.resolve", f"h2k load + lower + evaluating passes, {len(templates)} HOT templates (in process, "
              "warm)", "the Heat engine: parse, build the stack, resolve conditions, resources and outputs (warm)",
              target=1.0)
    python, reason = heat_python()
    if python is None:
        row.note = f"skipped: no Heat engine ({reason}); set H2K_HEAT_VENV to a venv with openstack-heat"
        return row
    request = {"templates": [{"text": path.read_text(encoding="utf-8", errors="replace")} for path in templates],
               "repeat": repeat}
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    done = subprocess.run([python, "-W", "ignore", str(HERE / "heat_timer.py")], input=json.dumps(request),
                          capture_output=True, text=True, env=env, check=False, timeout=1800)
    if done.returncode != 0:
        row.note = f"skipped: the Heat timer failed (exit {done.returncode}): {done.stderr.strip()[-300:]}"
        return row
    answer = json.loads(done.stdout)

    def h2k() -> None:
        for path in templates:
            evaluate_template(path)

    (ours,) = interleaved_ms([h2k], repeat)
    compare(row, ours, answer["samples_ms"])
    row.extra = {"heat_version": answer["heat_version"], "heat_build_errors": answer["errors"]}
    row.note = (f"openstack-heat {answer['heat_version']}; Heat could not build {answer['errors']} of the stacks"
                if answer["errors"] else f"openstack-heat {answer['heat_version']}")
    return row


# ---------------------------------------------------------------------------------------------
# 5. TOSCA


def tosca_inputs(corpus: Path) -> list[tuple[Path, dict[str, Any]]]:
    """The heat-translator test pairs' local TOSCA files that are expected to translate, with their inputs.

    Left out: the pairs that test a failure, archives, and templates that import by URL (timing
    them would time the network).
    """
    pairs = json.loads((corpus / TOSCA_CORPUS / "_h2k_pairs.json").read_text(encoding="utf-8"))
    found: dict[Path, dict[str, Any]] = {}
    for pair in pairs:
        path = corpus / TOSCA_CORPUS / pair["tosca"]
        expected = not pair["hot_mode"].startswith("none")
        if not (pair["tosca_exists"] and expected and path.suffix == ".yaml" and path.is_file()):
            continue
        if _URL_IMPORT.search(path.read_text(encoding="utf-8", errors="replace")) is None:
            found.setdefault(path, pair.get("params") or {})
    return list(found.items())


_URL_IMPORT = re.compile(r"^\s*-\s*[\"']?https?://", re.MULTILINE)


def tosca(corpus: Path, repeat: int, scratch: Path) -> Row:
    from h2k.api import CompileOptions, compile

    row = Row("tosca.translate", "`h2k.api.compile` of the heat-translator test inputs to Kubernetes (in process)",
              "heat-translator's Python API translating them to HOT (in process)", target=1.0)
    inputs = tosca_inputs(corpus)
    if not inputs:
        row.note = f"skipped: no TOSCA inputs in {corpus / TOSCA_CORPUS}"
        return row
    first = compile(inputs[0][0], CompileOptions(parameters={k: str(v) for k, v in inputs[0][1].items()}))
    if any(d.code.id == "H2K012" for d in first.diagnostics):
        row.note = "skipped: h2k reports TOSCA as not translated yet (H2K012)"
        return row
    try:
        from toscaparser.tosca_template import ToscaTemplate
        from translator.hot.tosca_translator import TOSCATranslator
    except ImportError as error:
        row.note = f"skipped: heat-translator is not importable ({error}); it is in the `test` extra"
        return row

    def translate() -> None:
        for path, params in inputs:
            with contextlib.suppress(Exception):  # a few inputs fail in heat-translator too; timed all the same
                TOSCATranslator(ToscaTemplate(str(path), parsed_params=params, a_file=True), params).translate()

    def h2k() -> None:
        for path, params in inputs:
            compile(path, CompileOptions(parameters={k: str(v) for k, v in params.items()}))

    # heat-translator logs a warning per unsupported feature, and writes the nested templates of
    # scaling policies into the working directory.
    logging.disable(logging.CRITICAL)
    try:
        with contextlib.chdir(scratch):
            base, ours = interleaved_ms([translate, h2k], repeat)
    finally:
        logging.disable(logging.NOTSET)
    row.measure += f", {len(inputs)} templates"
    return compare(row, ours, base)


# ---------------------------------------------------------------------------------------------
# 6. Scaling: generated stacks


WORKER_TEMPLATE = """\
heat_template_version: 2021-04-16
parameters:
  name: {type: string}
  size: {type: number, default: 1}
  network: {type: string}
  image: {type: string, default: registry.example.com/app/worker:1.0}
resources:
  data:
    type: OS::Cinder::Volume
    properties:
      size: {get_param: size}
      name: {list_join: ["-", [{get_param: name}, data]]}
  node:
    type: OS::Nova::Server
    properties:
      name: {get_param: name}
      image: {get_param: image}
      flavor: m1.small
      networks: [{network: {get_param: network}}]
  attach:
    type: OS::Cinder::VolumeAttachment
    properties:
      instance_uuid: {get_resource: node}
      volume_id: {get_resource: data}
outputs:
  address:
    value: {get_attr: [node, first_address]}
"""

HEADER = """\
heat_template_version: 2021-04-16
description: Generated stack of {count} resources for benchmarks/suite.py.
parameters:
  env: {{type: string, default: prod, constraints: [{{allowed_values: [dev, prod]}}]}}
  size: {{type: string, default: large}}
  image: {{type: string, default: registry.example.com/app/web:2.1}}
  volume_size: {{type: number, default: 10, constraints: [{{range: {{min: 1, max: 1000}}}}]}}
  app_port: {{type: number, default: 8080}}
conditions:
  big: {{equals: [{{get_param: size}}, large]}}
  prod: {{not: {{equals: [{{get_param: env}}, dev]}}}}
resources:
"""

BLOCK = """\
  net{i}:
    type: OS::Neutron::Net
    properties:
      name: {{str_replace: {{template: net-$n-$env, params: {{$n: "{i}", $env: {{get_param: env}}}}}}}}
  sub{i}:
    type: OS::Neutron::Subnet
    properties:
      network: {{get_resource: net{i}}}
      cidr: {{str_replace: {{template: 10.$a.$b.0/24, params: {{$a: "{a}", $b: "{b}"}}}}}}
  sg{i}:
    type: OS::Neutron::SecurityGroup
    properties:
      rules:
        - {{protocol: tcp, port_range_min: 80, port_range_max: 80}}
        - {{protocol: tcp, port_range_min: {{get_param: app_port}}, port_range_max: {{get_param: app_port}}}}
  port{i}:
    type: OS::Neutron::Port
    properties:
      network: {{get_resource: net{i}}}
      fixed_ips: [{{subnet: {{get_resource: sub{i}}}}}]
      security_groups: [{{get_resource: sg{i}}}]
  vol{i}:
    type: OS::Cinder::Volume
    properties:
      size: {{if: [big, {{get_param: volume_size}}, 1]}}
      name: {{list_join: ["-", [vol, {{get_param: env}}, "{i}"]]}}
  srv{i}:
    type: OS::Nova::Server
    properties:
      name: {{list_join: ["-", [srv, {{get_param: env}}, "{i}"]]}}
      image: {{get_param: image}}
      flavor: {{if: [big, m1.large, m1.small]}}
      networks: [{{port: {{get_resource: port{i}}}}}]
      metadata: {{volume_size: {{get_attr: [vol{i}, size]}}, role: web}}
      user_data_format: RAW
      user_data:
        str_replace:
          template: |
            #!/bin/sh
            echo "$name serving on $port" > /etc/motd
          params:
            $name: {{list_join: ["-", [srv, "{i}"]]}}
            $port: {{get_param: app_port}}
  att{i}:
    type: OS::Cinder::VolumeAttachment
    properties:
      instance_uuid: {{get_resource: srv{i}}}
      volume_id: {{get_resource: vol{i}}}
  grp{i}:
    type: OS::Heat::ResourceGroup
    properties:
      count: {{if: [big, 2, 1]}}
      resource_def:
        type: OS::Nova::Server
        properties:
          name: {{list_join: ["-", [grp, "{i}", "%index%"]]}}
          image: {{get_param: image}}
          flavor: m1.small
  nest{i}:
    type: worker.yaml
    properties:
      name: {{str_replace: {{template: worker-$n, params: {{$n: "{i}"}}}}}}
      size: {{get_param: volume_size}}
      network: {{get_resource: net{i}}}
  cfg{i}:
    type: OS::Heat::SoftwareConfig
    condition: prod
    properties:
      group: script
      config:
        str_replace:
          template: "upstream $addr:$port"
          params: {{$addr: {{get_attr: [srv{i}, first_address]}}, $port: {{get_param: app_port}}}}
"""
PER_BLOCK = 10  # resources in BLOCK
# Container images for the servers' Glance images, so that servers, volumes, ports and groups go
# through the Kubernetes back end instead of staying on OpenStack.
CONFIG = """\
images:
  registry.example.com/app/web:2.1: registry.example.com/app/web:2.1
  registry.example.com/app/worker:1.0: registry.example.com/app/worker:1.0
"""


def write_stack(folder: Path, count: int) -> Path:
    """A stack of `count` top-level resources (a multiple of 10), with its provider template and h2k.yaml beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "worker.yaml").write_text(WORKER_TEMPLATE, encoding="utf-8")
    (folder / "h2k.yaml").write_text(CONFIG, encoding="utf-8")
    parts = [HEADER.format(count=count)]
    for i in range(count // PER_BLOCK):
        parts.append(BLOCK.format(i=i, a=i // 256 % 256, b=i % 256))
    parts.append("outputs:\n  first_address:\n    value: {get_attr: [srv0, first_address]}\n")
    path = folder / "stack.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def scaling(sizes: tuple[int, ...], repeat: int, scratch: Path) -> list[Row]:
    rows: list[Row] = []
    medians: dict[int, float] = {}
    peaks: dict[int, int] = {}
    for count in sizes:
        stack = write_stack(scratch / f"stack{count}", count)
        out = scratch / f"out{count}"
        limits = ["--max-file-size", str(64 * 1024 * 1024), "--max-yaml-nodes", str(50_000_000)]
        compile_command = [*h2k_script(), "compile", str(stack), "-o", str(out), *limits]
        yaml_command = [sys.executable, "-c", _YAML_PROCESS, str(stack)]
        times: list[float] = []
        rss: list[int] = []
        base: list[float] = []
        for _ in range(repeat):
            shutil.rmtree(out, ignore_errors=True)
            elapsed, peak, code, stderr = run_process(compile_command)
            if code not in (0, 1):
                raise RuntimeError(f"h2k compile of {count} resources exited {code}: {stderr}")
            times.append(elapsed)
            rss.append(peak)
            base.append(run_process(yaml_command)[0])
        row = compare(Row(f"scaling.{count}", f"`h2k compile -o DIR` of a generated stack of {count:,} resources "
                          "(fresh process)", "a fresh python process loading it with CSafeLoader"), times, base)
        peaks[count] = max(rss)
        medians[count] = row.h2k.median if row.h2k else 0.0
        row.extra = {"peak_rss_mib": round(peaks[count] / 1024, 1), "bytes": stack.stat().st_size}
        row.note = f"peak RSS {peaks[count] / 1024:.0f} MiB; {stack.stat().st_size / 1024:,.0f} KiB of YAML"
        rows.append(row)
    if 1_000 in medians and 10_000 in medians:
        growth = Row("scaling.growth", "time of 10,000 resources / time of 1,000 (median each)",
                     "linear growth would be 10", unit="x", ratio=medians[10_000] / medians[1_000], target=11.0)
        rows.append(growth)
    if 10_000 in peaks:
        memory = Row("scaling.rss", "peak RSS of `h2k compile` at 10,000 resources, GiB",
                     "target 1 GiB", unit="GiB", ratio=peaks[10_000] / GIB, target=1.0)
        rows.append(memory)
    return rows


# ---------------------------------------------------------------------------------------------
# 7. Validation


def validation(objects: list[tuple[dict[str, Any], str]], repeat: int) -> Row:
    import kubernetes_validate

    from h2k.validate import kubevirt
    from h2k.validate.kubernetes import validate

    plain = [(obj, version) for obj, version in objects if not kubevirt.handles(obj)]
    row = Row("validation.per-object", f"h2k's cached validators (`h2k.validate.kubernetes.validate`), "
              f"{len(plain)} objects of the corpus compile", "`kubernetes_validate.validate(strict=True)` per object")
    if not plain:
        row.note = "skipped: the corpus compile made no objects"
        return row

    def reference() -> None:
        for obj, version in plain:
            with contextlib.suppress(Exception):
                kubernetes_validate.validate(obj, version, strict=True)

    def ours() -> None:
        for obj, version in plain:
            validate(obj, version)

    base, h2k = interleaved_ms([reference, ours], max(1, repeat // 2))
    compare(row, h2k, base)
    if row.h2k and row.base:
        row.extra = {"h2k_us_per_object": round(row.h2k.median * 1000 / len(plain), 1),
                     "reference_us_per_object": round(row.base.median * 1000 / len(plain), 1)}
        row.note = (f"{row.extra['h2k_us_per_object']} µs vs {row.extra['reference_us_per_object']} µs per object; "
                    f"h2k {1 / row.ratio:.0f}x faster" if row.ratio else "")
    return row


# ---------------------------------------------------------------------------------------------
# Output and comparison


def fmt_spread(spread: Spread | None, unit: str) -> str:
    if spread is None:
        return "-"
    digits = ".1f" if spread.median < 1000 else ".0f"
    return f"{spread.median:{digits}} {unit} ({spread.low:{digits}}-{spread.high:{digits}})"


def verdict(row: Row) -> str:
    if row.met is None:
        return "-"
    return f"≤ {row.target:g}: {'met' if row.met else 'MISSED'}"


def markdown(rows: list[Row], meta: dict[str, Any], regressions: list[str]) -> str:
    lines = ["| row | h2k | baseline | h2k: median (min-max) | baseline: median (min-max) | ratio | target | notes |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        if row.ratio is None:
            ratio = "-"
        elif row.unit == "ms":
            ratio = f"{row.ratio:.3g}x"
        else:  # a figure of its own (growth factor, GiB), not a ratio of two timings
            ratio = f"{row.ratio:.3g} {row.unit}"
        lines.append(f"| `{row.key}` | {row.measure} | {row.baseline} | {fmt_spread(row.h2k, 'ms')} | "
                     f"{fmt_spread(row.base, 'ms')} | {ratio} | {verdict(row)} | {row.note} |")
    m = meta["machine"]
    lines += ["", f"Measured {meta['date']} on {m['cpu']} ({m['cores']} cores usable, {m['memory_gib']} GiB), "
              f"{m['os']}, {m['python']}; load average at the start {m['load_average']}; {meta['repeat']} samples "
              f"per row, {meta['scaling_repeat']} per generated stack size; files written under {meta['scratch']}; "
              f"the suite took {meta['seconds']:.0f} s."]
    if regressions:
        lines += ["", "Regressions against the baseline (ratio more than 10% higher):", ""]
        lines += [f"- {line}" for line in regressions]
    elif meta.get("baseline"):
        lines += ["", f"No regression against {meta['baseline']} (threshold 10%)."]
    return "\n".join(lines) + "\n"


def best_ratio(h2k: dict[str, Any] | Spread | None, base: dict[str, Any] | Spread | None) -> float | None:
    """Fastest h2k sample over fastest baseline sample: the two least disturbed runs."""
    low = (h2k or {}).get("low") if isinstance(h2k, dict | None) else h2k.low
    base_low = (base or {}).get("low") if isinstance(base, dict | None) else base.low
    return low / base_low if low and base_low else None


def regressions(rows: list[Row], saved: dict[str, Any]) -> list[str]:
    """Rows whose ratio (or figure) is more than 10% above the saved run's.

    A timed row must also be worse by the ratio of its fastest samples: a median can move by more
    than 10% when the machine is busy for part of a run, the fastest samples much less.
    """
    old = {row["key"]: row for row in saved.get("rows", [])}
    found = []
    for row in rows:
        before = old.get(row.key, {}).get("ratio")
        if row.ratio is None or not before or row.ratio <= before * (1 + REGRESSION):
            continue
        best_before = best_ratio(old[row.key].get("h2k"), old[row.key].get("base"))
        best_now = best_ratio(row.h2k, row.base)
        if best_before and best_now and best_now <= best_before * (1 + REGRESSION):
            continue  # only the median moved: noise
        found.append(f"`{row.key}`: {before:.3g} -> {row.ratio:.3g} (+{(row.ratio / before - 1) * 100:.0f}%)")
    return found


def default_scratch() -> str | None:
    """A memory file system when there is one: output trees are then timed as h2k writes them, not
    as fast as the disk under /tmp happens to be (on a virtual disk, 30 times slower)."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


@contextlib.contextmanager
def scratch_dir(parent: str | None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="h2k-suite-", dir=parent) as folder:
        yield Path(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11, help="samples per row (11); medians are reported")
    parser.add_argument("--scaling-repeat", type=int, default=5, help="samples per generated stack size (5)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="generated stack sizes (100,1000,10000)")
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated groups ({','.join(GROUPS)})")
    parser.add_argument("--corpus", type=Path, default=None, help="template corpus (default: $H2K_CORPUS or "
                        "../shared/corpus)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="where suite.md and suite.json go")
    parser.add_argument("--scratch", default=default_scratch(), help="where inputs and output trees are written "
                        "(default: /dev/shm if there is one, else the system's temporary directory)")
    parser.add_argument("--baseline", type=Path, default=None, help="a saved suite.json: exit 1 on regressions")
    args = parser.parse_args(argv)
    groups = [group.strip() for group in args.only.split(",") if group.strip()]
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown or args.repeat < 1 or args.scaling_repeat < 1:
        parser.error(f"unknown groups {unknown}" if unknown else "repeats must be at least 1")
    corpus = (args.corpus or default_corpus()).resolve()
    templates = corpus_files(corpus, ("hot",), only=HOT_CORPUS)
    saved = json.loads(args.baseline.read_text(encoding="utf-8")) if args.baseline else None
    meta: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(), "repeat": args.repeat, "scaling_repeat": args.scaling_repeat,
        "corpus": str(corpus), "hot_templates": len(templates), "command": " ".join(["benchmarks/suite.py",
                                                                                      *(argv or sys.argv[1:])]),
        "baseline": str(args.baseline) if args.baseline else None,
        "scratch": args.scratch or tempfile.gettempdir(),
    }
    started = time.perf_counter()
    rows: list[Row] = []
    needs_corpus = {"front-end", "compile", "heat", "validation"} & set(groups)
    if needs_corpus and not templates:
        print(f"no HOT templates found under {corpus / HOT_CORPUS}: skipping {sorted(needs_corpus)}", file=sys.stderr)
        groups = [group for group in groups if group not in needs_corpus]

    def done(new: list[Row]) -> None:
        rows.extend(new)
        for row in new:
            print(f"  {row.key}: ratio {row.ratio if row.ratio is None else round(row.ratio, 2)} {row.note}",
                  file=sys.stderr)

    with scratch_dir(args.scratch) as scratch:
        for group in (group for group in GROUPS if group in groups):
            print(f"{group} ...", file=sys.stderr)
            if group == "startup":
                done(startup(args.repeat, scratch))
            elif group == "front-end":
                done(front_end(templates, args.repeat))
            elif group == "compile":
                done([compile_corpus(templates, args.repeat, scratch)])
            elif group == "heat":
                done([heat(templates, args.repeat)])
            elif group == "tosca":
                done([tosca(corpus, args.repeat, scratch)])
            elif group == "scaling":
                done(scaling(tuple(int(size) for size in args.sizes.split(",")), args.scaling_repeat, scratch))
            elif group == "validation":
                done([validation(corpus_objects(templates), args.repeat)])
    meta["seconds"] = time.perf_counter() - started
    found = regressions(rows, saved) if saved else []
    text = markdown(rows, meta, found)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "suite.md").write_text(text, encoding="utf-8")
    data = {"meta": meta, "rows": [{**asdict(row), "met": row.met} for row in rows], "regressions": found}
    (args.out / "suite.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(text)
    print(f"written to {args.out / 'suite.md'} and {args.out / 'suite.json'}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
