"""Measuring helpers shared by the benchmark scripts, so that every script times things the same way.

Timings are wall-clock (`time.perf_counter`). A measurement keeps every sample, so a script can
report the best (the run least disturbed by the rest of the machine, as `run.py` does) or the
median and spread (as `suite.py` does). Fresh processes run with bytecode caches, as an installed
h2k has them.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TINY_TEMPLATE = """\
heat_template_version: 2018-08-31
resources:
  secret:
    type: OS::Heat::RandomString
"""

# Start-up is measured as an installed h2k runs: with bytecode caches (pip writes them). A machine
# that sets PYTHONDONTWRITEBYTECODE would otherwise compile every module from source on each run.
STARTUP_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def default_corpus() -> Path:
    """$H2K_CORPUS, else the shared corpus beside the repository."""
    configured = os.environ.get("H2K_CORPUS")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "corpus"


def corpus_files(corpus: Path, roles: Sequence[str], only: str | None = None) -> list[Path]:
    """Files whose `_h2k_index.json` role is one of `roles`, in index order; `only` picks one
    corpus folder (such as `openstack+heat-templates`) instead of all of them."""
    indexes = [corpus / only / "_h2k_index.json"] if only else sorted(corpus.glob("*/_h2k_index.json"))
    files = []
    for index in indexes:
        if not index.is_file():
            continue
        for entry in json.loads(index.read_text(encoding="utf-8"))["files"]:
            if entry["role"] in roles:
                files.append(index.parent / entry["path"])
    return files


def best_ms(call: Callable[[], object], repeat: int) -> float:
    """The minimum of `repeat` timings in ms: the run least disturbed by the rest of the machine."""
    return min(samples_ms(call, repeat))


def best(action: Callable[[], object], repeat: int) -> float:
    """The minimum of `repeat` timings in seconds."""
    return best_ms(action, repeat) / 1000


def samples_ms(call: Callable[[], object], repeat: int) -> list[float]:
    """Every one of `repeat` timings of `call`, in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


@dataclass
class Spread:
    """Median and range of a set of samples: the median for comparisons, the range to judge noise."""

    median: float
    low: float
    high: float
    count: int

    @classmethod
    def of(cls, samples: Sequence[float]) -> Spread:
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))


def interleaved_ms(calls: Sequence[Callable[[], object]], repeat: int, warm: bool = True) -> list[list[float]]:
    """Samples of several calls taken in turn, so that a busy moment of the machine hurts them
    alike; one untimed round first when `warm` (imports, caches, bytecode)."""
    if warm:
        for call in calls:
            call()
    found: list[list[float]] = [[] for _ in calls]
    for _ in range(repeat):
        for samples, call in zip(found, calls, strict=True):
            start = time.perf_counter()
            call()
            samples.append((time.perf_counter() - start) * 1000)
    return found


def run_process(command: Sequence[str], env: dict[str, str] | None = None,
                cwd: str | Path | None = None) -> tuple[float, int, int, str]:
    """Wall time (ms), peak resident set (KiB), exit code and the stderr tail of one fresh process.

    The peak comes from `wait4` on this very child, so other children of the caller do not
    count (RUSAGE_CHILDREN would report the largest child ever waited for).
    """
    start = time.perf_counter()
    child = subprocess.Popen(list(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             env=STARTUP_ENV if env is None else env, cwd=cwd)
    assert child.stderr is not None
    stderr = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    return elapsed, usage.ru_maxrss, child.returncode, stderr.decode(errors="replace").strip()[-300:]


def time_command(command: list[str], repeat: int) -> tuple[float | None, str | None]:
    """Best wall time of a fresh process, after one run that writes the bytecode caches; an exit
    code other than 0 is reported, not timed."""
    subprocess.run(command, capture_output=True, check=False, env=STARTUP_ENV)
    best_time = float("inf")
    for _ in range(repeat):
        elapsed, _rss, code, stderr = run_process(command)
        if code != 0:
            return None, f"exit {code}: {stderr}"
        best_time = min(best_time, elapsed)
    return best_time, None


def machine() -> dict[str, object]:
    """What the numbers were measured on: they mean little without it."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 1
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        load: list[float] | None = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        load = None
    os_name = platform.platform()
    try:
        release = platform.freedesktop_os_release()
        os_name = f"{release.get('PRETTY_NAME', release.get('NAME', ''))} ({platform.system()} {platform.release()})"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": usable,
        "memory_gib": memory,
        "os": os_name,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "load_average": load,
    }
