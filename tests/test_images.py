"""Every Containerfile h2k writes is read by BuildKit's own parser (the `dockerfile` package).

The templates are the samples and, when the corpus is present, every HOT template of it compiled
with `--servers container` (so every server with a boot script gets an image recipe). Beyond
parsing, each recipe must be usable as written: FROM first, every COPY source written beside it,
a CMD in exec form, and the Deployment pulling `<registry>/<name>:h2k-<hash>` of that folder.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dockerfile
import pytest

from h2k.api import CompileOptions, compile

ROOT = Path(__file__).resolve().parent.parent


def corpus_templates() -> list[Path]:
    """The HOT templates of the heat-templates corpus (none when the corpus is not there)."""
    root = Path(os.environ.get("H2K_CORPUS") or ROOT.parent / "shared" / "corpus")
    index = root / "openstack+heat-templates" / "_h2k_index.json"
    if not index.is_file():
        return []
    entries = json.loads(index.read_text(encoding="utf-8"))["files"]
    return sorted(index.parent / e["path"] for e in entries if e["role"] == "hot")


CORPUS_TEMPLATES = corpus_templates()
SAMPLES = [p for p in sorted((ROOT / "samples" / "hot").rglob("*.yaml"))
           if p.name != "h2k.yaml" and not p.name.endswith((".env.yaml", "_env.yaml"))]
TEMPLATES = SAMPLES + CORPUS_TEMPLATES


def compiled(template: Path) -> dict[str, bytes]:
    environment = template.with_name(f"{template.stem}_env.yaml")
    options = CompileOptions(servers="container",
                             environment_files=[str(environment)] if environment.is_file() else [])
    return compile(template, options).files


def recipe_problems(files: dict[str, bytes]) -> list[str]:
    problems = []
    images = sorted(name.rsplit("/", 1)[0] for name in files if name.endswith("/Containerfile"))
    manifests = b"\n".join(data for name, data in files.items() if name.startswith("kubernetes/"))
    for folder in images:
        text = files[f"{folder}/Containerfile"].decode()
        try:
            instructions = dockerfile.parse_string(text)
        except dockerfile.GoParseError as error:
            problems.append(f"{folder}: {error}")
            continue
        if not instructions or instructions[0].cmd != "FROM":
            problems.append(f"{folder}: the first instruction is not FROM")
        for instruction in instructions:
            if instruction.cmd == "COPY" and f"{folder}/{instruction.value[0]}" not in files:
                problems.append(f"{folder}: COPY {instruction.value[0]} is not written beside it")
            if instruction.cmd == "CMD" and not instruction.json:
                problems.append(f"{folder}: CMD is not in exec form")
            if instruction.cmd == "RUN" and instruction.heredocs and not instruction.heredocs[0].content.strip():
                problems.append(f"{folder}: an empty here-document RUN")
        name = folder.removeprefix("images/")
        if f"image: localhost/h2k/{name}:h2k-".encode() not in manifests:
            problems.append(f"{folder}: no workload pulls localhost/h2k/{name}")
        if f"{folder}/analysis.md" not in files:
            problems.append(f"{folder}: analysis.md is missing")
    return problems


def test_containerfiles_parse_and_are_complete() -> None:
    written = 0
    problems = []
    for template in TEMPLATES:
        files = compiled(template)
        written += sum(1 for name in files if name.endswith("/Containerfile"))
        problems += [f"{template.name}: {p}" for p in recipe_problems(files)]
    assert problems == []
    assert written >= (30 if CORPUS_TEMPLATES else 1), written


def test_the_tag_follows_the_recipe(tmp_path: Path) -> None:
    """The same script gives the same tag; one more package gives another."""
    def tag(packages: str) -> str:
        template = tmp_path / "t.yaml"
        template.write_text("heat_template_version: 2018-08-31\nresources:\n  web:\n    type: OS::Nova::Server\n"
                            "    properties:\n      image: ubuntu-24.04\n      flavor: m1.small\n"
                            f"      user_data: |\n        #!/bin/sh\n        apt-get install -y {packages}\n"
                            "        service nginx start\n", encoding="utf-8")
        result = compile(template, CompileOptions(servers="container"))
        (deployment,) = [o.object for o in result.objects if o.kind == "Deployment"]
        image: str = deployment["spec"]["template"]["spec"]["containers"][0]["image"]  # type: ignore[index]
        assert image.startswith("localhost/h2k/web:h2k-")
        return image

    assert tag("nginx") == tag("nginx")
    assert tag("nginx") != tag("nginx curl")


@pytest.mark.parametrize("base, expected", [
    ("F20-x86_64-cfntools", "registry.fedoraproject.org/fedora:20"),
    ("fedora-38.x86_64", "registry.fedoraproject.org/fedora:38"),
    ("ubuntu-22.04-server", "docker.io/library/ubuntu:22.04"),
    ("CentOS-Stream-9", "quay.io/centos/centos:stream9"),
    ("debian-12-genericcloud", "docker.io/library/debian:12"),
    ("cirros-0.6.2-x86_64-disk", "docker.io/library/busybox:stable"),
])
def test_base_images_of_common_glance_names(base: str, expected: str) -> None:
    from h2k.backends.images.base_image import base_image

    assert base_image(base, None, {}).reference == expected
    assert base_image(base, None, {base: "registry.example.com/golden:1"}).reference == "registry.example.com/golden:1"


# Corpus examples and what their boot scripts must become, read off the scripts by hand.
CORPUS_EXAMPLES = [
    ("hot/F20/WordPress_Native.yaml", {"key_name": "k"}, {
        "images/wordpress-instance/Containerfile": [
            "FROM registry.fedoraproject.org/fedora:20",
            "RUN yum -y install mariadb mariadb-server httpd wordpress \\",
            'CMD ["httpd", "-DFOREGROUND"]'],
        "kubernetes/configmap-wordpress-instance-boot.yaml": [
            "    sed -i s/database_name_here/wordpress/ /etc/wordpress/wp-config.php",
            "    exec \"$@\""]}),
    ("hot/autohealing/autohealing_server.yaml", {"key_name": "k", "image": "cirros-0.6", "flavor": "m1.small"}, {
        "images/server/Containerfile": ["FROM docker.io/library/busybox:stable"],
        "kubernetes/configmap-server-boot.yaml": [
            "    Body=$(hostname)",
            "    while true ; do echo -e $Response | nc -llp 8080; done"]}),
    ("hot/software-config/example-templates/example-cloud-init.yaml",
     {"key_name": "k", "image": "fedora-40", "flavor": "m1.small"}, {
        "images/server/Containerfile": ["COPY files/tmp/one /tmp/one", "COPY files/tmp/four /tmp/four"],
        "images/server/files/tmp/two": ["The two is bar"]}),
]


@pytest.mark.parametrize(("template", "parameters", "expected"), CORPUS_EXAMPLES, ids=[c[0] for c in CORPUS_EXAMPLES])
def test_corpus_examples_become_what_their_scripts_say(template: str, parameters: dict[str, str],
                                                       expected: dict[str, list[str]]) -> None:
    if not CORPUS_TEMPLATES:
        pytest.skip("the template corpus is not there")
    files = compile(_corpus_file(template), CompileOptions(servers="container", parameters=parameters)).files
    for name, lines in expected.items():
        assert name in files, sorted(files)
        written = files[name].decode().splitlines()
        for line in lines:
            assert line in written, f"{name} has no line {line!r}"


def _corpus_file(template: str) -> Path:
    root = Path(os.environ.get("H2K_CORPUS") or ROOT.parent / "shared" / "corpus")
    return root / "openstack+heat-templates" / template
