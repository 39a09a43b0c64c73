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


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hook_reports_template_findings_and_skips_other_yaml(tmp_path: Path) -> None:
    work = tmp_path / "repo"
    work.mkdir()
    _git(work, "init", "-q")
    (work / "good.yaml").write_text("heat_template_version: 2018-08-31\nresources: {}\n", encoding="utf-8")
    (work / "bad.yaml").write_text(
        "heat_template_version: 2018-08-31\nresources:\n  a: {type: X, propertes: {}}\n", encoding="utf-8")
    (work / "workflow.yml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    _git(work, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    assert PRE_COMMIT is not None
    result = subprocess.run([PRE_COMMIT, "try-repo", str(ROOT), "h2k-check", "--all-files"], cwd=work,
                            capture_output=True, text=True, env=env, timeout=600)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    findings = [line for line in output.splitlines() if "[H2K" in line]
    # good.yaml is clean and workflow.yml is not a template (--ignore-unknown): only bad.yaml speaks.
    assert findings == ["bad.yaml:3:16: error: invalid keyword 'propertes' inside resource a [H2K103]"]
