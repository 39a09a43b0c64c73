"""`h2k hint` (cases in cases/hint.yaml) and the placeholders it writes (H2K940, H2K941)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.api import check, compile
from h2k.diagnostics.model import Diagnostic
from h2k.hint.placeholder import is_placeholder
from h2k.hint.write import Placed, hint, write

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "hint.yaml").read_text(encoding="utf-8"))
NEWLINES = {"lf": "\n", "crlf": "\r\n"}
# What the test writes in place of each kind of placeholder.
FILLED = {"h2k.io/image": '"registry.example.com/app:1.0"', "h2k.io/port": "8080",
          "h2k.io/mount-path": '"/srv/data"', "h2k.io/target": '"openstack"'}
REFUSED = re.compile(r"h2k hint cannot add metadata (\S+) to (\S+?): ")
PLACEHOLDER = re.compile(r'("?)(h2k\.io/[a-z-]+)\1: "<[^"]*>"')
# How each hinted finding names its resource, to check it is gone once the placeholder is filled.
STILL = {"H2K401": "server {} has no container image", "H2K305": "server {} stays on OpenStack",
         "H2K405": "volume {} is mounted at", "H2K402": "server {} declares no port", "H2K301": "resource {} ("}


def _bytes(text: str, newline: str) -> bytes:
    return text.replace("\n", newline).encode("utf-8")


def _setup(case: dict[str, Any], directory: Path, newline: str) -> Path:
    template = directory / "t.yaml"
    template.write_bytes(_bytes(case["template"], newline))
    for name, text in case.get("files", {}).items():
        (directory / name).write_bytes(_bytes(text, newline))
    if "config" in case:
        (directory / "h2k.yaml").write_text(yaml.safe_dump(case["config"]), encoding="utf-8")
    return template


@pytest.mark.parametrize("newline", NEWLINES)
@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_hint_case(case: dict[str, Any], newline: str, tmp_path: Path) -> None:
    eol = NEWLINES[newline]
    template = _setup(case, tmp_path, eol)
    result = hint(template)
    assert result.compiled
    refused = sorted(" ".join(reversed(REFUSED.match(d.message).groups()))  # type: ignore[union-attr]
                     for d in result.diagnostics if d.code.id == "H2K941")
    assert refused == sorted(case.get("refused", []))
    assert all(d.code.id == "H2K941" for d in result.diagnostics)
    write(result)
    assert template.read_bytes() == _bytes(case.get("expected", case["template"]), eol)
    for name, text in case.get("files", {}).items():
        assert (tmp_path / name).read_bytes() == _bytes(case.get("expected_files", {}).get(name, text), eol)
    again = hint(template)
    assert (again.changes, again.placed) == ({}, []), "a second run must change nothing"
    _read_independently(template, result.placed)
    _fill_and_compile(tmp_path, template, result.placed)


def _read_independently(template: Path, placed: list[Placed]) -> None:
    """A YAML 1.2 reader other than h2k's finds every placeholder where it was written."""
    from ruamel.yaml import YAML

    document = YAML(typ="safe", pure=True).load(template.read_bytes())
    found = {(name, key) for name, definition in document["resources"].items()
             for host in (definition, *(definition.get("properties", {}).get(k) or {} for k in ("resource_def",
                                                                                                  "resource")))
             for key, value in (host.get("metadata") or {}).items() if is_placeholder(key, value)}
    assert {(p.resource, p.key) for p in placed if p.file == str(template)} <= found


def _fill_and_compile(directory: Path, template: Path, placed: list[Placed]) -> None:
    """Once the placeholders are filled, the findings they answered are gone, and no H2K940 is left."""
    for path in {Path(p.file) for p in placed}:
        text = path.read_bytes().decode("utf-8")
        path.write_bytes(PLACEHOLDER.sub(lambda m: f"{m[1]}{m[2]}{m[1]}: {FILLED[m[2]]}", text).encode("utf-8"))
    diagnostics = compile(template).diagnostics
    assert not [d for d in diagnostics if d.code.id == "H2K940"]
    for item in placed:
        assert not _still_reported(diagnostics, item), item


def _still_reported(diagnostics: list[Diagnostic], item: Placed) -> list[Diagnostic]:
    patterns = [re.compile(re.escape(STILL[code]).replace(r"\{\}", r"(?:\S+\.)?" + re.escape(item.resource)))
                for code in item.codes]
    return [d for d in diagnostics for pattern in patterns if d.code.id in item.codes and pattern.search(d.message)]


