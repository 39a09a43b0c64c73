"""Compiling the stacks of a plan in parallel, in worker processes.

Compiling is CPU-bound Python, so threads would queue on the interpreter lock; processes scale.
Work is handed out largest template first (the slowest stacks start early, so the run does not
end waiting on one), and results are put back in the plan's order: the reports are the same bytes
whatever order the workers finish in, and whatever `--jobs` is. On Linux the workers are forked
from a parent that has already imported the compiler, so they start warm.

A worker that dies (killed, out of memory) breaks the whole pool; the stacks it left unfinished
are then retried one at a time, each in a fresh process of its own, so that only the stack that
kills its worker fails (H2K931) and the others still compile.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from h2k.migrate.plan import Plan, StackSpec
from h2k.migrate.stack import Outcome, crashed, run_stack


def default_jobs() -> int:
    """The CPUs this process may use (the affinity mask when the platform has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def run_plan(plan: Plan, jobs: int, fail_on: str, done: Callable[[Outcome], None],
             destinations: dict[str, str] | None = None) -> list[Outcome]:
    """Every stack's outcome, in the plan's order; `done` is called as each one finishes.

    A stack named in `destinations` is also written there, by the process that compiled it.
    """
    specs = list(plan.stacks)
    results: dict[int, Outcome] = {}
    where = [(destinations or {}).get(spec.name) for spec in specs]

    def finished(index: int, outcome: Outcome) -> None:
        results[index] = outcome
        done(outcome)

    order = sorted(range(len(specs)), key=lambda i: (-_size(specs[i]), i))
    if jobs > 1 and len(specs) > 1:
        # The largest stack is compiled here first: it warms the caches (imports, Kubernetes schemas and
        # validators) that forked workers then share instead of each building them again.
        first = order.pop(0)
        finished(first, run_stack(specs[first], plan.base, fail_on, where[first]))
        order = _pool(specs, where, order, min(jobs, len(order)), plan.base, fail_on, finished)
    for index in order:  # one at a time: --jobs 1, or what a broken pool left, each in a process of its own
        finished(index, run_stack(specs[index], plan.base, fail_on, where[index]) if jobs <= 1 else
                 _alone(specs[index], where[index], plan.base, fail_on))
    return [results[index] for index in range(len(specs))]


def _pool(specs: list[StackSpec], where: list[str | None], order: list[int], workers: int, base: str, fail_on: str,
          finished: Callable[[int, Outcome], None]) -> list[int]:
    """Run the stacks of `order` on a pool; the indexes left unfinished if the pool broke."""
    left = set(order)
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        futures: dict[Future[Outcome], int] = {pool.submit(run_stack, specs[i], base, fail_on, where[i]): i
                                               for i in order}
        try:
            for future in as_completed(futures):
                finished(futures[future], future.result())
                left.discard(futures[future])
        except BrokenProcessPool:
            pass
        for future, index in futures.items():  # finished before the pool broke, not yet collected
            if index in left and future.done() and not future.cancelled() and future.exception() is None:
                finished(index, future.result())
                left.discard(index)
    return [index for index in order if index in left]


def _alone(spec: StackSpec, destination: str | None, base: str, fail_on: str) -> Outcome:
    if destination is not None:
        shutil.rmtree(destination, ignore_errors=True)  # whatever a worker that died left half written
    with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
        try:
            return pool.submit(run_stack, spec, base, fail_on, destination).result()
        except BrokenProcessPool:
            if destination is not None:
                shutil.rmtree(destination, ignore_errors=True)
            return crashed(spec, base, fail_on, "its worker process died")


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers warm (the parent has imported h2k); elsewhere, the platform's default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _size(spec: StackSpec) -> int:
    try:
        return os.path.getsize(spec.template)
    except OSError:
        return 0
