"""The hook declared in .pre-commit-hooks.yaml, run by the real pre-commit on a scratch repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")

pytestmark = pytest.mark.skipif(PRE_COMMIT is None or not (ROOT / ".git").exists(),
                                reason="needs pre-commit and a git checkout of h2k")


GOOD = "heat_template_version: 2018-08-31\nresources: {}\n"
BAD = "heat_template_version: 2018-08-31\nresources:\n  a: {type: X, propertes: {}}\n"
SAMPLE = ROOT / "samples" / "hot" / "web-with-volume.yaml"
PROJECT = "stacks:\n  - template: stacks/web.yaml\n    output: deploy/web\n"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pre-commit store for the module: the hook's environment is installed once per revision."""
    return tmp_path_factory.mktemp("pre-commit-cache")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _repo(root: Path, files: dict[str, str]) -> Path:
    work = root / "repo"
    work.mkdir()
    _git(work, "init", "-q")
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text, encoding="utf-8")
    _git(work, "add", ".")
    return work


def _try(work: Path, hook: str, cache: Path) -> tuple[int, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cache), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    assert PRE_COMMIT is not None
    result = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), hook, "--all-files"], cwd=work,
                            capture_output=True, text=True, env=env, timeout=600)
    return result.returncode, result.stdout + result.stderr


def test_hook_reports_template_findings_and_skips_other_yaml(tmp_path: Path, cache: Path) -> None:
    work = _repo(tmp_path, {"good.yaml": GOOD, "bad.yaml": BAD, "workflow.yml": "on: push\njobs: {}\n"})
    code, output = _try(work, "h2k-check", cache)
    assert code == 1, output
    findings = [line for line in output.splitlines() if "[H2K" in line]
    # good.yaml is clean and workflow.yml is not a template (--ignore-unknown): only bad.yaml speaks.
    assert findings == ["bad.yaml:3:16: error: invalid keyword 'propertes' inside resource a [H2K103]"]


def test_check_hook_passes_clean_templates(tmp_path: Path, cache: Path) -> None:
    work = _repo(tmp_path, {"stacks/good.yaml": GOOD, "stacks/web.yaml": SAMPLE.read_text(encoding="utf-8")})
    code, output = _try(work, "h2k-check", cache)
    assert code == 0, output
    assert "[H2K" not in output


def test_compile_hook_regenerates_stale_outputs_like_a_formatter(tmp_path: Path, cache: Path) -> None:
    work = _repo(tmp_path, {"h2k.yaml": PROJECT, "stacks/web.yaml": SAMPLE.read_text(encoding="utf-8")})
    code, output = _try(work, "h2k-compile", cache)
    assert code == 1, output  # nothing was generated yet
    assert "h2k: updated deploy/web/kubernetes/kustomization.yaml" in output.splitlines()
    _git(work, "add", ".")
    code, output = _try(work, "h2k-compile", cache)
    assert code == 0, output
    # The template changes and the committed manifest is now stale: the hook rewrites it and fails, once.
    template = work / "stacks" / "web.yaml"
    template.write_text(template.read_text(encoding="utf-8").replace("default: 10", "default: 20"), encoding="utf-8")
    code, output = _try(work, "h2k-compile", cache)
    assert code == 1, output
    assert "h2k: updated deploy/web/kubernetes/persistentvolumeclaim-data-volume.yaml" in output.splitlines()
    claim = work / "deploy" / "web" / "kubernetes" / "persistentvolumeclaim-data-volume.yaml"
    assert "storage: 20Gi" in claim.read_text(encoding="utf-8")
    code, output = _try(work, "h2k-compile", cache)
    assert code == 0, output
