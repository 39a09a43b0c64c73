"""CSAR archives: a zip with `TOSCA-Metadata/TOSCA.meta` naming the entry template.

An archive is untrusted input: every member name is checked before anything is written, so that
no member lands outside the directory it is extracted to (absolute names, `..`, links), and the
total size is bounded. The entry template is then read from the extracted tree like any file.
"""

from __future__ import annotations

import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from h2k.diagnostics.model import DiagnosticSink
from h2k.source.limits import Limits
from h2k.span import Span

META = "TOSCA-Metadata/TOSCA.meta"
# Archives carry scripts and definitions, never media: ten template limits in all is plenty.
_SIZE_FACTOR = 10


@dataclass(frozen=True, slots=True)
class Extracted:
    """The extracted archive: the directory (deleted with `cleanup`) and the entry template in it."""

    directory: tempfile.TemporaryDirectory[str]
    entry: Path
    member: str

    def cleanup(self) -> None:
        self.directory.cleanup()


def extract(path: str, sink: DiagnosticSink, limits: Limits) -> Extracted | None:
    """Check and extract the archive; None when it is unusable (reported)."""
    where = Span.point(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        if isinstance(error, OSError):
            sink.report("H2K009", f"cannot read file: {error.strerror or error}", where)
        else:
            sink.report("H2K704", f"not a readable CSAR (zip) archive: {error}", where)
        return None
    with archive:
        members = archive.infolist()
        if not _safe(members, path, sink, limits):
            return None
        entry = _entry(archive, path, sink)
        if entry is None:
            return None
        directory = tempfile.TemporaryDirectory(prefix="h2k-csar-")
        try:
            archive.extractall(directory.name)
        except (OSError, zipfile.BadZipFile, RuntimeError) as error:
            directory.cleanup()
            sink.report("H2K704", f"the archive cannot be extracted: {error}", where)
            return None
    return Extracted(directory, Path(directory.name, entry), entry)


def _safe(members: list[zipfile.ZipInfo], path: str, sink: DiagnosticSink, limits: Limits) -> bool:
    total = 0
    for member in members:
        name = PurePosixPath(member.filename.replace("\\", "/"))
        mode = member.external_attr >> 16
        if name.is_absolute() or ".." in name.parts or (name.parts and ":" in name.parts[0]):
            sink.report("H2K705", f"archive member {member.filename!r} would be written outside the archive's "
                        "directory; the archive is refused", Span.point(path))
            return False
        if stat.S_ISLNK(mode):
            sink.report("H2K705", f"archive member {member.filename!r} is a symbolic link; the archive is refused",
                        Span.point(path))
            return False
        total += member.file_size
    if total > limits.max_bytes * _SIZE_FACTOR:
        sink.report("H2K704", f"the archive expands to {total} bytes, over {limits.max_bytes * _SIZE_FACTOR} "
                    "(ten times --max-file-size)", Span.point(path))
        return False
    return True


def _entry(archive: zipfile.ZipFile, path: str, sink: DiagnosticSink) -> str | None:
    """The entry template: `Entry-Definitions` of the metadata, else the one YAML file at the root."""
    names = archive.namelist()
    if META in names:
        text = archive.read(META).decode("utf-8", "replace")
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        entry = fields.get("Entry-Definitions", "").strip()
        if not entry:
            sink.report("H2K704", f"{META} names no Entry-Definitions", Span.point(path))
            return None
        normalised = str(PurePosixPath(entry))
        if normalised not in names:
            sink.report("H2K704", f"the Entry-Definitions {entry!r} of {META} is not in the archive",
                        Span.point(path))
            return None
        return normalised
    roots = [n for n in names if "/" not in n and n.lower().endswith((".yaml", ".yml"))]
    if len(roots) != 1:
        found = "no" if not roots else f"{len(roots)}"
        sink.report("H2K704", f"the archive has no {META} and {found} YAML files at its root (one is needed)",
                    Span.point(path))
        return None
    return roots[0]
