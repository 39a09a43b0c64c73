"""`h2k migrate` end to end: sources, per-stack outputs, the three reports, exit codes, determinism.

The source directories are built in a temporary directory from samples/hot, a few templates of
the third-party corpus (when it is present) and the small files below, so that each test states
the data it runs on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from h2k.api import CompileOptions, compile
from h2k.diagnostics.model import DiagnosticSink
from h2k.migrate import REPORT_HTML, REPORT_JSON, REPORT_MD
from h2k.migrate import migrate as run_migrate
from h2k.migrate import plan as make_plan
from h2k.migrate.progress import Progress
from h2k.source.loader import load_file
from h2k.source.nodes import to_python

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "hot"
CORPUS = Path(os.environ.get("H2K_CORPUS") or ROOT.parent / "shared" / "corpus") / "openstack+heat-templates" / "hot"
# Corpus templates copied into the source directory, and the stack each becomes.
CORPUS_TEMPLATES = {"zun/webapp.yaml": "corpus-zun-webapp", "condition.yaml": "corpus-condition",
                    "hello_world.yaml": "corpus-hello_world"}
# A stack that cannot be compiled (a YAML syntax error), and a hello world environment beside its template.
BROKEN = "heat_template_version: 2018-08-31\nresources:\n  web: {type: OS::Nova::Server\n"
HELLO_ENV = "parameters:\n  key_name: ops\n  image: cirros\n  admin_pass: Hush7Me\n"
SUMMED = ("resources", "translated", "merged", "switched_off", "openstack", "no_counterpart", "not_translated",
          "disabled", "objects", "on_kubernetes", "covered", "accounted", "wiring")
STACK_KEYS = {"name", "origin", "template", "environment", "adopt", "parameters", "stack", "kube_version", "status",
              "output", "summary", "resources", "outputs", "wiring", "diagnostics", "graph"}


def h2k(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "h2k", *args], capture_output=True, text=True, timeout=300)


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def source_dir(tmp_path: Path, broken: bool = False) -> Path:
    """samples/hot, a few corpus templates under corpus/ (one with an environment), and maybe a broken one."""
    source = tmp_path / "stacks"
    shutil.copytree(SAMPLES, source)
    if CORPUS.is_dir():
        for relative in CORPUS_TEMPLATES:
            target = source / "corpus" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(CORPUS / relative, target)
        (source / "corpus" / "hello_world_env.yaml").write_text(HELLO_ENV, encoding="utf-8")
    if broken:
        (source / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    return source


def report(out: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((out / REPORT_JSON).read_text(encoding="utf-8"))
    return loaded


def test_directory_of_stacks(tmp_path: Path) -> None:
    source, out = source_dir(tmp_path), tmp_path / "out"
    result = h2k("migrate", str(source), "-o", str(out), "--jobs", "2", "--no-progress")
    assert result.returncode == 0, result.stderr
    data = report(out)
    names = [entry["name"] for entry in data["stacks"]]
    expected = {"autoscaling", "migration-shop", "nested-web-tier", "web-with-volume", "software-config-app"}
    if CORPUS.is_dir():
        expected |= set(CORPUS_TEMPLATES.values())
    assert expected <= set(names) and names == sorted(names, key=str.lower)
    assert {"path": "nested/lib/web-server.yaml",
            "reason": "a provider template of nested/web-tier.env.yaml; compiled as part of it"} in data["skipped"]
    for entry in data["stacks"]:
        assert set(entry) == STACK_KEYS
        assert entry["status"] == "ok" and entry["output"] == f"stacks/{entry['name']}"
        stack_dir = out / entry["output"]
        assert (stack_dir / ".h2k-output").is_file() and (stack_dir / "h2k-report.md").is_file()
        per_stack = json.loads((stack_dir / "h2k-report.json").read_text(encoding="utf-8"))
        assert [r["name"] for r in per_stack["resources"]] == [r["name"] for r in entry["resources"]]
        assert {n["name"] for n in entry["graph"]["nodes"]} == {r["name"] for r in entry["resources"]}
    # A stack's output is what `h2k compile -o` writes for it.
    alone = compile(source / "nested" / "web-tier.yaml",
                    CompileOptions(environment_files=[str(source / "nested" / "web-tier.env.yaml")]))
    assert {k: v for k, v in tree(out / "stacks" / "nested-web-tier").items() if k != ".h2k-output"} == alone.files
    # The overall figures are the sums of the stacks' figures; coverage is computed from the sums.
    summary = data["summary"]
    for key in SUMMED:
        assert summary[key] == sum(entry["summary"][key] for entry in data["stacks"]), key
    assert summary["coverage"] == round(100 * summary["covered"] / summary["resources"], 1)
    assert summary["covered"] == summary["translated"] + summary["merged"] + summary["switched_off"]
    assert (data["format"], data["version"], data["source"]["kind"]) == ("h2k-migration-report", 1, "directory")
    markdown = (out / REPORT_MD).read_text(encoding="utf-8")
    assert f"**Coverage:** {summary['coverage']:.1f}%" in markdown
    assert markdown.count("```mermaid") == len(names)
    html = (out / REPORT_HTML).read_text(encoding="utf-8")
    assert all(f'id="stack-{name.lower()}"' in html for name in names)
    assert "wrote" in result.stdout and f"coverage {summary['coverage']:.1f}%" in result.stdout


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the template corpus is not present")
def test_environment_beside_the_template_is_used(tmp_path: Path) -> None:
    planned = make_plan(str(source_dir(tmp_path)))
    hello = next(spec for spec in planned.stacks if spec.name == "corpus-hello_world")
    assert hello.shown_environment == ("corpus/hello_world_env.yaml",)
    outcome = run_migrate(planned, jobs=1)
    entry = next(e for e in outcome.report["stacks"] if e["name"] == "corpus-hello_world")
    assert entry["status"] == "ok" and not [d for d in entry["diagnostics"] if d["code"] == "H2K105"]
    assert b"Hush7Me" not in b"".join(outcome.files.values())


def test_a_failing_stack_is_reported_and_does_not_stop_the_others(tmp_path: Path) -> None:
    source, out = source_dir(tmp_path, broken=True), tmp_path / "out"
    result = h2k("migrate", str(source), "-o", str(out), "--jobs", "2", "--no-progress")
    assert result.returncode == 1
    data = report(out)
    statuses = {entry["name"]: entry["status"] for entry in data["stacks"]}
    assert statuses.pop("broken") == "failed" and set(statuses.values()) == {"ok"}
    broken = next(entry for entry in data["stacks"] if entry["name"] == "broken")
    assert broken["output"] is None and broken["graph"] is None and not (out / "stacks" / "broken").exists()
    assert broken["diagnostics"][0]["file"] == "broken.yaml" and broken["diagnostics"][0]["severity"] == "error"
    assert data["summary"]["failed"] == 1 and data["summary"]["ok"] == len(statuses)
    assert "h2k: broken: failed" in result.stderr
    markdown = (out / REPORT_MD).read_text(encoding="utf-8")
    assert "## Stack `broken`" in markdown and f"[{broken['diagnostics'][0]['code']}]" in markdown


def test_a_stack_h2k_fails_on_is_reported_and_the_others_go_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import h2k.api

    real = h2k.api.compile

    def failing(template: str | Path, options: CompileOptions | None = None) -> Any:
        if str(template).endswith("containers.yaml"):
            raise RuntimeError("boom")
        return real(template, options)

    monkeypatch.setattr(h2k.api, "compile", failing)
    result = run_migrate(make_plan(str(SAMPLES)), jobs=1)
    entries = {entry["name"]: entry for entry in result.report["stacks"]}
    crashed = entries.pop("containers")
    assert crashed["status"] == "failed" and crashed["diagnostics"][0]["code"] == "H2K931"
    assert "RuntimeError: boom" in crashed["diagnostics"][0]["message"]
    assert {entry["status"] for entry in entries.values()} == {"ok"} and not result.passed


@pytest.mark.skipif(sys.platform != "linux", reason="workers inherit the patched compile only when forked")
def test_a_worker_that_dies_fails_only_its_stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import h2k.api
    from h2k.output.tree import StagedTree

    real, parent = h2k.api.compile, os.getpid()

    def dying(template: str | Path, options: CompileOptions | None = None) -> Any:
        if str(template).endswith("containers.yaml") and os.getpid() != parent:
            os._exit(1)
        return real(template, options)

    monkeypatch.setattr(h2k.api, "compile", dying)
    with StagedTree(tmp_path / "out") as staged:
        result = run_migrate(make_plan(str(SAMPLES)), jobs=2, out=staged)
        staged.commit()
    written = tree(tmp_path / "out")
    assert not any(path.startswith("stacks/containers/") for path in written)
    assert "stacks/web-with-volume/.h2k-output" in written and REPORT_HTML in written
    entries = {entry["name"]: entry for entry in result.report["stacks"]}
    died = entries.pop("containers")
    assert died["status"] == "failed" and died["diagnostics"][0]["code"] == "H2K931"
    assert "worker process died" in died["diagnostics"][0]["message"]
    assert {entry["status"] for entry in entries.values()} == {"ok"}


def test_reports_are_byte_identical_whatever_the_jobs(tmp_path: Path) -> None:
    source = source_dir(tmp_path, broken=True)
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        assert h2k("migrate", str(source), "-o", str(out), "--jobs", jobs, "--no-progress").returncode == 1
        runs[jobs] = tree(out)
    assert runs["1"] == runs["2"]
    assert {REPORT_JSON, REPORT_MD, REPORT_HTML, ".h2k-output"} <= set(runs["1"])


def test_a_second_run_keeps_the_values_bound_into_a_stack(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert h2k("migrate", str(SAMPLES), "-o", str(out), "--no-progress").returncode == 0
    bound = h2k("bind", str(out / "stacks" / "migration-shop"), "--stack-outputs",
                str(SAMPLES / "migration" / "shop.outputs.json"))
    assert bound.returncode == 0, bound.stderr
    values = {k: v for k, v in tree(out).items() if "/values/" in k}
    assert values
    assert h2k("migrate", str(SAMPLES), "-o", str(out), "--no-progress").returncode == 0
    assert {k: v for k, v in tree(out).items() if "/values/" in k} == values


MANIFEST = """\
version: 1
defaults:
  servers: auto
