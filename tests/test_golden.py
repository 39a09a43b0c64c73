"""Every template under samples/ compiles to exactly the files under golden/ (byte for byte).

A sample `x.yaml` is compiled with `-e x.env.yaml` when that file exists, with `--adopt` for each
`x.adopt*.json` beside it, and, when `x.outputs.json` exists, its output tree then goes through
`h2k bind` with those recorded stack outputs. Templates under a `lib/` folder are provider
templates of the samples, not samples themselves.

Regenerate with `pytest tests/test_golden.py --update-golden`: the same function below computes
what is compared and what is written, and golden directories without a sample are removed.
Read every golden change before committing it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from h2k.api import CompileOptions, compile
from h2k.ir.dump import dump
from h2k.source.detect import Kind, detect
from h2k.source.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = ROOT / "golden"


def sample_templates() -> list[Path]:
    """Templates among samples/ (config and environment files are inputs of templates, not samples)."""
    from h2k.diagnostics import DiagnosticSink

    found = []
    for path in sorted(SAMPLES.rglob("*.yaml")):
        # Config files, and provider templates (under lib/), are inputs of samples, not samples.
        if path.name == "h2k.yaml" or "lib" in path.relative_to(SAMPLES).parts:
            continue
        source = load_file(str(path), DiagnosticSink())
        if source is not None and detect(source.root) is Kind.ENVIRONMENT:
            continue
        found.append(path)
    return found


def golden_dir(sample: Path) -> Path:
    return GOLDEN / sample.relative_to(SAMPLES).with_suffix("")


def expected_files(sample: Path) -> dict[str, bytes]:
    """What golden/ holds for one sample: the output tree, plus the IR after the passes."""
    environment = sample.with_name(f"{sample.stem}.env.yaml")
    adopt = sorted(sample.parent.glob(f"{sample.stem}.adopt*.json"))
    result = compile(sample, CompileOptions(environment_files=[str(environment)] if environment.is_file() else [],
                                            adopt=adopt))
    files = dict(result.files)
    assert result.stack is not None, [str(d) for d in result.diagnostics]
    outputs = sample.with_name(f"{sample.stem}.outputs.json")
    if outputs.is_file():
        files = bound(files, outputs)
    files["ir.txt"] = dump(result.stack).encode()
    return files


def bound(files: dict[str, bytes], outputs: Path) -> dict[str, bytes]:
    """The tree after `h2k bind` with recorded stack outputs (what a user has once the stack runs)."""
    import tempfile

    from h2k.output.bind import bind
    from h2k.output.tree import write_tree

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        write_tree(out, files)
        result = bind(out, outputs)
        assert not result.missing, result.missing
        return {path: data for path, data in read_tree(out).items() if path != ".h2k-output"}


def read_tree(directory: Path) -> dict[str, bytes]:
    if not directory.is_dir():
        return {}
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def write_tree(directory: Path, files: dict[str, bytes]) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    for name, content in files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def _golden_dirs() -> set[Path]:
    """Directories of golden/ that hold a sample's output (they contain ir.txt)."""
    return {p.parent for p in GOLDEN.rglob("ir.txt")} if GOLDEN.is_dir() else set()


SAMPLE_TEMPLATES = sample_templates()


@pytest.mark.parametrize("sample", SAMPLE_TEMPLATES, ids=[str(p.relative_to(SAMPLES)) for p in SAMPLE_TEMPLATES])
def test_sample_matches_golden(sample: Path, request: pytest.FixtureRequest) -> None:
    files = expected_files(sample)
    target = golden_dir(sample)
    if request.config.getoption("--update-golden"):
        write_tree(target, files)
    on_disk = read_tree(target)
    assert sorted(on_disk) == sorted(files), f"files differ under {target}"
    for name, content in files.items():
        assert on_disk[name] == content, f"{target / name} differs; rerun with --update-golden and read the diff"


def test_no_orphaned_golden_output(request: pytest.FixtureRequest) -> None:
    expected = {golden_dir(s) for s in SAMPLE_TEMPLATES}
    orphans = sorted(_golden_dirs() - expected)
    if request.config.getoption("--update-golden"):
        for orphan in orphans:
            shutil.rmtree(orphan)
        orphans = []
    assert orphans == [], f"golden output without a sample: {orphans}"


def test_there_are_samples() -> None:
    assert len(SAMPLE_TEMPLATES) >= 2


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
@pytest.mark.parametrize("sample", sample_templates(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_golden_kustomizations_render_with_kubectl(sample: Path, tmp_path: Path) -> None:
    """Every golden kustomization builds with the real kubectl, once the user has filled what is theirs
    (each `.env.example` copied to its `.env`), and what it renders is valid for Kubernetes."""
    import subprocess

    from h2k.validate import kubevirt
    from h2k.validate.kubernetes import default_version, validate

    tree = tmp_path / "tree"
    shutil.copytree(golden_dir(sample), tree)
    for example in tree.rglob("*.env.example"):
        example.with_name(example.name.removesuffix(".example")).write_text(
            example.read_text(encoding="utf-8").replace("=\n", "=filled\n"), encoding="utf-8")
    directories = [p.parent for p in tree.rglob("kustomization.yaml")]
    if not directories:
        pytest.skip("no kustomization (a Helm chart or plain manifests)")
    for directory in directories:
        rendered = subprocess.run(["kubectl", "kustomize", str(directory)], capture_output=True, text=True,
                                  timeout=120, env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)})
        assert rendered.returncode == 0, rendered.stderr
        for document in yaml.safe_load_all(rendered.stdout):
            if document["apiVersion"].startswith("openstack.k-orc.cloud/"):
                continue  # checked against its CRD schema when it is written
            if kubevirt.handles(document):
                assert kubevirt.validate(document) == [], document["metadata"]["name"]
                continue
            assert validate(document, default_version()) == [], document["metadata"]["name"]
