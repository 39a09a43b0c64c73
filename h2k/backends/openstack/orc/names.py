"""Object names, unique per kind: objects of different kinds may share a name, as in Kubernetes.

Resources keep the name the names pass gave them; a resource it did not name (a type the pass
does not know) gets the DNS label of its resource name. Objects h2k adds (imports, ports, Secrets,
role assignments) are named after what they stand for, with `-2`, `-3`, ... when taken.

>>> names = Names()
>>> names.claim("Network", "net"), names.claim("Network", "net"), names.claim("Subnet", "net")
('net', 'net-2', 'net')
"""

from __future__ import annotations

from h2k.passes.names import dns_label

_MAX = 63


class Names:
    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {}

    def claim(self, kind: str, wanted: str) -> str:
        """A free name of `kind` based on `wanted` (made a DNS label), now taken."""
        base = dns_label(wanted) or "object"
        taken = self._taken.setdefault(kind, set())
        name, counter = base, 1
        while name in taken:
            counter += 1
            suffix = f"-{counter}"
            name = base[: _MAX - len(suffix)].rstrip("-") + suffix
        taken.add(name)
        return name

    def suffixed(self, kind: str, base: str, suffix: str) -> str:
        """A free name `<base>-<suffix>`, shortening the base rather than the suffix."""
        room = _MAX - len(suffix) - 1
        return self.claim(kind, f"{base[:room].rstrip('-')}-{suffix}")

    def snapshot(self) -> dict[str, set[str]]:
        return {kind: set(taken) for kind, taken in self._taken.items()}

    def restore(self, snapshot: dict[str, set[str]]) -> None:
        self._taken = {kind: set(taken) for kind, taken in snapshot.items()}