stacks:
  - name: shop
    template: hot/migration/shop.yaml
    stack_name: shop-prod
    adopt: [hot/migration/shop.adopt.json, hot/migration/shop.adopt-addresses.json]
  - template: hot/web-with-volume.yaml
    parameters: {flavor: m1.medium}
    package: plain
  - name: tier
    template: hot/nested/web-tier.yaml
    environment: [hot/nested/web-tier.env.yaml]
    parameter_files: {image: image.txt}
"""


def test_manifest_with_parameters_and_adoption(tmp_path: Path) -> None:
    shutil.copytree(SAMPLES, tmp_path / "hot")
    (tmp_path / "image.txt").write_text("cirros", encoding="utf-8")
    manifest = tmp_path / "migration.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    out = tmp_path / "out"
    result = h2k("migrate", str(manifest), "-o", str(out), "--jobs", "2", "--no-progress")
    assert result.returncode == 0, result.stderr
    data = report(out)
    assert data["source"]["kind"] == "manifest"
    entries = {entry["name"]: entry for entry in data["stacks"]}
    assert list(entries) == ["shop", "tier", "web-with-volume"]
    shop = entries["shop"]
    assert shop["stack"] == "shop-prod"
    assert shop["adopt"] == ["hot/migration/shop.adopt.json", "hot/migration/shop.adopt-addresses.json"]
    alone = compile(tmp_path / "hot" / "migration" / "shop.yaml", CompileOptions(
        stack_name="shop-prod", servers="auto", adopt=[tmp_path / "hot" / "migration" / "shop.adopt.json",
                                                       tmp_path / "hot" / "migration" / "shop.adopt-addresses.json"]))
    written = {k: v for k, v in tree(out / "stacks" / "shop").items() if k != ".h2k-output"}
    assert written == alone.files and "openstack/retain.yaml" in written
    assert any(o.startswith("PersistentVolume/") for r in shop["resources"] for o in r["objects"])
    web = entries["web-with-volume"]
    assert web["parameters"] == ["flavor"] and "m1.medium" not in json.dumps(web)
    assert (out / "stacks" / "web-with-volume" / "kubernetes").is_dir()
    assert not (out / "stacks" / "web-with-volume" / "kubernetes" / "kustomization.yaml").exists()  # plain
    assert b"cpu: \"2\"" in b"".join(v for k, v in tree(out / "stacks" / "web-with-volume").items()
                                     if "deployment" in k)
    assert entries["tier"]["parameters"] == ["image"] and entries["tier"]["status"] == "ok"


def test_live_stack_export(tmp_path: Path) -> None:
    """The files `openstack stack ... -f json` prints, as docs/migrate.md says to save them."""
    export = tmp_path / "exports" / "shop"
    export.mkdir(parents=True)
    loaded = load_file(str(SAMPLES / "migration" / "shop.yaml"), DiagnosticSink())
    assert loaded is not None
    (export / "template.json").write_text(json.dumps(to_python(loaded.root), indent=4, sort_keys=True),
                                          encoding="utf-8")
    (export / "environment.json").write_text(json.dumps(
        {"parameter_defaults": {}, "parameters": {"public_network": "ext-net"}, "resource_registry": {"resources": {}}},
        indent=4), encoding="utf-8")
    (export / "stack.json").write_text(json.dumps({"id": "7d1c", "stack_name": "shop-prod",
                                                   "stack_status": "CREATE_COMPLETE"}), encoding="utf-8")
    shutil.copy(SAMPLES / "migration" / "shop.adopt.json", export / "resources.json")
    for source in (export, tmp_path / "exports"):  # the export itself, or a directory holding exports
        out = tmp_path / f"out-{source.name}"
        result = h2k("migrate", str(source), "-o", str(out), "--no-progress")
        assert result.returncode == 0, result.stderr
        data = report(out)
        (entry,) = data["stacks"]
        assert data["source"]["kind"] == ("export" if source == export else "directory")
        assert (entry["name"], entry["stack"], entry["origin"]) == ("shop-prod", "shop-prod", "export")
        assert entry["environment"][-1].endswith("environment.json") and entry["adopt"][-1].endswith("resources.json")
        assert (out / "stacks" / "shop-prod" / "openstack" / "retain.yaml").is_file()


@pytest.mark.parametrize(("content", "message"), [
    (None, "does not exist"),
    ("heat_template_version: 2018-08-31\n", "neither a directory nor a manifest"),
    ("stacks:\n  - template: a.yaml\n    servrs: auto\n", "Additional properties are not allowed ('servrs'"),
    ("stacks:\n  - template: a.yaml\n  - template: b/a.yaml\n", "the name 'a' is already used by stacks[0]"),
    ("stacks:\n  - template: a.yaml\n    kube_version: '1.2'\n", "kube_version"),
    ("", "no Heat template"),  # an empty directory
])
def test_unusable_source_exits_2_and_writes_nothing(tmp_path: Path, content: str | None, message: str) -> None:
    source = tmp_path / "missing.yaml"
    if content == "":
        source = tmp_path / "empty"
        source.mkdir()
    elif content is not None:
        source.write_text(content, encoding="utf-8")
    result = h2k("migrate", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_refuses_an_output_directory_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = h2k("migrate", str(SAMPLES), "-o", str(out), "--no-progress")
    assert result.returncode == 2 and "not written by h2k" in result.stderr
    assert tree(out) == {"notes.txt": b"mine"}


@pytest.mark.parametrize(("layout", "expected", "skipped"), [
    # Environment files beside their template, in both spellings; a provider template is not a stack.
    ({"app.yaml": "hot", "app_env.yaml": "env", "db.yaml": "hot", "db.env.yaml": "env", "lib/x.yaml": "hot",
      "uses-lib.yaml": "provider", "h2k.yaml": "config"},
     {"app": ["app_env.yaml"], "db": ["db.env.yaml"], "uses-lib": []}, ["lib/x.yaml"]),
    # Names from paths; a clash is suffixed; hidden directories and h2k output trees are not read.
    ({"a/b.yaml": "hot", "a-b.yaml": "hot", ".git/c.yaml": "hot", "out/.h2k-output": "marker",
      "out/stack.yaml": "hot", "orphan_env.yaml": "env", "cfn.yaml": "cfn"},
     {"a-b": [], "a-b-2": []}, ["cfn.yaml", "orphan_env.yaml"]),
])
def test_recognising_a_directory(tmp_path: Path, layout: dict[str, str], expected: dict[str, list[str]],
                                 skipped: list[str]) -> None:
    contents = {"hot": "heat_template_version: 2018-08-31\nresources: {}\n", "env": "parameters: {}\n",
                "provider": "heat_template_version: 2018-08-31\nresources:\n  x: {type: lib/x.yaml}\n",
                "config": "images: {}\n", "marker": "", "cfn": "AWSTemplateFormatVersion: '2010-09-09'\n"}
    for relative, kind in layout.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(contents[kind], encoding="utf-8")
    planned = make_plan(str(tmp_path))
    assert {spec.name: list(spec.shown_environment) for spec in planned.stacks} == expected
    assert [item.path for item in planned.skipped] == skipped


def test_progress_bar_and_plain_lines() -> None:
    import io

    plain, bar = io.StringIO(), io.StringIO()
    for stream, is_bar in ((plain, False), (bar, True)):
        progress = Progress(2, stream, bar=is_bar)
        progress.advance("a", "ok")
        progress.advance("b", "failed")
        progress.close()
    assert plain.getvalue() == "h2k: [1/2] a: ok\nh2k: [2/2] b: failed\n"
    assert "\r\x1b[2K[" in bar.getvalue() and "2/2, 1 not ok" in bar.getvalue() and "\n" not in bar.getvalue()


def test_staged_tree_writes_what_write_tree_writes(tmp_path: Path) -> None:
    from h2k.output.tree import StagedTree, build_part, write_tree

    part = {"kubernetes/a.yaml": b"a: 1\n", "h2k-report.md": b"# r\n"}
    top = {"report.md": b"# all\n"}
    with StagedTree(tmp_path / "staged") as staged:
        staged.add(top)
        staged.record("stacks/x", build_part(staged.part("stacks/x"), part))
        with pytest.raises(ValueError, match="written twice"):
            staged.add({"stacks/x/other.yaml": b""})
        staged.commit()
    nested = tree(tmp_path / "staged" / "stacks" / "x")
    write_tree(tmp_path / "alone", part)
    assert nested == tree(tmp_path / "alone")
    write_tree(tmp_path / "whole", {**top, **{f"stacks/x/{k}": v for k, v in nested.items()}})
    assert tree(tmp_path / "staged") == tree(tmp_path / "whole")
    with StagedTree(tmp_path / "staged") as staged:  # no commit: the old tree stays
        staged.add({"new.md": b""})
    assert tree(tmp_path / "staged") == tree(tmp_path / "whole")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


# -- the graph, as each renderer draws it ------------------------------------------------------------

HOSTILE = 'we"ird <b>#1</b> `end` & |x|\nnext'
_MERMAID_LINE = re.compile(
    r'^(flowchart LR'
    r'|  subgraph side_(kubernetes|openstack|none)\["[^"]*"\]'
    r'|  end'
    r'|    (?P<node>n\d+)\["[^"]*"\]'
    r'|  (?P<src>n\d+) --> (?P<dst>n\d+)'
    r'|  (?P<wsrc>n\d+) -\.->\|"[^"]*"\| (?P<wdst>n\d+)'
    r'|  classDef \w+ [\w:#,\-. ]+'
    r'|  class (?P<members>n\d+(,n\d+)*) \w+)$')


def mermaid_problems(text: str) -> list[str]:
    """A small grammar of the Mermaid h2k writes: every line known, edges between declared nodes, blocks closed."""
    problems, declared, used, depth = [], set(), set(), 0
    for line in text.splitlines():
        found = _MERMAID_LINE.match(line)
        if not found:
            problems.append(f"unknown line: {line!r}")
            continue
        depth += line.startswith("  subgraph") - (line == "  end")
        if found["node"]:
            declared.add(found["node"])
        used.update(n for n in (found["src"], found["dst"], found["wsrc"], found["wdst"]) if n)
        used.update(found["members"].split(",") if found["members"] else [])
    if depth:
        problems.append("unbalanced subgraph/end")
    problems += [f"undeclared node {n}" for n in sorted(used - declared)]
    return problems


def hostile_graph() -> Any:
    from h2k.report.graph import Edge, Graph, Node

    nodes = (Node(HOSTILE, "OS::Nova::Server", "translated", "Deployment/x"),
             Node("end", "OS::Swift::Container", "openstack", "stays on OpenStack"),
             Node("subgraph", "OS::Heat::CloudConfig", "not-translated", "not translated"))
    edges = (Edge(HOSTILE, "end", "reference"), Edge("end", HOSTILE, "wiring", 'key"<1>'),
             Edge("subgraph", "subgraph", "reference"))
    return Graph('stack "x"', nodes, edges)


@pytest.mark.parametrize("sample", [*sorted(p.name for p in SAMPLES.glob("*.yaml")), "migration/shop.yaml"])
def test_graph_of_every_sample(sample: str) -> None:
    from h2k.report.graph import from_result, to_mermaid, to_svg

    drawn = from_result(compile(SAMPLES / sample))
    assert drawn is not None
    assert mermaid_problems(to_mermaid(drawn)) == []
    svg = ElementTree.fromstring(to_svg(drawn).encode())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("role") == "img"
    titles = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}title")]
    assert all(any(t.startswith(f"{n.name} (") for t in titles) for n in drawn.nodes)


def test_hostile_names_stay_inside_their_quotes() -> None:
    from h2k.report.graph import to_dot, to_mermaid, to_svg

    graph = hostile_graph()
    mermaid = to_mermaid(graph)
    assert mermaid_problems(mermaid) == [] and "<b>" not in mermaid and "\nnext" not in mermaid
    assert "#quot;" in mermaid and "#lt;b#gt;#35;1" in mermaid
    ElementTree.fromstring(to_svg(graph).encode())  # well-formed, whatever the names
    dot = to_dot(graph)
    assert re.search(r'label="we\\"ird <b>#1</b> `end` & \|x\| next\\nOS::Nova::Server', dot)


def test_graph_command(tmp_path: Path) -> None:
    sample = str(SAMPLES / "migration" / "shop.yaml")
    for fmt, check in (("mermaid", lambda t: mermaid_problems(t) == []),
                       ("dot", lambda t: t.startswith('digraph "shop" {') and t.rstrip().endswith("}")),
                       ("svg", lambda t: ElementTree.fromstring(t.encode()) is not None)):
        result = h2k("graph", sample, "--format", fmt)
        assert result.returncode == 0 and check(result.stdout), (fmt, result.stderr)
    assert 'n3 -.->|"uploads_WebsiteURL"|' in h2k("graph", sample).stdout
    assert h2k("graph", str(SAMPLES / "nested" / "web-tier.env.yaml")).returncode == 2


# -- the HTML report in a real browser ------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    run = run_migrate(make_plan(str(source_dir(tmp_path, broken=True))), jobs=1)
    html = run.files[REPORT_HTML].decode()
    assert "<script" not in html.lower() and not re.search(r'(src|href)="(https?:)?//', html)
    assert re.findall(r"https?://[^\s\"'<]+", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg ")
    for svg in re.findall(r"<svg .*?</svg>", html, flags=re.S):
        ElementTree.fromstring(svg.encode())
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_html_report_in_headless_chromium(tmp_path: Path) -> None:
    source, out = source_dir(tmp_path, broken=True), tmp_path / "out"
    assert h2k("migrate", str(source), "-o", str(out), "--no-progress").returncode == 1
    assert CHROMIUM is not None
    page = (out / REPORT_HTML).resolve().as_uri()
    result = subprocess.run([CHROMIUM, "--headless", "--disable-gpu", "--no-sandbox", "--enable-logging=stderr",
                             "--v=0", f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    console = [line for line in result.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == []
    for entry in report(out)["stacks"]:
        assert f"<code>{entry['name']}</code>" in result.stdout
    assert result.stdout.count("<svg ") == sum(1 for e in report(out)["stacks"] if e["graph"] is not None)
