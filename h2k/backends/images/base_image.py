"""The FROM of an image recipe: the container image of the distribution the server booted.

A Glance image name usually says its distribution and release (`fedora-38`, `F20-x86_64-cfntools`,
`ubuntu-22.04`, `CentOS-Stream-9`, `debian-12-genericcloud`). The config's `base_images:` wins;
then these patterns, matched in order; then the distribution family the boot script's package
manager implies (yum -> Fedora, apt -> Debian...), with its newest release. Each default is the
distribution's own official image, so nothing unrelated is ever pulled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# (pattern over the Glance image name, image template; {0} is the first group when there is one).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.IGNORECASE), image) for p, image in (
    (r"centos[-_ ]?stream[-_ ]?(\d+)", "quay.io/centos/centos:stream{0}"),
    (r"centos[-_ ]?(7)\b", "quay.io/centos/centos:7"),
    (r"centos[-_ ]?(8|9|10)\b", "quay.io/centos/centos:stream{0}"),
    (r"(?:rhel|redhat)[-_ ]?(\d+)", "registry.access.redhat.com/ubi{0}/ubi"),
    (r"rocky(?:linux)?[-_ ]?(\d+)", "quay.io/rockylinux/rockylinux:{0}"),
    (r"alma(?:linux)?[-_ ]?(\d+)", "quay.io/almalinuxorg/almalinux:{0}"),
    (r"(?:fedora|\bF)[-_ ]?(\d{2})\b", "registry.fedoraproject.org/fedora:{0}"),
    (r"ubuntu[-_ ]?(\d{2}\.\d{2})", "docker.io/library/ubuntu:{0}"),
    (r"\b(trusty|xenial|bionic|focal|jammy|noble)\b", "docker.io/library/ubuntu:{0}"),
    (r"debian[-_ ]?(\d+)", "docker.io/library/debian:{0}"),
    (r"\b(buster|bullseye|bookworm|trixie)\b", "docker.io/library/debian:{0}"),
    (r"opensuse[-_ ]?leap[-_ ]?(\d+\.\d+)", "registry.opensuse.org/opensuse/leap:{0}"),
    (r"alpine[-_ ]?(\d+\.\d+)", "docker.io/library/alpine:{0}"),
    (r"cirros", "docker.io/library/busybox:stable"),
    (r"centos", "quay.io/centos/centos:stream9"),
    (r"fedora", "registry.fedoraproject.org/fedora:latest"),
    (r"ubuntu", "docker.io/library/ubuntu:latest"),
    (r"debian", "docker.io/library/debian:stable"),
    (r"opensuse|sles|suse", "registry.opensuse.org/opensuse/leap:latest"),
    (r"alpine", "docker.io/library/alpine:latest"),
))
_FAMILIES = {
    "fedora": "registry.fedoraproject.org/fedora:latest",
    "debian": "docker.io/library/debian:stable",
    "suse": "registry.opensuse.org/opensuse/leap:latest",
    "alpine": "docker.io/library/alpine:latest",
}


@dataclass(frozen=True, slots=True)
class BaseImage:
    reference: str
    how: str  # "config", "name" (matched the Glance image name), "family" (the package manager), or "unknown"


def base_image(glance: str | None, family: str | None, configured: dict[str, str]) -> BaseImage:
    if glance is not None and glance in configured:
        return BaseImage(configured[glance], "config")
    for pattern, template in _PATTERNS if glance else ():
        match = pattern.search(glance or "")
        if match is not None:
            return BaseImage(template.format(*(g.lower() for g in match.groups())), "name")
    if family in _FAMILIES:
        return BaseImage(_FAMILIES[family], "family")
    return BaseImage(f"H2K-UNMAPPED/{glance or 'unknown'}", "unknown")
