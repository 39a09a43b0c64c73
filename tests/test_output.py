"""Output text must be stable and faithful; output trees must be replaced whole or not at all."""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from h2k.output import (
    MARKER,
    OutputDirError,
    check_paths,
    diff_tree,
    to_json,
    to_yaml,
    to_yaml_stream,
    tree,
    write_tree,
)

SCRIPT = """#!/bin/sh
set -eu
# configure the web server
cat > /etc/app.conf <<EOF
listen: 0.0.0.0:8080
  indented: "quoted" 'single'
EOF

exec app --config /etc/app.conf
"""

TRICKY = [
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "True",
    "0644",
    "08",
    "0x1F",
    "0xF",
    "0XAB",
    "10Gi",
    "/usr/share",
    "a#b",
    "a #b",
    "/",
    "//x#",
    "1.5e",
    "5y",
    "1E",
    "0o17",
    "1e3",
    "1_000",
    "1:30",
    "null",
    "~",
    "",
    "2016-10-14",
    "2016-10-14T12:00:00Z",
    ".inf",
    ".nan",
    "=",
    "-",
    "- item",
    "key: value",
    "#comment",
    "&anchor",
    "*alias",
    "!tag",
    "@at",
    "`tick",
    "{a: 1}",
    "[1, 2]",
    SCRIPT,
    "trailing spaces   \nnext line  \n",
    "no final newline\nsecond",
    "\nleading newline",
    "  leading spaces\nsecond\n",
    "keep\n\n\n",
    "tab\there\nnext",
    "crlf\r\nline",
    "next-line\x85char\n",
    "separator\u2028char\nx",
    "bom\ufeff\nx",
    "control\x1b[0m\nx",
    "unicode: é ü ß 日本語 Ω",
    "emoji 😀\nsecond line",
    "x" * 300 + " " + "y" * 300,
]


def sample_objects() -> list[dict[str, object]]:
    labels = {"app": "web", "tier": "frontend"}
    return [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "labels": labels, "annotations": {"h2k/source": "stack.yaml:12:3"}},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "containers": [
                            {
                                "name": "web",
                                "image": "nginx:1.25",
                                "command": ["/bin/sh", "-c", SCRIPT],
                                "env": [{"name": s[:20] or "EMPTY", "value": s} for s in TRICKY],
                                "ports": [{"containerPort": 8080}],
                            }
                        ]
                    },
                },
            },
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"mode": "0644"}},
    ]


# --- serialization -----------------------------------------------------------------------------------


def _ruamel_load(text: str) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


LOADERS: dict[str, Callable[[str], Any]] = {
    "pyyaml-c": lambda text: yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)),
    "pyyaml-pure": lambda text: yaml.load(text, Loader=yaml.SafeLoader),
    "ruamel-yaml-1.2": _ruamel_load,
}


@pytest.fixture(params=sorted(LOADERS))
def load(request: pytest.FixtureRequest) -> Callable[[str], Any]:
    """Every reader of our output (YAML 1.1 and 1.2, C and pure Python) must see the same data."""
    return LOADERS[request.param]


@pytest.mark.parametrize("value", TRICKY)
def test_yaml_round_trips_tricky_strings(load: Callable[[str], Any], value: str) -> None:
    obj = {"value": value, value: [value, {"nested": value}]}
    text = to_yaml(obj)
    assert load(text) == obj
    assert load(to_yaml(value)) == value


def test_yaml_round_trips_random_strings(load: Callable[[str], Any]) -> None:
    alphabet = [
        *"ab #:-'\"|>&*!%@`0.~{[,?",
        "\n",
        "\n",
        "\t",
        "\r",
        "é",
        "\x85",
        "\u2028",
        "\x00",
        "\xa0",
    ]
    rng = random.Random(0)
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        obj = {"v": [value, {"k": value}]}
        assert load(to_yaml(obj)) == obj, repr(value)


@pytest.mark.parametrize("key", ["k" * 1001, "a b: c" * 300, "x\ny" * 400])
def test_yaml_long_keys_round_trip(load: Callable[[str], Any], key: str) -> None:
    """Readers refuse implicit keys over 1024 characters; long keys must still read back."""
    obj = {key: {"nested": [1, {key: []}]}, "after": [{key: "v", "b": key}]}
    assert load(to_yaml(obj)) == obj


def test_yaml_keeps_types_and_order(load: Callable[[str], Any]) -> None:
    obj = {"z": 1, "a": 1.5, "m": True, "b": None, "c": [], "d": {}, "e": [1, "1", False, "false", 2.0, -0.5, 1e20]}
    text = to_yaml(obj)
    assert load(text) == obj
    assert [line.split(":")[0] for line in text.splitlines() if line[0] not in " -"] == list("zambcde")


def test_yaml_readable_forms() -> None:
    text = to_yaml({"script": SCRIPT, "mode": "0644", "answer": "yes", "flag": "y", "exp": "1e3"})
    assert "script: |\n  #!/bin/sh\n  set -eu\n" in text
    assert 'mode: "0644"\n' in text
    assert 'answer: "yes"\n' in text
    assert 'flag: "y"\n' in text
    assert 'exp: "1e3"\n' in text
    long = "word " * 100
    assert to_yaml({"long": long}).count("\n") == 1, "long strings must not be folded"


