"""The placeholder `h2k hint` writes into a resource's metadata, and how h2k recognises one.

A placeholder is a string in angle brackets, `<container image for Glance image ubuntu-22.04>`:
no container image reference, port, mount path or target can start with `<`, so an unfilled one
is never mistaken for a value, and an image placeholder can never pull anything. The compiler
reports each one left (H2K940) and treats the key as absent.
"""

from __future__ import annotations

import re

# The metadata keys h2k reads from a resource; a placeholder is recognised under any of them.
PREFIX = "h2k.io/"
IMAGE_KEY = "h2k.io/image"
PORT_KEY = "h2k.io/port"
MOUNT_PATH_KEY = "h2k.io/mount-path"
TARGET_KEY = "h2k.io/target"
# The order keys are written in when one resource gets several.
KEYS = (IMAGE_KEY, PORT_KEY, MOUNT_PATH_KEY, TARGET_KEY)

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f<>]")


def make(text: str) -> str:
    """The placeholder for `text`: angle brackets, on one line, without brackets inside.

    >>> make("container image for Glance image <ubuntu>")
    '<container image for Glance image ubuntu>'
    """
    return f"<{_UNPRINTABLE.sub('', ' '.join(text.split()))}>"


def is_placeholder(key: object, value: object) -> bool:
    """Whether `value` under metadata `key` is a placeholder still waiting for its value.

    >>> is_placeholder("h2k.io/image", "<container image for Glance image ubuntu>")
    True
    >>> is_placeholder("h2k.io/image", "nginx:1.27"), is_placeholder("owner", "<team>")
    (False, False)
    """
    if not (isinstance(key, str) and key.startswith(PREFIX) and isinstance(value, str)):
        return False
    text = value.strip()
    return len(text) >= 2 and text.startswith("<") and text.endswith(">")
