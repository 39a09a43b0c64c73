"""A long fuzzing campaign outside pytest: many generated templates and corpus mutants, every failure kept.

CI runs a few thousand cases (tests/fuzz/); this runs as many as you ask for, does not stop at the
first failure, and prints each one with the input that caused it, ready for
tests/cases/fuzz_regressions.yaml:

    python benchmarks/fuzz.py --cases 50000 --mutants 50000 --seed 7 --minutes 60

A run is reproducible from its --seed (generated templates) and its mutant seed range.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fuzz"))

from generators import templates
from harness import Case, check_case, describe
from hypothesis import HealthCheck, Phase, given, seed, settings


def generated(count: int, run_seed: int, deadline: float, failures: list[str]) -> int:
    """Run up to `count` generated templates; returns how many ran."""
    ran = 0
    if count <= 0:
        return ran

    class OutOfTime(Exception):
        """Ends the run at the deadline: Hypothesis would otherwise still draw every remaining example."""

    @seed(run_seed)
    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=templates())
    def one(case: Case) -> None:
        nonlocal ran
        if time.monotonic() > deadline:
            raise OutOfTime
        ran += 1
        if ran % 1000 == 0:
            print(f"{ran} generated", file=sys.stderr, flush=True)
        problems = check_case(case)
        if problems:
            failures.append("generated:\n  " + "\n  ".join(problems) + "\n" + describe(case))

    with contextlib.suppress(OutOfTime):
        one()
    return ran


def mutants(first: int, count: int, deadline: float, failures: list[str]) -> int:
    """Run mutant seeds first..first+count-1 (skipped without the corpus); returns how many ran."""
    try:
        from test_fuzz_mutations import mutant
    except BaseException as missing:  # without the corpus, the module raises pytest's Skipped (a BaseException)
        print(f"no mutants: {missing}", file=sys.stderr)
        return 0
    ran = 0
    for n in range(first, first + count):
        if time.monotonic() > deadline:
            break
        case, label = mutant(n)
        ran += 1
        problems = check_case(case)
        if problems:
            failures.append(f"{label}:\n  " + "\n  ".join(problems) + "\n" + describe(case))
    return ran


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="generated templates to run")
    parser.add_argument("--mutants", type=int, default=10_000, help="corpus mutants to run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated templates")
    parser.add_argument("--first-mutant", type=int, default=0, help="first mutant seed (CI runs 0..1199)")
    parser.add_argument("--minutes", type=float, default=60.0, help="stop each half after this long")
    args = parser.parse_args()
    failures: list[str] = []
    started = time.monotonic()
    counts = Counter(generated=generated(args.cases, args.seed, started + args.minutes * 30, failures))
    counts["mutants"] = mutants(args.first_mutant, args.mutants, time.monotonic() + args.minutes * 30, failures)
    for failure in failures:
        print(failure)
    print(f"{counts['generated']} generated, {counts['mutants']} mutants, {len(failures)} failures, "
          f"{time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