def test_yaml_block_style_lf_and_final_newline() -> None:
    text = to_yaml(sample_objects()[0])
    assert "{" not in text.split("annotations")[0], "mappings must be block style"
    assert "\r" not in text
    assert text.endswith("\n")
    assert "&id" not in text and "*id" not in text, "shared objects must not become anchors"


def test_yaml_refuses_sets() -> None:
    with pytest.raises(TypeError):
        to_yaml({"s": {"a", "b"}})
    with pytest.raises(TypeError):
        to_yaml({1: "non-string key"})


def test_yaml_stream() -> None:
    objs = sample_objects()
    text = to_yaml_stream(objs)
    assert text.startswith("---\n")
    assert text.count("---\n") == len(objs)
    assert list(yaml.safe_load_all(text)) == objs
    assert to_yaml_stream([]) == ""
    assert list(yaml.safe_load_all(to_yaml_stream(["a\nb", "keep\n\n", "x"]))) == ["a\nb", "keep\n\n", "x"]


def test_json() -> None:
    obj = {"b": 1, "a": ["é", None, True]}
    text = to_json(obj)
    assert text == '{\n  "b": 1,\n  "a": [\n    "é",\n    null,\n    true\n  ]\n}\n'
    assert json.loads(text) == obj
    with pytest.raises(ValueError):
        to_json({"x": float("nan")})


def test_serialization_is_repeatable() -> None:
    objs = sample_objects()
    assert to_yaml_stream(objs) == to_yaml_stream(sample_objects())
    assert to_json(objs) == to_json(sample_objects())


