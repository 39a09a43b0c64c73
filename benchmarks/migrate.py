"""Wall time of `h2k migrate` on a corpus folder with 1, 2 and all CPUs, and the coverage it reports.

Each run is a fresh `python -m h2k migrate FOLDER -o TMP --jobs N --no-progress` process into a new
temporary directory (so the time includes start-up, recognising the folder, compiling, the reports
and writing every file), repeated `--repeat` times; the best (minimum) wall time is kept, the run
least disturbed by the rest of the machine. The reports of every run must be byte-identical
whatever N is; the script exits 1 if they are not.

    python benchmarks/migrate.py [--corpus DIR] [--under hot] [--repeat 5] [--jobs 1,2,4]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "openstack+heat-templates"
REPORTS = ("migration-report.json", "migration-report.md", "migration-report.html")


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(source: Path, jobs: int) -> tuple[float, dict[str, bytes], int]:
    """Wall time, the three reports, and the exit code of one run."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "h2k", "migrate", str(source), "-o", str(out), "--jobs",
                               str(jobs), "--no-progress"], capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):
            raise SystemExit(f"h2k migrate --jobs {jobs} exited {done.returncode}:\n{done.stderr}")
        return elapsed, {name: (out / name).read_bytes() for name in REPORTS}, done.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--under", default="hot", help="folder of the corpus to migrate (hot)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", default=None, help="comma-separated job counts (default 1,2 and the CPU count)")
    args = parser.parse_args(argv)
    source = args.corpus / args.under
    counts = sorted({int(j) for j in args.jobs.split(",")}) if args.jobs else sorted({1, 2, cpus()})
    best: dict[int, float] = {}
    reports: dict[int, dict[str, bytes]] = {}
    for _ in range(args.repeat):
        for jobs in counts:  # interleaved, so that a busy moment hurts every count alike
            elapsed, reports[jobs], _code = run(source, jobs)
            best[jobs] = min(best.get(jobs, elapsed), elapsed)
    summary = json.loads(reports[counts[0]]["migration-report.json"])["summary"]
    print(f"h2k migrate {source} ({summary['stacks']} stacks, {cpus()} CPUs), best of {args.repeat}:")
    for jobs in counts:
        print(f"  --jobs {jobs:<3} {best[jobs]:7.3f} s  x{best[counts[0]] / best[jobs]:.2f}")
    print(f"coverage {summary['coverage']}% ({summary['covered']} of {summary['resources']} resources carried over "
          f"to Kubernetes); {summary['ok']} ok, {summary['findings']} with findings, {summary['failed']} failed")
    same = all(reports[jobs] == reports[counts[0]] for jobs in counts)
    print("reports byte-identical across job counts" if same else "REPORTS DIFFER across job counts")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