UNFILLED = """\
heat_template_version: 2018-08-31
resources:
  web:
    type: OS::Nova::Server
    metadata:
      h2k.io/image: "<container image for Glance image ubuntu>"
      h2k.io/port: "<port web listens on>"
    properties: {image: ubuntu}
  group:
    type: OS::Heat::ResourceGroup
    properties:
      resource_def:
        type: OS::Nova::Server
        metadata: {h2k.io/target: "<openstack or kubernetes>"}
"""


def test_an_unfilled_placeholder_is_reported_and_read_as_absent(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(UNFILLED, encoding="utf-8")
    result = compile(template)
    found = sorted((d.code.id, d.span.line, d.span.column) for d in result.diagnostics if d.code.id in (
        "H2K940", "H2K305", "H2K103"))
    # The placeholders are reported where they are, and the servers stay virtual machines as without an image.
    assert found == [("H2K305", 3, 3), ("H2K305", 9, 3), ("H2K940", 6, 21), ("H2K940", 7, 20), ("H2K940", 14, 35)]
    assert not any(is_placeholder("h2k.io/image", str(item.object)) for item in result.objects)
    assert "<container" not in result.stream()
    # `h2k check` (the pre-commit hook) finds them too, in a group's member definition as well.
    assert sorted((d.span.line, d.span.column) for d in check([str(template)]) if d.code.id == "H2K940") == [
        (6, 21), (7, 20), (14, 35)]


def test_a_placeholder_is_never_a_value() -> None:
    from h2k.hint.placeholder import make

    value = make("container image for <Glance> image\nubuntu\u2028x")
    assert value == "<container image for Glance image ubuntu x>"
    assert is_placeholder("h2k.io/image", value) and is_placeholder("h2k.io/image", f"  {value} ")
    # A container image reference cannot contain `<`: nothing can ever be pulled from a placeholder.
    assert not re.fullmatch(r"[a-z0-9]+(?:[._/:@-][a-zA-Z0-9]+)*", value)


def test_byte_order_mark_and_permissions_are_kept(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_bytes(b"\xef\xbb\xbfheat_template_version: 2018-08-31\nresources:\n  a:\n"
                         b"    type: OS::Nova::Server\n    properties: {image: u1}\n")
    template.chmod(0o640)
    write(hint(template))
    assert template.read_bytes().startswith(b"\xef\xbb\xbfheat_template_version: 2018-08-31\nresources:\n  a:\n"
                                            b"    type: OS::Nova::Server\n    metadata:\n")
    assert template.stat().st_mode & 0o777 == 0o640


def h2k(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "h2k", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_cli_dry_run_writes_nothing_then_hint_writes(tmp_path: Path) -> None:
    template = tmp_path / "stack.yaml"
    template.write_text(CASES[0]["template"], encoding="utf-8")
    before = template.read_bytes()
    dry = h2k("hint", "stack.yaml", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0 and template.read_bytes() == before
    assert dry.stdout.startswith("--- a/stack.yaml\n+++ b/stack.yaml\n@@ ")
    assert '+        metadata:\n+            h2k.io/image: "<container image for Glance image ' \
           'ubuntu-22.04>"\n' in dry.stdout
    assert "h2k: 1 placeholder would be written" in dry.stderr
    run = h2k("hint", "stack.yaml", cwd=tmp_path)
    assert run.returncode == 0 and template.read_text(encoding="utf-8") == CASES[0]["expected"]
    assert run.stdout.splitlines() == [
        "stack.yaml:6:5: web: h2k.io/image: <container image for Glance image ubuntu-22.04> (H2K305)",
        "h2k: 1 placeholder written; fill them in, then compile again"]
    assert h2k("hint", "stack.yaml", cwd=tmp_path).stdout == "h2k: nothing to hint\n"


@pytest.mark.parametrize("text", ["parameters: {a: 1}\n", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
                                  "just: yaml\n", "resources: [unclosed\n"])
def test_cli_never_touches_what_is_not_a_hot_template(text: str, tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(text, encoding="utf-8")
    result = h2k("hint", "other.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "was left as it was" in result.stderr
    assert path.read_text(encoding="utf-8") == text
