"""The config file: where it is found, where its errors point, what wins, and `compile --all`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from h2k.api import CompileOptions, compile
from h2k.config import find_config, load_config
from h2k.diagnostics import DiagnosticSink

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hot" / "web-with-volume.yaml"

# (h2k.yaml, [(line, column, text in the message)]): each schema error at the key it is about.
YAML_ERRORS = [
    ("namespace: shop\nimagez: {}\n", [(2, 1, "imagez: unknown key 'imagez'; did you mean 'images'?")]),
    ("flavors:\n  big: {vcpus: 0, ram: 1}\n", [(2, 9, "flavors.big.vcpus: 0 is less than or equal")]),
    ("images: [not, a, map]\n", [(1, 1, "images: ['not', 'a', 'map'] is not of type 'object'")]),
    ("stacks:\n  - template: a.yaml\n    ouptut: out\n",
     [(2, 5, "stacks[0]: 'output' is a required property"),
      (3, 5, "stacks[0].ouptut: unknown key 'ouptut'; did you mean 'output'?")]),
    ("stacks:\n  - {template: a.yaml, output: out}\n  - template: b.yaml\n    output: out2\n    package: zip\n",
     [(5, 5, "stacks[1].package: 'zip' is not one of")]),
    ("stacks:\n  - {template: a.yaml, output: out}\n  - {template: b.yaml, output: out/b}\n",
     [(3, 24, "stacks[1].output: out/b overlaps the output of a.yaml (out)")]),
]

# (pyproject.toml, [(line, column, text in the message)]): tomllib has no positions; lines are found by name.
TOML_ERRORS = [
    ('[project]\nname = "x"\n\n[tool.h2k]\nnamespace = "Shop"\n', [(5, 1, "namespace: 'Shop' does not match")]),
    ('[tool.h2k]\nimagez = {}\n', [(2, 1, "imagez: unknown key 'imagez'; did you mean 'images'?")]),
    ('[tool.h2k.flavors]\nbig = {vcpus = 0, ram = 1}\n', [(2, 1, "flavors.big.vcpus: 0 is less than or equal")]),
    ('[tool.h2k]\nnamespace = "shop"\n\n[[tool.h2k.stacks]]\ntemplate = "a.yaml"\noutput = "a"\n\n'
     '[[tool.h2k.stacks]]\n  template = "b.yaml"\n  output = "b"\n  package = "zip"\n',
     [(11, 3, "stacks[1].package: 'zip' is not one of")]),
    ('[tool.h2k]\ndescription = """\nimagez = 1\n"""\n', [(2, 1, "description: unknown key")]),
    ('[tool.h2k]\nnamespace =\n', [(2, 12, "not valid TOML: Invalid value")]),
    ('[tool.other]\nx = 1\n', [(1, 1, "has no [tool.h2k] table")]),
]


def _findings(path: Path) -> list[tuple[int, int, str, str]]:
    sink = DiagnosticSink()
    assert load_config(path, sink) is None
    return [(d.span.line, d.span.column, d.code.id, d.message) for d in sink.sorted()]


def _matches(found: list[tuple[int, int, str, str]], expected: list[tuple[int, int, str]]) -> None:
    assert [(line, column) for line, column, _, _ in found] == [(line, column) for line, column, _ in expected], found
    for (_, _, code, message), (_, _, text) in zip(found, expected, strict=True):
        assert code == "H2K903" and text in message, message


@pytest.mark.parametrize(("text", "expected"), YAML_ERRORS)
def test_yaml_errors_point_at_the_key(text: str, expected: list[tuple[int, int, str]], tmp_path: Path) -> None:
    path = tmp_path / "h2k.yaml"
    path.write_text(text, encoding="utf-8")
    _matches(_findings(path), expected)


@pytest.mark.parametrize(("text", "expected"), TOML_ERRORS)
def test_pyproject_errors_name_the_key_and_its_line(text: str, expected: list[tuple[int, int, str]],
                                                    tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    _matches(_findings(path), expected)


def test_the_command_line_prints_the_key_position(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "stack.yaml")
    (tmp_path / "h2k.yaml").write_text("namespace: shop\nstorage_clases: {}\n", encoding="utf-8")
    result = _h2k("compile", "stack.yaml", "--stdout", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("h2k.yaml:2:1: error: storage_clases: unknown key 'storage_clases'; did you mean "
                                    "'storage_classes'?")


# Where the config comes from, for a template at repo/deploy/stacks/app.yaml:
# (files to create, expected config, also a H2K905 note)
DISCOVERY = [
    ({"repo/pyproject.toml": "[tool.h2k]\n"}, "repo/pyproject.toml", False),
    ({"repo/deploy/pyproject.toml": "[project]\nname = 'x'\n", "repo/pyproject.toml": "[tool.h2k]\n"},
     "repo/pyproject.toml", False),
    ({"repo/deploy/stacks/h2k.yaml": "{}\n", "repo/pyproject.toml": "[tool.h2k]\n"},
     "repo/deploy/stacks/h2k.yaml", True),
    ({"repo/deploy/h2k.yaml": "{}\n"}, None, False),  # h2k.yaml only beside the template
    ({"pyproject.toml": "[tool.h2k]\n"}, None, False),  # above the repository root
    ({"repo/pyproject.toml": "[tool.h2k]\nimages = {ubuntu = 'x'}\n"}, "repo/pyproject.toml", False),
    ({"repo/pyproject.toml": "[tool]\nh2k = {namespace = 'shop'}\n"}, "repo/pyproject.toml", False),
]


@pytest.mark.parametrize(("files", "expected", "note"), DISCOVERY)
def test_discovery(files: dict[str, str], expected: str | None, note: bool, tmp_path: Path) -> None:
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "deploy" / "stacks").mkdir(parents=True)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    sink = DiagnosticSink()
    found = find_config(tmp_path / "repo" / "deploy" / "stacks" / "app.yaml", None, sink)
    assert found == (tmp_path / expected if expected else None)
    assert [d.code.id for d in sink.items] == (["H2K905"] if note else [])
    if found is not None:
        assert load_config(found, DiagnosticSink()) is not None


def test_pyproject_config_steers_the_compile(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "stacks").mkdir()
    shutil.copy(SAMPLE, tmp_path / "stacks" / "web.yaml")
    (tmp_path / "pyproject.toml").write_text('[tool.h2k]\nnamespace = "shop"\n\n[tool.h2k.flavors]\n'
                                             '"m1.small" = {vcpus = 2, ram = 1024}\n', encoding="utf-8")
    result = _h2k("compile", "stacks/web.yaml", "--stdout", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [deployment] = [d for d in yaml.safe_load_all(result.stdout) if d["kind"] == "Deployment"]
    assert deployment["metadata"]["namespace"] == "shop"
    assert deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"] == \
        {"cpu": "2", "memory": "1024Mi"}


# Output settings: (config, options, expected kustomization present, expected manifest suffix)
OUTPUT_SETTINGS = [
    ("{}\n", {}, True, ".yaml"),
    ("package: plain\n", {}, False, ".yaml"),
    ("package: plain\nformat: json\n", {}, False, ".json"),
    ("package: plain\nformat: json\n", {"package": "kustomize", "format": "yaml"}, True, ".yaml"),  # flags win
    ("format: json\n", {"package": "plain"}, False, ".json"),
]


@pytest.mark.parametrize(("config", "options", "kustomization", "suffix"), OUTPUT_SETTINGS)
def test_output_settings_flags_win_over_the_config(config: str, options: dict[str, str], kustomization: bool,
                                                   suffix: str, tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "stack.yaml")
    (tmp_path / "h2k.yaml").write_text(config, encoding="utf-8")
    result = compile(tmp_path / "stack.yaml", CompileOptions(**options))  # type: ignore[arg-type]
    manifests = [name for name in result.files if name.startswith("kubernetes/")]
    assert ("kubernetes/kustomization.yaml" in manifests) == kustomization
    assert all(name.endswith(suffix) for name in manifests if not name.endswith("kustomization.yaml"))
    assert result.stream().lstrip().startswith("{") == (suffix == ".json")


def _h2k(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "h2k", *args], capture_output=True, text=True, timeout=300, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


PROJECT = """\
namespace: shop
stacks:
  - template: stacks/web.yaml
    output: out/web
    environment: [env/prod.yaml]
    parameter_files: {image: params/image.txt}
  - template: stacks/web.yaml
    output: out/web-staging
    namespace: staging
    package: plain
    parameters: {data_size: 5}