_SEED_SCRIPT = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from test_output import sample_objects
from h2k.output import to_json, to_yaml_stream
objs = sample_objects()
sys.stdout.write(hashlib.sha256((to_yaml_stream(objs) + to_json(objs)).encode()).hexdigest())
"""


def test_serialization_independent_of_hash_seed() -> None:
    script = _SEED_SCRIPT.format(tests=str(Path(__file__).parent))
    digests = set()
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        digests.add(result.stdout)
    assert len(digests) == 1


# --- path validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["../x", "a/../../x", "/abs", "/", "", "a//b", "./a", "a/.", "a\\b", "a\0b", "dir/", MARKER],
)
def test_check_paths_rejects(path: str) -> None:
    with pytest.raises(ValueError):
        check_paths({path: b""})


def test_check_paths_rejects_file_directory_clash() -> None:
    with pytest.raises(ValueError, match="both a file and a directory"):
        check_paths({"a": b"", "a/b": b""})


def test_check_paths_rejects_non_bytes() -> None:
    with pytest.raises(TypeError):
        check_paths({"a": "text"})  # type: ignore[dict-item]


def test_write_and_diff_reject_bad_paths(tmp_path: Path) -> None:
    out = tmp_path / "out"
    for bad in ("../x", "/abs"):
        with pytest.raises(ValueError):
            write_tree(out, {bad: b"x"})
        with pytest.raises(ValueError):
            diff_tree(out, {bad: b"x"})
    assert sorted(tmp_path.iterdir()) == []


# --- write_tree --------------------------------------------------------------------------------------

FILES_V1 = {
    "kubernetes/deployment-web.yaml": b"kind: Deployment\nname: web\n",
    "kubernetes/service-web.yaml": b"kind: Service\n",
    "openstack/requests.json": b"{}\n",
}
FILES_V2 = {
    "kubernetes/deployment-web.yaml": b"kind: Deployment\nname: web2\n",
    "kubernetes/configmap-cfg.yaml": b"kind: ConfigMap\n",
}


def snapshot(root: Path) -> dict[str, tuple[int, int, bytes | str]]:
    """Everything observable about a tree: kind, mode, mtime and content of each entry."""
    result: dict[str, tuple[int, int, bytes | str]] = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        if path.is_symlink():
            content: bytes | str = os.readlink(path)
        elif path.is_file():
            content = path.read_bytes()
        else:
            content = ""
        result[path.relative_to(root).as_posix()] = (st.st_mode, st.st_mtime_ns, content)
    return result


def contents(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_write_tree_creates_tree_and_marker(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "out"
    write_tree(out, FILES_V1)
    on_disk = contents(out)
    marker = on_disk.pop(MARKER).decode()
    assert on_disk == FILES_V1
    assert marker.splitlines()[1:] == sorted(FILES_V1)
    assert marker.endswith("\n")
    for path in out.rglob("*"):
        expected = 0o755 if path.is_dir() else 0o644
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"], "no staging directory left behind"


def test_write_tree_modes_ignore_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_tree(tmp_path / "out", FILES_V1)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out" / "openstack" / "requests.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "out" / "openstack").stat().st_mode) == 0o755


def test_write_tree_is_deterministic(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", FILES_V1)
    write_tree(tmp_path / "b", dict(reversed(FILES_V1.items())))
    assert contents(tmp_path / "a") == contents(tmp_path / "b")


def test_write_tree_replaces_and_removes_stale_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES_V1)
    write_tree(out, FILES_V2)
    on_disk = contents(out)
    on_disk.pop(MARKER)
    assert on_disk == FILES_V2
    assert not (out / "openstack").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_write_tree_into_empty_directory(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_tree(out, FILES_V1)
    assert (out / MARKER).is_file()


def test_write_tree_failure_keeps_previous_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES_V1)
    before = snapshot(out)
    real_write = tree._write_file

    def failing_write(path: Path, data: bytes) -> None:
        if path.name == "configmap-cfg.yaml":
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(tree, "_write_file", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_tree(out, FILES_V2)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"], "staging directory must be removed"


def test_write_tree_failure_on_final_rename_restores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES_V1)
    before = snapshot(out)
    real_rename = os.rename

    def failing_rename(src: Path, dst: Path) -> None:
        if Path(src).name == "new":
            raise OSError("rename failed")
        real_rename(src, dst)

    monkeypatch.setattr(tree.os, "rename", failing_rename)
    with pytest.raises(OSError, match="rename failed"):
        write_tree(out, FILES_V2)
    monkeypatch.undo()
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_write_tree_refuses_foreign_directory(tmp_path: Path) -> None:
    out = tmp_path / "project"
    out.mkdir()
    (out / "important.txt").write_bytes(b"mine")
    before = snapshot(out)
    with pytest.raises(OutputDirError, match="not written by h2k"):
        write_tree(out, FILES_V1)
    with pytest.raises(OutputDirError):
        diff_tree(out, FILES_V1)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_write_tree_refuses_marker_that_is_not_a_file(tmp_path: Path) -> None:
    out = tmp_path / "project"
    (out / MARKER).mkdir(parents=True)
    with pytest.raises(OutputDirError):
        write_tree(out, FILES_V1)
    assert (out / MARKER).is_dir()


def test_write_tree_refuses_regular_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_bytes(b"not a directory")
    with pytest.raises(OutputDirError, match="not a directory"):
        write_tree(out, FILES_V1)
    assert out.read_bytes() == b"not a directory"


def test_write_tree_refuses_symlink(tmp_path: Path) -> None:
    target = tmp_path / "target"
    write_tree(target, FILES_V1)
    link = tmp_path / "out"
    link.symlink_to(target)
    with pytest.raises(OutputDirError, match="symbolic link"):
        write_tree(link, FILES_V2)
    assert link.is_symlink()


def test_write_tree_does_not_follow_symlinks_when_deleting(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_bytes(b"keep")
    out = tmp_path / "out"
    write_tree(out, FILES_V1)
    (out / "link-dir").symlink_to(outside)
    (out / "link-file").symlink_to(outside / "keep.txt")
    write_tree(out, FILES_V2)
    assert (outside / "keep.txt").read_bytes() == b"keep"
    assert not (out / "link-dir").exists()


# --- diff_tree ---------------------------------------------------------------------------------------


def test_diff_tree_identical_is_empty(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES_V1)
    assert diff_tree(out, FILES_V1) == ""


def test_diff_tree_missing_dir_is_all_added(tmp_path: Path) -> None:
    out = tmp_path / "out"
    diff = diff_tree(out, FILES_V1)
    assert not out.exists()
    for path in [*FILES_V1, MARKER]:
        assert f"--- /dev/null\n+++ b/{path}\n" in diff
    assert "+kind: Deployment\n" in diff


def test_diff_tree_change_add_remove(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FILES_V1)
    (out / "link").symlink_to(tmp_path)
    before = snapshot(out)
    diff = diff_tree(out, FILES_V2)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]

    assert "--- a/kubernetes/deployment-web.yaml\n+++ b/kubernetes/deployment-web.yaml\n" in diff
    assert "-name: web\n+name: web2\n" in diff
    assert "--- /dev/null\n+++ b/kubernetes/configmap-cfg.yaml\n" in diff
    assert "+kind: ConfigMap\n" in diff
    assert "--- a/openstack/requests.json\n+++ /dev/null\n" in diff
    assert "-{}\n" in diff
    assert "--- a/link\n+++ /dev/null\n" in diff
    assert f"--- a/{MARKER}\n+++ b/{MARKER}\n" in diff
    assert "+kubernetes/configmap-cfg.yaml\n" in diff

    headers = [line[len("--- a/") :] for line in diff.splitlines() if line.startswith("--- a/")]
    assert headers == sorted(headers)

    write_tree(out, FILES_V2)
    assert diff_tree(out, FILES_V2) == ""


def test_diff_tree_edge_contents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, {"a.txt": b"no newline", "b.bin": b"\xff", "c.txt": b"x\r\ny\n"})
    diff = diff_tree(out, {"a.txt": b"no newline!", "b.bin": b"\xfe", "c.txt": b"x\r\ny\n", "empty": b""})
    assert "-no newline\n\\ No newline at end of file\n+no newline!\n\\ No newline at end of file\n" in diff
    assert "Binary files a/b.bin and b/b.bin differ\n" in diff
    assert "a/c.txt" not in diff
    assert "--- /dev/null\n+++ b/empty\n" in diff
