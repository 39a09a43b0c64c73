"""The command line end to end, as a user runs it: exit codes, files, drift checks, hostile input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml
from click.testing import CliRunner

from h2k import __version__
from h2k.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "hot" / "web-with-volume.yaml"


def h2k(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "h2k", *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, cwd=cwd)


def tree(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_version() -> None:
    result = h2k("--version")
    assert (result.returncode, result.stdout) == (0, f"h2k {__version__}\n")


def test_compile_writes_valid_manifests_deterministically(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert h2k("compile", str(SAMPLE), "-o", str(first)).returncode == 0
    assert h2k("compile", str(SAMPLE), "-o", str(second), env={"PYTHONHASHSEED": "12345"}).returncode == 0
    assert tree(first) == tree(second)
    manifests = sorted((first / "kubernetes").glob("*.yaml"))
    kinds = set()
    for path in manifests:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if document["kind"] == "Kustomization":
            assert sorted(document["resources"]) == sorted(p.name for p in manifests if p.name != path.name)
            continue
        kinds.add(document["kind"])
        # An independent check: the reference validator, strict, on the default version.
        kubernetes_validate.validate(document, "1.33", strict=True)
        assert document["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "h2k"
        assert document["metadata"]["annotations"]["h2k.io/source"].startswith("web-with-volume.yaml#resources/")
    assert kinds == {"Deployment", "PersistentVolumeClaim", "NetworkPolicy", "StorageClass"}
    report = json.loads((first / "h2k-report.json").read_text(encoding="utf-8"))
    statuses = {r["name"]: r["status"] for r in report["resources"]}
    assert statuses["web_floating_ip"] == "openstack"  # it fronts no translated workload
    assert statuses["data_attachment"] == "merged"


def test_check_reports_drift_and_never_writes(tmp_path: Path) -> None:
    template = tmp_path / "stack.yaml"
    shutil.copy(SAMPLE, template)
    out = tmp_path / "out"
    assert h2k("compile", str(template), "-o", str(out)).returncode == 0
    clean = h2k("compile", str(template), "-o", str(out), "--check")
    assert (clean.returncode, clean.stdout) == (0, "")
    before = tree(out)
    template.write_text(template.read_text(encoding="utf-8").replace("default: 10", "default: 20"), encoding="utf-8")
    drift = h2k("compile", str(template), "-o", str(out), "--check")
    assert drift.returncode == 1
    assert "-      storage: 10Gi" in drift.stdout and "+      storage: 20Gi" in drift.stdout
    assert tree(out) == before


def test_a_failed_run_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    template = tmp_path / "stack.yaml"
    shutil.copy(SAMPLE, template)
    out = tmp_path / "out"
    assert h2k("compile", str(template), "-o", str(out)).returncode == 0
    before = tree(out)
    template.write_text("heat_template_version: 2018-08-31\nresources: [\n", encoding="utf-8")
    broken = h2k("compile", str(template), "-o", str(out))
    assert broken.returncode == 1
    assert "[H2K003]" in broken.stderr
    assert tree(out) == before


def test_refuses_to_replace_a_foreign_directory(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = h2k("compile", str(SAMPLE), "-o", str(out))
    assert result.returncode == 2
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_stdout_stream_and_ir() -> None:
    stream = h2k("compile", str(SAMPLE), "--stdout")
    assert stream.returncode == 0
    documents = list(yaml.safe_load_all(stream.stdout))
    assert [d["kind"] for d in documents] == ["StorageClass", "PersistentVolumeClaim", "NetworkPolicy", "Deployment"]
    ir = h2k("compile", str(SAMPLE), "--emit", "ir")
    assert ir.returncode == 0
    assert ir.stdout.startswith("stack web-with-volume version=2018-08-31")


def test_readme_example_findings_are_real() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quoted = [line for line in readme.splitlines() if line.startswith("samples/hot/web-with-volume.yaml:")]
    assert quoted
    result = h2k("compile", "samples/hot/web-with-volume.yaml", "--stdout", cwd=ROOT)
    for line in quoted:
        assert line in result.stderr.splitlines()


PARAMETER_CASES = [
    # (arguments, exit code, code expected in stderr)
    (["-P", "data_size=many"], 1, "H2K104"),
    (["-P", "nope=1"], 1, "H2K106"),
    (["-P", "flavor=m9.huge"], 1, "H2K113"),
    (["-P", "flavor=m1.medium", "-P", "data_size=5"], 0, ""),
    (["--kube-version", "1.12"], 2, ""),
    (["-P", "no-equals-sign"], 2, ""),
    (["--fail-on", "warning"], 1, "H2K404"),
]


@pytest.mark.parametrize(("args", "code", "finding"), PARAMETER_CASES)
def test_compile_options(args: list[str], code: int, finding: str) -> None:
    result = h2k("compile", str(SAMPLE), "--stdout", *args)
    assert result.returncode == code, result.stderr
    assert finding in result.stderr
    assert "Traceback" not in result.stderr


def test_check_json_and_exit_codes(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("heat_template_version: 2018-08-31\nresources: {}\n", encoding="utf-8")
    bad.write_text("heat_template_version: 2018-08-31\nresources:\n  a: {type: X, propertes: {}}\n", encoding="utf-8")
    assert h2k("check", str(good)).returncode == 0
    result = h2k("check", "--format", "json", str(good), str(bad))
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [(d["code"], d["line"], d["column"]) for d in document["diagnostics"]] == [("H2K103", 3, 16)]
    missing = h2k("check", str(tmp_path / "missing.yaml"))
    assert missing.returncode == 2 and "[H2K009]" in missing.stdout


def test_check_ignore_unknown_skips_other_yaml(tmp_path: Path) -> None:
    other = tmp_path / "workflow.yaml"
    other.write_text("on: push\njobs: {}\n", encoding="utf-8")
    assert h2k("check", str(other)).returncode == 1
    assert h2k("check", "--ignore-unknown", str(other)).returncode == 0


def _bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "heat_template_version: 2018-08-31\n" + "\n".join(lines) + "\n"


HOSTILE = {
    "alias-bomb.yaml": (_bomb().encode(), "H2K005"),
    "deep.yaml": (b"x: " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "H2K006"),
    "huge.yaml": (b"heat_template_version: 2018-08-31\n" + b"# padding\n" * 5_000_000, "H2K001"),
    "latin1.yaml": (b"heat_template_version: 2018-08-31\ndescription: caf\xe9\n", "H2K002"),
    "tabs.yaml": (b"heat_template_version: 2018-08-31\nresources:\n\tserver:\n\t\ttype: OS::Nova::Server\n", "H2K003"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("command", ["check", "compile"])
def test_hostile_input_is_a_coded_finding(name: str, command: str, tmp_path: Path) -> None:
    content, code = HOSTILE[name]
    path = tmp_path / name
    path.write_bytes(content)
    args = [command, str(path)] + (["--stdout"] if command == "compile" else [])
    result = h2k(*args)
    assert result.returncode in (1, 2)
    assert f"[{code}]" in result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if command == "compile":
        assert result.stdout == ""  # nothing is emitted from refused input


def test_internal_error_is_one_line_and_debug_shows_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("h2k.api.check", explode)
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(SAMPLE)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "h2k: internal error (RuntimeError: boom); please report it, with the output of `h2k --debug ...` [H2K901]"]
    debug = runner.invoke(main, ["--debug", "check", str(SAMPLE)])
    assert isinstance(debug.exception, RuntimeError)


def test_explain() -> None:
    result = h2k("explain", "duplicate-key")
    assert result.returncode == 0 and result.stdout.startswith("H2K004 duplicate-key (warning by default)")
    assert h2k("explain", "H2K999").returncode == 2


def test_json_format(tmp_path: Path) -> None:
    stream = h2k("compile", str(SAMPLE), "--stdout", "--format", "json")
    document = json.loads(stream.stdout)
    assert document["kind"] == "List"
    assert [item["kind"] for item in document["items"]] == ["StorageClass", "PersistentVolumeClaim", "NetworkPolicy",
                                                             "Deployment"]
    out = tmp_path / "out"
    assert h2k("compile", str(SAMPLE), "-o", str(out), "--format", "json").returncode == 0
    listed = yaml.safe_load((out / "kubernetes" / "kustomization.yaml").read_text(encoding="utf-8"))["resources"]
    assert sorted(listed) == sorted(p.name for p in (out / "kubernetes").glob("*.json"))
    on_disk = [json.loads((out / "kubernetes" / name).read_text(encoding="utf-8")) for name in listed]
    assert on_disk == document["items"]


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_the_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert h2k("compile", str(SAMPLE), "-o", str(out), "--namespace", "shop").returncode == 0
    rendered = subprocess.run(["kubectl", "kustomize", str(out / "kubernetes")], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert rendered.returncode == 0, rendered.stderr
    documents = list(yaml.safe_load_all(rendered.stdout))
    written = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((out / "kubernetes").glob("*.yaml"))
               if p.name != "kustomization.yaml"]
    key = lambda d: (d["kind"], d["metadata"]["name"])  # noqa: E731
    assert sorted(documents, key=key) == sorted(written, key=key)
    assert {d["metadata"].get("namespace") for d in documents if d["kind"] != "StorageClass"} == {"shop"}
    assert all("namespace" not in d["metadata"] for d in documents if d["kind"] == "StorageClass")


CONFIG_CASES = [
    # (h2k.yaml beside the template, expected exit code, expected text in stderr)
    ("images: {ubuntu-22.04: nginx}\nflavors: {m1.small: {vcpus: 2, ram: 1024}}\n", 0, ""),
    ("imagez: {}\n", 2, "[H2K903]"),
    ("flavors: {x: {vcpus: 0, ram: 1}}\n", 2, "[H2K903]"),
    ("kube_version: '1.12'\n", 2, "[H2K903]"),
    ("images: [not, a, map]\n", 2, "[H2K903]"),
    ("images: {a: b\n", 1, "[H2K003]"),
]


@pytest.mark.parametrize(("config", "code", "finding"), CONFIG_CASES)
def test_config_file_is_validated(config: str, code: int, finding: str, tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "stack.yaml")
    (tmp_path / "h2k.yaml").write_text(config, encoding="utf-8")
    result = h2k("compile", str(tmp_path / "stack.yaml"), "--stdout")
    assert result.returncode == code, result.stderr
    assert finding in result.stderr
    if code:
        assert result.stdout == ""


def test_flavor_override_from_config(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "stack.yaml")
    (tmp_path / "h2k.yaml").write_text("flavors: {m1.small: {vcpus: 2, ram: 1024}}\n", encoding="utf-8")
    documents = list(yaml.safe_load_all(h2k("compile", str(tmp_path / "stack.yaml"), "--stdout").stdout))
    [deployment] = [d for d in documents if d["kind"] == "Deployment"]
    assert deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"] == \
        {"cpu": "2", "memory": "1024Mi"}


def test_compiling_an_environment_file_says_so(tmp_path: Path) -> None:
    env = tmp_path / "env.yaml"
    env.write_text("parameters: {image: x}\n", encoding="utf-8")
    result = h2k("compile", str(env), "--stdout")
    assert result.returncode == 1
    assert "environment file" in result.stderr and "[H2K011]" in result.stderr
    assert h2k("check", str(env)).returncode == 0


def test_check_against_a_foreign_directory_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    result = h2k("compile", str(SAMPLE), "-o", str(out), "--check")
    assert result.returncode == 2 and "h2k: error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_hidden_values_are_never_written_or_printed(tmp_path: Path) -> None:
    template = tmp_path / "stack.yaml"
    template.write_text(
        "heat_template_version: 2018-08-31\n"
        "parameters:\n"
        "  password: {type: string, hidden: true, default: S3cr3t-pass, constraints: [{length: {max: 4}}]}\n"
        "resources:\n"
        "  srv:\n"
        "    type: OS::Nova::Server\n"
        "    metadata: {h2k.io/image: {str_replace: {template: 'img:$p', params: {$p: {get_param: password}}}}}\n",
        encoding="utf-8")
    out = tmp_path / "out"
    for args in (["-o", str(out)], ["--stdout"], ["--emit", "ir"], ["--stdout", "--diagnostics-format", "json"]):
        result = h2k("compile", str(template), *args)
        assert "S3cr3t" not in result.stdout + result.stderr, args
    result = h2k("compile", str(template), "-o", str(out))
    assert result.returncode == 2 and "[H2K410]" in result.stderr
    assert not out.exists()


def test_random_strings_are_secrets_whose_values_the_user_keeps(tmp_path: Path) -> None:
    template = tmp_path / "stack.yaml"
    template.write_text("heat_template_version: 2018-08-31\nresources:\n"
                        "  db_password: {type: OS::Heat::RandomString, properties: {length: 24}}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert h2k("compile", str(template), "-o", str(out)).returncode == 0
    kustomization = yaml.safe_load((out / "kubernetes" / "kustomization.yaml").read_text(encoding="utf-8"))
    [generator] = kustomization["secretGenerator"]
    assert generator["name"] == "db-password" and generator["envs"] == ["secrets/db-password.env"]
    assert (out / "kubernetes" / "secrets" / ".gitignore").read_text(encoding="utf-8") == "*.env\n*/\n"
    example = (out / "kubernetes" / "secrets" / "db-password.env.example").read_text(encoding="utf-8")
    assert "24 characters" in example and example.endswith("value=\n")
    # The user's value survives the next run, and is not drift.
    (out / "kubernetes" / "secrets" / "db-password.env").write_text("value=hunter22\n", encoding="utf-8")
    assert h2k("compile", str(template), "-o", str(out)).returncode == 0
    assert (out / "kubernetes" / "secrets" / "db-password.env").read_text(encoding="utf-8") == "value=hunter22\n"
    assert h2k("compile", str(template), "-o", str(out), "--check").returncode == 0
    plain = list(yaml.safe_load_all(h2k("compile", str(template), "--stdout", "--package", "plain").stdout))
    assert [(d["kind"], "data" in d, "stringData" in d) for d in plain] == [("Secret", False, False)]
    if shutil.which("kubectl"):
        rendered = subprocess.run(["kubectl", "kustomize", str(out / "kubernetes")], capture_output=True, text=True,
                                  timeout=120, env={**os.environ, "HOME": str(tmp_path)})
        assert rendered.returncode == 0, rendered.stderr
        [secret] = list(yaml.safe_load_all(rendered.stdout))
        assert secret["metadata"]["name"] == "db-password"
        assert secret["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "h2k"