"""


def _project(root: Path) -> None:
    for folder in ("stacks", "env", "params"):
        (root / folder).mkdir(parents=True)
    shutil.copy(SAMPLE, root / "stacks" / "web.yaml")
    (root / "env" / "prod.yaml").write_text("parameters: {data_size: 30}\n", encoding="utf-8")
    (root / "params" / "image.txt").write_text("ubuntu-24.04", encoding="utf-8")
    (root / "h2k.yaml").write_text(PROJECT, encoding="utf-8")


def _claim(out: Path) -> dict[str, object]:
    [path] = (out / "kubernetes").glob("persistentvolumeclaim-*")
    loaded: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return loaded


def test_compile_all_writes_every_stack_with_its_settings(tmp_path: Path) -> None:
    _project(tmp_path)
    first = _h2k("compile", "--all", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    prod, staging = _claim(tmp_path / "out" / "web"), _claim(tmp_path / "out" / "web-staging")
    assert (prod["metadata"]["namespace"], prod["spec"]["resources"]["requests"]["storage"]) == (  # type: ignore[index]
        "shop", "30Gi")
    assert (staging["metadata"]["namespace"],  # type: ignore[index]
            staging["spec"]["resources"]["requests"]["storage"]) == ("staging", "5Gi")  # type: ignore[index]
    assert not (tmp_path / "out" / "web-staging" / "kubernetes" / "kustomization.yaml").exists()
    assert "h2k: updated out/web/kubernetes/kustomization.yaml" in first.stdout.splitlines()
    # The same run from elsewhere, with --config: the paths are the config file's.
    again = _h2k("compile", "--all", "--config", str(tmp_path / "h2k.yaml"), "--fail-if-changed", cwd=tmp_path.parent)
    assert (again.returncode, again.stdout) == (0, ""), again.stderr
    # A flag wins over every entry.
    flagged = _h2k("compile", "--all", "--namespace", "other", "--check", cwd=tmp_path)
    assert flagged.returncode == 1 and "+  namespace: other" in flagged.stdout


def test_compile_all_catches_stale_outputs_like_a_formatter(tmp_path: Path) -> None:
    _project(tmp_path)
    assert _h2k("compile", "--all", cwd=tmp_path).returncode == 0
    claim = next((tmp_path / "out" / "web" / "kubernetes").glob("persistentvolumeclaim-*"))
    claim.write_text(claim.read_text(encoding="utf-8").replace("30Gi", "31Gi"), encoding="utf-8")
    check = _h2k("compile", "--all", "--check", cwd=tmp_path)
    assert check.returncode == 1
    assert "-      storage: 31Gi" in check.stdout and "+      storage: 30Gi" in check.stdout
    assert "h2k: out/web is out of date" in check.stderr
    fixed = _h2k("compile", "--all", "--fail-if-changed", cwd=tmp_path)
    assert fixed.returncode == 1
    assert fixed.stdout.splitlines() == [f"h2k: updated out/web/kubernetes/{claim.name}"]
    assert "1 generated file changed" in fixed.stderr
    assert _h2k("compile", "--all", "--fail-if-changed", cwd=tmp_path).returncode == 0
    assert _h2k("compile", "--all", "--check", cwd=tmp_path).returncode == 0


def test_compile_all_from_pyproject_in_a_subdirectory(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "deploy").mkdir()
    shutil.copy(SAMPLE, tmp_path / "deploy" / "web.yaml")
    (tmp_path / "pyproject.toml").write_text('[[tool.h2k.stacks]]\ntemplate = "deploy/web.yaml"\n'
                                             'output = "deploy/out"\n', encoding="utf-8")
    result = _h2k("compile", "--all", "--diagnostics-format", "json", cwd=tmp_path / "deploy")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "deploy" / "out" / "kubernetes" / "kustomization.yaml").is_file()
    files = {d["file"] for d in json.loads(result.stderr)["diagnostics"]}
    assert files == {"../deploy/web.yaml"}  # relative to where h2k runs


# (arguments, files, expected exit code, text in stderr)
ALL_ERRORS = [
    (["--all", "stack.yaml"], {}, 2, "drop TEMPLATE"),
    (["--all", "-o", "out", "-P", "a=b"], {}, 2, "drop -o, -P"),
    (["--all"], {}, 2, "no config file"),
    (["--all"], {"h2k.yaml": "namespace: shop\n"}, 2, "declares no stacks"),
    (["--all"], {"h2k.yaml": "stacks: [{template: stack.yaml}]\n"}, 2, "'output' is a required property"),
    (["--all"], {"h2k.yaml": "stacks: [{template: missing.yaml, output: out}]\n"}, 2, "[H2K009]"),
    (["--all"], {"h2k.yaml": "stacks: [{template: stack.yaml, output: out, parameter_files: {a: nope.txt}}]\n"},
     2, "cannot read nope.txt, the value of parameter a"),
    (["--all"], {"h2k.yaml": "stacks: [{template: stack.yaml, output: mine}]\n", "mine/notes.txt": "keep"},
     2, "was not written by h2k"),
    ([], {}, 2, "give a TEMPLATE, or --all"),
]


@pytest.mark.parametrize(("args", "files", "code", "text"), ALL_ERRORS)
def test_compile_all_errors(args: list[str], files: dict[str, str], code: int, text: str, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    shutil.copy(SAMPLE, tmp_path / "stack.yaml")
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    result = _h2k("compile", *args, cwd=tmp_path)
    assert result.returncode == code, result.stderr
    assert text in result.stderr
    assert "Traceback" not in result.stderr


def test_a_valid_config_does_not_load_jsonschema(tmp_path: Path) -> None:
    """Start-up of the pre-commit hook: the slow validator is for explaining errors only."""
    (tmp_path / "h2k.yaml").write_text(PROJECT, encoding="utf-8")
    code = ("import sys; from pathlib import Path; from h2k.config import load_config; "
            "from h2k.diagnostics import DiagnosticSink; "
            "assert load_config(Path('h2k.yaml'), DiagnosticSink()).stacks; print('jsonschema' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (result.returncode, result.stdout) == (0, "False\n"), result.stderr
